// The dev mock's admin API (/__gateway/) through the real binary: off
// without an admin token, bearer-only with one; reset, seed, the request
// journal and named snapshots, each checked through both dialects.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, request, epToken, ep, mb, CLIENT_SECRET } from './harness.mjs';

const ADMIN = 'test-admin-token';
let gw;
let token;

const admin = (method, path, { body, headers = {}, auth = ADMIN } = {}) =>
  request(gw, method, `/__gateway${path}`, {
    body, headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...headers },
  });

async function mbCreate(email, extra = {}) {
  const res = await mb(gw, 'customer.create', { email, password: 'mypassword', firstName: 'Mia', lastName: 'Base', ...extra });
  assert.equal(res.json?.ok, true, res.text);
  return res.json.customer;
}

async function epCreate(email) {
  const res = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Eve Path', email, password: 'secret-pass' } });
  assert.equal(res.status, 201, res.text);
  return res.json.data;
}

async function mbEmails() {
  const res = await mb(gw, 'customer.list', { limit: 100, fields: 'email' });
  assert.equal(res.json.ok, true, res.text);
  return res.json.data.map((c) => c.email).sort();
}

async function epEmails() {
  const res = await ep(gw, token, 'GET', '/v2/customers?page[limit]=100');
  assert.equal(res.status, 200, res.text);
  return res.json.data.map((c) => c.email).sort();
}

before(async () => {
  gw = await startGateway({ args: ['--admin-token', ADMIN] });
  token = await epToken(gw);
});
after(() => gw.stop());

test('without an admin token every admin path is an unknown path and changes nothing', async () => {
  const plain = await startGateway();
  try {
    const t = await epToken(plain);
    await ep(plain, t, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Kept', email: 'kept@example.com' } });
    const unknown = await request(plain, 'POST', '/no/such/path');
    for (const [method, path] of [['POST', '/__gateway/reset'], ['POST', '/__gateway/seed?format=microbase'],
      ['GET', '/__gateway/requests'], ['DELETE', '/__gateway/requests'], ['POST', '/__gateway/snapshots/a'],
      ['POST', '/__gateway/faults'], ['GET', '/__gateway']]) {
      const res = await request(plain, method, path, { headers: { authorization: `Bearer ${ADMIN}` }, body: method === 'POST' ? '{}' : undefined });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.deepEqual(res.json, { errors: [{ ...unknown.json.errors[0], detail: `No route matches ${method} ${path.split('?')[0]}` }] });
    }
    const list = await ep(plain, t, 'GET', '/v2/customers');
    assert.deepEqual(list.json.data.map((c) => c.email), ['kept@example.com']);
  } finally {
    await plain.stop();
  }
});

test('GATEWAY_ADMIN_TOKEN enables the API like the flag', async () => {
  const viaEnv = await startGateway({ env: { GATEWAY_ADMIN_TOKEN: 'from-env' } });
  try {
    const res = await request(viaEnv, 'POST', '/__gateway/reset', { headers: { authorization: 'Bearer from-env' } });
    assert.equal(res.status, 200, res.text);
  } finally {
    await viaEnv.stop();
  }
});

test('the admin API needs the admin bearer token; API tokens do not open it', async () => {
  await mbCreate('guarded@example.com');
  for (const auth of [null, 'wrong-token', token]) {
    const res = await admin('POST', '/reset', { auth });
    assert.equal(res.status, 401, res.text);
    assert.match(res.headers.get('www-authenticate'), /^Bearer /);
    assert.equal(res.json.errors[0].status, 401);
  }
  const basic = await admin('POST', '/reset', { auth: null, headers: { authorization: `Basic ${Buffer.from(`x:${ADMIN}`).toString('base64')}` } });
  assert.equal(basic.status, 401);
  assert.deepEqual(await mbEmails(), ['guarded@example.com'], 'a refused call changed nothing');
  assert.equal((await admin('GET', '/nothing')).status, 404);
  assert.equal((await admin('GET', '/reset')).status, 405);
});

test('reset empties the store for both dialects and keeps the credentials', async () => {
  await admin('POST', '/reset');
  await mbCreate('mb-one@example.com', { addresses: [{ name: 'Home', firstName: 'M', address_1: 'x', postCode: '1', city: 'c', state: 's', country: 'GB' }] });
  const e = await epCreate('ep-one@example.com');
  await ep(gw, token, 'POST', `/v2/customers/${e.id}/addresses`, { data: { type: 'address', first_name: 'E', last_name: 'P', line_1: '1 Road', postcode: 'X1', county: 'Y', country: 'GB' } });
  assert.deepEqual(await epEmails(), ['ep-one@example.com', 'mb-one@example.com']);

  const res = await admin('POST', '/reset');
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json, { removed: 2 });
  assert.deepEqual(await epEmails(), []);
  assert.deepEqual(await mbEmails(), []);
  assert.equal((await ep(gw, token, 'GET', `/v2/customers/${e.id}/addresses`)).status, 404);
  // The old token still works and a new one is issued with the same secret.
  assert.equal((await ep(gw, token, 'GET', '/v2/customers')).status, 200);
  assert.equal(typeof (await epToken(gw)), 'string');
  // The freed emails can be taken again.
  await epCreate('ep-one@example.com');
  await mbCreate('mb-one@example.com');
});

