// Hostile input: several hundred malformed, oversized, mistyped and abusive
// requests across both dialects. Each must be refused in the caller's own
// error format — Elastic Path a 4xx with a JSON:API `errors` array whose
// integer status matches; MicroBase `ok:false` with an error code, on HTTP 200
// for application errors (MicroBase's convention) or a 4xx — never a 5xx, and
// change nothing: the customer count and a fixture customer seen through both
// dialects are checked after every request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startGateway, epToken, request, mbToken, signJwt, b64url, JWT_SECRET } from './harness.mjs';

let gw;
let token;
let fixture;      // { id, ep, mb }: the customer every update case aims at
let count;        // customers in the store
let sent = 0;

before(async () => {
  gw = await startGateway();
  token = await epToken(gw);
  const created = await request(gw, 'POST', '/v2/customers', {
    headers: auth(),
    body: { data: { type: 'customer', name: 'Fixture Person', email: 'fixture@example.com', password: 'fixture-pw' } },
  });
  assert.equal(created.status, 201, created.text);
  fixture = { id: created.json.data.id };
  const mbCreated = await mbCall('customer.create', {
    json: { email: 'mb.fixture@example.com', password: 'pw', firstName: 'Mb', lastName: 'Fixture', tags: ['t'], addresses: [mbAddress()] },
  });
  assert.equal(mbCreated.json.ok, true, mbCreated.text);
  fixture.address = mbCreated.json.customer.addresses[0].id;
  fixture.mbId = mbCreated.json.customer.id;
  fixture.snapshot = await snapshot();
  count = await customerCount();
});
after(async () => { await gw?.stop(); });

function auth() { return { authorization: `Bearer ${token}` }; }
function mbAddress(over = {}) {
  return { name: 'Home', firstName: 'Mb', address_1: '1 Road', postCode: '46001', city: 'Valencia', state: 'V', country: 'ES', ...over };
}

async function customerCount() {
  const res = await request(gw, 'GET', '/v2/customers?page[limit]=1', { headers: auth() });
  assert.equal(res.status, 200, res.text);
  return res.json.meta.results.total;
}

// Both fixtures as each dialect sees them.
async function snapshot() {
  const a = await request(gw, 'GET', `/v2/customers/${fixture.id}`, { headers: auth() });
  const b = await mbCall('customer.info', { json: { id: fixture.mbId } });
  const c = await request(gw, 'GET', `/v2/customers/${fixture.mbId}/addresses`, { headers: auth() });
  return JSON.stringify([a.json, b.json, c.json]);
}

