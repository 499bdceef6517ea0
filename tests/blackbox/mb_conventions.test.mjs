// MicroBase calling conventions against the real binary: any HTTP verb,
// arguments from the query string, JSON and form bodies (query wins), the
// `{"ok": ...}` envelope on every answer, and the token rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startGateway, request, mb, mbToken, epToken, signJwt, b64url, JWT_SECRET, CLIENT_ID, CLIENT_SECRET,
} from './harness.mjs';
import { exchange, parseResponses } from './raw_http.mjs';

let gw;
let customer;
const base = '/services/customer/v1/';

before(async () => {
  gw = await startGateway();
  const res = await mb(gw, 'customer.create', {
    email: 'leslie@pawnee.gov', password: 'waffles', firstName: 'Leslie', lastName: 'Knope', tags: ['VIP'],
  });
  assert.equal(res.json.ok, true, res.text);
  customer = res.json.customer;
});
after(async () => { await gw.stop(); });

const auth = (token = mbToken()) => ({ authorization: `Bearer ${token}` });

function assertJsonEnvelope(res) {
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.equal(typeof res.json?.ok, 'boolean', `envelope expected, got: ${res.text}`);
}

test('GET with query arguments', async () => {
  const res = await request(gw, 'GET', `${base}customer.info?id=${customer.id}`, { headers: auth() });
  assert.equal(res.status, 200);
  assert.deepEqual(res.json, { ok: true, customer });
});

test('any HTTP verb reaches the method', async () => {
  for (const verb of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    const res = await request(gw, verb, `${base}customer.info?id=${customer.id}`, { headers: auth() });
    assert.equal(res.status, 200, verb);
    assert.equal(res.json.customer.id, customer.id, verb);
  }
});

test('method names match case-insensitively and with a trailing slash, as Express routes do', async () => {
  for (const name of ['Customer.Info', 'CUSTOMER.INFO', 'customer.info/']) {
    const res = await mb(gw, name, { id: customer.id });
    assert.equal(res.json.ok, true, name);
  }
  const creds = await mb(gw, 'customer.checkcredentials', { email: 'leslie@pawnee.gov', password: 'waffles' });
  assert.deepEqual(creds.json, { ok: true });
});

test('form-urlencoded bodies, with qs brackets for arrays and objects', async () => {
  const created = await request(gw, 'POST', `${base}customer.create`, {
    headers: auth(),
    form: 'email=ann%40pawnee.gov&password=pw&firstName=Ann&lastName=Perkins&tags[]=nurse&tags[]=friend',
  });
  assert.equal(created.json.ok, true, created.text);
  assert.deepEqual(created.json.customer.tags, ['nurse', 'friend']);
  const id = created.json.customer.id;

  const info = await request(gw, 'POST', `${base}customer.info`, { headers: auth(), form: { id } });
  assert.equal(info.json.customer.email, 'ann@pawnee.gov');

  // Nested objects: address[...] (no phone: a form value is a string, and phone must be a number).
  const addr = { name: 'Home', firstName: 'Ann', address_1: '1 Elm', postCode: '47001', city: 'Pawnee', state: 'IN', country: 'US' };
  const form = Object.entries(addr).map(([k, v]) => `addresses[0][${k}]=${encodeURIComponent(v)}`).join('&');
  const added = await request(gw, 'POST', `${base}customer.address.create`, {
    headers: auth(), form: `customerId=${id}&${form}`,
  });
  assert.equal(added.json.ok, true, added.text);
  const a = added.json.customer.addresses[0];
  assert.equal(a.city, 'Pawnee');
  const update = Object.entries({ ...addr, id: a.id, city: 'Eagleton' })
    .map(([k, v]) => `address[${k}]=${encodeURIComponent(v)}`).join('&');
  const updated = await request(gw, 'POST', `${base}customer.address.update`, {
    headers: auth(), form: `customerId=${id}&${update}`,
  });
  assert.equal(updated.json.ok, true, updated.text);
  assert.equal(updated.json.customer.addresses[0].city, 'Eagleton');

  // A form value is a string: where a number is required the schema says so.
  const phone = await request(gw, 'POST', `${base}customer.address.create`, {
    headers: auth(), form: `customerId=${id}&${form}&addresses[0][phone]=3175550100`,
  });
  assert.deepEqual(phone.json, { ok: false, error: 'validation_error', data: ['payload.addresses[0].phone: should be number'] });
});

