// GET /v2/customers through the real binary: pagination (meta and absolute
// links, also for zero results), sorting, the filter grammar as the SDK and
// as curl users send it, and the 400s for everything malformed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, epToken, ep } from './harness.mjs';
import { assertJson, assertError, sleep, getWithHeaders } from './ep_fixtures.mjs';

let gw;
let token;
let seed = [];  // every customer, as created (one is updated later)

async function create(name, email, external_ref) {
  const res = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name, email, external_ref } });
  assertJson(res, 201, `seed ${email}`);
  return res.json.data;
}

before(async () => {
  gw = await startGateway();
  token = await epToken(gw);
  seed.push(await create('Ron Swanson', 'ron+1@swanson.com', 'crm-ron'));
  seed.push(await create('Leslie Knope', 'Leslie.Knope@Pawnee.gov', 'crm-leslie'));
  seed.push(await create('Smith, John: Jr (III)', 'john.smith@example.com'));
  seed.push(await create("Food 'n Stuff", 'food@example.com'));
  seed.push(await create('Ron Dunn', 'ron.dunn@example.com'));
  for (let i = 0; i < 25; i += 1) {
    // A few milliseconds apart so created_at orders them (ties fall back to id).
    await sleep(2);
    seed.push(await create(`Person ${String(i).padStart(2, '0')}`, `person.${i}@pawnee.gov`, i % 5 === 0 ? `ref-${i}` : undefined));
  }
});
after(async () => { await gw.stop(); });

