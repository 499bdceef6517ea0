// The real binary on PostgreSQL (`--db postgresql://...`): both dialects
// create, read, list, update and delete; import and export round-trip; a
// database that goes away answers 503 in each dialect and fails /readyz; a
// bad URL or an unreachable server stops startup with a clear error.
// Needs the cluster of the postgres_cluster ctest fixture
// (GATEWAY_TEST_PG_CLUSTER); each test makes its own database on it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startGateway, epToken, ep, mb, request } from './harness.mjs';
import {
  tempDir, runCli, importFile, exportRecords, writeLines, mongoCustomer, summary, htpasswdHash,
} from './migration_fixtures.mjs';

const CLUSTER = process.env.GATEWAY_TEST_PG_CLUSTER;
let server; // postgresql://postgres@127.0.0.1:PORT/
let dir;
const databases = [];

function psql(sql, db = 'postgres') {
  return execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', server + db, '-c', sql], {
    encoding: 'utf8', env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
  });
}

// A fresh database on the cluster; its URL.
function createDatabase() {
  const name = `gw_bb_${randomBytes(4).toString('hex')}`;
  psql(`CREATE DATABASE ${name}`);
  databases.push(name);
  return server + name;
}

before(() => {
  assert.ok(CLUSTER, 'GATEWAY_TEST_PG_CLUSTER is unset: run through ctest, whose postgres_cluster fixture starts the cluster');
  const port = readFileSync(join(CLUSTER, 'port'), 'utf8').trim();
  server = `postgresql://postgres@127.0.0.1:${port}/`;
  dir = tempDir();
});
after(() => {
  for (const name of databases) psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  rmSync(dir, { recursive: true, force: true });
});

