// Elastic Path Flows through the real binary: /v2/flows and /v2/fields
// (Flows reference, elasticpath-dev openapispecs/flows/flows.yaml), and the
// custom fields of the `customers` and `addresses` core flows accepted,
// checked and returned top-level on create, get, update and list; kept
// through MicroBase writes; carried by export and import; shared by two
// gateways on one database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startGateway, epToken, ep, mb, freshDb } from './harness.mjs';
import { assertJson, assertError, fullAddress, UUID_RE, ISO_RE, sleep } from './ep_fixtures.mjs';
import { tempDir, exportRecords, importFile, writeLines, summary } from './migration_fixtures.mjs';

let dir;
let db;
let gw;
let token;
let customersFlow;
let addressesFlow;
const fields = {};

const post = (path, data) => ep(gw, token, 'POST', path, { data });
const put = (path, data) => ep(gw, token, 'PUT', path, { data });
const flowRel = (id) => ({ flow: { data: { type: 'flow', id } } });

async function field(flowId, attrs) {
  const res = await post('/v2/fields', { type: 'field', enabled: true, required: false, relationships: flowRel(flowId), ...attrs });
  assertJson(res, 201, JSON.stringify(attrs));
  fields[attrs.slug] = res.json.data;
  return res.json.data;
}

before(async () => {
  dir = tempDir();
  db = freshDb(dir);
  gw = await startGateway({ db });
  token = await epToken(gw);
});
after(async () => {
  await gw?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('flows: create, read, list and update in the reference\'s shape', async () => {
  const res = await post('/v2/flows', { type: 'flow', name: 'Customers', slug: 'customers', description: 'Extends customers', enabled: true });
  assertJson(res, 201);
  customersFlow = res.json.data;
  assert.match(customersFlow.id, UUID_RE);
  assert.equal(customersFlow.type, 'flow');
  assert.equal(customersFlow.slug, 'customers');
  assert.equal(customersFlow.enabled, true);
  assert.match(customersFlow.links.self, new RegExp(`/v2/flows/${customersFlow.id}$`));
  assert.match(customersFlow.meta.timestamps.created_at, ISO_RE);

  addressesFlow = (await post('/v2/flows', { type: 'flow', name: 'Addresses', slug: 'addresses', description: '' })).json.data;
  assert.equal(addressesFlow.enabled, true, 'enabled defaults to true');
  const wishlist = (await post('/v2/flows', { type: 'flow', name: 'Wishlists', slug: 'wishlists' })).json.data;

  assert.deepEqual((await ep(gw, token, 'GET', `/v2/flows/${customersFlow.id}`)).json.data, customersFlow);
  const list = await ep(gw, token, 'GET', '/v2/flows');
  assertJson(list, 200);
  assert.deepEqual(list.json.data.map((f) => f.slug).sort(), ['addresses', 'customers', 'wishlists']);

  const renamed = await put(`/v2/flows/${wishlist.id}`, { type: 'flow', id: wishlist.id, name: 'Lists' });
  assertJson(renamed, 200);
  assert.equal(renamed.json.data.name, 'Lists');
  assert.equal(renamed.json.data.slug, 'wishlists', 'members not sent are kept');

  // A non-core flow may be deleted; the core flows may not (the reference).
  assert.equal((await ep(gw, token, 'DELETE', `/v2/flows/${wishlist.id}`)).status, 204);
  assertError(await ep(gw, token, 'GET', `/v2/flows/${wishlist.id}`), 404);
  const refused = await ep(gw, token, 'DELETE', `/v2/flows/${customersFlow.id}`);
  assertError(refused, 400);
  assert.match(refused.json.errors[0].detail, /cannot be deleted/);
});

test('flows and fields: bad definitions are 400s that store nothing', async () => {
  const before = (await ep(gw, token, 'GET', '/v2/fields')).json.data.length;
  const cases = [
    ['/v2/flows', { type: 'flow', name: 'Dup', slug: 'customers' }, 'data.slug'],
    ['/v2/flows', { type: 'flow', name: 'Bad', slug: 'has space' }, 'data.slug'],
    ['/v2/flows', { type: 'flow', slug: 'noname' }, 'data.name'],
    ['/v2/fields', { type: 'field', name: 'X', slug: 'x', field_type: 'colour', relationships: flowRel(customersFlow.id) }, 'data.field_type'],
    ['/v2/fields', { type: 'field', name: 'X', slug: 'email', field_type: 'string', relationships: flowRel(customersFlow.id) }, 'data.slug'],
    ['/v2/fields', { type: 'field', name: 'X', slug: 'x', field_type: 'string' }, 'data.relationships.flow.data.id'],
    ['/v2/fields', { type: 'field', name: 'X', slug: 'x', field_type: 'string', relationships: flowRel('no-such-flow') }, 'data.relationships.flow.data.id'],
    ['/v2/fields', { type: 'field', name: 'X', slug: 'x', field_type: 'boolean', validation_rules: [{ type: 'between', options: { from: 1, to: 2 } }], relationships: flowRel(customersFlow.id) }, 'data.validation_rules'],
    ['/v2/fields', { type: 'field', name: 'X', slug: 'x', field_type: 'integer', default: 'ten', relationships: flowRel(customersFlow.id) }, 'data.default'],
  ];
  for (const [path, data, source] of cases) {
    const res = await post(path, data);
    assertError(res, 400, {}, JSON.stringify(data));
    assert.equal(res.json.errors[0].source, source, JSON.stringify(data));
  }
  assert.equal((await ep(gw, token, 'GET', '/v2/fields')).json.data.length, before);
});

test('fields: the reference\'s shape, listed under their flow by slug', async () => {
  const rating = await field(customersFlow.id, {
    name: 'Rating', slug: 'rating', field_type: 'integer', description: 'Loyalty rating', order: 1,
    validation_rules: [{ type: 'between', options: { from: 1, to: 5 } }], default: 3,
  });
  assert.match(rating.id, UUID_RE);
  assert.equal(rating.type, 'field');
  assert.equal(rating.field_type, 'integer');
  assert.deepEqual(rating.validation_rules, [{ type: 'between', options: { from: 1, to: 5 } }]);
  assert.equal(rating.default, 3);
  assert.equal(rating.omit_null, false);
  assert.deepEqual(rating.relationships, flowRel(customersFlow.id));
  assert.match(rating.links.self, new RegExp(`/v2/flows/${customersFlow.id}/fields/${rating.id}$`));
  await field(customersFlow.id, { name: 'Tier', slug: 'tier', field_type: 'string', validation_rules: [{ type: 'enum', options: ['gold', 'silver'] }] });
  await field(customersFlow.id, { name: 'Newsletter', slug: 'newsletter', field_type: 'boolean', required: true });
  await field(customersFlow.id, { name: 'Birthday', slug: 'birthday', field_type: 'date' });
  await field(customersFlow.id, { name: 'Score', slug: 'score', field_type: 'float', omit_null: true });
  await field(customersFlow.id, { name: 'Work email', slug: 'work_email', field_type: 'string', validation_rules: [{ type: 'email' }] });
  await field(addressesFlow.id, { name: 'Door colour', slug: 'door_colour', field_type: 'string' });
  await field(addressesFlow.id, { name: 'Floor', slug: 'floor', field_type: 'integer', default: 0 });

  const bySlug = await ep(gw, token, 'GET', '/v2/flows/customers/fields');
  assertJson(bySlug, 200);
  assert.equal(bySlug.json.data[0].slug, 'rating', 'ordered fields first');
  assert.deepEqual(bySlug.json.data.map((f) => f.slug).sort(), ['birthday', 'newsletter', 'rating', 'score', 'tier', 'work_email']);
  assert.deepEqual((await ep(gw, token, 'GET', `/v2/fields/${rating.id}`)).json.data, rating);
  assert.deepEqual((await ep(gw, token, 'GET', rating.links.self.replace(/^https?:\/\/[^/]+/, ''))).json.data, rating);
  const dup = await post('/v2/fields', { type: 'field', name: 'Again', slug: 'rating', field_type: 'integer', relationships: flowRel(customersFlow.id) });
  assertError(dup, 400);
  assert.equal(dup.json.errors[0].source, 'data.slug');
  const retype = await put(`/v2/fields/${rating.id}`, { type: 'field', field_type: 'string' });
  assertError(retype, 400);
  assert.equal(retype.json.errors[0].source, 'data.field_type');
});

let customer;

test('customers: custom fields accepted, defaulted and returned top-level', async () => {
  const res = await post('/v2/customers', {
    type: 'customer', name: 'Ron Swanson', email: 'ron@flows.example', newsletter: false, tier: 'gold',
    birthday: '1970-05-06', work_email: 'ron@parks.example', score: 7, unknown_member: 'ignored',
  });
  assertJson(res, 201);
  customer = res.json.data;
  assert.equal(customer.rating, 3, 'default applied');
  assert.equal(customer.newsletter, false);
  assert.equal(customer.tier, 'gold');
  assert.equal(customer.birthday, '1970-05-06');
  assert.equal(customer.score, 7);
  assert.equal(customer.work_email, 'ron@parks.example');
  assert.equal(customer.unknown_member, undefined, 'members no field names are not stored');

  const got = await ep(gw, token, 'GET', `/v2/customers/${customer.id}`);
  assertJson(got, 200);
  assert.deepEqual(got.json.data, customer);

  const updated = await put(`/v2/customers/${customer.id}`, { type: 'customer', rating: 5, tier: null, score: 2.5 });
  assertJson(updated, 200);
  assert.equal(updated.json.data.rating, 5);
  assert.equal(updated.json.data.tier, null, 'null clears; an unset field shows null');
  assert.equal(updated.json.data.score, 2.5);
  assert.equal(updated.json.data.newsletter, false, 'fields not sent are kept');

  const list = await ep(gw, token, 'GET', `/v2/customers?filter=eq(email,ron@flows.example)`);
  assertJson(list, 200);
  assert.equal(list.json.data[0].rating, 5);
  assert.equal(list.json.data[0].birthday, '1970-05-06');

  const plain = await post('/v2/customers', { type: 'customer', name: 'Ann', email: 'ann@flows.example', newsletter: true });
  assertJson(plain, 201);
  assert.equal(plain.json.data.tier, null);
  assert.equal('score' in plain.json.data, false, 'omit_null leaves an unset field out');
});

test('customers: bad custom values are 400s naming the member, and change nothing', async () => {
  const cases = [
    [{ rating: 9 }, 'data.rating', /between 1 and 5/],
    [{ rating: '4' }, 'data.rating', /integer/],
    [{ rating: 4.5 }, 'data.rating', /integer/],
    [{ tier: 'bronze' }, 'data.tier', /options/],
    [{ newsletter: 'yes' }, 'data.newsletter', /boolean/],
    [{ newsletter: null }, 'data.newsletter', /required/],
    [{ birthday: '06/05/1970' }, 'data.birthday', /date/],
    [{ work_email: 'not-an-email' }, 'data.work_email', /email/],
    [{ tier: ['gold'] }, 'data.tier', /string/],
  ];
  const before = (await ep(gw, token, 'GET', `/v2/customers/${customer.id}`)).json.data;
  for (const [attrs, source, detail] of cases) {
    const res = await put(`/v2/customers/${customer.id}`, { type: 'customer', name: 'Changed', ...attrs });
    assertError(res, 400, {}, JSON.stringify(attrs));
    assert.equal(res.json.errors[0].source, source, JSON.stringify(attrs));
    assert.match(res.json.errors[0].detail, detail, JSON.stringify(attrs));
  }
  assert.deepEqual((await ep(gw, token, 'GET', `/v2/customers/${customer.id}`)).json.data, before);
  const missing = await post('/v2/customers', { type: 'customer', name: 'No News', email: 'nonews@flows.example' });
  assertError(missing, 400);
  assert.equal(missing.json.errors[0].source, 'data.newsletter');
  const none = await ep(gw, token, 'GET', '/v2/customers?filter=eq(email,nonews@flows.example)');
  assert.equal(none.json.data.length, 0);
});

let address;

test('addresses: custom fields on create, get, update and list', async () => {
  const res = await post(`/v2/customers/${customer.id}/addresses`, { type: 'address', ...fullAddress, door_colour: 'green' });
  assertJson(res, 201);
  address = res.json.data;
  assert.equal(address.door_colour, 'green');
  assert.equal(address.floor, 0, 'default applied');
  const updated = await put(`/v2/customers/${customer.id}/addresses/${address.id}`, { type: 'address', floor: 3 });
  assertJson(updated, 200);
  assert.equal(updated.json.data.floor, 3);
  assert.equal(updated.json.data.door_colour, 'green');
  const bad = await put(`/v2/customers/${customer.id}/addresses/${address.id}`, { type: 'address', floor: 'third' });
  assertError(bad, 400);
  assert.equal(bad.json.errors[0].source, 'data.floor');
  const list = await ep(gw, token, 'GET', `/v2/customers/${customer.id}/addresses`);
  assertJson(list, 200);
  assert.equal(list.json.data[0].floor, 3);
  assert.equal((await ep(gw, token, 'GET', `/v2/customers/${customer.id}/addresses/${address.id}`)).json.data.floor, 3);
});

test('a MicroBase update keeps every custom value', async () => {
  const res = await mb(gw, 'customer.update', { id: customer.id, firstName: 'Ronald', tags: ['vip'] });
  assert.equal(res.json.ok, true, JSON.stringify(res.json));
  const got = (await ep(gw, token, 'GET', `/v2/customers/${customer.id}`)).json.data;
  assert.equal(got.name, 'Ronald Swanson');
  assert.equal(got.rating, 5);
  assert.equal(got.newsletter, false);
  assert.equal(got.birthday, '1970-05-06');
  const a = (await ep(gw, token, 'GET', `/v2/customers/${customer.id}/addresses/${address.id}`)).json.data;
  assert.equal(a.door_colour, 'green');
});

test('a disabled field is neither shown nor accepted; its values are kept for when it is enabled', async () => {
  await put(`/v2/fields/${fields.birthday.id}`, { type: 'field', enabled: false });
  const hidden = (await ep(gw, token, 'GET', `/v2/customers/${customer.id}`)).json.data;
  assert.equal('birthday' in hidden, false);
  await put(`/v2/customers/${customer.id}`, { type: 'customer', birthday: 'not checked, not stored' });
  await put(`/v2/fields/${fields.birthday.id}`, { type: 'field', enabled: true });
  assert.equal((await ep(gw, token, 'GET', `/v2/customers/${customer.id}`)).json.data.birthday, '1970-05-06');
});

test('a second gateway on the same database sees the definitions and values', async () => {
  const other = await startGateway({ db });
  try {
    const t = await epToken(other);
    const got = await ep(other, t, 'GET', `/v2/customers/${customer.id}`);
    assertJson(got, 200);
    assert.equal(got.json.data.rating, 5);
    // A field added through the second gateway reaches the first within the
    // catalog's one-second cache.
    const res = await ep(other, t, 'POST', '/v2/fields', { data: { type: 'field', name: 'Nick', slug: 'nick', field_type: 'string', enabled: true, relationships: flowRel(customersFlow.id) } });
    assertJson(res, 201);
    await sleep(1100);
    const shown = (await ep(gw, token, 'GET', `/v2/customers/${customer.id}`)).json.data;
    assert.equal(shown.nick, null);
  } finally {
    await other.stop();
  }
});

test('export and import carry custom values (Elastic Path records); MicroBase records keep them', async () => {
  const records = await exportRecords(db, 'elastic-path');
  const ron = records.find((r) => r.id === customer.id);
  assert.equal(ron.rating, 5);
  assert.equal(ron.birthday, '1970-05-06');
  assert.equal(ron.addresses[0].floor, 3);
  assert.equal(ron.addresses[0].door_colour, 'green');

  await gw.stop();
  const copy = freshDb(dir, 'copy.db');
  const file = writeLines(dir, 'ep.jsonl', records);
  const imported = await importFile(copy, 'elastic-path', file);
  assert.equal(imported.code, 0, imported.stderr);
  assert.deepEqual(await exportRecords(copy, 'elastic-path'), records, 'export -> import -> export is exact');

  // A MicroBase record cannot carry the values; importing one over the
  // customer changes its name and keeps every custom value.
  const mbRecords = await exportRecords(copy, 'microbase');
  const mbRon = mbRecords.find((r) => r._id === customer.id || r.id === customer.id);
  assert.ok(mbRon, 'the MicroBase export holds the customer');
  assert.equal('rating' in mbRon, false);
  mbRon.firstName = 'Ronny';
  const again = await importFile(copy, 'microbase', writeLines(dir, 'mb.jsonl', [mbRon]));
  assert.equal(again.code, 0, again.stderr);
  assert.equal(summary(again.stdout).updated, 1);
  const after = (await exportRecords(copy, 'elastic-path')).find((r) => r.id === customer.id);
  assert.equal(after.name.startsWith('Ronny'), true);
  assert.equal(after.rating, 5);
  assert.equal(after.addresses[0].floor, 3);
  gw = await startGateway({ db });
});
