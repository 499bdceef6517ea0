// CORS for both dialects from one --cors-origins flag, driven with the
// requests a browser sends: a preflight, then the actual call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startGateway, request, epToken, mbToken, BIN } from './harness.mjs';

const SHOP = 'https://shop.example.com';
const preflight = (gw, path, origin, headers = 'authorization,content-type,x-moltin-customer-token') =>
  request(gw, 'OPTIONS', path, {
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
  });

test('default: any origin, preflights for both dialects, allow-origin on answers', async () => {
  const gw = await startGateway();
  try {
    for (const path of ['/v2/customers', '/oauth/access_token', '/services/customer/v1/customer.create']) {
      const pre = await preflight(gw, path, SHOP);
      assert.equal(pre.status, 204, path);
      assert.equal(pre.headers.get('access-control-allow-origin'), '*');
      assert.match(pre.headers.get('access-control-allow-methods'), /POST/);
      assert.match(pre.headers.get('access-control-allow-methods'), /DELETE/);
      assert.equal(pre.headers.get('access-control-allow-headers'), 'authorization,content-type,x-moltin-customer-token');
    }
    const token = await epToken(gw, 'implicit');
    const list = await request(gw, 'GET', '/v2/customers', { headers: { origin: SHOP, authorization: `Bearer ${token}` } });
    assert.equal(list.headers.get('access-control-allow-origin'), '*');
    assert.match(list.headers.get('access-control-expose-headers'), /Retry-After/);
    const mbRes = await request(gw, 'POST', '/services/customer/v1/customer.info', {
      body: { id: 'x' }, headers: { origin: SHOP, authorization: `Bearer ${mbToken()}` },
    });
    assert.equal(mbRes.headers.get('access-control-allow-origin'), '*');
    // An OPTIONS that is not a preflight still reaches the dialect.
    assert.equal((await request(gw, 'OPTIONS', '/v2/customers/x')).status, 405);
  } finally { await gw.stop(); }
});

test('a listed origin is echoed; others get no allowance', async () => {
  const gw = await startGateway({ args: ['--cors-origins', `${SHOP}, https://admin.example.com`] });
  try {
    const pre = await preflight(gw, '/v2/customers', SHOP);
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), SHOP);
    assert.match(pre.headers.get('vary'), /Origin/);
    const denied = await preflight(gw, '/services/customer/v1/customer.create', 'https://evil.example.com');
    assert.equal(denied.status, 204);
    assert.equal(denied.headers.get('access-control-allow-origin'), null);
    const other = await request(gw, 'GET', '/v2/customers', { headers: { origin: 'https://evil.example.com' } });
    assert.equal(other.status, 401);
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const mine = await request(gw, 'GET', '/v2/customers', { headers: { origin: 'https://admin.example.com' } });
    assert.equal(mine.headers.get('access-control-allow-origin'), 'https://admin.example.com');
    // Odd requested headers are answered with the list clients really send.
    const odd = await preflight(gw, '/v2/customers', SHOP, 'x\u00e9');
    assert.match(odd.headers.get('access-control-allow-headers'), /X-Moltin-Customer-Token/);
  } finally { await gw.stop(); }
});

test('none: no CORS headers from either dialect', async () => {
  const gw = await startGateway({ args: ['--cors-origins', 'none'] });
  try {
    const mbPre = await preflight(gw, '/services/customer/v1/customer.create', SHOP);
    assert.equal(mbPre.headers.get('access-control-allow-origin'), null);
    const ep = await request(gw, 'GET', '/v2/customers', { headers: { origin: SHOP } });
    assert.equal(ep.headers.get('access-control-allow-origin'), null);
  } finally { await gw.stop(); }
});

test('a malformed --cors-origins is refused at start-up', () => {
  const r = spawnSync(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', ':memory:', '--cors-origins', 'shop.example.com'], { encoding: 'utf8', timeout: 10000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--cors-origins: 'shop.example.com' is not an origin/);
});
