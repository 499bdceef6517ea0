// like(name,*x*) and like(email,*x*) through the real binary while customers
// change: creates, renames, email changes and deletes are found (or no longer
// found) at once, `meta.results.total` stays exact, short and non-ASCII
// patterns keep LIKE's rules, and the answers survive a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, epToken, ep, freshDb } from './harness.mjs';

const dir = mkdtempSync(join(tmpdir(), 'gw-substring-'));
const db = freshDb(dir);
let gw;
let token;

before(async () => {
  gw = await startGateway({ db });
  token = await epToken(gw);
});
after(async () => {
  await gw?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function create(name, email) {
  const res = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name, email } });
  assert.equal(res.status, 201, res.text);
  return res.json.data.id;
}

// The ids a filter finds (sorted) and the total the gateway reports.
async function search(filter) {
  const res = await ep(gw, token, 'GET', `/v2/customers?page[limit]=2&filter=${encodeURIComponent(filter)}`);
  assert.equal(res.status, 200, res.text);
  return { ids: res.json.data.map((c) => c.id).sort(), total: res.json.meta.results.total };
}

test('substring filters follow every write and keep LIKE semantics', async () => {
  const april = await create('April Ludgate', 'april@pawnee.gov');
  const andy = await create('Andy Dwyer', 'andy@pawnee.gov');
  const emile = await create('Émile Zolà', 'emile@paris.fr');
  for (let i = 0; i < 5; i += 1) await create(`Ludgate Cousin ${i}`, `cousin${i}@ludgate.example`);

  const lower = await search('like(name,*udgat*)');
  assert.equal(lower.total, 6);
  assert.equal(lower.ids.length, 2, 'a page of 2, the total still 6');
  assert.deepEqual(await search('like(name,*UDGAT*)'), lower);
  assert.deepEqual(await search('like(email,*@PAWNEE.*)'), { ids: [april, andy].sort(), total: 2 });
  assert.deepEqual(await search('like(name,*dw*)'), { ids: [andy], total: 1 });
  // Only ASCII letters fold: É and é are different characters.
  assert.deepEqual(await search('like(name,*ÉMILE*)'), { ids: [emile], total: 1 });
  assert.deepEqual(await search('like(name,*émile*)'), { ids: [], total: 0 });

  const renamed = await ep(gw, token, 'PUT', `/v2/customers/${april}`, {
    data: { type: 'customer', name: 'April Dwyer', email: 'april.dwyer@pawnee.gov' },
  });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal((await search('like(name,*udgat*)')).total, 5);
  assert.deepEqual(await search('like(name,*dwyer)'), { ids: [april, andy].sort(), total: 2 });
  assert.deepEqual(await search('like(email,*april@*)'), { ids: [], total: 0 });
  assert.deepEqual(await search('like(email,*il.dwy*)'), { ids: [april], total: 1 });

  const removed = await ep(gw, token, 'DELETE', `/v2/customers/${andy}`);
  assert.equal(removed.status, 204, removed.text);
  assert.deepEqual(await search('like(name,*dwyer)'), { ids: [april], total: 1 });

  await gw.stop();
  gw = await startGateway({ db });
  token = await epToken(gw);
  assert.deepEqual(await search('like(name,*dwyer)'), { ids: [april], total: 1 });
  assert.equal((await search('like(name,*udgat*)')).total, 5);
});
