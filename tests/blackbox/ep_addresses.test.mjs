// Elastic Path customer addresses through the real binary: the documented
// object, CRUD with partial PUT, validation that writes nothing, and the same
// addresses seen through MicroBase.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, epToken, ep, mb } from './harness.mjs';
import {
  UUID_RE, ISO_RE, assertJson, assertError, uniqueEmail, createCustomer, fullAddress, getJson, sleep,
  getWithHeaders,
} from './ep_fixtures.mjs';

let gw;
let token;
before(async () => { gw = await startGateway(); token = await epToken(gw); });
after(async () => { await gw.stop(); });

const addressBody = (attrs) => ({ data: { type: 'address', ...attrs } });
const required = { first_name: 'Ann', last_name: 'Perkins', line_1: '2 Elm St', postcode: '46001', country: 'US' };
const optionalMembers = ['name', 'phone_number', 'instructions', 'company_name', 'line_2', 'city', 'county', 'region'];

test('create answers 201 with the documented address object', async () => {
  const c = await createCustomer(gw, token);
  const res = await ep(gw, token, 'POST', `/v2/customers/${c.id}/addresses`, addressBody(fullAddress));
  assertJson(res, 201);
  const a = res.json.data;
  assert.equal(a.type, 'address');
  assert.match(a.id, UUID_RE);
  for (const [k, v] of Object.entries(fullAddress)) assert.equal(a[k], v, k);
  assert.match(a.meta.timestamps.created_at, ISO_RE);
  assert.equal(a.meta.timestamps.created_at, a.meta.timestamps.updated_at);
  assert.equal(a.links.self, `${gw.url}/v2/customers/${c.id}/addresses/${a.id}`);
  assert.deepEqual(a.relationships, { customer: { id: c.id, type: 'customer' } });
  assert.deepEqual(Object.keys(a).sort(), [
    ...Object.keys(fullAddress), 'id', 'links', 'meta', 'relationships', 'type',
  ].sort());
  const got = await getJson(gw, token, `/v2/customers/${c.id}/addresses/${a.id}`);
  assert.deepEqual(got.data, a);
  const list = await getJson(gw, token, `/v2/customers/${c.id}/addresses`);
  assert.deepEqual(list, { data: [a] });
});

test('only the required members are needed; the rest read back as "" (the official schema types them string, never null)', async () => {
  const c = await createCustomer(gw, token);
  const res = await ep(gw, token, 'POST', `/v2/customers/${c.id}/addresses`, addressBody(required));
  assertJson(res, 201);
  for (const k of optionalMembers) assert.equal(res.json.data[k], '', k);
});

test('list: every address in creation order; an empty list is data: []', async () => {
  const c = await createCustomer(gw, token);
  assert.deepEqual(await getJson(gw, token, `/v2/customers/${c.id}/addresses`), { data: [] });
  const ids = [];
  for (const name of ['Home', 'Work', 'Cabin']) {
    const res = await ep(gw, token, 'POST', `/v2/customers/${c.id}/addresses`, addressBody({ ...required, name }));
    assertJson(res, 201);
    ids.push(res.json.data.id);
  }
  const list = await getJson(gw, token, `/v2/customers/${c.id}/addresses`);
  assert.deepEqual(list.data.map((a) => a.id), ids);
  assert.deepEqual(list.data.map((a) => a.name), ['Home', 'Work', 'Cabin']);
});

test('update: a partial PUT changes only what it sends; null or "" clears an optional member', async () => {
  const c = await createCustomer(gw, token);
  const created = (await ep(gw, token, 'POST', `/v2/customers/${c.id}/addresses`, addressBody(fullAddress))).json.data;
  await sleep(5);
  const res = await ep(gw, token, 'PUT', `/v2/customers/${c.id}/addresses/${created.id}`,
    addressBody({ city: 'Eagleton', line_2: null, instructions: '' }));
  assertJson(res, 200);
  const u = res.json.data;
  assert.equal(u.city, 'Eagleton');
  assert.equal(u.line_2, '');
  assert.equal(u.instructions, '');
  for (const k of Object.keys(fullAddress).filter((k) => !['city', 'line_2', 'instructions'].includes(k))) {
    assert.equal(u[k], created[k], k);
  }
  assert.equal(u.meta.timestamps.created_at, created.meta.timestamps.created_at);
  assert.ok(u.meta.timestamps.updated_at > created.meta.timestamps.updated_at);
  assert.deepEqual((await getJson(gw, token, `/v2/customers/${c.id}/addresses/${created.id}`)).data, u);
  // An empty PUT is accepted and keeps every member.
  const empty = await ep(gw, token, 'PUT', `/v2/customers/${c.id}/addresses/${created.id}`, addressBody({}));
  assertJson(empty, 200);
  assert.equal(empty.json.data.city, 'Eagleton');
});

