// Starvation guards through the real binary: slow and silent clients, the
// connection bound, the password-hash queue and the credential rate limits,
// each answered in the owning dialect's format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway, request, epToken, mbToken, mb, CLIENT_ID, CLIENT_SECRET } from './harness.mjs';
import { connect, collect, exchange, parseResponses } from './raw_http.mjs';

const MB_PATH = '/services/customer/v1/customer.info';
const isEp = (r, status) => r.status === status && r.json?.errors?.[0]?.status === status;
const isMb = (r, status) => r.status === status && r.json?.ok === false;

test('a request head trickled past --request-timeout → 408, closed, in each dialect', async () => {
  const gw = await startGateway({ args: ['--request-timeout', '1'] });
  try {
    for (const [path, check] of [['/v2/customers', isEp], [MB_PATH, isMb]]) {
      const sock = await connect(gw);
      const answer = collect(sock, 5000);
      const head = `GET ${path} HTTP/1.1\r\nHost: gw\r\nX-Slow: `;
      sock.write(head);
      const trickle = setInterval(() => { if (!sock.destroyed) sock.write('a'); }, 200);
      const out = await answer;
      clearInterval(trickle);
      sock.destroy();
      const [r] = parseResponses(out.text);
      assert.ok(check(r, 408), out.text);
      assert.ok(out.closed);
    }
  } finally { await gw.stop(); }
});

test('silent connections do not keep a fresh client waiting', async () => {
  const gw = await startGateway({ args: ['--threads', '2'] });
  const silent = [];
  try {
    for (let i = 0; i < 50; i++) silent.push(await connect(gw));
    const res = await request(gw, 'GET', '/v2/customers');
    assert.equal(res.status, 401);
  } finally {
    silent.forEach((s) => s.destroy());
    await gw.stop();
  }
});

test('connections beyond --max-connections → 503 + Retry-After at once, in each dialect', async () => {
  const gw = await startGateway({ args: ['--max-connections', '3', '--threads', '1', '--keep-alive-timeout', '30'] });
  const held = [];
  try {
    for (let i = 0; i < 3; i++) held.push(await connect(gw));
    await sleep(200);
    for (const [path, check] of [['/v2/customers', isEp], [MB_PATH, isMb]]) {
      const out = await exchange(gw, `GET ${path} HTTP/1.1\r\nHost: gw\r\n\r\n`, 3000);
      const [r] = parseResponses(out.text);
      assert.ok(check(r, 503), out.text);
      assert.equal(r.headers['retry-after'], '1');
      assert.ok(out.closed);
    }
    held.forEach((s) => s.destroy());
    await sleep(200);
    assert.equal((await request(gw, 'GET', '/v2/customers')).status, 401, 'served again once they close');
  } finally {
    held.forEach((s) => s.destroy());
    await gw.stop();
  }
});

test('an idle keep-alive connection is closed after --keep-alive-timeout', async () => {
  const gw = await startGateway({ args: ['--keep-alive-timeout', '1'] });
  try {
    const sock = await connect(gw);
    const started = Date.now();
    const out = await collect(sock, 4000);
    assert.ok(out.closed);
    assert.ok(Date.now() - started < 3000);
  } finally { await gw.stop(); }
});

