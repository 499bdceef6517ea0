// Concurrent writers: an Elastic Path PUT and a MicroBase customer.update
// racing on the same customer never lose an acknowledged field. Each dialect
// writes its own fields in its own chain of requests; the chains run at the
// same time, many times over, and after every round each field holds the
// value of its chain's last acknowledged write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, epToken, ep, mb, raceWriters } from './harness.mjs';

const ROUNDS = 40;
const CHAIN = 8;
const CUSTOMERS = 4;

let gw;
let token;
before(async () => { gw = await startGateway(); token = await epToken(gw); });
after(async () => { await gw.stop(); });

test('racing EP PUTs and MicroBase updates keep every acknowledged field', async () => {
  const ids = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const c = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: `Race ${i}`, email: `race${i}@example.com` } });
    assert.equal(c.status, 201);
    ids.push(c.json.data.id);
  }
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(ids.map(async (id, k) => {
      const { ref, tags } = await raceWriters({ epGw: gw, token, mbGw: gw, id, round, chain: CHAIN });
      const epView = (await ep(gw, token, 'GET', `/v2/customers/${id}`)).json.data;
      const mbView = (await mb(gw, 'customer.info', { id })).json.customer;
      assert.equal(epView.external_ref, ref, `customer ${k} round ${round}: EP field kept`);
      assert.deepEqual(mbView.tags, tags, `customer ${k} round ${round}: MicroBase field kept`);
      assert.equal(mbView.status, 'INACTIVE', `customer ${k} round ${round}: last status kept`);
      assert.equal(epView.name, `Race ${k}`);
    }));
  }
});