test('create: invalid bodies are 400 with a source and add nothing', async () => {
  const c = await createCustomer(gw, token);
  const cases = [
    ['malformed JSON', '{"data":{', undefined],
    ['data missing', { ...required }, 'data'],
    ['type wrong', { data: { type: 'customer-address', ...required } }, 'data.type'],
    ['type missing', { data: { ...required } }, 'data.type'],
    ...Object.keys(required).map((k) => [`${k} missing`, addressBody({ ...required, [k]: undefined }), `data.${k}`]),
    ...Object.keys(required).map((k) => [`${k} empty`, addressBody({ ...required, [k]: '' }), `data.${k}`]),
    ...Object.keys(required).map((k) => [`${k} null`, addressBody({ ...required, [k]: null }), `data.${k}`]),
    ['first_name blank', addressBody({ ...required, first_name: '  ' }), 'data.first_name'],
    ['country not alpha-2', addressBody({ ...required, country: 'GBR' }), 'data.country'],
    ['country lower-case', addressBody({ ...required, country: 'gb' }), 'data.country'],
    ['country unknown', addressBody({ ...required, country: 'XX' }), 'data.country'],
    ['phone_number a number', addressBody({ ...required, phone_number: 5555551234 }), 'data.phone_number'],
    ['city an object', addressBody({ ...required, city: {} }), 'data.city'],
    ['name a boolean', addressBody({ ...required, name: false }), 'data.name'],
    ['line_1 too long', addressBody({ ...required, line_1: 'l'.repeat(256) }), 'data.line_1'],
    ['instructions too long', addressBody({ ...required, instructions: 'i'.repeat(2049) }), 'data.instructions'],
  ];
  for (const [label, body, source] of cases) {
    const res = await ep(gw, token, 'POST', `/v2/customers/${c.id}/addresses`, body);
    assertError(res, 400, source ? { source } : {}, label);
  }
  assert.deepEqual(await getJson(gw, token, `/v2/customers/${c.id}/addresses`), { data: [] }, 'nothing was added');
  const customer = await getJson(gw, token, `/v2/customers/${c.id}`);
  assert.deepEqual(customer.data, c, 'the customer is untouched');
});

test('update: invalid bodies are 400 and change nothing', async () => {
  const c = await createCustomer(gw, token);
  const a = (await ep(gw, token, 'POST', `/v2/customers/${c.id}/addresses`, addressBody(fullAddress))).json.data;
  const cases = [
    ['type wrong', { data: { type: 'customer', city: 'Changed' } }, 'data.type'],
    ...Object.keys(required).map((k) => [`${k} emptied`, addressBody({ city: 'Changed', [k]: '' }), `data.${k}`]),
    ...Object.keys(required).map((k) => [`${k} nulled`, addressBody({ city: 'Changed', [k]: null }), `data.${k}`]),
    ['country invalid', addressBody({ city: 'Changed', country: 'United Kingdom' }), 'data.country'],
    ['city a number', addressBody({ city: 7 }), 'data.city'],
  ];
  for (const [label, body, source] of cases) {
    const res = await ep(gw, token, 'PUT', `/v2/customers/${c.id}/addresses/${a.id}`, body);
    assertError(res, 400, { source }, label);
  }
  assert.deepEqual((await getJson(gw, token, `/v2/customers/${c.id}/addresses/${a.id}`)).data, a);
});

test('delete answers 204, then the address is gone', async () => {
  const c = await createCustomer(gw, token);
  const keep = (await ep(gw, token, 'POST', `/v2/customers/${c.id}/addresses`, addressBody({ ...required, name: 'Keep' }))).json.data;
  const drop = (await ep(gw, token, 'POST', `/v2/customers/${c.id}/addresses`, addressBody({ ...required, name: 'Drop' }))).json.data;
  const res = await ep(gw, token, 'DELETE', `/v2/customers/${c.id}/addresses/${drop.id}`);
  assert.equal(res.status, 204);
  assert.equal(res.text, '');
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assertError(await ep(gw, token, 'GET', `/v2/customers/${c.id}/addresses/${drop.id}`), 404);
  assertError(await ep(gw, token, 'DELETE', `/v2/customers/${c.id}/addresses/${drop.id}`), 404);
  assertError(await ep(gw, token, 'PUT', `/v2/customers/${c.id}/addresses/${drop.id}`, addressBody({ city: 'X' })), 404);
  assert.deepEqual((await getJson(gw, token, `/v2/customers/${c.id}/addresses`)).data.map((a) => a.id), [keep.id]);
});