test('both dialects create, read, list, update and delete through PostgreSQL', async () => {
  const url = createDatabase();
  const gw = await startGateway({ db: url, direct: true });
  try {
    assert.match(gw.stdout, /listening on .* \(database postgresql:\/\/postgres@127\.0\.0\.1:\d+\/gw_bb_/);
    const tok = await epToken(gw);
    const created = await ep(gw, tok, 'POST', '/v2/customers', {
      data: { type: 'customer', name: 'Ron Swanson', email: 'Ron@Swanson.com', password: 'mysecretpassword' },
    });
    assert.equal(created.status, 201, created.text);
    const id = created.json.data.id;
    assert.equal((await ep(gw, tok, 'GET', `/v2/customers/${id}`)).json.data.email, 'Ron@Swanson.com');
    const dup = await ep(gw, tok, 'POST', '/v2/customers', {
      data: { type: 'customer', name: 'Other', email: 'ron@SWANSON.com', password: 'mysecretpassword' },
    });
    assert.equal(dup.status, 409, dup.text);
    const byName = await ep(gw, tok, 'GET', '/v2/customers?filter=like(name,*SWAN*)');
    assert.deepEqual(byName.json.data.map((c) => c.id), [id]);
    const byEmail = await ep(gw, tok, 'GET', '/v2/customers?filter=eq(email,RON@swanson.com)');
    assert.equal(byEmail.json.meta.results.total, 1);
    const renamed = await ep(gw, tok, 'PUT', `/v2/customers/${id}`, { data: { type: 'customer', name: 'Ronald Swanson' } });
    assert.equal(renamed.status, 200, renamed.text);

    // MicroBase sees and edits the same customer, and makes its own.
    const info = await mb(gw, 'customer.info', { id });
    assert.equal(info.json.ok, true, info.text);
    assert.equal(info.json.customer.firstName, 'Ronald');
    const updated = await mb(gw, 'customer.update', { id, lastName: 'Swanson-Smith', tags: ['VIP'] });
    assert.equal(updated.json.ok, true, updated.text);
    const made = await mb(gw, 'customer.create', { email: 'leslie@example.com', password: 'mypassword', firstName: 'Leslie', lastName: 'Knope' });
    assert.equal(made.json.ok, true, made.text);
    const listed = await mb(gw, 'customer.list', {});
    assert.equal(listed.json.ok, true, listed.text);
    assert.deepEqual(listed.json.data.map((c) => c.email).sort(), ['Ron@Swanson.com', 'leslie@example.com']);
    const login = await mb(gw, 'customer.checkCredentials', { email: 'RON@swanson.com', password: 'mysecretpassword' });
    assert.deepEqual(login.json, { ok: true });

    assert.equal((await ep(gw, tok, 'DELETE', `/v2/customers/${id}`)).status, 204);
    assert.equal((await ep(gw, tok, 'GET', `/v2/customers/${id}`)).status, 404);
    const removed = await mb(gw, 'customer.remove', { id: made.json.customer.id });
    assert.equal(removed.json.ok, true, removed.text);
    assert.equal(psql('SELECT count(*) FROM customers', url.slice(server.length)).trim(), '0');
  } finally {
    await gw.stop();
  }
});

test('import and export round-trip through PostgreSQL, idempotently; imported logins work', async () => {
  const url = createDatabase();
  const hash = htpasswdHash('Knope 2012');
  const file = writeLines(dir, 'mb.jsonl', [
    mongoCustomer('HkhhuXESl', 'john.doe@gmail.com', hash, { firstName: 'John', lastName: 'Doe', tags: ['VIP'] }),
    mongoCustomer('SyAAb9xEl', 'leslie@example.com', hash),
  ]);
  const first = await importFile(url, 'microbase', file);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(summary(first.stdout), { created: 2, updated: 0, unchanged: 0, rejected: 0 });
  const again = await importFile(url, 'microbase', file);
  assert.deepEqual(summary(again.stdout), { created: 0, updated: 0, unchanged: 2, rejected: 0 });
  const exported = await exportRecords(url, 'microbase');
  assert.deepEqual(exported.map((r) => r._id).sort(), ['HkhhuXESl', 'SyAAb9xEl']);
  assert.deepEqual(exported.find((r) => r._id === 'HkhhuXESl').tags, ['VIP']);
  // The export imports into SQLite unchanged, and back out identically.
  const back = writeLines(dir, 'back.jsonl', exported);
  const sqlite = join(dir, 'copy.db');
  assert.equal((await importFile(sqlite, 'microbase', back)).code, 0);
  assert.deepEqual(await exportRecords(sqlite, 'microbase'), exported);

  // The imported bcrypt hash logs in, and is rehashed to the gateway's scheme.
  const gw = await startGateway({ db: url, direct: true });
  try {
    const login = await mb(gw, 'customer.checkCredentials', { email: 'leslie@example.com', password: 'Knope 2012' });
    assert.deepEqual(login.json, { ok: true });
    const scheme = psql("SELECT left(password_hash, 8) FROM customers WHERE id = 'SyAAb9xEl'", url.slice(server.length));
    assert.equal(scheme.trim(), '$scrypt$');
  } finally {
    await gw.stop();
  }
});

test('a database that goes away answers 503 in each dialect and fails /readyz', async () => {
  const url = createDatabase();
  const gw = await startGateway({ db: url, direct: true });
  try {
    const tok = await epToken(gw);
    assert.equal((await request(gw, 'GET', '/readyz')).status, 200);
    psql(`DROP DATABASE ${url.slice(server.length)} WITH (FORCE)`);
    const epRes = await ep(gw, tok, 'GET', '/v2/customers');
    assert.equal(epRes.status, 503, epRes.text);
    assert.equal(epRes.json.errors[0].status, 503);
    const mbRes = await mb(gw, 'customer.list', {});
    assert.equal(mbRes.status, 503, mbRes.text);
    assert.equal(mbRes.json.ok, false);
    assert.equal(mbRes.json.error, 'service_unavailable');
    // Clients are told to retry, not where the database lives; the operator's
    // log gets the server's words, once per outage.
    assert.equal(epRes.json.errors[0].detail, 'The customer database is unreachable; retry shortly');
    assert.doesNotMatch(epRes.text + mbRes.text, /127\.0\.0\.1|gw_bb_/);
    assert.equal(gw.stderr.match(/warning: PostgreSQL is unreachable: .*gw_bb_/g)?.length, 1, gw.stderr);
    const ready = await request(gw, 'GET', '/readyz');
    assert.equal(ready.status, 503);
    assert.equal(ready.json.status, 'store_unavailable');
    assert.equal((await request(gw, 'GET', '/livez')).status, 200);
  } finally {
    await gw.stop();
  }
});

test('an unreachable server, a missing database or a bad URL stops startup with a clear error', async () => {
  const cases = [
    ['postgresql://postgres@127.0.0.1:1/gateway?connect_timeout=3', /PostgreSQL is unreachable: .*127\.0\.0\.1.*port 1/],
    [`${server}no_such_database`, /PostgreSQL is unreachable: .*database "no_such_database" does not exist/],
    ['postgresql://postgres@127.0.0.1:notaport/x', /PostgreSQL is unreachable: .*invalid (integer value|port)/],
    ['host=127.0.0.1 port=1 dbname=gateway connect_timeout=3', /PostgreSQL is unreachable/],
  ];
  for (const [db, message] of cases) {
    const res = await runCli(['serve', '--listen', '127.0.0.1:0', '--db', db, '--client-id', 'a', '--client-secret', 'b', '--jwt-secret', 'c'], { timeoutMs: 20000 });
    assert.equal(res.code, 1, `${db}: ${res.stdout}${res.stderr}`);
    assert.match(res.stderr, message, db);
    assert.doesNotMatch(res.stdout, /listening on/);
  }
});
