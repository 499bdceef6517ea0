// Elastic Path customers through the real binary: create, read, partial
// update, delete, validation (a rejected request writes nothing), routing
// errors (404/405), the body limit (413), and what MicroBase sees afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, request, epToken, ep, mb } from './harness.mjs';
import {
  UUID_RE, ISO_RE, assertJson, assertError, uniqueEmail, createCustomer, customerToken, sleep,
} from './ep_fixtures.mjs';

// Set when the suite runs through nginx (GATEWAY_FRONT=nginx, see harness.mjs).
const VIA_NGINX = process.env.GATEWAY_FRONT === 'nginx';
let gw;
let token;
before(async () => { gw = await startGateway(); token = await epToken(gw); });
after(async () => { await gw.stop(); });

test('create answers 201 with the documented customer object', async () => {
  const email = uniqueEmail('ron');
  const res = await ep(gw, token, 'POST', '/v2/customers', {
    data: { type: 'customer', name: 'Ron Swanson', email, password: 'mysecretpassword', external_ref: 'crm-1' },
  });
  assertJson(res, 201);
  const c = res.json.data;
  assert.deepEqual(Object.keys(c).sort(), ['email', 'external_ref', 'id', 'meta', 'name', 'password', 'type']);
  assert.equal(c.type, 'customer');
  assert.match(c.id, UUID_RE);
  assert.equal(c.name, 'Ron Swanson');
  assert.equal(c.email, email);
  assert.equal(c.external_ref, 'crm-1');
  assert.equal(c.password, true);
  assert.match(c.meta.timestamps.created_at, ISO_RE);
  const noPassword = await createCustomer(gw, token);
  assert.equal(noPassword.password, false);
  assert.equal(noPassword.external_ref, null);
});

test('create ignores unknown and read-only members', async () => {
  const email = uniqueEmail();
  const res = await ep(gw, token, 'POST', '/v2/customers', {
    data: {
      type: 'customer', name: 'Extra Fields', email, id: 'chosen-by-client', favourite: { colour: 'blue' },
      meta: { timestamps: { created_at: '2000-01-01T00:00:00Z' } },
    },
    included: [],
  });
  assertJson(res, 201);
  assert.match(res.json.data.id, UUID_RE);
  assert.notEqual(res.json.data.meta.timestamps.created_at, '2000-01-01T00:00:00Z');
  assert.equal(res.json.data.favourite, undefined);
});

// A create body for `email` with `over` merged into data (undefined drops a member).
const customerBody = (email, over = {}) => ({ data: { type: 'customer', name: 'Valid Name', email, ...over } });

// Each case must be refused, and the email it carried must stay free.
const badCreates = [
  ['malformed JSON', () => '{"data": {"type": "customer",', undefined],
  ['body is an array', () => '[]', 'data'],
  ['data missing', (email) => ({ type: 'customer', name: 'A B', email }), 'data'],
  ['data is a string', () => ({ data: 'customer' }), 'data'],
  ['type missing', (email) => customerBody(email, { type: undefined }), 'data.type'],
  ['type wrong', (email) => customerBody(email, { type: 'customers' }), 'data.type'],
  ['type not a string', (email) => customerBody(email, { type: 1 }), 'data.type'],
  ['name missing', (email) => customerBody(email, { name: undefined }), 'data.name'],
  ['email missing', () => customerBody(undefined), 'data.email'],
  ['name empty', (email) => customerBody(email, { name: '' }), 'data.name'],
  ['name blank', (email) => customerBody(email, { name: '   ' }), 'data.name'],
  ['name a number', (email) => customerBody(email, { name: 5 }), 'data.name'],
  ['name null', (email) => customerBody(email, { name: null }), 'data.name'],
  ['name an array', (email) => customerBody(email, { name: ['A', 'B'] }), 'data.name'],
  ['name too long', (email) => customerBody(email, { name: 'n'.repeat(256) }), 'data.name'],
  ['email empty', () => customerBody(''), 'data.email'],
  ['email a boolean', () => customerBody(true), 'data.email'],
  ['email invalid', () => customerBody('not-an-email'), 'data.email'],
  ['email with a space', (email) => customerBody(`a ${email}`), 'data.email'],
  ['password empty', (email) => customerBody(email, { password: '' }), 'data.password'],
  ['password a number', (email) => customerBody(email, { password: 1234 }), 'data.password'],
  ['password true', (email) => customerBody(email, { password: true }), 'data.password'],
  ['external_ref a number', (email) => customerBody(email, { external_ref: 12 }), 'data.external_ref'],
  ['external_ref too long', (email) => customerBody(email, { external_ref: 'x'.repeat(2049) }), 'data.external_ref'],
];

