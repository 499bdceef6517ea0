// Several gateways on one PostgreSQL database (issue 11): what one instance
// writes the other reads, updates, deletes and logs in with, in both
// dialects; writers on two instances racing on one customer keep every
// acknowledged field; an email raced through both is taken exactly once;
// tokens minted by one verify on the other; an imported bcrypt hash logged in
// through both at once is re-hashed and keeps working; and instances
// started at once on an empty database agree on the generated client id and
// secrets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, epToken, ep, mb, mbToken, request, freshDb, ENGINE, CLIENT_ID, raceWriters } from './harness.mjs';
import { importFile, exportRecords, writeLines, mongoCustomer, htpasswdHash } from './migration_fixtures.mjs';

if (ENGINE !== 'postgres') throw new Error('multi_instance runs on PostgreSQL only (GATEWAY_ENGINE=postgres)');

let dir;
let sharedDb;
let a;
let b;
let tokenA;
let tokenB;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gw-multi-'));
  sharedDb = freshDb(dir);
  [a, b] = await Promise.all([startGateway({ db: sharedDb }), startGateway({ db: sharedDb })]);
  [tokenA, tokenB] = await Promise.all([epToken(a), epToken(b)]);
});
after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const epLogin = (gw, token, email, password) => ep(gw, token, 'POST', '/v2/customers/tokens', {
  data: { type: 'token', email, password, authentication_mechanism: 'password' },
});

test('an imported bcrypt customer logged in through both instances at once is re-hashed and keeps working', async () => {
  const password = 'Pawnee Rangers 4ever';
  const file = writeLines(dir, 'bcrypt.jsonl', [mongoCustomer('bcryptrace1', 'bcrypt.racer@pawnee.gov', htpasswdHash(password))]);
  const imported = await importFile(sharedDb, 'microbase', file);
  assert.equal(imported.code, 0, imported.stderr);
  // Both dialects, both instances, all at once: each verifies the bcrypt hash
  // (or the scrypt one a faster racer stored); whichever re-hash lands, every
  // login succeeds and the stored hash ends on the gateway scheme.
  const attempts = await Promise.all([
    ...[a, b, a, b].map((gw) => epLogin(gw, gw === a ? tokenA : tokenB, 'bcrypt.racer@pawnee.gov', password)),
    ...[a, b, a, b].map((gw) => mb(gw, 'customer.checkCredentials', { email: 'bcrypt.racer@pawnee.gov', password })),
  ]);
  for (const res of attempts.slice(0, 4)) assert.equal(res.status, 200, res.text);
  for (const res of attempts.slice(4)) assert.deepEqual(res.json, { ok: true }, res.text);
  const stored = (await exportRecords(sharedDb, 'microbase')).find((r) => r._id === 'bcryptrace1');
  assert.match(stored.password, /^\$scrypt\$/, 'rehashed to the gateway scheme');
  for (const [gw, token] of [[a, tokenA], [b, tokenB]]) {
    assert.equal((await epLogin(gw, token, 'bcrypt.racer@pawnee.gov', password)).status, 200);
    assert.equal((await epLogin(gw, token, 'bcrypt.racer@pawnee.gov', 'wrong one')).status, 401);
    assert.deepEqual((await mb(gw, 'customer.checkCredentials', { email: 'bcrypt.racer@pawnee.gov', password })).json, { ok: true });
  }
});

test('Elastic Path: created through A, read, updated, logged in and deleted through B', async () => {
  const created = await ep(a, tokenA, 'POST', '/v2/customers', {
    data: { type: 'customer', name: 'Leslie Knope', email: 'leslie@pawnee.gov', password: 'Waffles-1' },
  });
  assert.equal(created.status, 201, created.text);
  const id = created.json.data.id;
  const got = await ep(b, tokenB, 'GET', `/v2/customers/${id}`);
  assert.equal(got.status, 200, got.text);
  assert.deepEqual(got.json.data, created.json.data);
  const listed = await ep(b, tokenB, 'GET', `/v2/customers?filter=eq(email,Leslie@Pawnee.gov)`);
  assert.deepEqual(listed.json.data.map((c) => c.id), [id]);

  const updated = await ep(b, tokenB, 'PUT', `/v2/customers/${id}`, { data: { type: 'customer', name: 'Leslie Knope-Wyatt' } });
  assert.equal(updated.status, 200, updated.text);
  assert.equal((await ep(a, tokenA, 'GET', `/v2/customers/${id}`)).json.data.name, 'Leslie Knope-Wyatt');

  const login = await epLogin(b, tokenB, 'leslie@pawnee.gov', 'Waffles-1');
  assert.equal(login.status, 200, login.text);
  assert.equal(login.json.data.customer_id, id);
  assert.equal((await epLogin(b, tokenB, 'leslie@pawnee.gov', 'waffles-1')).status, 401);

  assert.equal((await ep(b, tokenB, 'DELETE', `/v2/customers/${id}`)).status, 204);
  assert.equal((await ep(a, tokenA, 'GET', `/v2/customers/${id}`)).status, 404);
  assert.equal((await epLogin(a, tokenA, 'leslie@pawnee.gov', 'Waffles-1')).status, 401);
});

