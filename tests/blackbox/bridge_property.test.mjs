// The bridge, property-style: generated customers are written through one
// dialect and read through the other for every write operation, in both
// directions, asserting the field table of shared/spec/bridge.md. The seed is
// printed so a failure can be replayed with BRIDGE_SEED=<seed>.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, epToken, ep, mb } from './harness.mjs';

const SEED = Number(process.env.BRIDGE_SEED ?? Date.now() % 100000);
const ROUNDS = Number(process.env.BRIDGE_ROUNDS ?? 12);
console.log(`bridge property test: seed ${SEED}, ${ROUNDS} rounds per direction`);

// mulberry32: small, seedable, good enough to pick test data.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(SEED);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
let serial = 0;

const FIRST = ['Ron', 'Leslie', 'José', 'Zoë', 'Ånne-Marie', '李', 'Mary Ann', 'O\'Brien', 'Чайковский'];
const LAST = ['Swanson', 'Knope', 'Álvarez Díaz', 'Ångström', '小龍', 'van der Berg', '', 'Smith-Jones'];
const EP_NAMES = ['Ron Swanson', 'Cher', '  Ron   Swanson ', 'José  Álvarez Díaz', 'Zoë Ångström', '李 小龍',
  'Mary Ann Smith', 'Prince', 'Jean-Luc Picard'];
const PHONES = ['2173203531', '(555) 555-1234', '+44 20 7946 0958', '07946 095800', '5551234'];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'JP', 'BR'];
const TAGS = ['VIP', 'wholesale', 'newsletter', 'ünïcode', 'b2b'];

function email() { return `user${SEED}-${serial++}@Example.com`; }

// What the EP name rule gives for first/last.
function split(name) {
  const t = name.trim();
  const m = /^(\S+)\s*([\s\S]*)$/.exec(t);
  return m ? [m[1], m[2].trim()] : ['', ''];
}
const join = (first, last) => (last === '' ? first : first === '' ? last : `${first} ${last}`);

function epAddress() {
  const a = {
    type: 'address', first_name: pick(FIRST), last_name: pick(LAST.filter(Boolean)), name: pick(['Home', 'Work', 'Bürö']),
    line_1: `${Math.floor(rand() * 999) + 1} Sunny Street`, postcode: 'SU33 1YY', city: 'Sunny Town',
    region: 'Sunnyshire', country: pick(COUNTRIES), phone_number: pick(PHONES),
  };
  if (rand() < 0.5) a.line_2 = 'Unit 101';
  if (rand() < 0.7) a.county = 'Sunnyville';
  if (rand() < 0.5) a.company_name = 'Swanson Enterprises';
  if (rand() < 0.5) a.instructions = 'Leave behind bin';
  return a;
}

function mbAddress() {
  const a = {
    name: pick(['Home', 'Work']), firstName: pick(FIRST), address_1: '1650 Bolman Court',
    postCode: '61701', city: 'Bloomington', state: 'Illinois', country: pick(COUNTRIES),
  };
  if (rand() < 0.6) a.lastName = pick(LAST.filter(Boolean));
  if (rand() < 0.5) a.address_2 = 'Suite 2';
  if (rand() < 0.5) a.company = 'My Company';
  if (rand() < 0.6) a.phone = Number(pick(['2173203531', '5551234', '4155550100']));
  if (rand() < 0.5) a.instructions = 'Some Instructions';
  return a;
}