test('seed takes a MicroBase export as the body and answers the import report', async () => {
  await admin('POST', '/reset');
  const lines = [
    { _id: 'HkhhuXESl', email: 'john.doe@gmail.com', firstName: 'John', lastName: 'Doe', tags: ['VIP'], status: 'ACTIVE', addresses: [],
      createdAt: { $date: '2017-01-11T18:44:45.123Z' }, updatedAt: { $date: '2017-01-12T09:00:00.000Z' } },
    { _id: 'second001', email: 'second@example.com', firstName: 'Sec', lastName: 'Ond', addresses: [] },
    { _id: 'bademail01', email: 'not-an-email', firstName: 'Bad', lastName: 'Email', addresses: [] },
  ].map((r) => JSON.stringify(r)).join('\n');
  const res = await admin('POST', '/seed?format=microbase', { body: lines });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.format, 'microbase');
  assert.equal(res.json.layout, 'JSON lines');
  assert.deepEqual({ ...res.json, problems: undefined, format: undefined, layout: undefined },
    { records: 3, created: 2, updated: 0, unchanged: 0, rejected: 1, problems: undefined, format: undefined, layout: undefined });
  assert.equal(res.json.problems.length, 1);
  assert.deepEqual({ ...res.json.problems[0], reason: undefined }, { record: 3, line: 3, id: 'bademail01', reason: undefined });
  assert.match(res.json.problems[0].reason, /email must be a valid email address/);

  const john = await mb(gw, 'customer.info', { id: 'HkhhuXESl' });
  assert.equal(john.json.customer.email, 'john.doe@gmail.com');
  const viaEp = await ep(gw, token, 'GET', '/v2/customers/HkhhuXESl');
  assert.equal(viaEp.json.data.name, 'John Doe');
  assert.equal(viaEp.json.data.meta.timestamps.created_at, '2017-01-11T18:44:45.123Z');

  const again = await admin('POST', '/seed?format=microbase', { body: lines });
  assert.deepEqual([again.json.created, again.json.unchanged, again.json.rejected], [0, 2, 1], 'seeding is idempotent');
});

test('seed takes an Elastic Path export (a JSON array) too; bad formats are refused', async () => {
  await admin('POST', '/reset');
  const records = [
    { type: 'customer', id: 'ep-seed-1', name: 'Ron Swanson', email: 'ron@swanson.com', external_ref: 'crm-1' },
    { data: { type: 'customer', id: 'ep-seed-2', name: 'April Ludgate', email: 'april@example.com' } },
  ];
  const res = await admin('POST', '/seed?format=elastic-path', { body: JSON.stringify(records) });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.layout, 'JSON array');
  assert.deepEqual([res.json.records, res.json.created, res.json.rejected], [2, 2, 0]);
  const ron = await mb(gw, 'customer.info', { id: 'ep-seed-1' });
  assert.equal(ron.json.customer.firstName, 'Ron');
  assert.equal((await ep(gw, token, 'GET', '/v2/customers/ep-seed-2')).json.data.email, 'april@example.com');

  for (const q of ['', '?format=csv']) {
    const bad = await admin('POST', `/seed${q}`, { body: JSON.stringify(records) });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.errors[0].detail, 'format must be one of microbase|elastic-path');
  }
  const empty = await admin('POST', '/seed?format=microbase', { body: '' });
  assert.equal(empty.status, 200);
  assert.equal(empty.json.records, 0);
  assert.deepEqual(await mbEmails(), ['april@example.com', 'ron@swanson.com']);
});

