// MicroBase address methods beyond the reference's own suite: the error
// code and data each method answers, MicroBase's check order, the
// gateway's deliberate departures (address ids are always generated), and
// that every rejected request writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, mb } from './harness.mjs';

let gw;
before(async () => { gw = await startGateway(); });
after(async () => { await gw.stop(); });

const call = (method, args) => mb(gw, method, args);
const fail = (error, data) => ({ ok: false, error, data });
let seq = 0;

const home = {
  name: 'Home', firstName: 'John', lastName: 'Doe', address_1: '1650 Bolman Court', address_2: '10',
  postCode: '61701', city: 'Bloomington', state: 'Illinois', country: 'US', company: 'My Company',
  phone: 2173203531, instructions: 'Instructions',
};
const work = {
  name: 'Work', firstName: 'John', lastName: 'Doe', address_1: 'Colon 20', postCode: '46004',
  city: 'Valencia', state: 'Valencia', country: 'ES', company: 'MyCompany', phone: 961667897,
  instructions: 'Some Instructions',
};

async function create() {
  const res = await call('customer.create', {
    email: `a.${process.pid}.${++seq}@example.com`, password: 'pw', firstName: 'John', lastName: 'Doe',
    addresses: [home],
  });
  assert.equal(res.json.ok, true, res.text);
  return res.json.customer;
}

const info = async (id) => (await call('customer.info', { id })).json.customer;

test('address.create: every new address gets its own id (the reference stores none)', async () => {
  const c = await create();
  const res = await call('customer.address.create', { customerId: c.id, addresses: [work, work, { ...work, id: 'client-id' }] });
  assert.equal(res.json.ok, true, res.text);
  const ids = res.json.customer.addresses.map((a) => a.id);
  assert.equal(ids.length, 4);
  assert.equal(new Set(ids).size, 4);
  assert.ok(!ids.includes('client-id'));
  // Each is then reachable by id, and the customer stays updatable.
  for (const id of ids.slice(1)) {
    const got = await call('customer.address.info', { customerId: c.id, addressId: id });
    assert.equal(got.json.address.city, 'Valencia');
  }
  assert.equal((await call('customer.update', { id: c.id, firstName: 'Jack' })).json.ok, true);
});

test('address.create: an empty list changes nothing; an unknown customer is customer_not_found {customerId}', async () => {
  const c = await create();
  const res = await call('customer.address.create', { customerId: c.id, addresses: [] });
  assert.deepEqual(res.json, { ok: true, customer: c });
  for (const addresses of [[work], []]) {
    const missing = await call('customer.address.create', { customerId: 'nope', addresses });
    assert.deepEqual(missing.json, fail('customer_not_found', { customerId: 'nope' }));
  }
});

test('address.create: the country is checked first (even for an unknown customer), in order, and nothing is written', async () => {
  const c = await create();
  const unknown = await call('customer.address.create', { customerId: 'nope', addresses: [{ ...work, country: 'Spain' }] });
  assert.deepEqual(unknown.json, fail('address_contry_invalid', { address: 'Spain' }));
  const second = await call('customer.address.create', {
    customerId: c.id, addresses: [work, { ...work, country: 'es' }, { ...work, country: 'ESP' }],
  });
  assert.deepEqual(second.json, fail('address_contry_invalid', { address: 'es' }));
  const empty = await call('customer.address.create', { customerId: c.id, addresses: [work, { ...work, postCode: '' }] });
  assert.deepEqual(empty.json, fail('validation_error', ['addresses.1.postCode: Path `postCode` is required.']));
  const typed = await call('customer.address.create', { customerId: c.id, addresses: [{ ...work, phone: '961' }] });
  assert.deepEqual(typed.json, fail('validation_error', ['payload.addresses[0].phone: should be number']));
  assert.deepEqual(await info(c.id), c, 'nothing changed');
});

