// The request guard through the real binary: framing an honest client never
// sends is refused in the owning dialect's format, the connection is closed
// where framing is in doubt, and nothing is stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, epToken, mbToken, mb } from './harness.mjs';
import { exchange, parseResponses, connect, collect } from './raw_http.mjs';

let gw;
let epAuth;
let mbAuth;
const stored = [];
before(async () => {
  gw = await startGateway({ args: ['--max-body', '4096'] });
  epAuth = `Bearer ${await epToken(gw)}`;
  mbAuth = `Bearer ${mbToken()}`;
});
after(async () => {
  // Every body below would have created a customer; none may exist.
  for (const email of stored) {
    const listed = await mb(gw, 'customer.list', { email });
    assert.deepEqual(listed.json.data, [], `${email} was stored`);
  }
  await gw.stop();
});

let n = 0;
// One create request per dialect, with a fresh email; `extra` header lines
// (each ending in \r\n) and `framing` replace the normal Content-Length.
const dialects = {
  ep: {
    path: '/v2/customers',
    auth: () => epAuth,
    body(email) { return JSON.stringify({ data: { type: 'customer', name: 'Framing Test', email } }); },
    check(r, status) {
      assert.equal(r.status, status);
      assert.equal(r.json.errors[0].status, status, r.body);
    },
  },
  mb: {
    path: '/services/customer/v1/customer.create',
    auth: () => mbAuth,
    body(email) { return JSON.stringify({ email, password: 'framing-pass', firstName: 'Framing', lastName: 'Test' }); },
    check(r, status) {
      assert.equal(r.status, status);
      assert.equal(r.json.ok, false, r.body);
      assert.equal(typeof r.json.error, 'string');
    },
  },
};

function create(d, { framing, extra = '', method = 'POST', host = 'Host: gw\r\n' } = {}) {
  const email = `framing${++n}@example.com`;
  stored.push(email);
  const body = d.body(email);
  const head = `${method} ${d.path} HTTP/1.1\r\n${host}Authorization: ${d.auth()}\r\n` +
    `Content-Type: application/json\r\n${extra}`;
  return { head, body, email, framing: framing ?? `Content-Length: ${body.length}\r\n` };
}

async function refused(d, req, status, { chunks } = {}) {
  const payload = chunks ?? req.body;
  const out = await exchange(gw, `${req.head}${req.framing}\r\n${payload}`);
  const responses = parseResponses(out.text);
  assert.equal(responses.length, 1, `one answer, got: ${out.text}`);
  d.check(responses[0], status);
  assert.equal(responses[0].headers.connection, 'close');
  assert.ok(out.closed, 'the connection is closed');
  return responses[0];
}