test('query arguments win over body arguments', async () => {
  const other = await mb(gw, 'customer.info', { id: 'from-body' }, { query: { id: customer.id } });
  assert.equal(other.json.ok, true, other.text);
  assert.equal(other.json.customer.id, customer.id);
  const form = await request(gw, 'POST', `${base}customer.info?id=${customer.id}`, {
    headers: auth(), form: { id: 'from-form' },
  });
  assert.equal(form.json.customer.id, customer.id);
  // Replacement is whole-member, as Object.assign: the query's string replaces the body's array.
  const tags = await mb(gw, 'customer.update', { id: customer.id, tags: ['a'] }, { query: { tags: 'b' } });
  assert.deepEqual(tags.json.data, ['payload.tags: should be array']);
});

test('a JSON body is read as JSON whatever its content type says (curl -d)', async () => {
  const res = await request(gw, 'POST', `${base}customer.info`, {
    headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
    body: JSON.stringify({ id: customer.id }),
  });
  assert.equal(res.json.ok, true, res.text);
  const plain = await request(gw, 'POST', `${base}customer.info`, {
    headers: { ...auth(), 'content-type': 'text/plain' }, body: JSON.stringify({ id: customer.id }),
  });
  assert.equal(plain.json.ok, true, plain.text);
});

test('a body that is neither JSON nor a form is not read', async () => {
  const res = await request(gw, 'POST', `${base}customer.info?id=${customer.id}`, {
    headers: { ...auth(), 'content-type': 'text/plain' }, body: 'id=something-else',
  });
  assert.equal(res.json.customer.id, customer.id);
  const none = await request(gw, 'POST', `${base}customer.info`, {
    headers: { ...auth(), 'content-type': 'text/plain' }, body: 'hello',
  });
  assert.deepEqual(none.json, { ok: false, error: 'validation_error', data: ["payload: should have required property 'id'"] });
});

test('a repeated query key becomes an array, as qs makes it', async () => {
  const res = await request(gw, 'GET', `${base}customer.info?id=a&id=b`, { headers: auth() });
  assert.deepEqual(res.json, { ok: false, error: 'validation_error', data: ['payload.id: should be string'] });
});

test('malformed JSON is a 400 envelope error, never HTML, even before the token is checked', async () => {
  for (const headers of [auth(), {}]) {
    const res = await request(gw, 'POST', `${base}customer.info`, { headers, body: '{"id":' });
    assert.equal(res.status, 400);
    assertJsonEnvelope(res);
    assert.equal(res.json.ok, false);
    assert.equal(res.json.error, 'invalid_json');
    assert.equal(typeof res.json.data, 'string');
  }
  // body-parser's strict mode: a JSON body must be an object or an array.
  const scalar = await request(gw, 'POST', `${base}customer.info`, { headers: auth(), body: '"abc"' });
  assert.equal(scalar.status, 400);
  assert.equal(scalar.json.error, 'invalid_json');
});

test('a JSON array body is validation_error "payload: should be object"', async () => {
  const res = await request(gw, 'POST', `${base}customer.create`, { headers: auth(), body: '[]' });
  assert.equal(res.status, 200);
  assert.deepEqual(res.json, { ok: false, error: 'validation_error', data: ['payload: should be object'] });
});

