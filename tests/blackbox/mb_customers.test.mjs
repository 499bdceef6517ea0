// MicroBase customer methods beyond the reference's own suite: the exact
// validation messages, update's "only what it is given" rules, list filters,
// paging and projection, credentials — and that every rejected request
// writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, mb, ep, epToken } from './harness.mjs';

let gw;
let epTok;
before(async () => { gw = await startGateway(); epTok = await epToken(gw); });
after(async () => { await gw.stop(); });

const call = (method, args, opts) => mb(gw, method, args, opts);
let seq = 0;
const uniqueEmail = (tag = 'c') => `${tag}.${process.pid}.${++seq}@example.com`;

const address = (over = {}) => ({
  name: 'Home', firstName: 'John', lastName: 'Doe', address_1: '1650 Bolman Court', address_2: '10',
  postCode: '61701', city: 'Bloomington', state: 'Illinois', country: 'US', company: 'My Company',
  phone: 2173203531, instructions: 'Instructions', ...over,
});

async function create(over = {}) {
  const res = await call('customer.create', {
    email: uniqueEmail(), password: 'mypassword', firstName: 'John', lastName: 'Doe', tags: ['VIP'],
    addresses: [address()], ...over,
  });
  assert.equal(res.json.ok, true, res.text);
  return res.json.customer;
}

async function info(id) {
  const res = await call('customer.info', { id });
  assert.equal(res.json.ok, true, res.text);
  return res.json.customer;
}

const fail = (error, data) => ({ ok: false, error, data });

test('validation_error messages, as MicroBase\'s ajv words them (first failure only)', async () => {
  const full = { email: 'a@b.co', password: 'p', firstName: 'A', lastName: 'B' };
  const cases = [
    ['customer.create', {}, "payload: should have required property 'email'"],
    ['customer.create', { email: 'a@b.com' }, "payload: should have required property 'password'"],
    ['customer.create', { ...full, email: 1 }, 'payload.email: should be string'],
    ['customer.create', { ...full, tags: 'VIP' }, 'payload.tags: should be array'],
    ['customer.create', { ...full, tags: [1] }, 'payload.tags[0]: should be string'],
    ['customer.create', { ...full, addresses: [{ name: 'H' }] }, "payload.addresses[0]: should have required property 'firstName'"],
    ['customer.create', { ...full, addresses: [address({ phone: '123' })] }, 'payload.addresses[0].phone: should be number'],
    ['customer.create', { ...full, addresses: {} }, 'payload.addresses: should be array'],
    ['customer.create', { ...full, status: 3 }, 'payload.status: should be string'],
    ['customer.info', { id: 5 }, 'payload.id: should be string'],
    ['customer.info', {}, "payload: should have required property 'id'"],
    ['customer.remove', { id: null }, 'payload.id: should be string'],
    ['customer.update', { id: 'x', status: 3 }, 'payload.status: should be string'],
    ['customer.update', { id: 'x', tags: [true] }, 'payload.tags[0]: should be string'],
    ['customer.checkCredentials', { email: 'a@b.co' }, "payload: should have required property 'password'"],
    ['customer.address.create', { customerId: 'x' }, "payload: should have required property 'addresses'"],
    ['customer.address.info', { customerId: 'x' }, "payload: should have required property 'addressId'"],
    ['customer.address.update', { customerId: 'x', address: {} }, "payload.address: should have required property 'id'"],
    ['customer.address.update', { customerId: 'x', address: [] }, 'payload.address: should be object'],
    ['customer.address.update', { customerId: 'x', address: { id: 'a' } }, "payload.address: should have required property 'name'"],
    ['customer.address.remove', { addressId: 'x' }, "payload: should have required property 'customerId'"],
  ];
  for (const [method, args, message] of cases) {
    const res = await call(method, args);
    assert.equal(res.status, 200, method);
    assert.deepEqual(res.json, fail('validation_error', [message]), `${method} ${JSON.stringify(args)}`);
  }
});

