// The real client as a test: the official Elastic Path JavaScript SDKs,
// installed from the npm registry (tests/sdk/package.json) into a scratch
// folder, drive the real binary unchanged but for host and protocol.
//
// Per the SDK research (see docs/elastic-path-v2.md, "Using the official
// SDK"): each instance gets its own `name` and an in-memory storage (the
// default writes ./localStorage and shares credentials between instances),
// `disableCart`, and the shopper instance `fetchMaxAttempts: 1` so an
// expected 401 is not retried for seven seconds.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, CLIENT_ID, CLIENT_SECRET } from './harness.mjs';
import { installSdks, loadSdk, sdkDir } from '../sdk/install.mjs';
import { sleep } from './ep_fixtures.mjs';

installSdks();

// The SDK logs "Token status: ..." through console.info before every request.
console.info = () => {};

const address = {
  first_name: 'Ron', last_name: 'Swanson', name: 'Cabin', line_1: '1 Sunny Street', line_2: 'Unit 101',
  city: 'Sunny Town', county: 'Sunnyville', region: 'Pawnee', postcode: 'SU33 1YY', country: 'GB',
  phone_number: '(555) 555-1234', company_name: 'Very Good Building Company', instructions: 'Leave behind bin',
};

// Awaits a promise the SDK must reject, and returns the JSON:API error it
// rejected with (the SDK rejects with the parsed body, not an Error).
async function rejection(promise) {
  let error;
  await promise.then(
    (value) => assert.fail(`expected a rejection, got ${JSON.stringify(value)}`),
    (e) => { error = e; },
  );
  assert.ok(Array.isArray(error?.errors), `rejected with a JSON:API body: ${JSON.stringify(error)}`);
  return error.errors[0];
}