test('a full hash queue answers 503 + Retry-After at once, stores nothing, and GETs stay fast', async () => {
  const gw = await startGateway({ args: ['--hash-queue', '1', '--scrypt-log-n', '15'] });
  try {
    const creates = Array.from({ length: 12 }, (_, i) => mb(gw, 'customer.create', {
      email: `queue${i}@example.com`, password: 'a long enough password', firstName: 'Q', lastName: 'Q',
    }));
    const started = Date.now();
    const get = await request(gw, 'GET', '/v2/customers');
    const getMs = Date.now() - started;
    const results = await Promise.all(creates);
    assert.equal(get.status, 401);
    assert.ok(getMs < 1000, `unrelated GET took ${getMs} ms`);
    const busy = results.filter((r) => r.status === 503);
    assert.ok(busy.length > 0, 'some creates were refused');
    for (const r of busy) {
      assert.ok(isMb(r, 503), r.text);
      assert.equal(r.json.error, 'service_unavailable');
      assert.equal(r.headers.get('retry-after'), '1');
    }
    for (const [i, r] of results.entries()) {
      const listed = await mb(gw, 'customer.list', { email: `queue${i}@example.com` });
      assert.equal(listed.json.data.length, r.status === 503 ? 0 : 1);
    }
    // Elastic Path logins meet the same queue.
    const token = await epToken(gw);
    const logins = await Promise.all(Array.from({ length: 12 }, () => request(gw, 'POST', '/v2/customers/tokens', {
      body: { data: { type: 'token', authentication_mechanism: 'password', email: 'queue0@example.com', password: 'x' } },
      headers: { authorization: `Bearer ${token}` },
    })));
    const refused = logins.filter((r) => r.status === 503);
    assert.ok(refused.length > 0);
    for (const r of refused) {
      assert.ok(isEp(r, 503), r.text);
      assert.equal(r.headers.get('retry-after'), '1');
    }
  } finally { await gw.stop(); }
});

test('credential attempts per client address → 429 + Retry-After in each dialect', async () => {
  const gw = await startGateway({ args: ['--login-rate-per-address', '4'] });
  try {
    const form = { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET };
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await request(gw, 'POST', '/oauth/access_token', { form })).status);
    assert.deepEqual(statuses, [200, 200, 200, 200]);
    const ep = await request(gw, 'POST', '/oauth/access_token', { form });
    assert.ok(isEp(ep, 429), ep.text);
    assert.ok(Number(ep.headers.get('retry-after')) >= 1);
    const mbRes = await request(gw, 'POST', '/services/oauth/v2/token', { form });
    assert.ok(isMb(mbRes, 429), mbRes.text);
    assert.ok(Number(mbRes.headers.get('retry-after')) >= 1);
    const check = await mb(gw, 'customer.checkCredentials', { email: 'a@example.com', password: 'x' });
    assert.ok(isMb(check, 429), check.text);
    // Requests that present no credentials are not limited.
    assert.equal((await mb(gw, 'customer.info', { id: 'x' })).status, 200);
  } finally { await gw.stop(); }
});

test('refused credentials per account → 429, other accounts unaffected', async () => {
  const gw = await startGateway({ args: ['--login-rate-per-account', '3'] });
  try {
    for (const email of ['victim@example.com', 'other@example.com']) {
      const created = await mb(gw, 'customer.create', { email, password: 'the right password', firstName: 'V', lastName: 'V' });
      assert.equal(created.json.ok, true, created.text);
    }
    for (let i = 0; i < 3; i++) {
      const wrong = await mb(gw, 'customer.checkCredentials', { email: 'Victim@example.com', password: 'wrong' });
      assert.equal(wrong.json.error, 'bad_credentials');
    }
    const limited = await mb(gw, 'customer.checkCredentials', { email: 'victim@example.com', password: 'the right password' });
    assert.ok(isMb(limited, 429), limited.text);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    const token = await epToken(gw);
    const epLimited = await request(gw, 'POST', '/v2/customers/tokens', {
      body: { data: { type: 'token', authentication_mechanism: 'password', email: 'victim@example.com', password: 'the right password' } },
      headers: { authorization: `Bearer ${token}` },
    });
    assert.ok(isEp(epLimited, 429), epLimited.text);
    const other = await mb(gw, 'customer.checkCredentials', { email: 'other@example.com', password: 'the right password' });
    assert.equal(other.json.ok, true, other.text);
    // Successful token requests never count against the client id.
    for (let i = 0; i < 5; i++) await epToken(gw);
  } finally { await gw.stop(); }
});