test('MicroBase: created through B, read, updated, logged in and removed through A', async () => {
  const created = await mb(b, 'customer.create', {
    email: 'ron@pawnee.gov', password: 'Lagavulin-16', firstName: 'Ron', lastName: 'Swanson', tags: ['woodworking'],
  });
  assert.equal(created.json.ok, true, created.text);
  const id = created.json.customer.id;
  const info = await mb(a, 'customer.info', { id });
  assert.deepEqual(info.json, { ok: true, customer: created.json.customer });

  const updated = await mb(a, 'customer.update', { id, lastName: 'Swanson-Diane', tags: ['woodworking', 'meat'] });
  assert.equal(updated.json.ok, true, updated.text);
  assert.deepEqual((await mb(b, 'customer.info', { id })).json.customer.tags, ['woodworking', 'meat']);

  assert.deepEqual((await mb(a, 'customer.checkCredentials', { email: 'Ron@Pawnee.gov', password: 'Lagavulin-16' })).json, { ok: true });
  assert.equal((await mb(a, 'customer.checkCredentials', { email: 'ron@pawnee.gov', password: 'lagavulin-16' })).json.error, 'bad_credentials');
  // A password changed through one instance (MicroBase's update never
  // touches it; Elastic Path's does) stops the old one on the other.
  assert.equal((await ep(b, tokenB, 'PUT', `/v2/customers/${id}`, { data: { type: 'customer', password: 'Lagavulin-18' } })).status, 200);
  assert.equal((await mb(a, 'customer.checkCredentials', { email: 'ron@pawnee.gov', password: 'Lagavulin-16' })).json.error, 'bad_credentials');
  assert.deepEqual((await mb(a, 'customer.checkCredentials', { email: 'ron@pawnee.gov', password: 'Lagavulin-18' })).json, { ok: true });

  assert.deepEqual((await mb(a, 'customer.remove', { id })).json, { ok: true });
  assert.equal((await mb(b, 'customer.info', { id })).json.error, 'customer_not_found');
  assert.equal((await mb(b, 'customer.remove', { id })).json.error, 'customer_not_found');
});

test('racing writers on two instances keep every acknowledged field of one customer', async () => {
  const ROUNDS = 15;
  const CHAIN = 6;
  const c = await ep(a, tokenA, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Race', email: 'race@pawnee.gov' } });
  assert.equal(c.status, 201, c.text);
  const id = c.json.data.id;
  for (let round = 0; round < ROUNDS; round++) {
    // Elastic Path writes external_ref through A while MicroBase writes tags
    // and status through B, request after request, at the same time.
    const { ref, tags } = await raceWriters({ epGw: a, token: tokenA, mbGw: b, id, round, chain: CHAIN });
    for (const gw of [a, b]) {
      const token = gw === a ? tokenA : tokenB;
      assert.equal((await ep(gw, token, 'GET', `/v2/customers/${id}`)).json.data.external_ref, ref, `round ${round}: EP field kept`);
      const view = (await mb(gw, 'customer.info', { id })).json.customer;
      assert.deepEqual(view.tags, tags, `round ${round}: MicroBase field kept`);
      assert.equal(view.status, 'INACTIVE', `round ${round}: last status kept`);
    }
  }
});

test('an email raced through both instances is taken exactly once; the loser gets its dialect\'s duplicate error', async () => {
  for (let round = 0; round < 20; round++) {
    const email = `race${round}@pawnee.gov`;
    // Alternate which dialect runs on which instance.
    const [viaEp, viaMb] = round % 2 ? [a, b] : [b, a];
    const [e, m] = await Promise.all([
      ep(viaEp, viaEp === a ? tokenA : tokenB, 'POST', '/v2/customers', { data: { type: 'customer', name: 'E', email } }),
      mb(viaMb, 'customer.create', { email: email.toUpperCase(), password: 'pw', firstName: 'M', lastName: 'B' }),
    ]);
    const epWon = e.status === 201;
    const mbWon = m.json?.ok === true;
    assert.ok(epWon !== mbWon, `round ${round}: exactly one create wins (EP ${e.status} ${e.text}; MicroBase ${m.text})`);
    if (epWon) {
      assert.equal(m.json.error, 'duplicate_key', m.text);
    } else {
      assert.equal(e.status, 409, e.text);
      assert.equal(e.json.errors[0].title, 'Duplicate email');
    }
    const found = await ep(a, tokenA, 'GET', `/v2/customers?filter=eq(email,${email})`);
    assert.equal(found.json.data.length, 1, `round ${round}: one customer holds ${email}`);
  }
});

test('tokens minted by one instance verify on the other', async () => {
  // Client token of A on B and the other way round.
  assert.equal((await ep(b, tokenA, 'GET', '/v2/customers?page[limit]=1')).status, 200);
  assert.equal((await ep(a, tokenB, 'GET', '/v2/customers?page[limit]=1')).status, 200);
  // An implicit token of A is an implicit token on B: it may not list.
  const implicit = await epToken(a, 'implicit');
  assert.equal((await ep(b, implicit, 'GET', '/v2/customers')).status, 403);
  // A customer token minted at login on A is accepted by B.
  const c = await ep(a, tokenA, 'POST', '/v2/customers', {
    data: { type: 'customer', name: 'Ann Perkins', email: 'ann@pawnee.gov', password: 'Nurse-Ann-1' },
  });
  assert.equal(c.status, 201, c.text);
  const login = await epLogin(a, tokenA, 'ann@pawnee.gov', 'Nurse-Ann-1');
  assert.equal(login.status, 200, login.text);
  const mine = await ep(b, implicit, 'GET', `/v2/customers/${c.json.data.id}`, undefined, {
    'x-moltin-customer-token': login.json.data.token,
  });
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.data.email, 'ann@pawnee.gov');
  // A forged token is refused by both.
  for (const gw of [a, b]) {
    const forged = await mb(gw, 'customer.info', { id: 'x' }, { token: mbToken('not-the-secret') });
    assert.equal(forged.status, 401);
  }
});

