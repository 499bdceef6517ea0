// The request log: a JSON line per request with the request id (the
// client's or a generated one, echoed), route templates instead of ids, no
// secrets or emails; start/stop events; SIGHUP reopens the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, renameSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway, request, epToken, ep, mb, mbToken } from './harness.mjs';
import { exchange } from './raw_http.mjs';

const lines = (file) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

test('one JSON line per request, with ids replaced, nothing secret, start and stop events', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'gw-log-')), 'gateway.log');
  const live = await startGateway({ direct: true, args: ['--access-log', file] });
  try {
    const token = await epToken(live);
    const created = await ep(live, token, 'POST', '/v2/customers', {
      data: { type: 'customer', name: 'Log Reader', email: 'log.reader@example.com', password: 'never-logged-pw' },
    });
    const id = created.json.data.id;
    const got = await ep(live, token, 'GET', `/v2/customers/${id}`, undefined, { 'x-request-id': 'client-chosen.id:1' });
    assert.equal(got.headers.get('x-request-id'), 'client-chosen.id:1');
    const odd = await ep(live, token, 'GET', `/v2/customers/${id}`, undefined, { 'x-request-id': 'x'.repeat(200) });
    assert.match(odd.headers.get('x-request-id'), /^[0-9a-f-]{36}$/);
    await mb(live, 'customer.create', { email: 'mb.reader@example.com', password: 'never-logged-pw', firstName: 'M', lastName: 'B' });
    await mb(live, 'customer.nosuch', {});
    await exchange(live, 'GET /v2/customers HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n');
    await request(live, 'GET', '/readyz');
  } finally { await live.stop(); }

  const log = lines(file);
  const requests = log.filter((l) => l.event === 'request');
  const byId = requests.find((l) => l.request_id === 'client-chosen.id:1');
  assert.ok(byId, 'the client-chosen id is logged');
  assert.equal(byId.dialect, 'elastic_path');
  assert.equal(byId.method, 'GET');
  assert.equal(byId.route, '/v2/customers/{id}');
  assert.equal(byId.status, 200);
  assert.equal(typeof byId.duration_ms, 'number');
  assert.equal(byId.client, '127.0.0.1');
  assert.match(byId.customer_id, /^[0-9a-f-]{36}$/);
  assert.ok(byId.bytes_out > 0);
  assert.match(byId.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const routes = requests.map((l) => `${l.dialect} ${l.method} ${l.route} ${l.status}`);
  assert.ok(routes.includes('elastic_path POST /oauth/access_token 200'), routes.join('\n'));
  assert.ok(routes.includes('elastic_path POST /v2/customers 201'));
  assert.ok(routes.includes('microbase POST /services/customer/v1/customer.create 200'));
  assert.ok(routes.includes('microbase POST /services/customer/v1/{unknown} 404'));
  assert.ok(routes.includes('elastic_path GET /v2/customers 400'), 'a refused request is logged too');
  assert.ok(routes.includes('host GET /readyz 200'));
  assert.deepEqual(log.filter((l) => l.event !== 'request').map((l) => l.event), ['start', 'stopping', 'stopped']);
  const text = readFileSync(file, 'utf8');
  for (const secret of ['log.reader@example.com', 'mb.reader@example.com', 'never-logged-pw', 'test-client-secret', mbToken().split('.')[2]]) {
    assert.ok(!text.includes(secret), `${secret} is not in the log`);
  }
});

test('SIGHUP reopens the log file and keeps serving', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'gw-log-')), 'rotating.log');
  const live = await startGateway({ direct: true, args: ['--access-log', file] });
  try {
    await request(live, 'GET', '/livez');
    renameSync(file, `${file}.1`);
    live.proc.kill('SIGHUP');
    await sleep(300);
    assert.equal((await request(live, 'GET', '/livez')).status, 200, 'still serving');
    assert.ok(existsSync(file), 'a new file was opened');
    // Request lines are written within the log's flush interval (100 ms).
    let fresh = lines(file);
    for (let i = 0; i < 40 && fresh.length < 2; i += 1) {
      await sleep(50);
      fresh = lines(file);
    }
    assert.equal(fresh[0].event, 'log_reopened');
    assert.equal(fresh[1].route, '/livez');
    assert.ok(lines(`${file}.1`).some((l) => l.route === '/livez'));
  } finally { await live.stop(); }
});
