// systemd integration: the shipped unit passes `systemd-analyze verify`, and
// the gateway sends READY=1 and STOPPING=1 to NOTIFY_SOCKET.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, BIN } from './harness.mjs';

const UNIT = new URL('../../examples/systemd/customer-gateway.service', import.meta.url).pathname;
const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
const hasPython = spawnSync('python3', ['--version']).status === 0;

test('examples/systemd unit passes systemd-analyze verify without a warning', { skip: !hasAnalyze && 'systemd-analyze is not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-unit-'));
  try {
    const unit = join(dir, 'customer-gateway.service');
    const text = readFileSync(UNIT, 'utf8');
    assert.match(text, /^Type=notify$/m);
    assert.match(text, /^DynamicUser=yes$/m);
    assert.match(text, /^StateDirectory=customer-gateway$/m);
    assert.match(text, /^ProtectSystem=strict$/m);
    writeFileSync(unit, text.replace('/usr/local/bin/customer-gateway', BIN));
    const r = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.trim(), '', 'no warnings');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

// Receives datagrams on a Unix socket, as systemd does, printing each on a line.
const RECEIVER = `
import socket, sys, json
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("bound", flush=True)
s.settimeout(20)
for _ in range(2):
    print(json.dumps(s.recv(4096).decode()), flush=True)
`;

test('READY=1 once listening, STOPPING=1 on SIGTERM', { skip: !hasPython && 'python3 is not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-notify-'));
  const socketPath = join(dir, 'notify.sock');
  const receiver = spawn('python3', ['-c', RECEIVER, socketPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const messages = [];
  const lineWaiters = [];
  receiver.stdout.on('data', (d) => {
    out += d;
    let nl;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (line !== 'bound') messages.push(JSON.parse(line));
      lineWaiters.splice(0).forEach((w) => w(line));
    }
  });
  const nextLine = () => new Promise((resolve) => lineWaiters.push(resolve));
  try {
    await nextLine();
    const gw = await startGateway({ env: { NOTIFY_SOCKET: socketPath } });
    await nextLine();
    assert.match(messages[0], /^READY=1\nSTATUS=listening on http:\/\/127\.0\.0\.1:\d+$/);
    gw.proc.kill('SIGTERM');
    await nextLine();
    assert.match(messages[1], /^STOPPING=1/);
    assert.equal((await gw.exited).code, 0);
    await gw.stop();
  } finally {
    receiver.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
