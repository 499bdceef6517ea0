#!/usr/bin/env node
// Measures what a test suite pays between tests to get a clean gateway:
// the admin API's reset and snapshot restore, against the baseline of
// restarting the process, in the same run on the same machine.
//
//   node scripts/bench-reset.mjs [CUSTOMERS] [ROUNDS]
//
// Each round first fills the store with CUSTOMERS customers (default 100,
// created through the MicroBase API with one address each), then times one
// way back to a clean state. Prints the median and p90 of each, in ms.
// GATEWAY_BIN picks the binary (default build/customer-gateway).
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';

const customers = Number(process.argv[2] ?? 100);
const rounds = Number(process.argv[3] ?? 20);
const BIN = process.env.GATEWAY_BIN ?? new URL('../build/customer-gateway', import.meta.url).pathname;
const ADMIN = 'bench-admin';
const JWT_SECRET = 'bench-jwt-secret';
const ARGS = ['serve', '--listen', '127.0.0.1:0', '--db', ':memory:', '--admin-token', ADMIN,
  '--client-id', 'bench', '--client-secret', 'bench-secret', '--jwt-secret', JWT_SECRET, '--scrypt-log-n', '10'];

function start() {
  const proc = spawn(BIN, ARGS, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ proc, url: m[1] });
    });
    proc.on('exit', (code) => reject(new Error(`gateway exited ${code}`)));
  });
}

function stop(gw) {
  return new Promise((resolve) => {
    gw.proc.on('exit', resolve);
    gw.proc.kill('SIGTERM');
  });
}

const b64 = (s) => Buffer.from(s).toString('base64url');
const input = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify({ scope: 'api', sub: 'bench' }))}`;
const TOKEN = `${input}.${createHmac('sha256', JWT_SECRET).update(input).digest('base64url')}`;

async function fill(gw, round) {
  for (let i = 0; i < customers; i += 1) {
    const res = await fetch(`${gw.url}/services/customer/v1/customer.create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `c${round}.${i}@example.com`, password: 'bench-password', firstName: 'Bench', lastName: `N${i}`,
        addresses: [{ name: 'Home', firstName: 'B', address_1: '1 Road', postCode: '1', city: 'C', state: 'S', country: 'GB' }],
      }),
    });
    const body = await res.json();
    if (!body.ok) throw new Error(JSON.stringify(body));
  }
}

async function admin(gw, method, path) {
  const res = await fetch(`${gw.url}/__gateway${path}`, { method, headers: { authorization: `Bearer ${ADMIN}` } });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

function summary(ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5).toFixed(2), p90: at(0.9).toFixed(2) };
}

const results = { reset: [], restore: [], restart: [], start: [] };
let gw = await start();
await admin(gw, 'POST', '/snapshots/empty');
for (let round = 0; round < rounds; round += 1) {
  await fill(gw, round);
  let t = performance.now();
  await admin(gw, 'POST', '/reset');
  results.reset.push(performance.now() - t);

  await fill(gw, round);
  t = performance.now();
  await admin(gw, 'POST', '/snapshots/empty/restore');
  results.restore.push(performance.now() - t);

  await fill(gw, round);
  // The baseline: what a suite does without the admin API — stop the
  // process, start a new one and wait until it listens.
  t = performance.now();
  await stop(gw);
  const started = performance.now();
  gw = await start();
  results.restart.push(performance.now() - t);
  results.start.push(performance.now() - started);
  await admin(gw, 'POST', '/snapshots/empty');
}
await stop(gw);

console.log(`back to a clean store after ${customers} customers, ${rounds} rounds (ms)`);
console.log('way                         median      p90');
for (const [name, label] of [['reset', 'POST /__gateway/reset'], ['restore', 'restore an empty snapshot'], ['restart', 'restart the process (baseline)'], ['start', '  of which starting']]) {
  const s = summary(results[name]);
  console.log(`${label.padEnd(28)}${s.median.padStart(8)} ${s.p90.padStart(8)}`);
}
const ratio = Number(summary(results.restart).median) / Number(summary(results.reset).median);
console.log(`reset is ${ratio.toFixed(0)}x faster than a restart`);
