// The production edge: the gateway behind nginx with the shipped
// examples/nginx config over TLS (a generated certificate). Both dialects,
// pipelining, slow clients, nginx's own refusals in each dialect's format,
// and the X-Forwarded-For the gateway trusts from nginx only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { startGateway, mbToken, CLIENT_ID, CLIENT_SECRET } from './harness.mjs';
import { startNginx, NGINX } from './nginx_front.mjs';
import { parseResponses } from './raw_http.mjs';

let gw;
let front;
let ca;
const skip = NGINX ? false : 'nginx is not installed (scripts/install-deps.sh installs nginx-light)';

before(async () => {
  if (skip) return;
  gw = await startGateway({ direct: true, args: ['--trusted-proxies', '127.0.0.1', '--login-rate-per-address', '3'] });
  front = await startNginx({ upstreamPort: Number(new URL(gw.url).port), tls: true });
  ca = readFileSync(front.cert.cert);
});
after(async () => { if (front) await front.stop(); if (gw) await gw.stop(); });

// An https request through nginx; `from` picks the client's loopback address.
function call(method, path, { body, headers = {}, from = '127.0.0.1', form } = {}) {
  let payload = body === undefined ? undefined : JSON.stringify(body);
  const h = { ...headers };
  if (form) { payload = new URLSearchParams(form).toString(); h['content-type'] = 'application/x-www-form-urlencoded'; }
  else if (payload !== undefined) h['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: front.port, method, path, ca, localAddress: from, headers: h, agent: false }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const tokenForm = { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET };

test('both dialects work over TLS through nginx', { skip }, async () => {
  const tok = await call('POST', '/oauth/access_token', { form: tokenForm, from: '127.0.0.10' });
  assert.equal(tok.status, 200, tok.text);
  const auth = { authorization: `Bearer ${tok.json.access_token}` };
  const created = await call('POST', '/v2/customers', { headers: auth, body: { data: { type: 'customer', name: 'Edge Case', email: 'edge@example.com' } } });
  assert.equal(created.status, 201, created.text);
  const info = await call('POST', '/services/customer/v1/customer.info', { headers: { authorization: `Bearer ${mbToken()}` }, body: { id: created.json.data.id } });
  assert.equal(info.json.customer.email, 'edge@example.com');
  // Links follow the scheme nginx saw.
  const listed = await call('GET', '/v2/customers?page[limit]=1', { headers: auth });
  assert.match(listed.json.links.first, /^https:\/\/127\.0\.0\.1:\d+\/v2\/customers\?/);
});

test('pipelined requests through nginx are all answered, in order', { skip }, async () => {
  const sock = tls.connect({ host: '127.0.0.1', port: front.port, ca, servername: 'localhost' });
  await new Promise((resolve, reject) => { sock.once('secureConnect', resolve); sock.once('error', reject); });
  let text = '';
  sock.on('data', (d) => { text += d.toString('latin1'); });
  const closed = new Promise((resolve) => sock.on('close', resolve));
  const auth = `Authorization: Bearer ${mbToken()}\r\n`;
  const info = (id, last = '') => `POST /services/customer/v1/customer.info?id=${id} HTTP/1.1\r\nHost: gw\r\n${auth}Content-Length: 0\r\n${last}\r\n`;
  sock.write(info('a') + info('b') + 'GET /v2/customers HTTP/1.1\r\nHost: gw\r\n\r\n' + info('c', 'Connection: close\r\n'));
  await closed;
  const responses = parseResponses(text);
  assert.deepEqual(responses.map((r) => r.status), [200, 200, 401, 200]);
  assert.deepEqual(responses.filter((r) => r.json?.ok === false).map((r) => r.json.data.id), ['a', 'b', 'c']);
});

test('slow clients wait in nginx: a fresh request is answered beside 300 of them', { skip }, async () => {
  const slow = [];
  for (let i = 0; i < 300; i++) {
    const s = tls.connect({ host: '127.0.0.1', port: front.port, ca, servername: 'localhost' });
    s.on('error', () => {});
    s.on('secureConnect', () => s.write('GET /v2/customers HTTP/1.1\r\nHost: gw\r\nX-Slow: '));
    slow.push(s);
  }
  await new Promise((r) => setTimeout(r, 500));
  const started = Date.now();
  const res = await call('GET', '/v2/customers', { from: '127.0.0.11' });
  assert.equal(res.status, 401);
  assert.ok(Date.now() - started < 2000);
  slow.forEach((s) => s.destroy());
});

test('the gateway limits credential attempts per client address from X-Forwarded-For', { skip }, async () => {
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await call('POST', '/oauth/access_token', { form: tokenForm, from: '127.0.0.2' })).status);
  assert.deepEqual(statuses, [200, 200, 200, 429]);
  const limited = await call('POST', '/oauth/access_token', { form: tokenForm, from: '127.0.0.2' });
  assert.equal(limited.json.errors[0].status, 429);
  assert.ok(Number(limited.headers['retry-after']) >= 1);
  // Another client behind the same nginx is not affected, whatever it claims.
  const other = await call('POST', '/oauth/access_token', { form: tokenForm, from: '127.0.0.3', headers: { 'x-forwarded-for': '127.0.0.2' } });
  assert.equal(other.status, 200, other.text);
});

test("nginx's own refusals answer in each dialect's format", { skip }, async () => {
  const big = { data: { type: 'customer', name: 'x'.repeat(1100000), email: 'big@example.com' } };
  const ep = await call('POST', '/v2/customers', { body: big, headers: { authorization: 'Bearer x' }, from: '127.0.0.12' });
  assert.equal(ep.status, 413);
  assert.equal(ep.json.errors[0].status, 413);
  const mb = await call('POST', '/services/customer/v1/customer.create', { body: big, from: '127.0.0.12' });
  assert.equal(mb.status, 413);
  assert.equal(mb.json.error, 'payload_too_large');
  // limit_req (10/s per address, bursts of 20) refuses some with Retry-After: 1;
  // the gateway's own limit (3 a minute here) refuses others with a longer wait.
  const many = await Promise.all(Array.from({ length: 40 }, () => call('POST', '/services/oauth/v2/token', { form: { grant_type: 'x' }, from: '127.0.0.13' })));
  const refused = many.filter((r) => r.status === 429);
  assert.ok(refused.length >= 37, `${refused.length} attempts were limited`);
  for (const r of refused) {
    assert.equal(r.json.ok, false, r.text);
    assert.ok(Number(r.headers['retry-after']) >= 1);
  }
  assert.ok(refused.some((r) => r.headers['retry-after'] === '1'), 'nginx refused some itself');
  const long = await call('GET', `/v2/customers?x=${'a'.repeat(40000)}`, { from: '127.0.0.12' });
  assert.equal(long.status, 414);
  assert.equal(long.json.errors[0].status, 414);
});