// Asserts an EP address and a MicroBase address hold the same canonical data.
function assertSameAddress(epA, mbA, ctx) {
  assert.equal(mbA.id, epA.id, ctx);
  const pairs = [['name', 'name'], ['first_name', 'firstName'], ['last_name', 'lastName'], ['line_1', 'address_1'],
    ['line_2', 'address_2'], ['postcode', 'postCode'], ['city', 'city'], ['region', 'state'], ['country', 'country'],
    ['company_name', 'company'], ['instructions', 'instructions']];
  // Unset is absent on MicroBase and "" on Elastic Path (its schema: strings, never null).
  for (const [e, m] of pairs) assert.equal(mbA[m] ?? '', epA[e] ?? '', `${ctx}: ${e} ↔ ${m}`);
  // phone: text on EP; a JSON number on MicroBase when it is all digits.
  const phone = epA.phone_number;
  if (phone == null || phone === '') assert.equal(mbA.phone, undefined, ctx);
  else if (/^[1-9][0-9]{0,14}$/.test(phone)) assert.equal(mbA.phone, Number(phone), `${ctx}: phone number`);
  else assert.equal(mbA.phone, phone, `${ctx}: phone string`);
}

let gw;
let token;
before(async () => { gw = await startGateway(); token = await epToken(gw); });
after(async () => { await gw.stop(); });

async function epGet(id) { return ep(gw, token, 'GET', `/v2/customers/${id}`); }
async function epAddresses(id) { return ep(gw, token, 'GET', `/v2/customers/${id}/addresses`); }
async function mbInfo(id) {
  const r = await mb(gw, 'customer.info', { id });
  assert.equal(r.status, 200);
  return r.json;
}

test('written through Elastic Path, read through MicroBase, for every write', async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const ctx = `EP→MB round ${round} (seed ${SEED})`;
    const name = pick(EP_NAMES);
    const external_ref = rand() < 0.5 ? `crm-${round}-${SEED}` : undefined;
    const body = { type: 'customer', name, email: email() };
    if (external_ref) body.external_ref = external_ref;
    if (rand() < 0.5) body.password = 'pässword-' + round;
    // create
    const created = await ep(gw, token, 'POST', '/v2/customers', { data: body });
    assert.equal(created.status, 201, ctx + created.text);
    const c = created.json.data;
    assert.equal(c.name, name, `${ctx}: EP reads back exactly what it wrote`);
    let info = await mbInfo(c.id);
    const [first, last] = split(name);
    assert.equal(info.customer.firstName, first, ctx);
    assert.equal(info.customer.lastName, last, ctx);
    assert.equal(info.customer.email, body.email, ctx);
    assert.equal(info.customer.status, 'ACTIVE', ctx);
    assert.deepEqual(info.customer.tags, [], ctx);

    // MicroBase update of fields EP cannot see leaves EP's fields alone
    const tags = [pick(TAGS), pick(TAGS)].filter((t, i, a) => a.indexOf(t) === i);
    const upd = await mb(gw, 'customer.update', { id: c.id, status: 'INACTIVE', tags });
    assert.equal(upd.json.ok, true, ctx + upd.text);
    let got = (await epGet(c.id)).json.data;
    assert.equal(got.name, name, `${ctx}: display name survives a MicroBase update that did not touch names`);
    assert.equal(got.external_ref, external_ref ?? null, `${ctx}: external_ref survives`);
    assert.equal(got.password, body.password !== undefined, ctx);

    // address create through EP
    const addrs = [];
    const n = 1 + Math.floor(rand() * 3);
    for (let i = 0; i < n; i++) {
      const a = await ep(gw, token, 'POST', `/v2/customers/${c.id}/addresses`, { data: epAddress() });
      assert.equal(a.status, 201, ctx + a.text);
      addrs.push(a.json.data);
    }
    info = await mbInfo(c.id);
    assert.equal(info.customer.addresses.length, n, ctx);
    addrs.forEach((a, i) => assertSameAddress(a, info.customer.addresses[i], `${ctx} address ${i}`));
    assert.deepEqual(info.customer.tags, tags, ctx);
    assert.equal(info.customer.status, 'INACTIVE', ctx);

    // address update through MicroBase (it sends the whole address, as its
    // schema requires); county, invisible to MicroBase, survives
    const target = addrs[0];
    const mbView = info.customer.addresses.find((a) => a.id === target.id);
    const mbUpd = await mb(gw, 'customer.address.update', {
      customerId: c.id, address: { ...mbView, city: 'Pawnee', phone: 3175550199 },
    });
    assert.equal(mbUpd.json.ok, true, ctx + mbUpd.text);
    const epA = (await ep(gw, token, 'GET', `/v2/customers/${c.id}/addresses/${target.id}`)).json.data;
    assert.equal(epA.city, 'Pawnee', ctx);
    assert.equal(epA.phone_number, '3175550199', ctx);
    assert.equal(epA.county ?? null, target.county ?? null, `${ctx}: county survives a MicroBase address update`);
    assert.equal(epA.line_1, target.line_1, ctx);

    // EP name update is split for MicroBase; MicroBase-only fields survive
    const newName = pick(EP_NAMES);
    const put = await ep(gw, token, 'PUT', `/v2/customers/${c.id}`, { data: { type: 'customer', name: newName } });
    assert.equal(put.status, 200, ctx + put.text);
    assert.equal(put.json.data.name, newName, ctx);
    info = await mbInfo(c.id);
    assert.deepEqual([info.customer.firstName, info.customer.lastName], split(newName), ctx);
    assert.deepEqual(info.customer.tags, tags, `${ctx}: tags survive an EP update`);
    assert.equal(info.customer.status, 'INACTIVE', `${ctx}: status survives an EP update`);

    // MicroBase name update recomputes the EP display name; resending the
    // names already stored (as MicroBase clients do) leaves it verbatim.
    const [sf, sl] = split(newName);
    const resend = rand() < 0.3;
    const mf = resend ? sf : pick(FIRST);
    const ml = resend ? sl : pick(LAST.filter(Boolean));
    await mb(gw, 'customer.update', { id: c.id, firstName: mf, lastName: ml });
    info = await mbInfo(c.id);
    assert.equal(info.customer.firstName, mf, `${ctx}: MicroBase reads back what it wrote`);
    assert.equal(info.customer.lastName, ml, ctx);
    got = (await epGet(c.id)).json.data;
    const unchanged = mf === sf && ml === sl;
    assert.equal(got.name, unchanged ? newName : join(mf, ml), ctx);
    assert.equal(got.external_ref, external_ref ?? null, ctx);

    // address delete through MicroBase
    const rm = await mb(gw, 'customer.address.remove', { customerId: c.id, addressId: target.id });
    assert.equal(rm.json.ok, true, ctx + rm.text);
    const list = (await epAddresses(c.id)).json.data;
    assert.deepEqual(list.map((a) => a.id), addrs.slice(1).map((a) => a.id), ctx);

    // delete through EP
    const del = await ep(gw, token, 'DELETE', `/v2/customers/${c.id}`);
    assert.equal(del.status, 204, ctx);
    info = await mbInfo(c.id);
    assert.equal(info.error, 'customer_not_found', ctx);
  }
});