// All customers in a given order, computed here from the seed the way the
// gateway promises to order them: the key, then id, both in one direction.
function ordered(key, descending) {
  const value = {
    created_at: (c) => c.meta.timestamps.created_at,
    updated_at: (c) => c.meta.timestamps.updated_at,
    email: (c) => c.email.toLowerCase(),
    name: (c) => c.name.toLowerCase(),
    id: (c) => c.id,
  }[key];
  const cmp = (a, b) => (value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const out = [...seed].sort(cmp);
  return descending ? out.reverse() : out;
}

const list = (query) => ep(gw, token, 'GET', `/v2/customers${query}`);
const ids = (customers) => customers.map((c) => c.id);

// The sorted ids matching a raw (as sent) filter, all on one page.
async function idsFor(filter) {
  const query = `?page[limit]=100&filter=${filter}`;
  const res = await list(query);
  assertJson(res, 200, query);
  return res.json.data.map((c) => c.id).sort();
}
const idsWhere = (pred) => seed.filter(pred).map((c) => c.id).sort();

test('defaults: 25 per page, newest first, meta and links', async () => {
  const res = await list('');
  assertJson(res, 200);
  assert.deepEqual(ids(res.json.data), ids(ordered('created_at', true).slice(0, 25)));
  assert.deepEqual(res.json.meta, { page: { limit: 25, offset: 0, current: 1, total: 2 }, results: { total: 30 } });
  const base = `${gw.url}/v2/customers?page[limit]=25`;
  assert.deepEqual(res.json.links, {
    current: `${base}&page[offset]=0`, first: `${base}&page[offset]=0`, last: `${base}&page[offset]=25`,
    next: `${base}&page[offset]=25`, prev: null,
  });
  assert.deepEqual(res.json.data[0], seed.at(-1), 'listed objects are the full customer objects');
});

test('page[limit] and page[offset] pick a slice; current and total count pages', async () => {
  const all = ordered('created_at', true);
  const res = await list('?page[limit]=10&page[offset]=10');
  assertJson(res, 200);
  assert.deepEqual(ids(res.json.data), ids(all.slice(10, 20)));
  assert.deepEqual(res.json.meta.page, { limit: 10, offset: 10, current: 2, total: 3 });
  assert.equal(res.json.links.prev, `${gw.url}/v2/customers?page[limit]=10&page[offset]=0`);
  assert.equal(res.json.links.next, `${gw.url}/v2/customers?page[limit]=10&page[offset]=20`);
  assert.equal(res.json.links.last, `${gw.url}/v2/customers?page[limit]=10&page[offset]=20`);
  // Encoded brackets work too (the Elastic Path docs use them with curl).
  const encoded = await list('?page%5Blimit%5D=10&page%5Boffset%5D=10');
  assert.deepEqual(ids(encoded.json.data), ids(res.json.data));
  // page[limit]=0 is the default, as @elasticpath/js-sdk sends Limit(0).
  const zero = await list('?page[limit]=0');
  assert.equal(zero.json.meta.page.limit, 25);
  const max = await list('?page[limit]=100');
  assert.equal(max.json.data.length, 30);
  assert.deepEqual(max.json.meta.page, { limit: 100, offset: 0, current: 1, total: 1 });
  assert.equal(max.json.links.next, null);
  assert.equal(max.json.links.prev, null);
  // The links guide: `last` is null when there is only one page.
  assert.equal(max.json.links.last, null);
});

test('following links.next walks every customer exactly once', async () => {
  const prefix = `${gw.url}/v2/customers`;
  let query = '?page[limit]=7&sort=email';
  let expectedCurrent = `${prefix}?page[limit]=7&page[offset]=0&sort=email`;
  const seen = [];
  let pages = 0;
  while (query) {
    const res = await list(query);
    assertJson(res, 200, query);
    pages += 1;
    assert.equal(res.json.meta.page.current, pages);
    assert.equal(res.json.links.current, expectedCurrent);
    seen.push(...ids(res.json.data));
    expectedCurrent = res.json.links.next;
    query = expectedCurrent && expectedCurrent.slice(prefix.length);
  }
  assert.equal(pages, 5);
  assert.deepEqual(seen, ids(ordered('email', false)));
});

test('an offset past the end still answers the pagination fields', async () => {
  const res = await list('?page[offset]=1000');
  assertJson(res, 200);
  assert.deepEqual(res.json.data, []);
  assert.deepEqual(res.json.meta, { page: { limit: 25, offset: 1000, current: 41, total: 2 }, results: { total: 30 } });
  assert.equal(res.json.links.next, null);
  assert.equal(res.json.links.prev, `${gw.url}/v2/customers?page[limit]=25&page[offset]=975`);
  const cap = await list('?page[offset]=10000');
  assertJson(cap, 200);
});

test('zero results: data [], meta and links present', async () => {
  const res = await list('?filter=eq(email,nobody@nowhere.example)');
  assertJson(res, 200);
  assert.deepEqual(res.json.data, []);
  assert.deepEqual(res.json.meta, { page: { limit: 25, offset: 0, current: 1, total: 0 }, results: { total: 0 } });
  const self = `${gw.url}/v2/customers?page[limit]=25&page[offset]=0&filter=eq(email,nobody@nowhere.example)`;
  assert.deepEqual(res.json.links, { current: self, first: self, last: null, next: null, prev: null });
});

test('sort: every key, bare ascending and with - descending', async () => {
  for (const key of ['created_at', 'email', 'id', 'name', 'updated_at']) {
    for (const descending of [false, true]) {
      const res = await list(`?page[limit]=100&sort=${descending ? '-' : ''}${key}`);
      assertJson(res, 200, key);
      assert.deepEqual(ids(res.json.data), ids(ordered(key, descending)), `${descending ? '-' : ''}${key}`);
    }
  }
  const links = (await list('?sort=-name&page[limit]=10')).json.links;
  assert.equal(links.next, `${gw.url}/v2/customers?page[limit]=10&page[offset]=10&sort=-name`);
});

test('bad pagination and sort parameters are 400 naming the parameter', async () => {
  const cases = [
    ['?page[limit]=101', 'page[limit]'], ['?page[limit]=-1', 'page[limit]'], ['?page[limit]=ten', 'page[limit]'],
    ['?page[limit]=1.5', 'page[limit]'], ['?page[limit]=', 'page[limit]'], ['?page[limit]=1&page[limit]=2', 'page[limit]'],
    ['?page[offset]=10001', 'page[offset]'], ['?page[offset]=-5', 'page[offset]'], ['?page[offset]=1e3', 'page[offset]'],
    ['?sort=password', 'sort'], ['?sort=', 'sort'], ['?sort=--email', 'sort'], ['?sort=Email', 'sort'],
    ['?sort=name,email', 'sort'], ['?sort=%FF', 'sort'],
  ];
  for (const [query, source] of cases) {
    assertError(await list(query), 400, { source, title: 'Bad Request' }, query);
  }
});

test('filters: email is case-insensitive, + is a space, %2B is a plus', async () => {
  const ron = seed[0].id;
  assert.deepEqual(await idsFor('eq(email,RON%2B1@SWANSON.COM)'), [ron]);
  assert.deepEqual(await idsFor('eq(email,ron%2B1%40swanson.com)'), [ron]);
  assert.deepEqual(await idsFor('eq%28email%2Cron%2B1%40swanson.com%29'), [ron]);
  assert.deepEqual(await idsFor('eq(email,ron+1@swanson.com)'), [], 'unencoded + is a space');
  assert.deepEqual(await idsFor('eq(email,leslie.knope@pawnee.gov)'), [seed[1].id]);
  assert.deepEqual(await idsFor('like(email,*@pawnee.gov)'), idsWhere((c) => c.email.toLowerCase().endsWith('@pawnee.gov')));
  assert.deepEqual(await idsFor('like(email,PERSON.1*)'), idsWhere((c) => c.email.startsWith('person.1')));
  assert.deepEqual(await idsFor('like(email,*smith*)'), [seed[2].id]);
});

test('filters: name eq and like, quoted operands with punctuation and escapes', async () => {
  assert.deepEqual(await idsFor('eq(name,ron+swanson)'), [seed[0].id]);
  assert.deepEqual(await idsFor('eq(name,"Ron Swanson")'), [seed[0].id]);
  assert.deepEqual(await idsFor('eq(name,%22Ron%20Swanson%22)'), [seed[0].id]);
  assert.deepEqual(await idsFor('like(name,ron*)'), [seed[0].id, seed[4].id].sort());
  assert.deepEqual(await idsFor('like(name,*KNOPE)'), [seed[1].id]);
  assert.deepEqual(await idsFor('like(name,*on*)'), idsWhere((c) => c.name.toLowerCase().includes('on')));
  assert.deepEqual(await idsFor(encodeURIComponent('eq(name,"Smith, John: Jr (III)")')), [seed[2].id]);
  assert.deepEqual(await idsFor(encodeURIComponent("eq(name,'Food \\'n Stuff')")), [seed[3].id]);
  assert.deepEqual(await idsFor(encodeURIComponent("eq(name,Food 'n Stuff)")), [seed[3].id]);
  // Whitespace around names and bare values is dropped.
  assert.deepEqual(await idsFor('eq(%20name%20,%20Ron%20Swanson%20)'), [seed[0].id]);
  // '*' only at the ends is a wildcard; '%' and '_' are plain characters.
  assert.deepEqual(await idsFor('like(name,R_n*)'), []);
  assert.deepEqual(await idsFor('like(name,%25)'), []);
});

test('filters: id, external_ref, and combined with ":"', async () => {
  const pick = seed[7];
  assert.deepEqual(await idsFor(`eq(id,${pick.id})`), [pick.id]);
  assert.deepEqual(await idsFor(`gt(id,${pick.id})`), idsWhere((c) => c.id > pick.id));
  assert.deepEqual(await idsFor(`le(id,${pick.id})`), idsWhere((c) => c.id <= pick.id));
  assert.deepEqual(await idsFor('eq(external_ref,crm-leslie)'), [seed[1].id]);
  assert.deepEqual(await idsFor('eq(external_ref,CRM-LESLIE)'), [], 'external_ref is exact');
  assert.deepEqual(await idsFor('like(email,*@pawnee.gov):like(name,*1*)'),
    idsWhere((c) => c.email.toLowerCase().endsWith('@pawnee.gov') && c.name.includes('1')));
  assert.deepEqual(await idsFor('like(name,ron*):like(email,*@example.com):eq(name,Ron+Dunn)'), [seed[4].id]);
});

test('filters: timestamps as ISO, epoch milliseconds and dates', async () => {
  const pivot = seed[15];
  const iso = pivot.meta.timestamps.created_at;
  const ms = Date.parse(iso);
  const at = (c) => Date.parse(c.meta.timestamps.created_at);
  assert.deepEqual(await idsFor(`ge(created_at,${iso})`), idsWhere((c) => at(c) >= ms));
  assert.deepEqual(await idsFor(`gt(created_at,${iso})`), idsWhere((c) => at(c) > ms));
  assert.deepEqual(await idsFor(`lt(created_at,${ms})`), idsWhere((c) => at(c) < ms));
  assert.deepEqual(await idsFor(`le(created_at,"${ms}")`), idsWhere((c) => at(c) <= ms));
  assert.deepEqual(await idsFor(`eq(created_at,${iso})`), idsWhere((c) => at(c) === ms));
  assert.ok((await idsFor(`eq(created_at,${iso})`)).includes(pivot.id));
  assert.equal((await list('?filter=gt(created_at,2000-01-01)')).json.meta.results.total, 30);
  assert.equal((await list('?filter=lt(created_at,2000-01-01)')).json.meta.results.total, 0);
  const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
  assert.equal((await list(`?filter=lt(created_at,${tomorrow})`)).json.meta.results.total, 30);
  // An offset in the timestamp is honoured: the same instant one hour east.
  const shifted = new Date(ms + 3600000).toISOString().replace('Z', '+01:00');
  assert.deepEqual(await idsFor(`ge(created_at,${encodeURIComponent(shifted)})`), idsWhere((c) => at(c) >= ms));
});

test('filters: updated_at follows a later PUT', async () => {
  const latest = seed.map((c) => c.meta.timestamps.updated_at).sort().at(-1);
  await sleep(5);
  const target = seed[3];
  const res = await ep(gw, token, 'PUT', `/v2/customers/${target.id}`, { data: { type: 'customer', external_ref: 'touched' } });
  assertJson(res, 200);
  seed[3] = res.json.data;
  assert.deepEqual(await idsFor(`gt(updated_at,${latest})`), [target.id]);
  const sorted = await list('?sort=-updated_at&page[limit]=1');
  assert.equal(sorted.json.data[0].id, target.id);
});

test('links keep the filter and sort, re-encoded as valid URLs', async () => {
  const res = await list('?page[limit]=5&sort=-email&filter=like(email,*@pawnee.gov):eq(name,"Person+01")');
  assertJson(res, 200);
  const tail = '&sort=-email&filter=like(email,*@pawnee.gov):eq(name,%22Person%2001%22)';
  assert.equal(res.json.links.current, `${gw.url}/v2/customers?page[limit]=5&page[offset]=0${tail}`);
  // A link, followed, answers the same page.
  const again = await list(res.json.links.current.slice(`${gw.url}/v2/customers`.length));
  assert.deepEqual(again.json, res.json);
});

test('links use the Host header the client sent', async () => {
  const body = await getWithHeaders(gw, '/v2/customers?page[limit]=10', {
    host: 'shop.example.com:8443', authorization: `Bearer ${token}`, 'x-forwarded-proto': 'https',
  });
  // Behind nginx the scheme is the one nginx saw (plain HTTP here), never the client's claim.
  const scheme = process.env.GATEWAY_FRONT === 'nginx' ? 'http' : 'https';
  assert.equal(body.links.next, `${scheme}://shop.example.com:8443/v2/customers?page[limit]=10&page[offset]=10`);
});

test('bad filters are 400 "Could not parse the supplied filter" with a reason', async () => {
  const eleven = Array.from({ length: 11 }, (_, i) => `eq(name,n${i})`).join(':');
  const ten = Array.from({ length: 10 }, (_, i) => `like(name,*${i}*)`).join(':');
  assertJson(await list(`?filter=${ten}`), 200, 'ten filters are fine');
  const bad = [
    'eq(email', 'eq(email,a):', 'eq(email,a)eq(name,b)', 'eq(email,a)::eq(name,b)', 'eq(,a)', 'eq(email,)',
    '(email,a)', 'eq email,a', 'EQ(email,a)', 'eq(Email,a)', 'eq(name,"open', "eq(name,'open)", 'eq(name,a(b))',
    'like(id,abc*)', 'gt(email,a)', 'lt(name,b)', 'like(external_ref,x*)', 'gt(external_ref,x)',
    'in(id,a,b)', 'is_null(external_ref)', 'ne(email,a)', 'eq(password,x)', 'eq(status,ACTIVE)',
    'eq(tags,VIP)', 'eq(name)', 'eq(name,a,b)', 'gt(created_at,yesterday)', 'gt(created_at,2024-02-30T25:00:00Z)',
    'eq(name,%FF)', 'eq(name,%zz)', 'eq(name,%)', eleven,
  ];
  for (const filter of bad) {
    const e = assertError(await list(`?filter=${filter}`), 400, {
      title: 'Bad Request', detail: 'Could not parse the supplied filter', source: 'filter',
    }, filter);
    assert.equal(typeof e.meta?.reason, 'string', filter);
    assert.ok(e.meta.reason.length > 0, filter);
  }
  assertError(await list('?filter=eq(name,a)&filter=eq(name,b)'), 400, { source: 'filter' }, 'two filter parameters');
});

test('the SDK\'s empty Filter({}) and unknown parameters are ignored', async () => {
  const res = await list('?filter=&include=addresses&page[total_method]=exact&useTemplateSlugs=true');
  assertJson(res, 200);
  assert.equal(res.json.meta.results.total, 30);
});

test('request lines over 8 KB are refused with 414 in the JSON:API format', async () => {
  const res = await list(`?filter=eq(name,"${'a'.repeat(8200)}")`);
  assertError(res, 414, { title: 'URI Too Long' });
});