test('address.info: the address object; customer_not_found {customerId}; address_not_found {customerId, addressId}', async () => {
  const c = await create();
  const res = await call('customer.address.info', { customerId: c.id, addressId: c.addresses[0].id });
  assert.deepEqual(res.json, { ok: true, address: c.addresses[0] });
  assert.deepEqual((await call('customer.address.info', { customerId: 'nope', addressId: c.addresses[0].id })).json,
    fail('customer_not_found', { customerId: 'nope' }));
  assert.deepEqual((await call('customer.address.info', { customerId: c.id, addressId: 'nope' })).json,
    fail('address_not_found', { customerId: c.id, addressId: 'nope' }));
});

test('address.update replaces the whole address, keeping its id', async () => {
  const c = await create();
  const id = c.addresses[0].id;
  const res = await call('customer.address.update', { customerId: c.id, address: { id, ...work, extra: 'dropped' } });
  assert.equal(res.json.ok, true, res.text);
  assert.deepEqual(res.json.customer.addresses, [{ ...work, id }]);
  assert.equal(res.json.customer.addresses[0].address_2, undefined, 'an omitted optional field is gone, as in MicroBase');
  assert.deepEqual(await info(c.id), res.json.customer);
});

test('address.update: country first, then customer_address_not_found {customerId, addressId} for either miss; nothing written', async () => {
  const c = await create();
  const id = c.addresses[0].id;
  const country = await call('customer.address.update', { customerId: 'nope', address: { id: 'nope', ...work, country: 'Spain' } });
  assert.deepEqual(country.json, fail('address_contry_invalid', { address: 'Spain' }));
  assert.deepEqual((await call('customer.address.update', { customerId: 'nope', address: { id, ...work } })).json,
    fail('customer_address_not_found', { customerId: 'nope', addressId: id }));
  assert.deepEqual((await call('customer.address.update', { customerId: c.id, address: { id: 'nope', ...work } })).json,
    fail('customer_address_not_found', { customerId: c.id, addressId: 'nope' }));
  const empty = await call('customer.address.update', { customerId: c.id, address: { id, ...work, city: '' } });
  assert.deepEqual(empty.json, fail('validation_error', ['address.city: Path `city` is required.']));
  const long = await call('customer.address.update', { customerId: c.id, address: { id, ...work, company: 'x'.repeat(300) } });
  assert.equal(long.json.error, 'validation_error');
  assert.match(long.json.data[0], /^addresses\.0\.company: company /);
  assert.deepEqual(await info(c.id), c, 'nothing changed');
});

test('address.remove: removes; an unknown address on a known customer succeeds unchanged; unknown customer is customer_address_not_found', async () => {
  const c = await create();
  const added = (await call('customer.address.create', { customerId: c.id, addresses: [work] })).json.customer;
  const [first, second] = added.addresses;
  const res = await call('customer.address.remove', { customerId: c.id, addressId: first.id });
  assert.deepEqual(res.json, { ok: true, customer: { ...added, addresses: [second] } });
  const again = await call('customer.address.remove', { customerId: c.id, addressId: first.id });
  assert.deepEqual(again.json, { ok: true, customer: { ...added, addresses: [second] } });
  assert.deepEqual((await call('customer.address.remove', { customerId: 'nope', addressId: second.id })).json,
    fail('customer_address_not_found', { customerId: 'nope', addressId: second.id }));
  assert.deepEqual((await info(c.id)).addresses, [second]);
});

test('phone: a number in, the same number out; more than 100 addresses is refused', async () => {
  const c = await create();
  const res = await call('customer.address.create', { customerId: c.id, addresses: [{ ...work, phone: 0 }, { ...work, phone: 123456789012345 }] });
  assert.deepEqual(res.json.customer.addresses.slice(1).map((a) => a.phone), [0, 123456789012345]);
  const many = Array.from({ length: 100 }, () => work);
  const over = await call('customer.address.create', { customerId: c.id, addresses: many });
  assert.deepEqual(over.json, fail('validation_error', ['addresses: at most 100 addresses per customer']));
  assert.equal((await info(c.id)).addresses.length, 3);
});
