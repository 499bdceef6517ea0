// A catch-up import removes the customers upstream no longer has:
// `--prune` (every stored customer the complete export does not name, with a
// dry-run count and a refusal above a tenth of the store unless --max-prune
// or --force) and `--deletions FILE` (the ids a file lists). A customer a
// serving gateway creates while the import runs is never pruned.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, startGateway, mb, freshDb } from './harness.mjs';
import { tempDir, importFile, exportRecords, writeLines, mongoCustomer, summary } from './migration_fixtures.mjs';

const person = (n) => mongoCustomer(`cust${String(n).padStart(3, '0')}`, `person${n}@example.com`, undefined);
const range = (from, to) => Array.from({ length: to - from }, (_, i) => person(from + i));

let dir;
before(() => { dir = tempDir(); });
after(() => rmSync(dir, { recursive: true, force: true }));

// A database holding customers 0..count-1.
async function seeded(name, count) {
  const db = freshDb(dir, `${name}.db`);
  const res = await importFile(db, 'microbase', writeLines(dir, `${name}-seed.jsonl`, range(0, count)));
  assert.equal(res.code, 0, res.stderr);
  return db;
}
const storedIds = async (db) => (await exportRecords(db, 'microbase')).map((r) => r._id).sort();
const pruned = (stdout) => Number(/^ {2}pruned:\s+(\d+)/m.exec(stdout)?.[1]);