test('written through MicroBase, read through Elastic Path, for every write', async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const ctx = `MB→EP round ${round} (seed ${SEED})`;
    const firstName = pick(FIRST);
    const lastName = pick(LAST.filter(Boolean));
    const addresses = Array.from({ length: Math.floor(rand() * 3) }, mbAddress);
    const tags = [pick(TAGS)];
    const args = { email: email(), password: 'secret-' + round, firstName, lastName, tags, addresses };
    // create
    const created = await mb(gw, 'customer.create', args);
    assert.equal(created.json.ok, true, ctx + created.text);
    const c = created.json.customer;
    assert.equal(c.firstName, firstName, ctx);
    let got = (await epGet(c.id)).json.data;
    assert.equal(got.name, join(firstName, lastName), ctx);
    assert.equal(got.email, args.email, ctx);
    assert.equal(got.password, true, ctx);
    assert.equal(got.external_ref, null, ctx);
    let epAddrs = (await epAddresses(c.id)).json.data;
    assert.equal(epAddrs.length, addresses.length, ctx);
    epAddrs.forEach((a, i) => assertSameAddress(a, c.addresses[i], `${ctx} address ${i}`));

    // EP update of external_ref and email leaves MicroBase-only fields alone
    const newEmail = email();
    const put = await ep(gw, token, 'PUT', `/v2/customers/${c.id}`, {
      data: { type: 'customer', external_ref: `ext-${round}`, email: newEmail },
    });
    assert.equal(put.status, 200, ctx + put.text);
    let info = await mbInfo(c.id);
    assert.equal(info.customer.email, newEmail, ctx);
    assert.equal(info.customer.firstName, firstName, `${ctx}: names untouched by an EP write that did not send name`);
    assert.equal(info.customer.lastName, lastName, ctx);
    assert.deepEqual(info.customer.tags, tags, ctx);

    // address create through MicroBase, read through EP
    const more = mbAddress();
    const ac = await mb(gw, 'customer.address.create', { customerId: c.id, addresses: [more] });
    assert.equal(ac.json.ok, true, ctx + ac.text);
    const newAddr = ac.json.customer.addresses.at(-1);
    assert.ok(newAddr.id, `${ctx}: address id generated`);
    const epNew = (await ep(gw, token, 'GET', `/v2/customers/${c.id}/addresses/${newAddr.id}`)).json.data;
    assertSameAddress(epNew, newAddr, ctx);

    // address update through EP, read through MicroBase
    const epUpd = await ep(gw, token, 'PUT', `/v2/customers/${c.id}/addresses/${newAddr.id}`, {
      data: { type: 'address', county: 'McLean', phone_number: '(309) 555-0100', line_2: 'Floor 3' },
    });
    assert.equal(epUpd.status, 200, ctx + epUpd.text);
    info = await mbInfo(c.id);
    const mbA = info.customer.addresses.find((a) => a.id === newAddr.id);
    assert.equal(mbA.phone, '(309) 555-0100', `${ctx}: a formatted phone is kept as text`);
    assert.equal(mbA.address_2, 'Floor 3', ctx);
    assert.equal(mbA.name, more.name, ctx);
    assert.equal(mbA.county, undefined, `${ctx}: county is not shown to MicroBase`);

    // address delete through EP
    const del = await ep(gw, token, 'DELETE', `/v2/customers/${c.id}/addresses/${newAddr.id}`);
    assert.equal(del.status, 204, ctx);
    info = await mbInfo(c.id);
    assert.equal(info.customer.addresses.some((a) => a.id === newAddr.id), false, ctx);

    // delete through MicroBase
    const rm = await mb(gw, 'customer.remove', { id: c.id });
    assert.equal(rm.json.ok, true, ctx);
    assert.equal((await epGet(c.id)).status, 404, ctx);
    assert.equal((await epAddresses(c.id)).status, 404, ctx);
  }
});