// A MicroBase call with a raw body: `json` (object or text), `form` (raw
// text) or nothing; `query` is raw text appended after '?'.
function mbCall(method, { json, form, query, headers = {}, verb = 'POST' } = {}) {
  const h = { authorization: `Bearer ${mbToken()}`, ...headers };
  let body;
  if (json !== undefined) {
    body = typeof json === 'string' ? json : JSON.stringify(json);
    h['content-type'] ??= 'application/json';
  } else if (form !== undefined) {
    body = form;
    h['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  return raw(verb, `/services/customer/v1/${method}${query ? '?' + query : ''}`, h, body);
}

// Sends bytes exactly as given (a string body is sent as latin1 when it
// holds raw bytes, see bytes()).
async function raw(method, path, headers, body) {
  const init = { method, headers };
  if (body !== undefined) init.body = body;
  const res = await fetch(gw.url + path, init);
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

// A body holding arbitrary bytes (e.g. invalid UTF-8).
function bytes(text) { return Buffer.from(text, 'latin1'); }

function assertEpRefused(res, context) {
  assert.ok(res.status >= 400 && res.status < 500, `${context}: want 4xx, got ${res.status} ${res.text.slice(0, 300)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/(vnd\.api\+)?json/, context);
  assert.ok(Array.isArray(res.json?.errors) && res.json.errors.length > 0, `${context}: errors array in ${res.text.slice(0, 300)}`);
  for (const e of res.json.errors) {
    assert.equal(e.status, res.status, `${context}: integer status inside`);
    assert.equal(typeof e.detail, 'string', context);
  }
}

function assertMbRefused(res, context) {
  assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500),
    `${context}: want 200 or 4xx, got ${res.status} ${res.text.slice(0, 300)}`);
  assert.equal(res.json?.ok, false, `${context}: ok:false in ${res.text.slice(0, 300)}`);
  assert.equal(typeof res.json.error, 'string', context);
  assert.notEqual(res.json.error, 'internal_error', context);
}

async function assertNothingChanged(context) {
  assert.equal(await customerCount(), count, `${context}: customer count changed`);
  assert.equal(await snapshot(), fixture.snapshot, `${context}: fixture changed`);
}

// Every case runs even when an earlier one fails, so one run lists every
// defect; each test ends by asserting that none was found.
const failures = [];
async function check(context, send, assertRefused) {
  sent += 1;
  try {
    const res = await send();
    assertRefused(res, context);
    await assertNothingChanged(context);
  } catch (err) {
    failures.push(err.message.split('\n')[0]);
    count = await customerCount();
    fixture.snapshot = await snapshot();
  }
}

function assertNoFailures() {
  const found = failures.splice(0);
  assert.deepEqual(found, [], `${found.length} hostile requests were not refused cleanly`);
}

function epCase(context, method, path, body, headers = {}) {
  const h = { ...auth(), ...headers };
  if (body !== undefined && !Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
  const payload = body === undefined || typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return check(context, () => raw(method, path, h, payload), assertEpRefused);
}

function mbCase(context, method, args) {
  return check(context, () => mbCall(method, args), assertMbRefused);
}

const BROKEN_JSON = [
  '', '{', '}', '{"data":', '{"data":{', '{"data":{"type":"customer",}}', "{'data':{}}", '{"data":{"type":"customer"}',
  '{"data" {"type":"customer"}}', '{"data":{"type":"customer","name":"A" "email":"b@c.de"}}', 'null', 'true', '42', '"str"',
  '[]', '[{"data":{}}]', '{"data":[1,2,]}', '{"data":{"name":"\\x41"}}', '{"data":{"name":"\\u12"}}', '{"data":{"name":"\\ud800"}}',
  '{"data":NaN}', '{"data":Infinity}', '{"data":-}', '{"data":01}', '{"data":{"name":"a\tb"}}', '{"data":{"name":"a\nb"}}',
  '\u0000{}', '{}\u0000', '{"data":{}} {"data":{}}', '{"a":1}garbage', '/* c */{"data":{}}', '{"data":{"type":"customer"}}}',
  '\uFEFF{"data":{}}', '{"data":tru}', '{"data":nul}', '{"data":"unterminated}', '{"data":{"name":"x"}}]',
];

function nested(depth, open = '[', close = ']') { return open.repeat(depth) + close.repeat(depth); }
function nestedObject(depth) { return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth); }
const NESTED = [
  nested(64), nested(1000), nested(100000), nested(100000, '[', ''), nestedObject(1000), nestedObject(50000),
  `{"data":${nested(5000)}}`, `{"data":{"type":"customer","name":${nestedObject(3000)}}}`,
];

const WRONG_TYPES = [];
for (const value of [1, -1.5, true, false, null, [], ['a'], {}, { a: 1 }, 1e308]) {
  WRONG_TYPES.push(['name', value], ['email', value]);
  // A null external_ref or password clears it; any other non-string is wrong.
  if (value !== null) WRONG_TYPES.push(['type', value], ['password', value], ['external_ref', value]);
}
WRONG_TYPES.push(['name', ''], ['email', ''], ['type', ''], ['type', 'Customer'], ['type', 'address']);

const HUGE = ['1e400', '-1e400', '123456789012345678901234567890123456789', '9223372036854775808', '-9223372036854775809',
  '1.7976931348623157e309', '0.' + '0'.repeat(5000) + '1', '1' + '0'.repeat(10000)];

// A tab is whitespace to the name rule and allowed; these are not.
const NUL_AND_CONTROL = ['a\u0000b', '\u0000', 'line\nbreak', 'cr\rhere', '\u001b[31mred', 'del\u007f', 'c1\u0085', 'bell\u0007'];

const SQL = [`'; DROP TABLE customers; --`, `" OR 1=1 --`, `x') OR ('1'='1`, `%' OR 1=1 --`, `\\'; SELECT sqlite_version(); --`];

test('Elastic Path: broken, nested, mistyped and oversized customer bodies', async () => {
  for (const [i, body] of BROKEN_JSON.entries()) {
    await epCase(`broken JSON #${i} create`, 'POST', '/v2/customers', body);
    await epCase(`broken JSON #${i} update`, 'PUT', `/v2/customers/${fixture.id}`, body);
  }
  for (const [i, body] of NESTED.entries()) {
    await epCase(`nested #${i} create`, 'POST', '/v2/customers', body);
    await epCase(`nested #${i} address`, 'POST', `/v2/customers/${fixture.mbId}/addresses`, body);
  }
  const valid = { type: 'customer', name: 'Hostile Person', email: 'hostile@example.com' };
  for (const [field, value] of WRONG_TYPES) {
    await epCase(`create ${field}=${JSON.stringify(value)}`, 'POST', '/v2/customers', { data: { ...valid, [field]: value } });
    if (field !== 'password') {
      await epCase(`update ${field}=${JSON.stringify(value)}`, 'PUT', `/v2/customers/${fixture.id}`, { data: { type: 'customer', [field]: value } });
    }
  }
  for (const data of [null, 'x', 1, [], [valid], true]) {
    await epCase(`data=${JSON.stringify(data)}`, 'POST', '/v2/customers', { data });
  }
  for (const [field, length] of [['name', 256], ['name', 100000], ['email', 255], ['external_ref', 2049], ['password', 1025]]) {
    const value = field === 'email' ? 'a'.repeat(length - 12) + '@example.com' : 'x'.repeat(length);
    await epCase(`overlong ${field} (${length})`, 'POST', '/v2/customers', { data: { ...valid, [field]: value } });
  }
  for (const number of HUGE) {
    await epCase(`huge number ${number.slice(0, 20)} as name`, 'POST', '/v2/customers', `{"data":{"type":"customer","name":${number},"email":"h@example.com"}}`);
  }
  for (const text of NUL_AND_CONTROL) {
    for (const field of ['name', 'external_ref']) {
      await epCase(`control ${JSON.stringify(text)} in ${field} create`, 'POST', '/v2/customers', { data: { ...valid, [field]: text } });
      await epCase(`control ${JSON.stringify(text)} in ${field} update`, 'PUT', `/v2/customers/${fixture.id}`, { data: { type: 'customer', [field]: text } });
    }
    await epCase(`control ${JSON.stringify(text)} in email`, 'POST', '/v2/customers', { data: { ...valid, email: `a${text}@example.com` } });
  }
  for (const invalid of ['\xff', 'J\xf6rg', '\xc3(', '\xed\xa0\x80', '\xf4\x90\x80\x80', '\xc0\xaf']) {
    await epCase(`invalid UTF-8 ${JSON.stringify(invalid)}`, 'POST', '/v2/customers',
      bytes(`{"data":{"type":"customer","name":"${invalid}","email":"u@example.com"}}`));
  }
  for (const sql of SQL) {
    await epCase(`SQL in email ${sql}`, 'POST', '/v2/customers', { data: { ...valid, email: sql } });
    await epCase(`SQL in id ${sql}`, 'GET', `/v2/customers/${encodeURIComponent(sql)}`);
    await epCase(`SQL in id (PUT) ${sql}`, 'PUT', `/v2/customers/${encodeURIComponent(sql)}`, { data: { type: 'customer', name: 'X' } });
  }
  assertNoFailures();
});

test('Elastic Path: filter grammar and query abuse', async () => {
  const filters = [
    'eq(email', 'eq(email,a', 'eq(email,a))', 'eq email,a', '()', 'eq()', 'eq(,)', ':', 'eq(email,a):', ':eq(email,a)',
    'eq(email,a)::eq(name,b)', 'nope(email,a)', 'eq(password,x)', 'eq(password_hash,x)', 'like(id,x)', 'gt(email,a)',
    'eq(email,a,b)', 'eq(email)', 'in(email,a,b)', 'eq(nosuchfield,a)', 'eq(email,"unterminated)', "eq(email,'a)",
    'eq(email,(a))', 'eq(created_at,yesterday)', 'gt(created_at,2024-13-45)', 'lt(updated_at,1e400)',
    'eq(email,a)'.repeat(2), Array(11).fill('eq(email,a)').join(':'), 'eq('.repeat(1000), ')'.repeat(1000),
    `eq(email,x') OR 1=1--)`, `eq(email;DROP TABLE customers,x)`, `eq(email,x)) OR ((1=1`, 'eq(email,a)\u0000', 'eq(em\u0000ail,a)',
    `eq(email) union select * from customers`, 'eq(email,%ZZ)', 'eq(id,' + 'a'.repeat(10000) + ')',
  ];
  for (const f of filters) {
    const q = f === 'eq(email,%ZZ)' ? 'filter=eq(email,%ZZ)' : `filter=${encodeURIComponent(f)}`;
    await epCase(`filter ${f.slice(0, 40)}`, 'GET', `/v2/customers?${q}`);
  }
  for (const q of ['page[limit]=-1', 'page[limit]=abc', 'page[limit]=1e400', 'page[offset]=-5', 'page[offset]=99999999999999999999999',
    'page[limit]=0x10', 'sort=password', 'sort=nosuch', 'sort=--email', 'filter=%FF', 'filter=eq(email,%C3%28)', 'page[limit]=%00']) {
    await epCase(`query ${q}`, 'GET', `/v2/customers?${q}`);
  }
  assertNoFailures();
});

test('Elastic Path: header and token abuse', async () => {
  const now = Math.floor(Date.now() / 1000);
  const claims = { scope: 'client_credentials', iat: now, exp: now + 3600 };
  const good = signJwt(claims, JWT_SECRET);
  const [h, p, s] = good.split('.');
  const tokens = [
    '', 'x', 'a.b', 'a.b.c', 'a.b.c.d', good + 'A', `${h}.${p}.`, `${h}..${s}`, `.${p}.${s}`,
    signJwt(claims, 'wrong-secret'), signJwt({ ...claims, exp: now - 10 }, JWT_SECRET),
    signJwt(claims, JWT_SECRET, { alg: 'HS384', typ: 'JWT' }), signJwt(claims, JWT_SECRET, { alg: 'HS512', typ: 'JWT' }),
    `${b64url(JSON.stringify({ alg: 'none' }))}.${p}.`, `${b64url(JSON.stringify({ alg: 'none' }))}.${p}.${s}`,
    `${b64url('not json')}.${p}.${s}`, `${h}.${b64url('not json')}.${s}`, `${h}.${p}.${s}==`, `${h}.${p}.${s.replace(/-/g, '+')}+`,
    'A'.repeat(6000),
  ];
  // The last signature character carries two unused bits: set them.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  tokens.push(good.slice(0, -1) + alphabet[alphabet.indexOf(good.at(-1)) + 1]);
  for (const t of tokens) {
    for (const scheme of ['Bearer ', 'bearer  ']) {
      await epCase(`token ${t.slice(0, 30)}`, 'POST', '/v2/customers', { data: { type: 'customer', name: 'T', email: 't@example.com' } },
        { authorization: scheme + t });
    }
  }
  for (const authorization of ['Basic dGVzdDp0ZXN0', 'Bearer', 'Token abc', `Bearer ${good} extra`]) {
    await epCase(`authorization ${authorization.slice(0, 30)}`, 'POST', '/v2/customers', { data: { type: 'customer', name: 'T', email: 't2@example.com' } },
      { authorization });
  }
  // Elastic Path reads a JSON body whatever its Content-Type says; a
  // multipart one is refused by the HTTP layer before the dialect.
  const body = JSON.stringify({ data: { type: 'customer', name: 'T', email: 't3@example.com' } });
  await epCase('content-type multipart', 'POST', '/v2/customers', body, { 'content-type': 'multipart/form-data; boundary=x' });
  await oversized('/v2/customers', `Bearer ${token}`, `{"data":{"type":"customer","name":"${'x'.repeat(1100000)}"}}`, assertEpRefused);
  await epCase('token endpoint: wrong grant', 'POST', '/oauth/access_token', 'grant_type=password&client_id=x',
    { 'content-type': 'application/x-www-form-urlencoded' });
  await epCase('token endpoint: bad secret', 'POST', '/oauth/access_token', 'grant_type=client_credentials&client_id=test-client&client_secret=%00',
    { 'content-type': 'application/x-www-form-urlencoded' });
  assertNoFailures();
});

test('MicroBase: broken, nested, mistyped and oversized arguments', async () => {
  const full = { email: 'mbhostile@example.com', password: 'pw', firstName: 'Mb', lastName: 'Hostile' };
  for (const [i, body] of BROKEN_JSON.entries()) {
    if (body === '' || body === '[]' || body.startsWith('[{')) continue;  // empty and arrays are read, then refused by the schema below
    await mbCase(`broken JSON #${i}`, 'customer.create', { json: body });
  }
  await mbCase('JSON array', 'customer.create', { json: '[]' });
  await mbCase('empty body', 'customer.create', { json: '' });
  for (const [i, body] of NESTED.entries()) await mbCase(`nested #${i}`, 'customer.create', { json: body });
  for (const field of ['email', 'password', 'firstName', 'lastName', 'status', 'tags', 'addresses']) {
    for (const value of [1, true, null, {}, field === 'tags' || field === 'addresses' ? 'x' : [], 1e308]) {
      await mbCase(`create ${field}=${JSON.stringify(value)}`, 'customer.create', { json: { ...full, [field]: value } });
    }
  }
  for (const field of ['id', 'email', 'firstName', 'status', 'tags']) {
    for (const value of [1, false, {}, field === 'tags' ? 'x' : [1]]) {
      await mbCase(`update ${field}=${JSON.stringify(value)}`, 'customer.update', { json: { id: field === 'id' ? value : fixture.mbId, ...(field === 'id' ? {} : { [field]: value }) } });
    }
  }
  for (const [field, value] of [['firstName', 'x'.repeat(300)], ['lastName', 'y'.repeat(100000)], ['email', 'a'.repeat(250) + '@example.com'],
    ['password', 'p'.repeat(1025)], ['tags', Array(101).fill('t')], ['tags', ['t'.repeat(256)]], ['addresses', Array(101).fill(mbAddress())]]) {
    await mbCase(`overlong ${field}`, 'customer.create', { json: { ...full, [field]: value } });
  }
  for (const over of [{ country: 'XX' }, { phone: 'nope' }, { city: 'a'.repeat(300) }, { firstName: 5 }, { name: '\u0000' }, { city: 'Val\u0007encia' }]) {
    await mbCase(`address ${JSON.stringify(over).slice(0, 40)}`, 'customer.address.create', { json: { customerId: fixture.mbId, addresses: [mbAddress(over)] } });
    await mbCase(`address update ${JSON.stringify(over).slice(0, 40)}`, 'customer.address.update', { json: { customerId: fixture.mbId, address: { id: fixture.address, ...over } } });
  }
  for (const number of HUGE) {
    await mbCase(`huge number ${number.slice(0, 20)}`, 'customer.create', { json: `{"email":"n@example.com","password":"p","firstName":${number},"lastName":"L"}` });
  }
  for (const text of NUL_AND_CONTROL) {
    await mbCase(`control ${JSON.stringify(text)} in firstName (JSON)`, 'customer.create', { json: { ...full, firstName: text } });
    await mbCase(`control ${JSON.stringify(text)} in lastName (update)`, 'customer.update', { json: { id: fixture.mbId, lastName: text } });
    await mbCase(`control ${JSON.stringify(text)} in tag`, 'customer.update', { json: { id: fixture.mbId, tags: [text] } });
    await mbCase(`control ${JSON.stringify(text)} in firstName (form)`, 'customer.create',
      { form: new URLSearchParams({ ...full, firstName: text }).toString() });
  }
  for (const sql of SQL) {
    await mbCase(`SQL in email ${sql}`, 'customer.create', { json: { ...full, email: sql } });
    await mbCase(`SQL in id ${sql}`, 'customer.info', { json: { id: sql } });
    await mbCase(`SQL in update id ${sql}`, 'customer.update', { json: { id: sql, firstName: 'X' } });
  }
  assertNoFailures();
});

test('MicroBase: forms, query strings and qs nesting bombs', async () => {
  const base = 'email=form%40example.com&password=pw&lastName=Form';
  for (const bad of ['%FF', '%C3%28', '%ED%A0%80', '%C0%AF', '%F4%90%80%80', 'J%F6rg']) {
    await mbCase(`form firstName=${bad}`, 'customer.create', { form: `${base}&firstName=${bad}` });
    await mbCase(`query firstName=${bad}`, 'customer.create', { form: base, query: `firstName=${bad}` });
    await mbCase(`form key ${bad}`, 'customer.create', { form: `${base}&firstName=F&${bad}=x` });
  }
  for (const rawBytes of ['\xff', 'J\xf6rg', '\xc3(']) {
    await mbCase(`raw form bytes ${JSON.stringify(rawBytes)}`, 'customer.create', { form: bytes(`${base}&firstName=${rawBytes}`) });
  }
  const bombs = [
    `${base}&firstName=` + '[a]'.repeat(5000) + '=x',
    `${base}&firstName[` + 'a]['.repeat(5000) + ']=x',
    base + '&' + Array.from({ length: 5000 }, (_, i) => `tags[]=t${i}`).join('&'),
    base + '&' + Array.from({ length: 2000 }, (_, i) => `tags[${i % 20}]=t${i}`).join('&'),
    base + '&tags[99999999999]=x&firstName=F',
    base + '&firstName=F&addresses' + '[0]'.repeat(1000) + '=x',
    base + '&firstName=F&addresses[0][name]=' + '&addresses[0][name]=x'.repeat(3000),
    base + '&firstName=F&' + Array.from({ length: 3000 }, (_, i) => `k${i}[a][b][c][d][e][f]=1`).join('&'),
    base + '&firstName[]=a&firstName[]=b',
    base + '&firstName[a]=b',
    base + '&firstName=F&tags=x',
    base + '&firstName=F&addresses=x',
    base + '&firstName=F&addresses[0]=x',
    base + '&firstName=F&status=DELETED',
    base + '&firstName=F&__proto__[admin]=1&constructor[prototype][x]=1&email=bad',
    'email=&password=&firstName=&lastName=',
    '&'.repeat(10000),
    '='.repeat(10000),
    '[]'.repeat(10000) + '=x',
    '%'.repeat(10000),
  ];
  for (const [i, form] of bombs.entries()) await mbCase(`qs bomb #${i}`, 'customer.create', { form });
  for (const q of ['skip=-3', 'id[a]=1', 'status=%FF', 'id=' + Array(1001).fill('x').join(',')]) {
    await mbCase(`list ${q.slice(0, 40)}`, 'customer.list', { query: q });
  }
  // MicroBase is lenient here, as the reference is: a bad limit falls back
  // to the default or the cap, an unknown field or value matches nothing.
  // Served, never a 5xx, and the password never shows.
  for (const q of ['limit=-1', 'limit=abc', 'limit=1e400', 'limit=1000', 'limit[]=1', 'skip=99999999999999999999',
    'fields=password', 'fields=-id,password_hash', 'email=%00', 'email=%27%20OR%201%3D1%20--', 'tags=%0A']) {
    await check(`lenient list ${q}`, () => mbCall('customer.list', { query: q }), (res, context) => {
      assert.equal(res.status, 200, context);
      assert.equal(res.json?.ok, true, `${context}: ${res.text.slice(0, 200)}`);
      assert.doesNotMatch(res.text, /password|scrypt/i, context);
    });
  }
  assertNoFailures();
});

test('MicroBase: header and token abuse', async () => {
  const now = Math.floor(Date.now() / 1000);
  const good = mbToken();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const tokens = ['', 'x', good + 'x', good.slice(0, -1) + alphabet[alphabet.indexOf(good.at(-1)) + 1],
    mbToken('wrong-secret'), mbToken(JWT_SECRET, { exp: now - 1 }), mbToken(JWT_SECRET, { nbf: now + 3600 }),
    signJwt({ scope: 'api', iat: now }, JWT_SECRET, { alg: 'none' }), signJwt({ scope: 'api', iat: now }, JWT_SECRET, { alg: 'HS512' }),
    signJwt({ scope: 'implicit', iat: now }, JWT_SECRET), signJwt({ scope: 'customer', sub: fixture.mbId, iat: now }, JWT_SECRET),
    mbToken(JWT_SECRET, { exp: 'tomorrow' }), 'A'.repeat(7000)];
  const args = { email: 'tok@example.com', password: 'p', firstName: 'T', lastName: 'K' };
  for (const t of tokens) {
    await mbCase(`token ${t.slice(0, 30)}`, 'customer.create', { json: args, headers: { authorization: `Bearer ${t}` } });
  }
  for (const authorization of ['Basic dGVzdDp0ZXN0', 'Bearer', `Bearer ${good} ${good}`]) {
    await mbCase(`authorization ${authorization.slice(0, 30)}`, 'customer.create', { json: args, headers: { authorization } });
  }
  await oversized('/services/customer/v1/customer.create', `Bearer ${mbToken()}`, `{"firstName":"${'x'.repeat(1100000)}"}`, assertMbRefused);
  for (const form of ['grant_type=password', 'grant_type=client_credentials&client_id=test-client&client_secret=wrong',
    'grant_type=client_credentials&client_id=%00&client_secret=%FF']) {
    await check(`oauth ${form}`, () => raw('POST', '/services/oauth/v2/token', { 'content-type': 'application/x-www-form-urlencoded' }, form),
      assertMbRefused);
  }
  assertNoFailures();
});

// Writes raw bytes on a socket; resolves with the status line's code (0 when
// the server closes without answering).
function rawHttp(text) {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(gw.url);
    const socket = net.connect(Number(port), hostname);
    let reply = '';
    socket.setTimeout(15000, () => { socket.destroy(); reject(new Error('raw request timed out')); });
    socket.on('data', (d) => { reply += d.toString('latin1'); });
    socket.on('error', () => {});
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(reply)?.[1] ?? 0), reply }));
    socket.end(Buffer.from(text, 'latin1'));
  });
}