for (const packageName of ['@moltin/sdk', '@elasticpath/js-sdk']) {
  const sdk = loadSdk(packageName);
  const required = packageName === '@moltin/sdk';

  describe(packageName, { skip: !sdk && !required && `${packageName} did not install` }, () => {
    let gw;
    let admin;  // client_credentials
    let shop;   // implicit
    const tag = packageName.replace(/\W/g, '');
    const email = `ron.${tag}@swanson.com`;
    const password = 'Lagavulin 16';
    let ron;

    before(async () => {
      assert.ok(sdk, `${packageName} must install and load from ${sdkDir}`);
      gw = await startGateway();
      const base = { host: new URL(gw.url).host, protocol: 'http', disableCart: true };
      admin = sdk.gateway({
        ...base, name: `${tag}-admin`, storage: new sdk.MemoryStorageFactory(),
        client_id: CLIENT_ID, client_secret: CLIENT_SECRET,
      });
      shop = sdk.gateway({
        ...base, name: `${tag}-shop`, storage: new sdk.MemoryStorageFactory(),
        client_id: CLIENT_ID, fetchMaxAttempts: 1,
      });
    });
    after(async () => { await gw?.stop(); });

    test('authenticates with client_credentials and with implicit', async () => {
      const now = Math.floor(Date.now() / 1000);
      const a = await admin.Authenticate();
      assert.equal(a.identifier, 'client_credentials');
      assert.equal(a.token_type, 'Bearer');
      assert.ok(a.expires > now && a.expires <= now + 3605, 'expires is epoch seconds');
      const s = await shop.Authenticate();
      assert.equal(s.identifier, 'implicit');
      assert.notEqual(s.access_token, a.access_token);
    });

    test('Customers.Create, Get and Update', async () => {
      ({ data: ron } = await admin.Customers.Create({ name: 'Ron Swanson', email, password }));
      assert.equal(ron.type, 'customer');
      assert.equal(ron.password, true);
      assert.deepEqual((await admin.Customers.Get(ron.id)).data, ron);
      const { data: updated } = await admin.Customers.Update(ron.id, { name: 'Ronald Swanson', external_ref: 'crm-ron' });
      assert.equal(updated.name, 'Ronald Swanson');
      assert.equal(updated.external_ref, 'crm-ron');
      assert.equal(updated.email, email);
      ron = updated;
      const dup = await rejection(admin.Customers.Create({ name: 'Imposter', email: email.toUpperCase() }));
      assert.equal(dup.status, 409);
      assert.equal(dup.title, 'Duplicate email');
    });

    test('Customers.All with Filter, Limit, Offset and Sort', async () => {
      const made = [];
      for (const [name, mail] of [['Tammy Swanson', 'tammy2'], ['Tammy One Swanson', 'tammy1'], ['April Ludgate', 'april']]) {
        await sleep(2);  // distinct created_at, so creation order is the created_at order
        made.push((await admin.Customers.Create({ name, email: `${mail}.${tag}@pawnee.gov` })).data);
      }
      const page = await admin.Customers.Filter({ like: { name: '*swanson' } }).Sort('name').Limit(2).Offset(1).All();
      assert.deepEqual(page.data.map((c) => c.name), ['Tammy One Swanson', 'Tammy Swanson']);
      assert.deepEqual(page.meta, { page: { limit: 2, offset: 1, current: 1, total: 2 }, results: { total: 3 } });
      assert.equal(page.links.next, null);
      assert.match(page.links.prev, /\/v2\/customers\?page\[limit\]=2&page\[offset\]=0&sort=name&filter=like\(name,\*swanson\)$/);

      const byEmail = await admin.Customers.Filter({ eq: { email: email.toUpperCase() } }).All();
      assert.deepEqual(byEmail.data.map((c) => c.id), [ron.id]);
      const both = await admin.Customers.Filter({ eq: { external_ref: 'crm-ron' }, like: { email: '*@swanson.com' } }).All();
      assert.deepEqual(both.data.map((c) => c.id), [ron.id]);
      const later = await admin.Customers.Filter({ gt: { created_at: ron.meta.timestamps.created_at } }).Sort('created_at').All();
      assert.deepEqual(later.data.map((c) => c.id), made.map((c) => c.id));
      const newest = await admin.Customers.Sort('-created_at').Limit(1).All();
      assert.equal(newest.data[0].id, made.at(-1).id);
      assert.equal(newest.meta.results.total, 4);
      const all = await admin.Customers.All();
      assert.equal(all.data.length, 4);
      assert.equal(all.meta.page.limit, 25);

      // The SDK sends filters unencoded and Elastic Path reads a bare '+' as
      // a space, so a plus in an email is written %2B.
      const plus = (await admin.Customers.Create({ name: 'Plus Address', email: `ron+${tag}@swanson.com` })).data;
      const encoded = await admin.Customers.Filter({ eq: { email: `ron%2B${tag}@swanson.com` } }).All();
      assert.deepEqual(encoded.data.map((c) => c.id), [plus.id]);
      const raw = await admin.Customers.Filter({ eq: { email: `ron+${tag}@swanson.com` } }).All();
      assert.deepEqual(raw.data, []);
      await admin.Customers.Delete(plus.id);

      const bad = await rejection(admin.Customers.Filter({ like: { id: 'abc*' } }).All());
      assert.equal(bad.status, 400);
      assert.equal(bad.detail, 'Could not parse the supplied filter');
      const forbidden = await rejection(shop.Customers.All());
      assert.equal(forbidden.status, 403);
      const missing = await rejection(admin.Customers.Get('not-a-customer'));
      assert.equal(missing.status, 404);
    });

    test('TokenViaPassword, then the own record and CustomerAddresses with that token', async () => {
      const { data: tok } = await shop.Customers.TokenViaPassword(email, password);
      assert.equal(tok.type, 'token');
      assert.equal(tok.customer_id, ron.id);
      const customer = tok.customer_id;
      const token = tok.token;

      assert.deepEqual((await shop.Customers.Get(customer, token)).data, ron);
      const { data: renamed } = await shop.Customers.Update(customer, { name: 'Ron Swanson' }, token);
      assert.equal(renamed.name, 'Ron Swanson');
      assert.equal((await rejection(shop.Customers.Get(customer))).status, 403, 'implicit without the token');
      const other = (await admin.Customers.Filter({ eq: { email: `april.${tag}@pawnee.gov` } }).All()).data[0];
      assert.equal((await rejection(shop.Customers.Get(other.id, token))).status, 403, 'the token is for Ron only');

      const { data: created } = await shop.CustomerAddresses.Create({ customer, token, body: address });
      assert.equal(created.type, 'address');
      for (const [k, v] of Object.entries(address)) assert.equal(created[k], v, k);
      assert.deepEqual(created.relationships.customer, { id: customer, type: 'customer' });
      assert.equal(created.links.self, `${gw.url}/v2/customers/${customer}/addresses/${created.id}`);
      assert.deepEqual((await shop.CustomerAddresses.All({ customer, token })).data, [created]);
      assert.deepEqual((await shop.CustomerAddresses.Get({ customer, address: created.id, token })).data, created);
      const { data: moved } = await shop.CustomerAddresses.Update({ customer, address: created.id, token, body: { city: 'Eagleton' } });
      assert.equal(moved.city, 'Eagleton');
      assert.equal(moved.line_1, address.line_1);
      const invalid = await rejection(shop.CustomerAddresses.Update({ customer, address: created.id, token, body: { country: 'Pawnee' } }));
      assert.equal(invalid.status, 400);
      assert.equal(invalid.source, 'data.country');
      await shop.CustomerAddresses.Delete({ customer, address: created.id, token });
      assert.deepEqual((await shop.CustomerAddresses.All({ customer, token })).data, []);
      assert.equal((await rejection(shop.CustomerAddresses.All({ customer: other.id, token }))).status, 403);

      const wrong = await rejection(shop.Customers.TokenViaPassword(email, 'Lagavulin 12'));
      assert.equal(wrong.status, 401);
    });

    test('Customers.Delete', async () => {
      await admin.Customers.Delete(ron.id);
      assert.equal((await rejection(admin.Customers.Get(ron.id))).status, 404);
      assert.equal((await rejection(admin.Customers.Delete(ron.id))).status, 404);
    });
  });
}
