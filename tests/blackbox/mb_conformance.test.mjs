// MicroBase conformance: every case of the reference service's own black-box
// suite (micro-customer-service src/test/test.js), in its order and with its
// data, against the real binary. As there, each test starts from a store
// holding only the default customer john.doe@gmail.com.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, mb } from './harness.mjs';

let gw;
let defaultCustomerId;
let defaultAddressId;

before(async () => { gw = await startGateway(); });
after(async () => { await gw.stop(); });

const call = (method, args) => mb(gw, method, args);

const home = (country) => ({
  name: 'Home', firstName: 'John', lastName: 'Doe', address_1: '1650 Bolman Court', address_2: '10',
  postCode: '61701', city: 'Bloomington', state: 'Illinois', country, company: 'My Company',
  phone: 2173203531, instructions: 'Instructions',
});

const work = (country) => ({
  name: 'Work', firstName: 'John', lastName: 'Doe', address_1: 'Colon 20', postCode: '46004',
  city: 'Valencia', state: 'Valencia', country, company: 'MyCompany', phone: 961667897,
  instructions: 'Some Instructions',
});

// test.js's createCustomer helper.
function createCustomer(email, country = 'US') {
  return call('customer.create', {
    email, password: 'mypassword', firstName: 'John', lastName: 'Doe', tags: ['VIP'], status: 'ACTIVE',
    addresses: [home(country)],
  });
}

// test.js drops the collection before each test; through the API that is
// listing everything and removing it.
async function dropAll() {
  for (;;) {
    const page = await call('customer.list', { limit: 100, fields: 'id' });
    assert.equal(page.json.ok, true, page.text);
    if (page.json.data.length === 0) return;
    for (const c of page.json.data) {
      const removed = await call('customer.remove', { id: c.id });
      assert.equal(removed.json.ok, true, removed.text);
    }
  }
}

beforeEach(async () => {
  await dropAll();
  const res = await createCustomer('john.doe@gmail.com');
  assert.equal(res.json.ok, true, res.text);
  defaultCustomerId = res.json.customer.id;
  defaultAddressId = res.json.customer.addresses[0].id;
});

function assertAddress(actual, expected) {
  for (const [key, value] of Object.entries(expected)) {
    assert.deepEqual(actual[key], value, `address.${key}`);
  }
}

test('1. create a customer', async () => {
  const res = await createCustomer('test@testemail.com');
  assert.equal(res.status, 200);
  assert.equal(res.json.ok, true);
  const c = res.json.customer;
  assert.equal(typeof c.id, 'string');
  assert.equal(c.email, 'test@testemail.com');
  assert.equal(c.firstName, 'John');
  assert.equal(c.lastName, 'Doe');
  assert.equal(c.status, 'ACTIVE');
  assert.equal(c.tags[0], 'VIP');
  assertAddress(c.addresses[0], home('US'));
  assert.equal(typeof c.addresses[0].phone, 'number');
});

test('2. create fails with an invalid email', async () => {
  const res = await createCustomer('testemail.com');
  assert.equal(res.json.ok, false);
  assert.equal(res.json.error, 'customer_invalid_email');
});

test('3. create fails with an invalid country', async () => {
  const res = await createCustomer('test@testemail.com', 'United States');
  assert.equal(res.status, 200);
  assert.equal(res.json.ok, false);
  assert.equal(res.json.error, 'address_contry_invalid');
});

test('4. customer info', async () => {
  const created = await createCustomer('test1@testemail.com');
  const res = await call('customer.info', { id: created.json.customer.id });
  assert.equal(res.json.ok, true);
  assert.equal(res.json.customer.email, 'test1@testemail.com');
});

test('5. customer info, not found', async () => {
  const res = await call('customer.info', { id: 'id' });
  assert.equal(res.json.ok, false);
  assert.equal(res.json.error, 'customer_not_found');
});

test('6. customer remove', async () => {
  const created = await createCustomer('test1@testemail.com');
  const res = await call('customer.remove', { id: created.json.customer.id });
  assert.equal(res.json.ok, true);
});

test('7. customer remove, not found', async () => {
  const res = await call('customer.remove', { id: 'id' });
  assert.equal(res.json.ok, false);
  assert.equal(res.json.error, 'customer_not_found');
});

test('8. customer update', async () => {
  const created = await createCustomer('testupdate@testemail.com');
  const res = await call('customer.update', {
    id: created.json.customer.id, firstName: 'JohnUpdate', lastName: 'DoeUpdate',
  });
  assert.equal(res.json.ok, true);
  assert.equal(res.json.customer.email, 'testupdate@testemail.com');
  assert.equal(res.json.customer.firstName, 'JohnUpdate');
  assert.equal(res.json.customer.lastName, 'DoeUpdate');
});