// A body over --max-body, written on a raw socket: the server may answer 413
// and close before the client has sent it all, which fetch reports as a
// network error. The 413, when it arrives, must be in the dialect's format.
function oversized(path, authorization, body, assertRefused) {
  const text = `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
    `Authorization: ${authorization}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  return check(`body over --max-body on ${path}`, () => rawHttp(text), ({ status, reply }, context) => {
    if (status === 0) return;  // closed before the answer could be read
    assert.equal(status, 413, `${context}: ${reply.slice(0, 200)}`);
    const start = reply.indexOf('\r\n\r\n') + 4;
    const headers = new Headers([['content-type', /content-type: *([^\r]*)/i.exec(reply)?.[1] ?? '']]);
    let json;
    try { json = JSON.parse(reply.slice(start)); } catch { json = undefined; }
    assertRefused({ status, headers, text: reply.slice(start), json }, context);
  });
}

test('HTTP framing abuse on both dialects is refused (a 4xx, or 505 for an unknown HTTP version) and writes nothing', async () => {
  const ep = '/v2/customers';
  const mbPath = '/services/customer/v1/customer.create';
  const body = '{"data":{"type":"customer","name":"R","email":"r@example.com"}}';
  const cases = [];
  for (const path of [ep, mbPath]) {
    cases.push(
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n${body}`,
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n${body}`,
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n${body}`,
      `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n${body}\r\n0\r\n\r\n`,
      `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n${body}\r\n0\r\n\r\n`,
      `POST ${path} HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70000)}\r\n\r\n`,
      `POST ${path} HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 200 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\nContent-Length: 2\r\n\r\n{}`,
      `POST ${path} HTTP/1.1\r\nHost: x\r\nNoColonHeader\r\nContent-Length: 2\r\n\r\n{}`,
      `POST ${path}?${'a='.repeat(20000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      `POST ${path} HTTP/9.9\r\nHost: x\r\n\r\n`,
      `POST ${path}\u0000 HTTP/1.1\r\nHost: x\r\n\r\n`,
      `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \u0000\xff\r\nContent-Length: 2\r\n\r\n{}`,
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{"a":`,
    );
  }
  cases.push('GARBAGE\r\n\r\n', '\r\n\r\n', `${'A'.repeat(100000)} / HTTP/1.1\r\n\r\n`, 'GET /v2/customers HTTP/1.1\r\n\r\n');
  for (const [i, text] of cases.entries()) {
    await check(`raw #${i} ${text.slice(0, 60)}`, () => rawHttp(text), ({ status, reply }, context) => {
      // 505 (HTTP Version Not Supported) is the one 5xx RFC 9110 names for a
      // client's mistake; every other refusal is a 4xx.
      const versionRefused = status === 505 && /HTTP\/9\.9/.test(context);
      assert.ok(status === 0 || versionRefused || (status >= 400 && status < 500), `${context}: got ${status} ${reply.slice(0, 200)}`);
    });
  }
  assertNoFailures();
});

test('the gateway is still healthy after the barrage', async () => {
  assert.equal(gw.proc.exitCode, null, gw.stderr);
  assert.ok(sent >= 300, `sent ${sent} hostile requests`);
  console.log(`${sent} hostile requests refused; nothing stored`);
  const ok = await request(gw, 'POST', '/v2/customers', { headers: auth(), body: { data: { type: 'customer', name: 'After All', email: 'after@example.com' } } });
  assert.equal(ok.status, 201, ok.text);
});