test('create: every invalid body is a 400 naming its source, and writes nothing', async () => {
  for (const [label, makeBody, source] of badCreates) {
    const email = uniqueEmail('bad');
    const res = await ep(gw, token, 'POST', '/v2/customers', makeBody(email));
    assertError(res, 400, source ? { source } : {}, label);
    const again = await ep(gw, token, 'POST', '/v2/customers', customerBody(email));
    assertJson(again, 201, `${label}: the email is still free`);
  }
});

test('create: the longest external_ref (2048) is accepted', async () => {
  const c = await createCustomer(gw, token, { external_ref: 'r'.repeat(2048) });
  assert.equal(c.external_ref.length, 2048);
});

test('create: duplicate email, any case, is 409 Duplicate email', async () => {
  const email = uniqueEmail('dup');
  await createCustomer(gw, token, { email });
  const res = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Other', email: email.toUpperCase() } });
  assertError(res, 409, { title: 'Duplicate email', source: 'data.email' });
});

test('get: 200 for a customer, 404 for any id that is not one', async () => {
  const c = await createCustomer(gw, token);
  const got = await ep(gw, token, 'GET', `/v2/customers/${c.id}`);
  assertJson(got, 200);
  assert.deepEqual(got.json.data, c);
  const ids = [
    '00000000-0000-4000-8000-000000000000', 'not-a-uuid', 'HkhhuXESl', 'x'.repeat(129), 'x'.repeat(5000),
    '%00', '%FF%FE', 'caf%C3%A9', "1'%20OR%20'1'='1", '%22quoted%22',
  ];
  for (const id of ids) {
    // nginx refuses a NUL in the path itself (examples/nginx answers JSON:API 400).
    const [status, title] = VIA_NGINX && id.includes('%00') ? [400, 'Bad Request'] : [404, 'Not Found'];
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const body = method === 'PUT' ? { data: { type: 'customer', name: 'X Y' } } : undefined;
      const res = await ep(gw, token, method, `/v2/customers/${id}`, body);
      assertError(res, status, { title }, `${method} ${id}`);
    }
    const addresses = await ep(gw, token, 'GET', `/v2/customers/${id}/addresses`);
    assertError(addresses, status, {}, `addresses of ${id}`);
  }
});

test('update: a partial PUT changes only what it sends', async () => {
  const c = await createCustomer(gw, token, { name: 'Ron Swanson', password: 'first-password', external_ref: 'keep-me' });
  await sleep(5);
  const res = await ep(gw, token, 'PUT', `/v2/customers/${c.id}`, { data: { type: 'customer', name: 'Ronald Ulysses Swanson' } });
  assertJson(res, 200);
  const u = res.json.data;
  assert.equal(u.id, c.id);
  assert.equal(u.name, 'Ronald Ulysses Swanson');
  assert.equal(u.email, c.email);
  assert.equal(u.external_ref, 'keep-me');
  assert.equal(u.password, true);
  assert.equal(u.meta.timestamps.created_at, c.meta.timestamps.created_at);
  assert.ok(u.meta.timestamps.updated_at > c.meta.timestamps.updated_at, 'updated_at advances');
  const got = await ep(gw, token, 'GET', `/v2/customers/${c.id}`);
  assert.deepEqual(got.json.data, u);
  // MicroBase reads the name split at the first run of whitespace.
  const info = await mb(gw, 'customer.info', { id: c.id });
  assert.equal(info.json.customer.firstName, 'Ronald');
  assert.equal(info.json.customer.lastName, 'Ulysses Swanson');
  const one = await ep(gw, token, 'PUT', `/v2/customers/${c.id}`, { data: { type: 'customer', name: 'Cher' } });
  assertJson(one, 200);
  const info2 = await mb(gw, 'customer.info', { id: c.id });
  assert.equal(info2.json.customer.firstName, 'Cher');
  assert.equal(info2.json.customer.lastName, '');
});

