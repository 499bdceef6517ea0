// Health probes, the healthcheck command and the SIGTERM lifecycle through
// the real binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway, request, BIN } from './harness.mjs';
import { connect, collect, parseResponses } from './raw_http.mjs';
import { freePort } from './nginx_front.mjs';

function healthcheck(args, env = {}) {
  return spawnSync(BIN, ['healthcheck', ...args], { encoding: 'utf8', timeout: 10000, env: { ...process.env, ...env } });
}

test('/livez and /readyz answer 200 JSON; other methods 405', async () => {
  const gw = await startGateway();
  try {
    for (const path of ['/livez', '/readyz']) {
      const res = await request(gw, 'GET', path);
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { status: 'ok' });
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal((await request(gw, 'HEAD', path)).status, 200);
      const post = await request(gw, 'POST', path);
      assert.equal(post.status, 405);
      assert.equal(post.headers.get('allow'), 'GET, HEAD');
    }
  } finally { await gw.stop(); }
});

test('healthcheck exits 0 for a ready gateway, 1 for none, 2 for bad options', async () => {
  const gw = await startGateway();
  try {
    const ok = healthcheck(['--url', gw.url]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^200 /);
    const fromEnv = healthcheck([], { GATEWAY_LISTEN: new URL(gw.url).host });
    assert.equal(fromEnv.status, 0, fromEnv.stdout + fromEnv.stderr);
    assert.equal(healthcheck(['--url', gw.url, '--path', '/livez']).status, 0);
  } finally { await gw.stop(); }
  const down = healthcheck(['--url', `http://127.0.0.1:${await freePort()}`, '--timeout', '1']);
  assert.equal(down.status, 1);
  assert.match(down.stdout, /unreachable/);
  assert.equal(healthcheck(['--path', '/nope']).status, 2);
});

test('SIGTERM: idle keep-alives close at once, requests in progress are answered, /readyz says draining', async () => {
  const gw = await startGateway({ args: ['--keep-alive-timeout', '30'] });
  const idle = await connect(gw);
  const idleClosed = collect(idle, 5000);
  // A request whose head has not finished arriving, and a POST whose body has not.
  const probe = await connect(gw);
  const probeAnswer = collect(probe, 5000);
  probe.write('GET /readyz HTTP/1.1\r\nHost: gw\r\n');
  const post = await connect(gw);
  const postAnswer = collect(post, 5000);
  const body = JSON.stringify({ email: 'late@example.com' });
  post.write(`POST /services/customer/v1/customer.info HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
  await sleep(200);

  const signalled = Date.now();
  gw.proc.kill('SIGTERM');
  const idleResult = await idleClosed;
  assert.ok(idleResult.closed, 'the idle keep-alive was closed');
  assert.ok(Date.now() - signalled < 1000, 'at once');
  assert.equal(idleResult.text, '');

  await sleep(200);
  probe.write('\r\n');
  post.write(body.slice(5));
  const [ready] = parseResponses((await probeAnswer).text);
  assert.equal(ready.status, 503);
  assert.deepEqual(ready.json, { status: 'draining' });
  assert.equal(ready.headers.connection, 'close');
  const [answered] = parseResponses((await postAnswer).text);
  assert.equal(answered.status, 401, 'the request in progress was answered');

  const { code } = await gw.exited;
  assert.equal(code, 0);
  assert.match(gw.stdout, /stopping \(signal 15\)/);
  assert.match(gw.stdout, /customer-gateway stopped/);
  await gw.stop();
});

test('--shutdown-timeout bounds the wait for a request that never finishes', async () => {
  const gw = await startGateway({ args: ['--shutdown-timeout', '1', '--request-timeout', '60'] });
  const stuck = await connect(gw);
  stuck.on('error', () => {});
  stuck.write('POST /v2/customers HTTP/1.1\r\nHost: gw\r\nContent-Length: 100\r\n\r\n{');
  await sleep(200);
  const signalled = Date.now();
  gw.proc.kill('SIGTERM');
  const { code } = await gw.exited;
  const took = Date.now() - signalled;
  assert.equal(code, 0);
  assert.ok(took >= 900 && took < 5000, `exited after ${took} ms`);
  assert.match(gw.stdout, /--shutdown-timeout passed/);
  stuck.destroy();
  await gw.stop();
});
