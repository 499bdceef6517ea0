// examples/nginx/customer-gateway-multi.conf in front of two gateways on one
// PostgreSQL database: requests reach both instances and see one set of
// customers, and when one instance stops nginx sends everything to the other
// without a failed request. The example is checked to be the single-instance
// config with only its upstream and proxy_next_upstream changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, epToken, ep, mb, request, freshDb, ENGINE } from './harness.mjs';
import { startNginx, EXAMPLE, MULTI_EXAMPLE } from './nginx_front.mjs';

if (ENGINE !== 'postgres') throw new Error('nginx_multi_instance runs on PostgreSQL only (GATEWAY_ENGINE=postgres)');

let dir;
let a;
let b;
let front;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gw-nginx-multi-'));
  const db = freshDb(dir);
  const args = ['--trusted-proxies', '127.0.0.1'];
  [a, b] = await Promise.all([startGateway({ db, args, direct: true }), startGateway({ db, args, direct: true })]);
  front = await startNginx({ upstreamPorts: [a, b].map((gw) => Number(new URL(gw.url).port)), credentialRate: '10000r/s' });
});
after(async () => {
  await front?.stop();
  await Promise.all([a?.stop(), b?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const viaNginx = () => ({ url: front.url });

// Requests an instance has answered, from its own /metrics.
async function served(gw) {
  const text = (await request(gw, 'GET', '/metrics')).text;
  return [...text.matchAll(/^customer_gateway_http_request_duration_seconds_count\{[^}]*\} (\d+)$/gm)]
    .reduce((sum, m) => sum + Number(m[1]), 0);
}

test('the multi-instance example is the single-instance one but for the upstream and proxy_next_upstream', () => {
  // Directives only: comments, blank lines, the upstream's servers and
  // proxy_next_upstream* may differ.
  const directives = (file) => readFileSync(file, 'utf8').split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !/^server 127\.0\.0\.1:\d+/.test(l) && !l.startsWith('proxy_next_upstream'));
  assert.deepEqual(directives(MULTI_EXAMPLE), directives(EXAMPLE));
  assert.match(readFileSync(MULTI_EXAMPLE, 'utf8'), /upstream customer_gateway \{[^}]*server 127\.0\.0\.1:8081[^}]*server 127\.0\.0\.1:8082/);
});

test('requests through nginx reach both instances and see one set of customers', async () => {
  const gw = viaNginx();
  const before = [await served(a), await served(b)];
  const token = await epToken(gw);
  const ids = [];
  for (let i = 0; i < 10; i++) {
    const c = i % 2
      ? await mb(gw, 'customer.create', { email: `front${i}@pawnee.gov`, password: `pw-${i}`, firstName: 'F', lastName: `N${i}` })
      : await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: `Front ${i}`, email: `front${i}@pawnee.gov`, password: `pw-${i}` } });
    ids.push(i % 2 ? c.json.customer.id : c.json.data.id);
  }
  for (const [i, id] of ids.entries()) {
    // Each read may land on either instance: all see every write.
    assert.equal((await ep(gw, token, 'GET', `/v2/customers/${id}`)).json.data.email, `front${i}@pawnee.gov`);
    assert.deepEqual((await mb(gw, 'customer.checkCredentials', { email: `front${i}@pawnee.gov`, password: `pw-${i}` })).json, { ok: true });
  }
  const after = [await served(a), await served(b)];
  // Each instance answered a share of the ~31 requests (plus the /metrics reads).
  assert.ok(after[0] - before[0] > 5 && after[1] - before[1] > 5, `both instances served: ${before} -> ${after}`);
});

test('with one instance stopped, nginx sends every request to the other and none fails', async () => {
  const gw = viaNginx();
  const token = await epToken(gw);
  await a.stop();
  const results = [];
  for (let i = 0; i < 20; i++) {
    const created = i % 2
      ? await mb(gw, 'customer.create', { email: `survivor${i}@pawnee.gov`, password: 'pw', firstName: 'S', lastName: 'S' })
      : await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Survivor', email: `survivor${i}@pawnee.gov` } });
    results.push(i % 2 ? (created.json?.ok ? 200 : created.status) : created.status);
    results.push((await ep(gw, token, 'GET', '/v2/customers?page[limit]=1')).status);
  }
  assert.deepEqual(results, Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 201 : 200)));
  const total = (await ep(gw, token, 'GET', '/v2/customers?filter=like(email,survivor*)')).json.meta.results.total;
  assert.equal(total, 20, 'every create happened exactly once');
});