test('gateways started at once on an empty database generate one client id and secret pair and share it', async () => {
  const work = mkdtempSync(join(dir, 'secrets-'));
  const db = freshDb(work);
  const env = { GATEWAY_CLIENT_ID: '', GATEWAY_CLIENT_SECRET: '', GATEWAY_JWT_SECRET: '' };
  const [x, y] = await Promise.all(['x', 'y'].map((name) => {
    const cwd = mkdtempSync(join(work, `${name}-`));
    return startGateway({ db, secrets: false, env, cwd }).then((gw) => Object.assign(gw, { cwd }));
  }));
  try {
    // An instance that generated a secret writes what it serves with to a
    // private file in its working directory (standard output is not a
    // terminal). Which of the two generated depends on timing: one or both.
    const creds = [x, y].filter((gw) => existsSync(join(gw.cwd, 'customer-gateway.credentials'))).map((gw) => {
      const text = readFileSync(join(gw.cwd, 'customer-gateway.credentials'), 'utf8');
      const field = (name) => new RegExp(`${name}:\\s+(\\S+)`).exec(text)?.[1];
      return { client_id: field('client_id'), client_secret: field('client_secret'), jwt_secret: field('jwt_secret') };
    });
    assert.ok(creds.length >= 1, 'an instance reports the generated credentials');
    assert.ok(creds[0].client_id && creds[0].client_secret && creds[0].jwt_secret, JSON.stringify(creds));
    assert.notEqual(creds[0].client_id, CLIENT_ID);
    if (creds.length === 2) assert.deepEqual(creds[1], creds[0], 'both report the secrets they serve with, the same');
    const { client_id, client_secret, jwt_secret } = creds[0];
    for (const gw of [x, y]) {
      const tok = await request(gw, 'POST', '/oauth/access_token', { form: { grant_type: 'client_credentials', client_id, client_secret } });
      assert.equal(tok.status, 200, tok.text);
      // The token of one verifies on both; so does one signed with the shared JWT secret.
      for (const other of [x, y]) {
        assert.equal((await ep(other, tok.json.access_token, 'GET', '/v2/customers')).status, 200);
        const info = await mb(other, 'customer.info', { id: 'nobody' }, { token: mbToken(jwt_secret) });
        assert.equal(info.json.error, 'customer_not_found', info.text);
      }
    }
    // A restart reads the stored secrets instead of generating new ones.
    await x.stop();
    const again = await startGateway({ db, secrets: false, env, cwd: x.cwd });
    try {
      assert.doesNotMatch(again.stdout, /Generated credentials/);
      const tok = await request(again, 'POST', '/oauth/access_token', { form: { grant_type: 'client_credentials', client_id, client_secret } });
      assert.equal(tok.status, 200, tok.text);
    } finally { await again.stop(); }
  } finally {
    await Promise.all([x.stop(), y.stop()]);
  }
});