test('update: email, external_ref (null clears) and password', async () => {
  const c = await createCustomer(gw, token, { password: 'old-password', external_ref: 'crm-7' });
  const email = uniqueEmail('changed');
  const res = await ep(gw, token, 'PUT', `/v2/customers/${c.id}`, {
    data: { type: 'customer', email, external_ref: null, password: 'new-password' },
  });
  assertJson(res, 200);
  assert.equal(res.json.data.email, email);
  assert.equal(res.json.data.external_ref, null);
  assert.equal(res.json.data.name, c.name);
  assertJson(await customerToken(gw, token, email, 'new-password'), 200, 'new password works');
  assertError(await customerToken(gw, token, email, 'old-password'), 401, {}, 'old password is refused');
  const ref = await ep(gw, token, 'PUT', `/v2/customers/${c.id}`, { data: { type: 'customer', external_ref: 'crm-8' } });
  assert.equal(ref.json.data.external_ref, 'crm-8');
  // Changing only the case of one's own email is not a duplicate.
  const upper = await ep(gw, token, 'PUT', `/v2/customers/${c.id}`, { data: { type: 'customer', email: email.toUpperCase() } });
  assertJson(upper, 200);
  assert.equal(upper.json.data.email, email.toUpperCase());
});

test('update: invalid bodies are 400 and change nothing', async () => {
  const c = await createCustomer(gw, token, { name: 'Stable Name', external_ref: 'stable' });
  const cases = [
    ['malformed JSON', '{', undefined],
    ['data missing', {}, 'data'],
    ['type wrong', { data: { type: 'address', name: 'Changed Name' } }, 'data.type'],
    ['type missing', { data: { name: 'Changed Name' } }, 'data.type'],
    ['name empty', { data: { type: 'customer', name: '', external_ref: 'changed' } }, 'data.name'],
    ['name a number', { data: { type: 'customer', name: 1, external_ref: 'changed' } }, 'data.name'],
    ['email invalid', { data: { type: 'customer', name: 'Changed Name', email: 'nope' } }, 'data.email'],
    ['email null', { data: { type: 'customer', name: 'Changed Name', email: null } }, 'data.email'],
    ['password empty', { data: { type: 'customer', name: 'Changed Name', password: '' } }, 'data.password'],
    ['password null', { data: { type: 'customer', name: 'Changed Name', password: null } }, 'data.password'],
    ['external_ref too long', { data: { type: 'customer', name: 'Changed Name', external_ref: 'x'.repeat(2049) } }, 'data.external_ref'],
    ['external_ref an object', { data: { type: 'customer', name: 'Changed Name', external_ref: {} } }, 'data.external_ref'],
  ];
  for (const [label, body, source] of cases) {
    const res = await ep(gw, token, 'PUT', `/v2/customers/${c.id}`, body);
    assertError(res, 400, source ? { source } : {}, label);
  }
  const got = await ep(gw, token, 'GET', `/v2/customers/${c.id}`);
  assert.deepEqual(got.json.data, c, 'nothing changed');
});