test('404 for unknown customers, unknown or foreign address ids', async () => {
  const c = await createCustomer(gw, token);
  const other = await createCustomer(gw, token);
  const foreign = (await ep(gw, token, 'POST', `/v2/customers/${other.id}/addresses`, addressBody(required))).json.data;
  const missing = '00000000-0000-4000-8000-000000000000';
  const cases = [
    ['GET', `/v2/customers/${missing}/addresses`],
    ['POST', `/v2/customers/${missing}/addresses`, addressBody(required)],
    ['GET', `/v2/customers/${missing}/addresses/${foreign.id}`],
    ['GET', `/v2/customers/${c.id}/addresses/${missing}`],
    ['GET', `/v2/customers/${c.id}/addresses/not-an-id`],
    ['GET', `/v2/customers/${c.id}/addresses/%FF`],
    ['GET', `/v2/customers/${c.id}/addresses/${'a'.repeat(200)}`],
    ['GET', `/v2/customers/${c.id}/addresses/${foreign.id}`],
    ['PUT', `/v2/customers/${c.id}/addresses/${foreign.id}`, addressBody({ city: 'Stolen' })],
    ['DELETE', `/v2/customers/${c.id}/addresses/${foreign.id}`],
  ];
  for (const [method, path, body] of cases) {
    assertError(await ep(gw, token, method, path, body), 404, { title: 'Not Found' }, `${method} ${path}`);
  }
  assert.deepEqual((await getJson(gw, token, `/v2/customers/${other.id}/addresses/${foreign.id}`)).data, foreign);
});

test('links.self follows the Host header and X-Forwarded-Proto', async () => {
  const c = await createCustomer(gw, token);
  const a = (await ep(gw, token, 'POST', `/v2/customers/${c.id}/addresses`, addressBody(required))).json.data;
  const body = await getWithHeaders(gw, `/v2/customers/${c.id}/addresses/${a.id}`, {
    host: 'shop.example.com', authorization: `Bearer ${token}`, 'x-forwarded-proto': 'https',
  });
  // Behind nginx the scheme is the one nginx saw (plain HTTP here), never the client's claim.
  const scheme = process.env.GATEWAY_FRONT === 'nginx' ? 'http' : 'https';
  assert.equal(body.data.links.self, `${scheme}://shop.example.com/v2/customers/${c.id}/addresses/${a.id}`);
});

test('MicroBase sees addresses written through Elastic Path, and the reverse', async () => {
  const c = await createCustomer(gw, token);
  const a = (await ep(gw, token, 'POST', `/v2/customers/${c.id}/addresses`, addressBody(fullAddress))).json.data;
  const info = await mb(gw, 'customer.info', { id: c.id });
  assert.equal(info.json.ok, true, info.text);
  const seen = info.json.customer.addresses[0];
  assert.equal(seen.id, a.id);
  assert.equal(seen.name, 'Home');
  assert.equal(seen.firstName, 'Ron');
  assert.equal(seen.lastName, 'Swanson');
  assert.equal(seen.address_1, '1 Sunny Street');
  assert.equal(seen.address_2, 'Unit 101');
  assert.equal(seen.postCode, 'SU33 1YY');
  assert.equal(seen.city, 'Sunny Town');
  assert.equal(seen.state, 'Pawnee');
  assert.equal(seen.country, 'GB');
  assert.equal(seen.company, 'Ron Swanson Enterprises');
  assert.equal(seen.phone, '(555) 555-1234');
  assert.equal(seen.instructions, 'Leave behind bin');

  const created = await mb(gw, 'customer.create', {
    email: uniqueEmail('mb-address'), password: 'pw-mb-addr', firstName: 'John', lastName: 'Doe',
    addresses: [{
      name: 'Work', firstName: 'John', lastName: 'Doe', address_1: '1650 Bolman Court', address_2: '',
      postCode: '61701', city: 'Bloomington', state: 'Illinois', country: 'US', company: 'My Company',
      phone: 2173203531, instructions: 'Some Instructions',
    }],
  });
  assert.equal(created.json.ok, true, created.text);
  const id = created.json.customer.id;
  const list = await getJson(gw, token, `/v2/customers/${id}/addresses`);
  assert.equal(list.data.length, 1);
  const e = list.data[0];
  assert.equal(e.id, created.json.customer.addresses[0].id);
  assert.equal(e.name, 'Work');
  assert.equal(e.line_1, '1650 Bolman Court');
  assert.equal(e.postcode, '61701');
  assert.equal(e.region, 'Illinois');
  assert.equal(e.company_name, 'My Company');
  assert.equal(e.phone_number, '2173203531');
  assert.equal(e.county, '');
  // An Elastic Path partial update leaves what it did not send, as MicroBase reads it.
  const upd = await ep(gw, token, 'PUT', `/v2/customers/${id}/addresses/${e.id}`, addressBody({ county: 'McLean' }));
  assertJson(upd, 200);
  const after = await mb(gw, 'customer.info', { id });
  assert.equal(after.json.customer.addresses[0].phone, 2173203531);
  assert.equal(after.json.customer.addresses[0].state, 'Illinois');
  assert.equal(upd.json.data.county, 'McLean');
});