test('unknown methods answer HTTP 404 with an envelope, with or without a token', async () => {
  for (const headers of [auth(), {}]) {
    for (const verb of ['GET', 'POST']) {
      const res = await request(gw, verb, `${base}customer.foo`, { headers, body: verb === 'POST' ? {} : undefined });
      assert.equal(res.status, 404);
      assertJsonEnvelope(res);
      assert.equal(res.json.ok, false);
      assert.equal(res.json.error, 'method_not_found');
      assert.match(res.json.data, /customer\.foo/);
    }
  }
  const empty = await request(gw, 'GET', base, { headers: auth() });
  assert.equal(empty.status, 404);
  assert.equal(empty.json.error, 'method_not_found');
});

test('micro.ping answers {"answer":"pong"} to any verb, without a token, as MicroBase\'s health method', async () => {
  for (const verb of ['GET', 'POST', 'PUT', 'DELETE']) {
    for (const headers of [{}, auth(), { authorization: 'Bearer not-a-token' }]) {
      const res = await request(gw, verb, `${base}micro.ping`, { headers });
      assert.equal(res.status, 200, `${verb} ${res.text}`);
      assert.match(res.headers.get('content-type'), /^application\/json/);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.deepEqual(res.json, { answer: 'pong' });
    }
  }
  // The body is still read first, as MicroBase's body parser runs before routing.
  const bad = await request(gw, 'POST', `${base}micro.ping`, { body: '{"x":', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.ok, false);
  // Other micro.* methods are not served.
  const hystrix = await request(gw, 'GET', `${base}micro.hystrix`, { headers: auth() });
  assert.equal(hystrix.status, 404);
  assert.equal(hystrix.json.error, 'method_not_found');
});

test('curl -X POST \'url?id=...\' (no body, no Content-Length) reads the query string', async () => {
  // What `curl -X POST -H 'Authorization: ...' 'http://host/...?id=...'` sends (curl 7.88:
  // no Content-Length, no body), plus Connection: close so the answer ends the exchange.
  const out = await exchange(gw, `POST ${base}customer.info?id=${customer.id} HTTP/1.1\r\n` +
    `Host: gw\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\nAuthorization: Bearer ${mbToken()}\r\n` +
    'Connection: close\r\n\r\n');
  const [r] = parseResponses(out.text);
  assert.equal(r.status, 200, out.text);
  assert.deepEqual(r.json, { ok: true, customer });
});

test('CORS: every answer allows any origin; OPTIONS is a 204 preflight', async () => {
  const res = await mb(gw, 'customer.info', { id: customer.id });
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  const pre = await request(gw, 'OPTIONS', `${base}customer.info`, {
    headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
  assert.match(pre.headers.get('access-control-allow-methods'), /POST/);
  assert.equal(pre.headers.get('access-control-allow-headers'), 'authorization,content-type');
});

// --- tokens ---------------------------------------------------------------

function unsigned(payload) {
  return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}.`;
}

test('each token failure is HTTP 401 {"ok":false,"error":"invalid_token"}', async () => {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: 'https://microbase.io', sub: 'user', scope: 'api', jti: 'x', iat: now, exp: now + 3600 };
  const valid = mbToken();
  const cases = {
    'no Authorization header': {},
    'an empty Authorization header': { authorization: '' },
    'Basic instead of Bearer': { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
    'Bearer without a token': { authorization: 'Bearer ' },
    'a token that is not a JWT': auth('garbage'),
    'a JWT with two parts': auth(valid.split('.').slice(0, 2).join('.')),
    'a JWT whose header is not JSON': auth(`${b64url('nope')}.${valid.split('.')[1]}.${valid.split('.')[2]}`),
    expired: auth(mbToken(JWT_SECRET, { exp: now - 1 })),
    'not valid yet (nbf)': auth(mbToken(JWT_SECRET, { nbf: now + 3600 })),
    'wrong signature (other secret)': auth(mbToken('another-secret')),
    'tampered payload': auth(`${valid.split('.')[0]}.${b64url(JSON.stringify({ ...claims, sub: 'admin' }))}.${valid.split('.')[2]}`),
    'alg none, unsigned': auth(unsigned(claims)),
    'alg none with a signature': auth(unsigned(claims) + valid.split('.')[2]),
    // MicroBase (jsonwebtoken 6) would accept these; the gateway pins HS256 (bridge.md).
    HS384: auth(signJwt(claims, JWT_SECRET, { alg: 'HS384', typ: 'JWT' })),
    HS512: auth(signJwt(claims, JWT_SECRET, { alg: 'HS512', typ: 'JWT' })),
    'an Elastic Path implicit (shopper) token': auth(await epToken(gw, 'implicit')),
  };
  for (const [name, headers] of Object.entries(cases)) {
    const res = await request(gw, 'POST', `${base}customer.info`, { headers, body: { id: customer.id } });
    assert.equal(res.status, 401, name);
    assertJsonEnvelope(res);
    assert.deepEqual(res.json, { ok: false, error: 'invalid_token' }, name);
  }
});

test('a token minted as MicroBase\'s OAuth service mints it is accepted', async () => {
  const res = await mb(gw, 'customer.info', { id: customer.id }, { token: mbToken() });
  assert.equal(res.json.ok, true);
  // MicroBase's tokens carry exactly these claims; one without exp never expires there.
  const now = Math.floor(Date.now() / 1000);
  const noExp = signJwt({ iss: 'https://microbase.io', sub: 'user', scope: 'api', jti: 'ffb5a941-40ac-40c7-b03b-b3f7b17e8de0', iat: now }, JWT_SECRET);
  assert.equal((await mb(gw, 'customer.info', { id: customer.id }, { token: noExp })).json.ok, true);
  // The scheme is case-insensitive, as express-jwt's /^Bearer$/i.
  const lower = await request(gw, 'POST', `${base}customer.info`, {
    headers: { authorization: `bearer ${mbToken()}` }, body: { id: customer.id },
  });
  assert.equal(lower.json.ok, true);
});

test('a gateway given a MicroBase deployment\'s token:secretKey accepts that deployment\'s tokens', async () => {
  const mbgw = await startGateway({ args: ['--jwt-secret', 'micro-base'] });
  try {
    const token = mbToken('micro-base');
    const res = await mb(mbgw, 'customer.list', {}, { token });
    assert.deepEqual(res.json, { ok: true, page: { limit: 10, skip: 0 }, data: [] });
    const other = await mb(mbgw, 'customer.list', {}, { token: mbToken(JWT_SECRET) });
    assert.equal(other.status, 401);
  } finally {
    await mbgw.stop();
  }
});

test('the token endpoint: HTTP Basic client credentials, as MicroBase\'s OAuth service', async () => {
  const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
  const res = await request(gw, 'POST', '/services/oauth/v2/token', {
    headers: { authorization: `Basic ${basic}` }, form: { grant_type: 'client_credentials', scope: 'api' },
  });
  assert.equal(res.status, 200);
  assert.equal(res.json.ok, true);
  const info = await mb(gw, 'customer.info', { id: customer.id }, { token: res.json.access_token });
  assert.equal(info.json.ok, true);
  // An Elastic Path client-credentials token is a back-office token too.
  const ep = await mb(gw, 'customer.info', { id: customer.id }, { token: await epToken(gw) });
  assert.equal(ep.json.ok, true);
});

test('a body over the size limit is HTTP 413 in the envelope', async () => {
  const res = await request(gw, 'POST', `${base}customer.create`, {
    headers: auth(), body: JSON.stringify({ email: 'big@example.com', padding: 'x'.repeat(1100000) }),
  });
  assert.equal(res.status, 413);
  assertJsonEnvelope(res);
  assert.equal(res.json.ok, false);
  assert.equal(res.json.error, 'payload_too_large');
  const listed = await mb(gw, 'customer.list', { email: 'big@example.com' });
  assert.deepEqual(listed.json.data, []);
});