test('update: taking another customer\'s email is 409 and changes nothing', async () => {
  const a = await createCustomer(gw, token);
  const b = await createCustomer(gw, token, { name: 'Bee Customer' });
  const res = await ep(gw, token, 'PUT', `/v2/customers/${b.id}`, {
    data: { type: 'customer', name: 'Changed Too', email: a.email.toUpperCase() },
  });
  assertError(res, 409, { title: 'Duplicate email', source: 'data.email' });
  const got = await ep(gw, token, 'GET', `/v2/customers/${b.id}`);
  assert.deepEqual(got.json.data, b);
});

test('update keeps what only MicroBase sees (status, tags)', async () => {
  const created = await mb(gw, 'customer.create', {
    email: uniqueEmail('mb'), password: 'mb-password', firstName: 'Leslie', lastName: 'Knope',
    status: 'INACTIVE', tags: ['VIP', 'Pawnee'],
  });
  assert.equal(created.json.ok, true, created.text);
  const id = created.json.customer.id;
  const res = await ep(gw, token, 'PUT', `/v2/customers/${id}`, { data: { type: 'customer', external_ref: 'ep-ref' } });
  assertJson(res, 200);
  assert.equal(res.json.data.name, 'Leslie Knope');
  const info = await mb(gw, 'customer.info', { id });
  assert.equal(info.json.customer.status, 'INACTIVE');
  assert.deepEqual(info.json.customer.tags, ['VIP', 'Pawnee']);
  assert.equal(info.json.customer.firstName, 'Leslie');
  assert.equal(info.json.customer.lastName, 'Knope');
});

test('delete answers 204 with an empty body and removes the addresses too', async () => {
  const created = await mb(gw, 'customer.create', {
    email: uniqueEmail('gone'), password: 'pw-123456', firstName: 'Tom', lastName: 'Haverford',
    addresses: [{
      name: 'Work', firstName: 'Tom', lastName: 'Haverford', address_1: '1 Main St', postCode: '46001',
      city: 'Pawnee', state: 'Indiana', country: 'US',
    }],
  });
  assert.equal(created.json.ok, true, created.text);
  const id = created.json.customer.id;
  const addressId = created.json.customer.addresses[0].id;
  const res = await ep(gw, token, 'DELETE', `/v2/customers/${id}`);
  assert.equal(res.status, 204);
  assert.equal(res.text, '');
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assertError(await ep(gw, token, 'GET', `/v2/customers/${id}`), 404);
  assertError(await ep(gw, token, 'GET', `/v2/customers/${id}/addresses/${addressId}`), 404);
  assertError(await ep(gw, token, 'DELETE', `/v2/customers/${id}`), 404, {}, 'second delete');
  const info = await mb(gw, 'customer.info', { id });
  assert.equal(info.json.error, 'customer_not_found');
  // The email is free again.
  await createCustomer(gw, token, { email: created.json.customer.email });
});

test('unsupported methods on known paths are 405 with Allow', async () => {
  const c = await createCustomer(gw, token);
  const cases = [
    ['PATCH', '/v2/customers', 'GET, POST'],
    ['DELETE', '/v2/customers', 'GET, POST'],
    ['PUT', '/v2/customers', 'GET, POST'],
    ['GET', '/v2/customers/tokens', 'POST'],
    ['DELETE', '/v2/customers/tokens', 'POST'],
    ['PATCH', `/v2/customers/${c.id}`, 'GET, PUT, DELETE'],
    ['POST', `/v2/customers/${c.id}`, 'GET, PUT, DELETE'],
    ['OPTIONS', `/v2/customers/${c.id}`, 'GET, PUT, DELETE'],
    ['PUT', `/v2/customers/${c.id}/addresses`, 'GET, POST'],
    ['DELETE', `/v2/customers/${c.id}/addresses`, 'GET, POST'],
    ['POST', `/v2/customers/${c.id}/addresses/x`, 'GET, PUT, DELETE'],
    ['GET', '/oauth/access_token', 'POST'],
  ];
  for (const [method, path, allow] of cases) {
    const body = ['PATCH', 'POST', 'PUT'].includes(method) ? { data: { type: 'customer', name: 'X Y' } } : undefined;
    const res = await ep(gw, token, method, path, body);
    assertError(res, 405, { title: 'Method Not Allowed' }, `${method} ${path}`);
    assert.equal(res.headers.get('allow'), allow, `${method} ${path}`);
  }
  // The rejected PATCH/POST changed nothing.
  const got = await ep(gw, token, 'GET', `/v2/customers/${c.id}`);
  assert.deepEqual(got.json.data, c);
});