test('9. customer update, not found', async () => {
  const res = await call('customer.update', { id: 'id' });
  assert.equal(res.json.ok, false);
  assert.equal(res.json.error, 'customer_not_found');
});

test('10. customer list', async () => {
  const res = await call('customer.list', { email: 'john.doe@gmail.com' });
  assert.equal(res.json.ok, true);
  assert.equal(res.json.data.length, 1);
  assert.equal(res.json.data[0].email, 'john.doe@gmail.com');
});

test('11. customer list without result', async () => {
  const res = await call('customer.list', { email: 'fakeEmail' });
  assert.equal(res.json.ok, true);
  assert.equal(res.json.data.length, 0);
});

test('12. check credentials', async () => {
  await createCustomer('usertest@testemail.com');
  const res = await call('customer.checkCredentials', { email: 'usertest@testemail.com', password: 'mypassword' });
  assert.equal(res.json.ok, true);
});

test('13. check credentials, bad credentials', async () => {
  await createCustomer('usertest@testemail.com');
  const res = await call('customer.checkCredentials', { email: 'usertest@testemail.com', password: 'wrongpassword' });
  assert.equal(res.json.ok, false);
  assert.equal(res.json.error, 'bad_credentials');
});

test('14. create address', async () => {
  const res = await call('customer.address.create', { customerId: defaultCustomerId, addresses: [work('ES')] });
  assert.equal(res.json.ok, true);
  assert.equal(res.json.customer.addresses.length, 2);
  const added = res.json.customer.addresses.find((a) => a.name === 'Work');
  assertAddress(added, work('ES'));
  assert.equal(added.phone, 961667897);
});

test('15. create address, invalid country', async () => {
  const res = await call('customer.address.create', { customerId: defaultCustomerId, addresses: [work('Spain')] });
  assert.equal(res.status, 200);
  assert.equal(res.json.ok, false);
  assert.equal(res.json.error, 'address_contry_invalid');
});

test('16. create address, customer not found', async () => {
  const res = await call('customer.address.create', { customerId: 'id', addresses: [work('ES')] });
  assert.equal(res.status, 200);
  assert.equal(res.json.ok, false);
  assert.equal(res.json.error, 'customer_not_found');
});

test('17. address info', async () => {
  const res = await call('customer.address.info', { customerId: defaultCustomerId, addressId: defaultAddressId });
  assert.equal(res.json.ok, true);
  assert.equal(res.json.address.id, defaultAddressId);
});

test('18. address info, customer not found', async () => {
  const res = await call('customer.address.info', { customerId: 'id', addressId: defaultAddressId });
  assert.equal(res.status, 200);
  assert.equal(res.json.ok, false);
  assert.equal(res.json.error, 'customer_not_found');
});

test('19. address info, address not found', async () => {
  const res = await call('customer.address.info', { customerId: defaultCustomerId, addressId: 'id' });
  assert.equal(res.status, 200);
  assert.equal(res.json.ok, false);
  assert.equal(res.json.error, 'address_not_found');
});

test('20. update address', async () => {
  const res = await call('customer.address.update', {
    customerId: defaultCustomerId, address: { id: defaultAddressId, ...work('ES') },
  });
  assert.equal(res.json.ok, true);
  assert.equal(res.json.customer.addresses.length, 1);
  assertAddress(res.json.customer.addresses[0], work('ES'));
});

test('21. update address, customer not found', async () => {
  const res = await call('customer.address.update', {
    customerId: 'id', address: { id: defaultAddressId, ...work('ES') },
  });
  assert.equal(res.status, 200);
  assert.equal(res.json.ok, false);
  assert.equal(res.json.error, 'customer_address_not_found');
});

test('22. update address, address not found', async () => {
  const res = await call('customer.address.update', {
    customerId: defaultCustomerId, address: { id: 'id', ...work('ES') },
  });
  assert.equal(res.status, 200);
  assert.equal(res.json.ok, false);
  assert.equal(res.json.error, 'customer_address_not_found');
});

test('23. update address, invalid country', async () => {
  const res = await call('customer.address.update', {
    customerId: defaultCustomerId, address: { id: defaultAddressId, ...work('Spain') },
  });
  assert.equal(res.status, 200);
  assert.equal(res.json.ok, false);
  assert.equal(res.json.error, 'address_contry_invalid');
});

test('24. remove address', async () => {
  const res = await call('customer.address.remove', { customerId: defaultCustomerId, addressId: defaultAddressId });
  assert.equal(res.json.ok, true);
  assert.equal(res.json.customer.addresses.length, 0);
});

test('25. remove address, customer not found', async () => {
  const res = await call('customer.address.remove', { customerId: 'id', addressId: defaultAddressId });
  assert.equal(res.status, 200);
  assert.equal(res.json.ok, false);
  assert.equal(res.json.error, 'customer_address_not_found');
});
