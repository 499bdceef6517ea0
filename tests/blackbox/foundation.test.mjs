// The foundation slice: both seed requests, cross-dialect reads, and the
// basic errors of each dialect, through the real binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, request, epToken, ep, mb, mbToken } from './harness.mjs';

let gw;
let token;
before(async () => { gw = await startGateway(); token = await epToken(gw); });
after(async () => { await gw.stop(); });

const ron = { data: { type: 'customer', name: 'Ron Swanson', email: 'ron@swanson.com', password: 'mysecretpassword' } };

test('EP seed: Ron Swanson is created with password true and timestamps', async () => {
  const res = await ep(gw, token, 'POST', '/v2/customers', ron);
  assert.equal(res.status, 201);
  assert.match(res.headers.get('content-type'), /application\/json/);
  const c = res.json.data;
  assert.equal(c.type, 'customer');
  assert.match(c.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(c.name, 'Ron Swanson');
  assert.equal(c.email, 'ron@swanson.com');
  assert.equal(c.password, true);
  assert.match(c.meta.timestamps.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(c.meta.timestamps.created_at, c.meta.timestamps.updated_at);
  const got = await ep(gw, token, 'GET', `/v2/customers/${c.id}`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.json.data, c);
  // MicroBase reads the same customer with the name split.
  const info = await mb(gw, 'customer.info', { id: c.id });
  assert.equal(info.status, 200);
  assert.equal(info.json.ok, true);
  assert.equal(info.json.customer.firstName, 'Ron');
  assert.equal(info.json.customer.lastName, 'Swanson');
  assert.equal(info.json.customer.status, 'ACTIVE');
  assert.equal(info.json.customer.password, undefined);
});

const john = {
  email: 'john.doe@gmail.com', password: 'mypassword', firstName: 'John', lastName: 'Doe',
  tags: ['VIP'], status: 'ACTIVE',
  addresses: [{
    name: 'Work', firstName: 'John', lastName: 'Doe', address_1: '1650 Bolman Court', address_2: '',
    postCode: '61701', city: 'Bloomington', state: 'Illinois', country: 'US', company: 'My Company',
    phone: 2173203531, instructions: 'Some Instructions',
  }],
};

test('MicroBase seed: John Doe with tags and an address', async () => {
  const res = await mb(gw, 'customer.create', john);
  assert.equal(res.status, 200);
  assert.equal(res.json.ok, true);
  const c = res.json.customer;
  assert.equal(c.email, john.email);
  assert.deepEqual(c.tags, ['VIP']);
  assert.equal(c.addresses.length, 1);
  assert.ok(c.addresses[0].id, 'address id generated');
  assert.equal(c.addresses[0].phone, 2173203531);
  assert.equal(c.password, undefined);
  // Elastic Path reads it with the name joined and password: true.
  const got = await ep(gw, token, 'GET', `/v2/customers/${c.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.json.data.name, 'John Doe');
  assert.equal(got.json.data.password, true);
  assert.equal(got.json.data.email, john.email);
});

test('MicroBase: empty email is customer_invalid_email and writes nothing', async () => {
  const res = await mb(gw, 'customer.create', { ...john, email: '' });
  assert.equal(res.status, 200);
  assert.deepEqual(res.json, { ok: false, error: 'customer_invalid_email', data: { email: '' } });
});

test('MicroBase: validation_error lists the failing field', async () => {
  const res = await mb(gw, 'customer.create', { ...john, email: 5 });
  assert.deepEqual(res.json, { ok: false, error: 'validation_error', data: ['payload.email: should be string'] });
  const missing = await mb(gw, 'customer.create', { email: 'a@b.co' });
  assert.deepEqual(missing.json.data, ["payload: should have required property 'password'"]);
});

test('MicroBase: duplicate_key across dialects, case-insensitive', async () => {
  const res = await mb(gw, 'customer.create', { ...john, email: 'RON@swanson.com', addresses: [] });
  assert.equal(res.json.ok, false);
  assert.equal(res.json.error, 'duplicate_key');
});

test('MicroBase: address_contry_invalid writes nothing', async () => {
  const bad = { ...john, email: 'bad-country@x.io', addresses: [{ ...john.addresses[0], country: 'USA' }] };
  const res = await mb(gw, 'customer.create', bad);
  assert.deepEqual(res.json, { ok: false, error: 'address_contry_invalid', data: { address: 'USA' } });
  const again = await mb(gw, 'customer.create', { ...bad, addresses: [] });
  assert.equal(again.json.ok, true, 'the rejected email was not stored');
});

test('MicroBase: customer_not_found and HTTP 401 invalid_token', async () => {
  const res = await mb(gw, 'customer.info', { id: 'HkhhuXESl' });
  assert.deepEqual(res.json, { ok: false, error: 'customer_not_found', data: { id: 'HkhhuXESl' } });
  for (const t of ['', 'garbage', mbToken('wrong-secret'), mbToken(undefined, { exp: 1000 })]) {
    const r = await mb(gw, 'customer.info', { id: 'x' }, { token: t });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, { ok: false, error: 'invalid_token' });
  }
});

test('MicroBase: the gateway token endpoint issues usable tokens', async () => {
  const basic = Buffer.from('test-client:test-client-secret').toString('base64');
  const res = await request(gw, 'POST', '/services/oauth/v2/token', {
    form: { grant_type: 'client_credentials', scope: 'api' }, headers: { authorization: `Basic ${basic}` },
  });
  assert.equal(res.status, 200);
  const info = await mb(gw, 'customer.info', { id: 'none' }, { token: res.json.access_token });
  assert.equal(info.json.error, 'customer_not_found');
  const wrong = Buffer.from('test-client:nope').toString('base64');
  const denied = await request(gw, 'POST', '/services/oauth/v2/token', {
    form: { grant_type: 'client_credentials' }, headers: { authorization: `Basic ${wrong}` },
  });
  assert.equal(denied.status, 401);
  assert.equal(denied.json.ok, false);
});

test('EP errors: 400 malformed JSON, wrong type, missing name or email', async () => {
  const cases = [
    ['{"data":', 400],
    [{ data: { type: 'address', name: 'A B', email: 'a@b.co' } }, 400],
    [{ data: { type: 'customer', email: 'a@b.co' } }, 400],
    [{ data: { type: 'customer', name: 'A B' } }, 400],
    [{ data: { type: 'customer', name: 'A B', email: 'not-an-email' } }, 400],
  ];
  for (const [body, status] of cases) {
    const res = await ep(gw, token, 'POST', '/v2/customers', body);
    assert.equal(res.status, status, JSON.stringify(body));
    assert.equal(res.json.errors[0].status, status);
    assert.ok(res.json.errors[0].detail);
  }
});

test('EP errors: 401 without or with a bad token, 404, 409 duplicate', async () => {
  const none = await request(gw, 'GET', '/v2/customers/x');
  assert.equal(none.status, 401);
  assert.equal(none.json.errors[0].detail, 'Unable to validate access token');
  const forged = await ep(gw, mbToken('other'), 'GET', '/v2/customers/x');
  assert.equal(forged.status, 401);
  const missing = await ep(gw, token, 'GET', '/v2/customers/00000000-0000-4000-8000-000000000000');
  assert.equal(missing.status, 404);
  const dup = await ep(gw, token, 'POST', '/v2/customers', { data: { ...ron.data, email: 'Ron@Swanson.com' } });
  assert.equal(dup.status, 409);
  assert.equal(dup.json.errors[0].title, 'Duplicate email');
});