test('unknown paths are 404 in the JSON:API format, with or without a token', async () => {
  for (const path of ['/v2', '/v2/', '/v2/products', '/v2/customer', '/v2/customers/x/orders',
    '/v2/customers/x/addresses/y/z', '/v2/customers/tokens/x', '/v1/customers']) {
    for (const headers of [{}, { authorization: `Bearer ${token}` }]) {
      const res = await request(gw, 'GET', path, { headers });
      assertError(res, 404, { title: 'Not Found' }, path);
    }
  }
});

test('paths that decode to broken text still get valid UTF-8 JSON errors', async () => {
  for (const path of ['/v2/%FF%00', '/v2/customers/x/%C3', `/v2/customers/%FF/addresses/%FE`]) {
    const res = await fetch(gw.url + path, { headers: { authorization: `Bearer ${token}` } });
    const status = VIA_NGINX && path.includes('%00') ? 400 : 404;
    assert.equal(res.status, status, path);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(await res.arrayBuffer());
    assert.equal(JSON.parse(text).errors[0].status, status, path);
  }
});

test('401 for a missing, malformed or non-access bearer token', async () => {
  const c = await createCustomer(gw, token, { password: 'pw-for-token' });
  const tok = await customerToken(gw, token, c.email, 'pw-for-token');
  for (const auth of [undefined, 'Bearer', 'Bearer ', 'Bearer garbage', `Basic ${token}`, `Bearer ${tok.json.data.token}`]) {
    const headers = auth === undefined ? {} : { authorization: auth };
    for (const [method, path] of [['GET', '/v2/customers'], ['POST', '/v2/customers'], ['GET', `/v2/customers/${c.id}`],
      ['POST', '/v2/customers/tokens'], ['GET', `/v2/customers/${c.id}/addresses`]]) {
      const res = await request(gw, method, path, { headers, body: method === 'POST' ? {} : undefined });
      assertError(res, 401, { detail: 'Unable to validate access token' }, `${method} ${path} with ${auth}`);
    }
  }
});

test('bodies over --max-body are 413 in the JSON:API format and write nothing', async () => {
  const small = await startGateway({ args: ['--max-body', '2048'] });
  try {
    const t = await epToken(small);
    const email = uniqueEmail('big');
    const big = { data: { type: 'customer', name: 'Big Body', email, external_ref: 'x'.repeat(3000) } };
    const res = await ep(small, t, 'POST', '/v2/customers', big);
    assertError(res, 413, { title: 'Payload Too Large' });
    const ok = await ep(small, t, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Big Body', email } });
    assertJson(ok, 201, 'the email was not taken');
  } finally {
    await small.stop();
  }
});

test('SDK-style requests: JSON with whitespace, upper-case headers, SDK headers ignored', async () => {
  const email = uniqueEmail('sdk');
  const body = `{\n        "data": ${JSON.stringify({ name: 'Sdk Style', email, type: 'customer' })}\n      }`;
  const res = await request(gw, 'POST', '/v2/customers', {
    body,
    headers: {
      Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-MOLTIN-SDK-LANGUAGE': 'JS',
      'X-MOLTIN-SDK-VERSION': '36.0.0', 'X-MOLTIN-APPLICATION': 'epcc sdk', 'X-MOLTIN-CURRENCY': 'USD',
      'X-MOLTIN-LANGUAGE': 'en', 'X-MOLTIN-AUTH-STORE': 'store',
    },
  });
  assertJson(res, 201);
  assert.equal(res.json.data.email, email);
});
