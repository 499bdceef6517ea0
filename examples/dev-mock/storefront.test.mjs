// What a storefront's own test suite looks like against the dev mock
// (./start-mock.sh): the fixtures are snapshotted once, and every test starts
// from them, with an empty request journal and no faults. Run it with
//   node --test examples/dev-mock/storefront.test.mjs
// GATEWAY and ADMIN_TOKEN point it elsewhere.
import { test, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

const GATEWAY = process.env.GATEWAY ?? 'http://127.0.0.1:8080';
const ADMIN_TOKEN = process.env.ADMIN_TOKEN ?? 'dev-admin';

async function call(method, path, { body, headers = {}, form } = {}) {
  const init = { method, headers: { ...headers } };
  if (form) init.body = new URLSearchParams(form);
  if (body) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] = 'application/json';
  }
  const res = await fetch(GATEWAY + path, init);
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

const admin = (method, path) =>
  call(method, `/__gateway${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

let token;
before(async () => {
  // The state the fixtures gave the mock at start-up; every test begins there.
  assert.equal((await admin('POST', '/snapshots/fixtures')).status < 300, true);
  const res = await call('POST', '/oauth/access_token', {
    form: { grant_type: 'client_credentials', client_id: 'storefront-dev', client_secret: 'storefront-dev-secret' },
  });
  token = res.json.access_token;
});

beforeEach(async () => {
  await admin('POST', '/snapshots/fixtures/restore');
  await admin('DELETE', '/requests');
  await admin('DELETE', '/faults');
});

const api = (method, path, body, headers = {}) =>
  call(method, path, { body, headers: { authorization: `Bearer ${token}`, ...headers } });

test('registration creates a customer and sends the password only once', async () => {
  const res = await api('POST', '/v2/customers', { data: { type: 'customer', name: 'Ann Perkins', email: 'ann@example.com', password: 'nurse-ann' } });
  assert.equal(res.status, 201);
  const journal = (await admin('GET', '/requests')).json.requests;
  assert.deepEqual(journal.map((r) => `${r.method} ${r.path}`), ['POST /v2/customers']);
  assert.equal(journal[0].json.data.password, '[redacted]');
});

test('each test starts from the fixtures: the customer registered above is gone', async () => {
  const res = await api('GET', '/v2/customers');
  assert.deepEqual(res.json.data.map((c) => c.email).sort(), ['john.doe@gmail.com', 'leslie@pawnee.gov', 'ron@swanson.com']);
});

test('the storefront survives the customer API being down', async () => {
  const res = await api('GET', '/v2/customers', undefined, { 'X-Gateway-Fault': 'status=503' });
  assert.equal(res.status, 503);
  assert.equal(res.json.errors[0].status, 503);
});