test('the request journal records both dialects, newest last, with secrets redacted', async () => {
  assert.equal((await admin('DELETE', '/requests')).status, 204);
  assert.deepEqual((await admin('GET', '/requests')).json, { requests: [] });

  await request(gw, 'POST', '/oauth/access_token', { form: { grant_type: 'client_credentials', client_id: 'test-client', client_secret: CLIENT_SECRET } });
  await mb(gw, 'customer.create', { email: 'journal@example.com', password: 'hunter2-password', firstName: 'J' }, { query: { access_token: 'q-secret' } });
  await ep(gw, token, 'GET', '/v2/customers?page[limit]=1');
  await request(gw, 'GET', '/nowhere');

  const res = await admin('GET', '/requests');
  assert.equal(res.status, 200);
  const entries = res.json.requests;
  assert.deepEqual(entries.map((e) => [e.dialect, e.method, e.path, e.status]), [
    ['elastic-path', 'POST', '/oauth/access_token', 200],
    ['microbase', 'POST', '/services/customer/v1/customer.create', 200],
    ['elastic-path', 'GET', '/v2/customers', 200],
    ['', 'GET', '/nowhere', 404],
  ]);
  assert.deepEqual(entries.map((e) => e.seq), [1, 2, 3, 4].map((n) => entries[0].seq + n - 1));
  assert.deepEqual(entries[0].form, { grant_type: 'client_credentials', client_id: 'test-client', client_secret: '[redacted]' });
  assert.deepEqual(entries[1].json, { email: 'journal@example.com', password: '[redacted]', firstName: 'J' });
  assert.equal(entries[1].query, 'access_token=[redacted]');
  assert.equal(entries[1].headers.authorization, 'Bearer [redacted]');
  assert.equal(entries[2].query, 'page[limit]=1');
  assert.match(entries[0].time, /^\d{4}-\d\d-\d\dT/);
  assert.equal(typeof entries[0].duration_ms, 'number');
  const raw = JSON.stringify(entries);
  for (const secret of [CLIENT_SECRET, 'hunter2-password', 'q-secret', token]) assert.ok(!raw.includes(secret), secret);
  assert.ok(!raw.includes('__gateway'), 'admin calls are not journaled');

  const later = await admin('GET', `/requests?after=${entries[2].seq}`);
  assert.deepEqual(later.json.requests.map((e) => e.path), ['/nowhere']);
  assert.equal((await admin('GET', '/requests?after=x')).status, 400);
  await admin('DELETE', '/requests');
  assert.deepEqual((await admin('GET', '/requests')).json.requests, []);
});

test('the journal is bounded: the oldest entries drop off', async () => {
  await admin('DELETE', '/requests');
  for (let i = 0; i < 1005; i += 1) await request(gw, 'GET', `/nowhere/${i}`);
  const entries = (await admin('GET', '/requests')).json.requests;
  assert.equal(entries.length, 1000);
  assert.equal(entries[0].path, '/nowhere/5');
  assert.equal(entries.at(-1).path, '/nowhere/1004');
});

test('snapshots: take, change through both dialects, restore exactly, list and delete', async () => {
  await admin('POST', '/reset');
  const kept = await mbCreate('snap-mb@example.com', { tags: ['A'] });
  const keptEp = await epCreate('snap-ep@example.com');
  const taken = await admin('POST', '/snapshots/base-state');
  assert.equal(taken.status, 201, taken.text);
  assert.deepEqual(taken.json, { name: 'base-state', customers: 2 });

  await mb(gw, 'customer.remove', { id: kept.id });
  await ep(gw, token, 'PUT', `/v2/customers/${keptEp.id}`, { data: { type: 'customer', name: 'Changed Name' } });
  await epCreate('snap-new@example.com');
  assert.deepEqual(await mbEmails(), ['snap-ep@example.com', 'snap-new@example.com']);

  const restored = await admin('POST', '/snapshots/base-state/restore');
  assert.equal(restored.status, 200, restored.text);
  assert.deepEqual(restored.json, { name: 'base-state', removed: 2, customers: 2 });
  assert.deepEqual(await epEmails(), ['snap-ep@example.com', 'snap-mb@example.com']);
  const back = await mb(gw, 'customer.info', { id: kept.id });
  assert.deepEqual(back.json.customer, kept, 'restored exactly: id, timestamps, tags');
  assert.equal((await ep(gw, token, 'GET', `/v2/customers/${keptEp.id}`)).json.data.name, 'Eve Path');
  // The password hash came back too: the restored customer can log in.
  const login = await mb(gw, 'customer.checkCredentials', { email: 'snap-mb@example.com', password: 'mypassword' });
  assert.equal(login.json.ok, true, login.text);

  assert.equal((await admin('POST', '/snapshots/base-state')).status, 200, 'retaking replaces');
  await admin('POST', '/snapshots/other');
  assert.deepEqual((await admin('GET', '/snapshots')).json, { snapshots: [{ name: 'base-state', customers: 2 }, { name: 'other', customers: 2 }] });
  assert.equal((await admin('DELETE', '/snapshots/other')).status, 204);
  assert.equal((await admin('DELETE', '/snapshots/other')).status, 404);
  const missing = await admin('POST', '/snapshots/none/restore');
  assert.equal(missing.status, 404);
  assert.equal(missing.json.errors[0].detail, 'No snapshot named none');
  assert.equal((await admin('POST', '/snapshots/bad%20name')).status, 400);
  assert.deepEqual(await epEmails(), ['snap-ep@example.com', 'snap-mb@example.com'], 'failed calls changed nothing');
});