for (const [name, d] of Object.entries(dialects)) {
  test(`${name}: both Content-Length and Transfer-Encoding → 400, closed`, async () => {
    const req = create(d);
    await refused(d, { ...req, framing: `Content-Length: ${req.body.length}\r\nTransfer-Encoding: chunked\r\n` }, 400);
  });

  test(`${name}: malformed or repeated Content-Length → 400`, async () => {
    for (const framing of ['Content-Length: 78abc\r\n', 'Content-Length: +78\r\n',
      'Content-Length: 78, 78\r\n', 'Content-Length: 78\r\nContent-Length: 78\r\n', 'Content-Length: %37%38\r\n']) {
      await refused(d, { ...create(d), framing }, 400);
    }
  });

  test(`${name}: a percent-encoded or unknown Transfer-Encoding is not chunked`, async () => {
    await refused(d, { ...create(d), framing: 'Transfer-Encoding: %63hunked\r\n' }, 400);
    await refused(d, { ...create(d), framing: 'Transfer-Encoding: gzip, chunked\r\n' }, 501);
  });

  test(`${name}: an encoded request body → 415 before it is read`, async () => {
    await refused(d, create(d, { extra: 'Content-Encoding: gzip\r\n' }), 415);
    await refused(d, create(d, { extra: 'Content-Encoding: br\r\n' }), 415);
  });

  test(`${name}: a GET or DELETE with a body → 400, the body is never run as a request`, async () => {
    for (const method of ['GET', 'DELETE']) {
      const smuggled = `POST ${d.path} HTTP/1.1\r\nHost: gw\r\nContent-Length: 2\r\n\r\n{}`;
      const out = await exchange(gw, `${method} ${d.path} HTTP/1.1\r\nHost: gw\r\n` +
        `Content-Length: ${smuggled.length}\r\n\r\n${smuggled}`);
      const responses = parseResponses(out.text);
      assert.equal(responses.length, 1, out.text);
      d.check(responses[0], 400);
      assert.ok(out.closed);
    }
  });

  test(`${name}: missing or repeated Host on HTTP/1.1 → 400`, async () => {
    await refused(d, create(d, { host: '' }), 400);
    await refused(d, create(d, { host: 'Host: a\r\nHost: b\r\n' }), 400);
  });

  test(`${name}: a chunked body over --max-body → 413 as soon as a chunk passes it`, async () => {
    const req = create(d);
    const sock = await connect(gw);
    const answer = collect(sock, 5000);
    sock.write(`${req.head}Transfer-Encoding: chunked\r\n\r\n`);
    // 3 KiB, then a chunk that would pass 4 KiB: refused before its data is sent.
    sock.write(`c00\r\n${' '.repeat(3072)}\r\n`);
    sock.write('800\r\n');
    const out = await answer;
    sock.destroy();
    const responses = parseResponses(out.text);
    assert.equal(responses.length, 1, out.text);
    d.check(responses[0], 413);
    assert.ok(out.closed);
  });

  test(`${name}: a chunked body within the limit is served`, async () => {
    const req = create(d);
    stored.pop();
    const half = Math.floor(req.body.length / 2);
    const chunks = `${half.toString(16)}\r\n${req.body.slice(0, half)}\r\n` +
      `${(req.body.length - half).toString(16)};ext=1\r\n${req.body.slice(half)}\r\n0\r\n\r\n`;
    const out = await exchange(gw, `${req.head}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunks}`);
    const [r] = parseResponses(out.text);
    assert.ok(r.status === 201 || (r.status === 200 && r.json.ok === true), out.text);
    const listed = await mb(gw, 'customer.list', { email: req.email });
    assert.equal(listed.json.data.length, 1);
  });

  test(`${name}: a declared body over --max-body → 413 without reading it`, async () => {
    const req = create(d);
    const out = await exchange(gw, `${req.head}Content-Length: 5000\r\n\r\n`);
    const [r] = parseResponses(out.text);
    d.check(r, 413);
    assert.ok(out.closed);
  });

  test(`${name}: an over-long request line → 414, too many or too large headers → 431`, async () => {
    const long = await exchange(gw, `GET ${d.path}?q=${'a'.repeat(9000)} HTTP/1.1\r\nHost: gw\r\n\r\n`);
    const tooLong = parseResponses(long.text)[0];
    d.check(tooLong, 414);
    // Host-level refusals carry the dialect's CORS header too, so a browser sees the error.
    assert.equal(tooLong.headers['access-control-allow-origin'], '*');
    const many = Array.from({ length: 101 }, (_, i) => `X-H${i}: ${i}\r\n`).join('');
    const manyOut = await exchange(gw, `GET ${d.path} HTTP/1.1\r\nHost: gw\r\n${many}\r\n`);
    d.check(parseResponses(manyOut.text)[0], 431);
    const big = await exchange(gw, `GET ${d.path} HTTP/1.1\r\nHost: gw\r\nX-Big: ${'b'.repeat(17000)}\r\n\r\n`);
    d.check(parseResponses(big.text)[0], 431);
    assert.ok(big.closed);
  });
}

test('a body-less POST without Content-Length is an empty body, answered at once', async () => {
  const sock = await connect(gw);
  const started = Date.now();
  const firstData = new Promise((resolve) => sock.once('data', () => resolve(Date.now() - started)));
  const answer = collect(sock, 1500);
  sock.write('POST /services/customer/v1/customer.info?id=nobody HTTP/1.1\r\n' +
    `Host: gw\r\nAuthorization: ${mbAuth}\r\n\r\n`);
  const elapsed = await firstData;
  const out = await answer;
  sock.destroy();
  const [r] = parseResponses(out.text);
  assert.equal(r.status, 200);
  assert.equal(r.json.error, 'customer_not_found');
  assert.ok(elapsed < 1000, `answered without waiting for a body (${elapsed} ms)`);
  assert.equal(out.closed, false, 'the connection stays open for the next request');
});

test('Range is never applied to an API response', async () => {
  const out = await exchange(gw, `GET /v2/customers HTTP/1.1\r\nHost: gw\r\nAuthorization: ${epAuth}\r\n` +
    'Range: bytes=0-5\r\nConnection: close\r\n\r\n');
  const [r] = parseResponses(out.text);
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-range'], undefined);
  assert.ok(Array.isArray(r.json.data), r.body);
});

test('pipelined requests are all answered, in order', async () => {
  const get = (path, close = '') => `GET ${path} HTTP/1.1\r\nHost: gw\r\nAuthorization: ${epAuth}\r\n${close}\r\n`;
  const ping = `POST /services/customer/v1/customer.info?id=x HTTP/1.1\r\nHost: gw\r\nAuthorization: ${mbAuth}\r\n\r\n`;
  const out = await exchange(gw, get('/v2/customers') + ping + get('/v2/customers/nope') + get('/nowhere', 'Connection: close\r\n'));
  const responses = parseResponses(out.text);
  assert.deepEqual(responses.map((r) => r.status), [200, 200, 404, 404]);
  assert.equal(responses[1].json.error, 'customer_not_found');
  assert.ok(out.closed);
});