test('--prune --dry-run counts, --prune removes the customers the export no longer names', async () => {
  const db = await seeded('prune', 20);
  // Upstream deleted 3 and 17, and gained 20.
  const file = writeLines(dir, 'prune-catchup.jsonl', [...range(0, 20).filter((_, i) => i !== 3 && i !== 17), person(20)]);
  const dry = await importFile(db, 'microbase', file, ['--prune', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(pruned(dry.stdout), 2, dry.stdout);
  assert.match(dry.stdout, /pruned:\s+2 \(would be; absent from /);
  assert.match(dry.stderr, /would prune id cust003/);
  assert.match(dry.stderr, /would prune id cust017/);
  assert.equal((await storedIds(db)).length, 20, 'a dry run removes nothing');

  const real = await importFile(db, 'microbase', file, ['--prune']);
  assert.equal(real.code, 0, real.stderr);
  assert.deepEqual(summary(real.stdout), { created: 1, updated: 0, unchanged: 18, rejected: 0 });
  assert.equal(pruned(real.stdout), 2);
  assert.match(real.stderr, /pruned id cust003\n/);
  const ids = await storedIds(db);
  assert.equal(ids.length, 19);
  assert.ok(!ids.includes('cust003') && !ids.includes('cust017') && ids.includes('cust020'));

  const again = await importFile(db, 'microbase', file, ['--prune']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(pruned(again.stdout), 0, 'a re-run has nothing left to prune');
});

test('--prune refuses above a tenth of the store unless --max-prune or --force allows it', async () => {
  const db = await seeded('limit', 30);
  const file = writeLines(dir, 'limit-catchup.jsonl', range(0, 26));  // 4 absent, limit 3
  for (const extra of [['--dry-run'], [], ['--max-prune', '3']]) {
    const res = await importFile(db, 'microbase', file, ['--prune', ...extra]);
    assert.equal(res.code, 1, `${extra}: ${res.stdout}`);
    assert.match(res.stderr, /4 stored customers are absent from .*limit-catchup\.jsonl, more than the limit of 3/);
    assert.match(res.stderr, extra[0] === '--max-prune' ? /\(--max-prune\)/ : /\(a tenth of the 30 stored before the import\)/);
    assert.match(res.stderr, /run again with --max-prune 4 or --force/);
    assert.equal((await storedIds(db)).length, 30, 'nothing pruned');
  }
  const allowed = await importFile(db, 'microbase', file, ['--prune', '--max-prune', '4']);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.equal(pruned(allowed.stdout), 4);
  const forced = await importFile(db, 'microbase', writeLines(dir, 'limit-two.jsonl', range(0, 2)), ['--prune', '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(pruned(forced.stdout), 24);
  assert.deepEqual(await storedIds(db), ['cust000', 'cust001']);
});

test('--prune refuses when a rejected record hid its id; a rejected record with an id is kept', async () => {
  const db = await seeded('hidden', 10);
  const badEmail = { ...person(4), email: 'not an email' };
  const withHidden = writeLines(dir, 'hidden.jsonl', [...range(0, 4), '{"_id": "cust005", oops', ...range(6, 10)]);
  const res = await importFile(db, 'microbase', withHidden, ['--prune', '--force']);
  assert.equal(res.code, 1);
  assert.match(res.stderr, /not pruning: 1 records were rejected before their id was read/);
  assert.equal((await storedIds(db)).length, 10);

  // A record rejected after its id was read still names it: cust004 is kept.
  const rejected = writeLines(dir, 'rejected.jsonl', [...range(0, 4), JSON.stringify(badEmail), ...range(6, 10)]);
  const kept = await importFile(db, 'microbase', rejected, ['--prune']);
  assert.equal(kept.code, 3, kept.stderr);
  assert.equal(pruned(kept.stdout), 1);
  assert.match(kept.stderr, /pruned id cust005/);
  assert.ok((await storedIds(db)).includes('cust004'));
});

test('a customer created through the API while the import runs is not pruned', async () => {
  const db = await seeded('live', 10);
  const gw = await startGateway({ db });
  try {
    const proc = spawn(BIN, ['import', '--from', 'microbase', '--db', db, '--batch-size', '1', '--prune', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise((resolve) => proc.on('exit', resolve));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30000);
    // A new customer first: once the gateway serves it, the import has
    // started (and committed a batch) and is waiting for more input.
    proc.stdin.write(`${JSON.stringify(person(100))}\n${JSON.stringify(person(0))}\n`);
    for (let i = 0; i < 300 && !(await mb(gw, 'customer.info', { id: 'cust100' })).json.ok; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const created = await mb(gw, 'customer.create', { email: 'walkin@example.com', password: 'pw123456', firstName: 'Walk', lastName: 'In' });
    assert.equal(created.json.ok, true, created.text);
    proc.stdin.end(range(1, 10).map((r) => JSON.stringify(r)).join('\n') + '\n');
    assert.equal(await exited, 0, stderr);
    clearTimeout(timer);
    assert.equal(pruned(stdout), 0, stdout);
    const list = await mb(gw, 'customer.info', { id: created.json.customer.id });
    assert.equal(list.json.ok, true, 'the walk-in customer is still there');
  } finally {
    await gw.stop();
  }
});

test('--deletions FILE removes the listed ids, in every line form, and refuses ids the import names', async () => {
  const db = await seeded('del', 10);
  const deletions = join(dir, 'gone.txt');
  writeFileSync(deletions, [
    'cust001',
    '  cust002  ',
    '',
    '"cust003"',
    '{"_id": {"$oid": "cust004"}}',
    '{"id": "cust005", "deleted_at": "2026-11-01"}',
    'never-stored',
    'cust009',
  ].join('\r\n') + '\n');
  const changes = writeLines(dir, 'changes.jsonl', [{ ...person(9), firstName: 'Changed' }]);
  const dry = await importFile(db, 'microbase', changes, ['--deletions', deletions, '--dry-run']);
  assert.equal(dry.code, 3, dry.stderr);
  assert.match(dry.stdout, /deleted:\s+5 \(would be; 1 already absent, 1 refused; listed in /);
  assert.equal((await storedIds(db)).length, 10);

  const res = await importFile(db, 'microbase', changes, ['--deletions', deletions]);
  assert.equal(res.code, 3, res.stderr);
  assert.deepEqual(summary(res.stdout), { created: 0, updated: 1, unchanged: 0, rejected: 0 });
  assert.match(res.stdout, /deleted:\s+5 \(1 already absent, 1 refused; listed in /);
  assert.match(res.stderr, /not deleting id cust009: the import file holds it too/);
  assert.match(res.stderr, /deleted id cust004\n/);
  assert.deepEqual(await storedIds(db), ['cust000', 'cust006', 'cust007', 'cust008', 'cust009']);

  const again = await importFile(db, 'microbase', changes, ['--deletions', deletions]);
  assert.match(again.stdout, /deleted:\s+0 \(6 already absent, 1 refused/);
});

test('a bad deletions file or flag mix fails before the import writes anything', async () => {
  const db = await seeded('bad', 3);
  const newcomer = writeLines(dir, 'newcomer.jsonl', [person(50)]);
  const badFile = join(dir, 'bad-deletions.txt');
  writeFileSync(badFile, 'cust001\n{"name": "no id"}\n');
  const cases = [
    [['--deletions', badFile], /bad-deletions\.txt line 2: a JSON line must be a string or an object with a non-empty "id" or "_id"/],
    [['--deletions', join(dir, 'missing.txt')], /cannot read .*missing\.txt/],
    [['--force'], /--max-prune and --force only apply to --prune/],
    [['--prune', '--max-prune', 'ten'], /--max-prune must be a number/],
    [['--prune', '--deletions', badFile], /give --prune or --deletions, not both/],
  ];
  for (const [extra, message] of cases) {
    const res = await importFile(db, 'microbase', newcomer, extra);
    assert.equal(res.code, 1, `${extra}: ${res.stdout}`);
    assert.match(res.stderr, message);
  }
  assert.deepEqual(await storedIds(db), ['cust000', 'cust001', 'cust002']);
});