test('create: mongoose-level rules (empty required strings, status enum) write nothing', async () => {
  const email = uniqueEmail();
  const base = { email, password: 'pw', firstName: 'A', lastName: 'B' };
  const cases = [
    [{ ...base, firstName: '' }, 'firstName: Path `firstName` is required.'],
    [{ ...base, lastName: '' }, 'lastName: Path `lastName` is required.'],
    [{ ...base, status: 'FOO' }, 'status: `FOO` is not a valid enum value for path `status`.'],
    [{ ...base, status: '' }, 'status: `` is not a valid enum value for path `status`.'],
    [{ ...base, addresses: [address(), address({ city: '' })] }, 'addresses.1.city: Path `city` is required.'],
  ];
  for (const [args, message] of cases) {
    const res = await call('customer.create', args);
    assert.deepEqual(res.json, fail('validation_error', [message]), JSON.stringify(args));
  }
  const listed = await call('customer.list', { email });
  assert.deepEqual(listed.json.data, [], 'nothing was stored');
});

test('create: error data and check order (email, then countries in order)', async () => {
  const email = uniqueEmail();
  const bad = await call('customer.create', { email: 'nope', password: 'p', firstName: 'A', lastName: 'B', addresses: [address({ country: 'XX' })] });
  assert.deepEqual(bad.json, fail('customer_invalid_email', { email: 'nope' }));
  const country = await call('customer.create', {
    email, password: 'p', firstName: 'A', lastName: 'B',
    addresses: [address(), address({ country: 'us' }), address({ country: 'USA' })],
  });
  assert.deepEqual(country.json, fail('address_contry_invalid', { address: 'us' }));
  assert.deepEqual((await call('customer.list', { email })).json.data, [], 'nothing was stored');
});

test('create: ids are generated (a client id is ignored), status defaults to ACTIVE, no password or timestamps', async () => {
  const c = await create({ id: 'mine', addresses: [address({ id: 'a1' }), address({ name: 'Work' })] });
  assert.notEqual(c.id, 'mine');
  assert.equal(c.status, 'ACTIVE');
  assert.deepEqual(Object.keys(c), ['email', 'firstName', 'lastName', 'status', 'tags', 'addresses', 'id']);
  const [a, b] = c.addresses;
  assert.ok(a.id && b.id && a.id !== b.id && a.id !== 'a1');
  assert.equal(a.phone, 2173203531);
  assert.equal(Object.keys(a).at(-1), 'id');
  const inactive = await create({ status: 'INACTIVE', tags: undefined, addresses: undefined });
  assert.equal(inactive.status, 'INACTIVE');
  assert.deepEqual(inactive.tags, []);
  assert.deepEqual(inactive.addresses, []);
});

test('create: duplicate_key, also case-insensitively, writes nothing', async () => {
  const c = await create();
  for (const email of [c.email, c.email.toUpperCase()]) {
    const res = await call('customer.create', { email, password: 'p', firstName: 'X', lastName: 'Y' });
    assert.equal(res.json.ok, false);
    assert.equal(res.json.error, 'duplicate_key');
    assert.equal(typeof res.json.data, 'string');
  }
  const listed = await call('customer.list', { email: c.email });
  assert.deepEqual(listed.json.data.map((x) => x.id), [c.id]);
});

test('update: changes only the fields given; empty strings are ignored; tags: [] clears', async () => {
  const c = await create();
  const res = await call('customer.update', { id: c.id, firstName: '', lastName: 'Smith', status: '', email: '' });
  assert.equal(res.json.ok, true, res.text);
  assert.deepEqual(res.json.customer, { ...c, lastName: 'Smith' });

  const status = await call('customer.update', { id: c.id, status: 'INACTIVE' });
  assert.equal(status.json.customer.status, 'INACTIVE');
  assert.deepEqual(status.json.customer.tags, ['VIP']);

  const tags = await call('customer.update', { id: c.id, tags: ['A', 'B'] });
  assert.deepEqual(tags.json.customer.tags, ['A', 'B']);
  const cleared = await call('customer.update', { id: c.id, tags: [] });
  assert.deepEqual(cleared.json.customer.tags, []);

  const email = uniqueEmail('moved');
  const moved = await call('customer.update', { id: c.id, email });
  assert.equal(moved.json.customer.email, email);
  assert.deepEqual(await info(c.id), { ...c, lastName: 'Smith', status: 'INACTIVE', tags: [], email });
});

test('update: never touches password or addresses', async () => {
  const c = await create();
  const res = await call('customer.update', { id: c.id, password: 'changed', addresses: [] });
  assert.equal(res.json.ok, true);
  assert.deepEqual(res.json.customer.addresses, c.addresses);
  const creds = await call('customer.checkCredentials', { email: c.email, password: 'mypassword' });
  assert.deepEqual(creds.json, { ok: true });
});

