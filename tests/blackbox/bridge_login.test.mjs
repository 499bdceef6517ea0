// Login parity: a password set through either dialect works for Elastic Path
// customer tokens and for MicroBase checkCredentials; a changed password stops
// the old one in both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, epToken, ep, mb } from './harness.mjs';

let gw;
let token;
before(async () => { gw = await startGateway(); token = await epToken(gw); });
after(async () => { await gw.stop(); });

async function epLogin(email, password) {
  return ep(gw, token, 'POST', '/v2/customers/tokens', {
    data: { type: 'token', email, password, authentication_mechanism: 'password' },
  });
}
async function mbLogin(email, password) {
  return (await mb(gw, 'customer.checkCredentials', { email, password })).json;
}

test('a password set through MicroBase logs in through both dialects', async () => {
  const c = await mb(gw, 'customer.create', { email: 'mb-login@example.com', password: 'Corn-dog-42', firstName: 'April', lastName: 'Ludgate' });
  assert.equal(c.json.ok, true);
  const tok = await epLogin('MB-Login@example.com', 'Corn-dog-42');
  assert.equal(tok.status, 200, tok.text);
  assert.equal(tok.json.data.type, 'token');
  assert.equal(tok.json.data.customer_id, c.json.customer.id);
  assert.deepEqual(await mbLogin('mb-login@example.com', 'Corn-dog-42'), { ok: true });
  assert.equal((await epLogin('mb-login@example.com', 'corn-dog-42')).status, 401);
  assert.equal((await mbLogin('mb-login@example.com', 'wrong')).error, 'bad_credentials');
});

test('a password set or changed through Elastic Path logs in through both, and the old one stops', async () => {
  const c = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Andy Dwyer', email: 'ep-login@example.com' } });
  assert.equal(c.status, 201);
  assert.equal(c.json.data.password, false);
  assert.equal((await epLogin('ep-login@example.com', 'anything')).status, 401, 'no password, no login');
  assert.equal((await mbLogin('ep-login@example.com', 'anything')).error, 'bad_credentials');

  const set = await ep(gw, token, 'PUT', `/v2/customers/${c.json.data.id}`, { data: { type: 'customer', password: 'Mouse-Rat-1' } });
  assert.equal(set.status, 200);
  assert.equal(set.json.data.password, true);
  assert.equal((await epLogin('ep-login@example.com', 'Mouse-Rat-1')).status, 200);
  assert.deepEqual(await mbLogin('ep-login@example.com', 'Mouse-Rat-1'), { ok: true });

  const change = await ep(gw, token, 'PUT', `/v2/customers/${c.json.data.id}`, { data: { type: 'customer', password: 'Johnny-Karate-2' } });
  assert.equal(change.status, 200);
  assert.equal((await epLogin('ep-login@example.com', 'Mouse-Rat-1')).status, 401, 'old password stops (EP)');
  assert.equal((await mbLogin('ep-login@example.com', 'Mouse-Rat-1')).error, 'bad_credentials', 'old password stops (MicroBase)');
  assert.equal((await epLogin('ep-login@example.com', 'Johnny-Karate-2')).status, 200);
  assert.deepEqual(await mbLogin('ep-login@example.com', 'Johnny-Karate-2'), { ok: true });
});