test('email uniqueness holds across dialects, case-insensitively, in both error formats', async () => {
  const e = email();
  const a = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'A B', email: e } });
  assert.equal(a.status, 201);
  const b = await mb(gw, 'customer.create', { email: e.toUpperCase(), password: 'x', firstName: 'A', lastName: 'B' });
  assert.equal(b.json.ok, false);
  assert.equal(b.json.error, 'duplicate_key');
  const e2 = email();
  const c = await mb(gw, 'customer.create', { email: e2, password: 'x', firstName: 'C', lastName: 'D' });
  assert.equal(c.json.ok, true);
  const d = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'C D', email: e2.toLowerCase() } });
  assert.equal(d.status, 409);
  assert.equal(d.json.errors[0].title, 'Duplicate email');
  // and on update, in both directions
  const viaEp = await ep(gw, token, 'PUT', `/v2/customers/${a.json.data.id}`, { data: { type: 'customer', email: e2.toUpperCase() } });
  assert.equal(viaEp.status, 409);
  const viaMb = await mb(gw, 'customer.update', { id: c.json.customer.id, email: e.toLowerCase() });
  assert.equal(viaMb.json.error, 'duplicate_key');
  // nothing changed
  assert.equal((await epGet(a.json.data.id)).json.data.email, e);
  assert.equal((await mbInfo(c.json.customer.id)).customer.email, e2);
});