test('update: errors in MicroBase\'s order (not found, email, status), each writing nothing', async () => {
  const c = await create();
  const other = await create();
  const missing = await call('customer.update', { id: 'nope', email: 'bad', status: 'FOO' });
  assert.deepEqual(missing.json, fail('customer_not_found', { id: 'nope' }));
  const email = await call('customer.update', { id: c.id, firstName: 'Changed', email: 'bad', status: 'FOO' });
  assert.deepEqual(email.json, fail('customer_invalid_email', { email: 'bad' }));
  const status = await call('customer.update', { id: c.id, firstName: 'Changed', status: 'active' });
  assert.deepEqual(status.json, fail('validation_error', ['status: `active` is not a valid enum value for path `status`.']));
  const dup = await call('customer.update', { id: c.id, firstName: 'Changed', email: other.email.toUpperCase() });
  assert.equal(dup.json.error, 'duplicate_key');
  const long = await call('customer.update', { id: c.id, firstName: 'x'.repeat(256) });
  assert.equal(long.json.error, 'validation_error');
  assert.match(long.json.data[0], /^firstName: /);
  assert.deepEqual(await info(c.id), c, 'nothing changed');
});

test('update: fields only Elastic Path sees survive (external_ref, the verbatim display name)', async () => {
  const email = uniqueEmail('ep');
  const made = await ep(gw, epTok, 'POST', '/v2/customers', {
    data: { type: 'customer', name: 'Ron   Swanson', email, password: 'bacon', external_ref: 'crm-42' },
  });
  assert.equal(made.status, 201, made.text);
  const id = made.json.data.id;
  const epName = async () => (await ep(gw, epTok, 'GET', `/v2/customers/${id}`)).json.data;

  await call('customer.update', { id, status: 'INACTIVE', tags: ['VIP'] });
  assert.equal((await epName()).name, 'Ron   Swanson');
  assert.equal((await epName()).external_ref, 'crm-42');
  // Resending the names MicroBase reads (as the documented example does) keeps EP's name too.
  const same = await call('customer.update', { id, firstName: 'Ron', lastName: 'Swanson', email });
  assert.equal(same.json.ok, true, same.text);
  assert.equal((await epName()).name, 'Ron   Swanson');
  // A real name change recomputes it.
  await call('customer.update', { id, firstName: 'Ronald' });
  const after = await epName();
  assert.equal(after.name, 'Ronald Swanson');
  assert.equal(after.external_ref, 'crm-42');
  assert.equal(after.password, true);
});

test('remove: the customer is gone for both dialects; a second remove is customer_not_found', async () => {
  const c = await create();
  assert.deepEqual((await call('customer.remove', { id: c.id })).json, { ok: true });
  assert.deepEqual((await call('customer.info', { id: c.id })).json, fail('customer_not_found', { id: c.id }));
  assert.equal((await ep(gw, epTok, 'GET', `/v2/customers/${c.id}`)).status, 404);
  assert.deepEqual((await call('customer.remove', { id: c.id })).json, fail('customer_not_found', { id: c.id }));
});

test('checkCredentials: ok / bad_credentials with the email as data', async () => {
  const c = await create();
  assert.deepEqual((await call('customer.checkCredentials', { email: c.email, password: 'mypassword' })).json, { ok: true });
  for (const [email, password] of [[c.email, 'wrong'], [c.email, ''], ['nobody@example.com', 'mypassword']]) {
    const res = await call('customer.checkCredentials', { email, password });
    assert.deepEqual(res.json, fail('bad_credentials', { email }));
  }
  // INACTIVE customers are not refused, as in MicroBase.
  await call('customer.update', { id: c.id, status: 'INACTIVE' });
  assert.deepEqual((await call('customer.checkCredentials', { email: c.email, password: 'mypassword' })).json, { ok: true });
  // A customer created through Elastic Path without a password has no credentials.
  const email = uniqueEmail('nopw');
  await ep(gw, epTok, 'POST', '/v2/customers', { data: { type: 'customer', name: 'No Password', email } });
  assert.equal((await call('customer.checkCredentials', { email, password: '' })).json.error, 'bad_credentials');
});

