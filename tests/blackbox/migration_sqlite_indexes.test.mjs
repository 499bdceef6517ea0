// A bulk import into an empty SQLite database builds the listing indexes and
// the substring index once, at its end, and keeps a durable marker of what is
// pending meanwhile. Killed with SIGKILL mid-load, the database is consistent
// and whoever opens it next — a gateway starting, or the import run again —
// builds the indexes before anything reads it; while an import holds the
// indexes back, a gateway refuses to start on that file, saying why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startGateway, epToken, ep } from './harness.mjs';
import { tempDir, runCli, importFile, summary, readText } from './migration_fixtures.mjs';

const GENERATOR = new URL('../../scripts/gen-customers.mjs', import.meta.url).pathname;
const COUNT = 30000;
const DEFERRED = ['customers_created_at', 'customers_updated_at', 'customers_display_name', 'customers_external_ref'];
let dir;
let file;
let source;

before(() => {
  dir = tempDir();
  file = join(dir, 'customers.jsonl');
  execFileSync(process.execPath, [GENERATOR, '--count', String(COUNT), '--seed', '11', '--out', file]);
  source = readText(file).split('\n').filter(Boolean).map((l) => JSON.parse(l));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function sql(db, query) {
  return execFileSync('sqlite3', [db, query], { encoding: 'utf8' }).trim();
}

function indexNames(db) {
  return sql(db, "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name").split('\n');
}

// Kills an import into `db` once it reports its first committed batch.
async function killedImport(db) {
  const killed = await runCli(['import', '--from', 'microbase', '--db', db, '--batch-size', '500', file], {
    onStderr: (text, proc) => { if (/^progress: /m.test(text)) proc.kill('SIGKILL'); },
  });
  assert.equal(killed.signal, 'SIGKILL', `the import must be interrupted: ${killed.stdout}`);
  const stored = Number(sql(db, 'SELECT count(*) FROM customers'));
  assert.ok(stored >= 500 && stored < COUNT, `some batches were committed (${stored})`);
  assert.notEqual(sql(db, 'SELECT count(*) FROM bulk_load_pending'), '0', 'the marker is durable');
  for (const name of DEFERRED) assert.ok(!indexNames(db).includes(name), `${name} is deferred`);
  assert.equal(sql(db, 'PRAGMA integrity_check'), 'ok');
  return stored;
}

// Every deferred index and trigger is back, the marker gone, the substring
// index agrees with the table, and SQLite plans the listings on the indexes.
function assertIndexesComplete(db) {
  const names = indexNames(db);
  for (const name of [...DEFERRED, 'customers_search_insert', 'customers_search_delete', 'customers_search_update']) {
    assert.ok(names.includes(name), `${name} is built (${names})`);
  }
  assert.equal(sql(db, "SELECT count(*) FROM sqlite_master WHERE name = 'bulk_load_pending'"), '0');
  assert.equal(sql(db, 'PRAGMA integrity_check'), 'ok');
  // Compares the external-content index with the customers table row by row.
  sql(db, "INSERT INTO customers_search(customers_search, rank) VALUES ('integrity-check', 1)");
  assert.match(sql(db, 'EXPLAIN QUERY PLAN SELECT id FROM customers ORDER BY created_at, id LIMIT 10'), /customers_created_at/);
  assert.match(sql(db, 'EXPLAIN QUERY PLAN SELECT id FROM customers ORDER BY updated_at DESC, id DESC LIMIT 10'), /customers_updated_at/);
  assert.match(sql(db, 'EXPLAIN QUERY PLAN SELECT id FROM customers ORDER BY display_name COLLATE NOCASE, id LIMIT 10'), /customers_display_name/);
  assert.match(sql(db, "EXPLAIN QUERY PLAN SELECT id FROM customers WHERE email_key = 'x'"), /customers_email_key/);
}

// Through the API: a substring search's total and an exact email lookup give
// the answers the table holds.
async function assertSearchAnswers(db) {
  const gw = await startGateway({ db });
  try {
    const token = await epToken(gw);
    const expected = Number(sql(db, "SELECT count(*) FROM customers WHERE display_name LIKE '%ludgat%'"));
    assert.ok(expected > 0);
    const like = await ep(gw, token, 'GET', `/v2/customers?page[limit]=1&filter=${encodeURIComponent('like(name,*udgat*)')}`);
    assert.equal(like.status, 200, like.text);
    assert.equal(like.json.meta.results.total, expected);
    const emails = Number(sql(db, "SELECT count(*) FROM customers WHERE email_key LIKE '%.1234%'"));
    const byEmail = await ep(gw, token, 'GET', `/v2/customers?page[limit]=1&filter=${encodeURIComponent('like(email,*.1234*)')}`);
    assert.equal(byEmail.json.meta.results.total, emails);
    const last = sql(db, 'SELECT id, email FROM customers ORDER BY rowid DESC LIMIT 1').split('|');
    const eq = await ep(gw, token, 'GET', `/v2/customers?filter=${encodeURIComponent(`eq(email,${last[1].toUpperCase()})`)}`);
    assert.deepEqual(eq.json.data.map((c) => c.id), [last[0]]);
    const none = await ep(gw, token, 'GET', `/v2/customers?filter=${encodeURIComponent(`eq(email,x${last[1]})`)}`);
    assert.equal(none.json.meta.results.total, 0);
  } finally {
    await gw.stop();
  }
}

test('a gateway started on a killed bulk import builds the pending indexes before serving', async () => {
  const db = join(dir, 'serve-after-kill.db');
  const stored = await killedImport(db);
  const gw = await startGateway({ db });
  assert.match(gw.stderr, /building the indexes an interrupted import left pending/);
  await gw.stop();
  assertIndexesComplete(db);
  assert.equal(Number(sql(db, 'SELECT count(*) FROM customers')), stored, 'nothing committed was lost');
  await assertSearchAnswers(db);
  // The import run again resumes in the normal way and keeps the indexes in step.
  const resumed = await importFile(db, 'microbase', file);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(summary(resumed.stdout), { created: COUNT - stored, updated: 0, unchanged: stored, rejected: 0 });
  assertIndexesComplete(db);
  await assertSearchAnswers(db);
});

test('the import run again after a kill finishes the load and builds the indexes', async () => {
  const db = join(dir, 'resume-after-kill.db');
  const stored = await killedImport(db);
  const resumed = await importFile(db, 'microbase', file, ['--batch-size', '5000']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(summary(resumed.stdout), { created: COUNT - stored, updated: 0, unchanged: stored, rejected: 0 });
  assertIndexesComplete(db);
  assert.equal(Number(sql(db, 'SELECT count(*) FROM customers')), COUNT);
  assert.equal(Number(sql(db, 'SELECT count(*) FROM addresses')),
    source.reduce((n, r) => n + r.addresses.length, 0));
  await assertSearchAnswers(db);
});

test('while an import holds the indexes back, a gateway refuses to open the file and says why', async () => {
  const db = join(dir, 'busy.db');
  let refused;
  const killed = await runCli(['import', '--from', 'microbase', '--db', db, '--batch-size', '500', file], {
    onStderr: (text, proc) => {
      if (refused || !/^progress: /m.test(text)) return;
      refused = runCli(['serve', '--listen', '127.0.0.1:0', '--db', db], { timeoutMs: 10000 })
        .finally(() => proc.kill('SIGKILL'));
    },
  });
  assert.equal(killed.signal, 'SIGKILL');
  const serve = await refused;
  assert.equal(serve.code, 1, `the gateway must not serve: ${serve.stdout}${serve.stderr}`);
  assert.match(serve.stderr, /being loaded by an import that builds its listing and search indexes when it ends/);
});
