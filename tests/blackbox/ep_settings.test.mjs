// GET/PUT /v2/settings through the real binary: page_length (Elastic Path's
// settings reference: default 25, max 100) is the page size of a customer
// listing that names none, shared by every gateway on the database and kept
// across restarts; read-only limits are ignored on PUT as Elastic Path
// does; other services' settings and bad values are 400s that change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startGateway, epToken, ep, request } from './harness.mjs';
import { assertJson, assertError } from './ep_fixtures.mjs';

let dir;
let db;
let gw;
let token;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gw-settings-'));
  db = join(dir, 'gateway.db');
  gw = await startGateway({ db });
  token = await epToken(gw);
  for (let i = 0; i < 30; i += 1) {
    const res = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: `Person ${i}`, email: `p${i}@example.com` } });
    assertJson(res, 201);
  }
});
after(async () => {
  await gw?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const settings = (body) => ep(gw, token, body ? 'PUT' : 'GET', '/v2/settings', body);
const listSize = async (g, t, query = '') => {
  const res = await ep(g, t, 'GET', `/v2/customers${query}`);
  assertJson(res, 200);
  return { count: res.json.data.length, limit: res.json.meta.page.limit, pages: res.json.meta.page.total };
};

test('GET /v2/settings answers the defaults in Elastic Path\'s shape', async () => {
  const res = await settings();
  assertJson(res, 200);
  assert.deepEqual(res.json, {
    data: { type: 'settings', page_length: 25, filter_limit: 10, page_offset_limit: 10000 },
    meta: { owner: 'store' },
  });
  assert.deepEqual(await listSize(gw, token), { count: 25, limit: 25, pages: 2 });
});

test('PUT page_length changes the default page size at once; page[limit] still wins', async () => {
  const res = await settings({ data: { type: 'settings', page_length: 7, currency_limit: 99, page_offset_limit: 5 } });
  assertJson(res, 200);
  assert.equal(res.json.data.page_length, 7);
  assert.equal(res.json.data.page_offset_limit, 10000, 'read-only settings are ignored');
  assert.deepEqual(await listSize(gw, token), { count: 7, limit: 7, pages: 5 });
  assert.deepEqual(await listSize(gw, token, '?page[limit]=0'), { count: 7, limit: 7, pages: 5 });
  assert.deepEqual(await listSize(gw, token, '?page[limit]=12'), { count: 12, limit: 12, pages: 3 });
  const page = await ep(gw, token, 'GET', '/v2/customers');
  assert.match(page.json.links.next, /page\[limit\]=7&page\[offset\]=7/);
  // A PUT without page_length keeps it.
  assertJson(await settings({ data: { type: 'settings' } }), 200);
  assert.equal((await settings()).json.data.page_length, 7);
});

test('bad values and other services\' settings are 400s that change nothing', async () => {
  const cases = [
    [{ data: { type: 'settings', page_length: 0 } }, 'data.page_length', /from 1 to 100/],
    [{ data: { type: 'settings', page_length: 101 } }, 'data.page_length', /from 1 to 100/],
    [{ data: { type: 'settings', page_length: '20' } }, 'data.page_length', /from 1 to 100/],
    [{ data: { type: 'settings', page_length: 20, calculation_method: 'line' } }, 'data.calculation_method', /another Elastic Path service/],
    [{ data: { type: 'settings', page_lenght: 20 } }, 'data.page_lenght', /not a setting/],
    [{ data: { type: 'customer', page_length: 20 } }, 'data.type', /"settings"/],
  ];
  for (const [body, source, detail] of cases) {
    const res = await settings(body);
    assertError(res, 400);
    assert.equal(res.json.errors[0].source, source, JSON.stringify(body));
    assert.match(res.json.errors[0].detail, detail);
  }
  assert.equal((await settings()).json.data.page_length, 7);
});

test('an implicit token may not read or change settings; other methods are 405', async () => {
  const implicit = await epToken(gw, 'implicit');
  assertError(await ep(gw, implicit, 'GET', '/v2/settings'), 403);
  assertError(await ep(gw, implicit, 'PUT', '/v2/settings', { data: { type: 'settings', page_length: 50 } }), 403);
  assertError(await request(gw, 'GET', '/v2/settings'), 401);
  const del = await ep(gw, token, 'DELETE', '/v2/settings');
  assertError(del, 405);
  assert.equal(del.headers.get('allow'), 'GET, PUT');
});

test('page_length is stored: a second gateway on the database and a restart see it', async () => {
  const other = await startGateway({ db });
  try {
    const otherToken = await epToken(other);
    assert.equal((await ep(other, otherToken, 'GET', '/v2/settings')).json.data.page_length, 7);
    assertJson(await ep(other, otherToken, 'PUT', '/v2/settings', { data: { type: 'settings', page_length: 9 } }), 200);
    assert.deepEqual(await listSize(other, otherToken), { count: 9, limit: 9, pages: 4 });
    // The first gateway caches the value for at most a second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.deepEqual(await listSize(gw, token), { count: 9, limit: 9, pages: 4 });
  } finally {
    await other.stop();
  }
  await gw.stop();
  gw = await startGateway({ db });
  token = await epToken(gw);
  assert.equal((await settings()).json.data.page_length, 9);
});