test('list: IN filters on id, email, status and tags, ANDed; unknown values give data: []', async () => {
  const tag = `t${process.pid}x${++seq}`;
  const a = await create({ tags: [tag, 'red'] });
  const b = await create({ tags: [tag, 'blue'], status: 'INACTIVE' });
  const c = await create({ tags: ['green'] });
  const ids = async (args) => {
    const res = await call('customer.list', args);
    assert.equal(res.json.ok, true, res.text);
    return res.json.data.map((x) => x.id);
  };
  assert.deepEqual(await ids({ id: `${a.id},${c.id}` }), [a.id, c.id]);
  assert.deepEqual(await ids({ email: `${b.email},${c.email}` }), [b.id, c.id]);
  assert.deepEqual(await ids({ tags: tag }), [a.id, b.id]);
  assert.deepEqual(await ids({ tags: `blue,green` }), [b.id, c.id]);
  assert.deepEqual(await ids({ tags: tag, status: 'INACTIVE' }), [b.id]);
  assert.deepEqual(await ids({ id: `${a.id},${b.id},${c.id}`, status: 'ACTIVE,INACTIVE', tags: `red,green` }), [a.id, c.id]);
  assert.deepEqual(await ids({ id: 'HkhhuXESl,HkhhuXES3' }), []);
  assert.deepEqual(await ids({ status: 'active' }), [], 'status is matched exactly');
  assert.deepEqual(await ids({ email: '' }), []);
  // A list given as an array (tags[]=a&tags[]=b) is read as the same list.
  assert.deepEqual(await ids({ tags: ['blue', 'green'] }), [b.id, c.id]);
  assert.deepEqual(await ids({ tags: [] }), []);
  const bad = await call('customer.list', { id: 5 });
  assert.deepEqual(bad.json, fail('validation_error', ['payload.id: should be string']));
});

test('list: limit default 10, at most 100; skip; creation order; page echoes both', async () => {
  const tag = `page${process.pid}x${++seq}`;
  const made = [];
  for (let i = 0; i < 12; i++) made.push((await create({ tags: [tag], addresses: [] })).id);
  const page = async (args) => (await call('customer.list', { tags: tag, ...args })).json;
  let res = await page({});
  assert.deepEqual(res.page, { limit: 10, skip: 0 });
  assert.deepEqual(res.data.map((c) => c.id), made.slice(0, 10));
  res = await page({ limit: 5, skip: 10 });
  assert.deepEqual(res.page, { limit: 5, skip: 10 });
  assert.deepEqual(res.data.map((c) => c.id), made.slice(10));
  // Query-string values are strings; +value as the reference computes it.
  res = (await call('customer.list', {}, { query: { tags: tag, limit: '3', skip: '2' } })).json;
  assert.deepEqual(res.page, { limit: 3, skip: 2 });
  assert.deepEqual(res.data.map((c) => c.id), made.slice(2, 5));
  assert.deepEqual((await page({ limit: 1000 })).page.limit, 100);
  assert.deepEqual((await page({ limit: 0 })).page.limit, 10);
  assert.deepEqual((await page({ limit: 'abc', skip: 'abc' })).page, { limit: 10, skip: 0 });
  res = await page({ limit: -2 });
  assert.deepEqual(res.page.limit, 2, 'MongoDB reads a negative limit as its size');
  assert.equal(res.data.length, 2);
  assert.deepEqual((await page({ skip: 100 })).data, []);
  const negative = await call('customer.list', { skip: -1 });
  assert.deepEqual(negative.json, fail('validation_error', ['payload.skip: should be >= 0']));
});

test('list: fields selects members; -field excludes; id always; unknown names dropped', async () => {
  const c = await create();
  const one = async (fields) => (await call('customer.list', { id: c.id, fields })).json.data[0];
  assert.deepEqual(await one('email,firstName'), { email: c.email, firstName: 'John', id: c.id });
  assert.deepEqual(await one('id'), { id: c.id });
  assert.deepEqual(await one('-addresses,-tags'), { email: c.email, firstName: 'John', lastName: 'Doe', status: 'ACTIVE', id: c.id });
  assert.deepEqual(await one('-id'), c);
  assert.deepEqual(await one('email,password,createdAt'), { email: c.email, id: c.id });
  assert.deepEqual(await one('password,nonsense'), c, 'nothing selectable left: the whole customer');
  assert.deepEqual(await one(''), c);
  const mixed = await call('customer.list', { id: c.id, fields: 'email,-tags' });
  assert.deepEqual(mixed.json, fail('validation_error', ['payload.fields: cannot mix included and excluded fields']));
});
