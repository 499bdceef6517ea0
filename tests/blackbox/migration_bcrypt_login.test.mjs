// Existing MicroBase customers keep their passwords: bcrypt hashes made by
// independent implementations (Apache's htpasswd for $2y$, bcryptjs from npm
// for $2a$ and $2b$), imported as MicroBase stored them, log in through both
// MicroBase's customer.checkCredentials and Elastic Path's customer tokens;
// the first successful login re-hashes to the gateway's scrypt scheme, after
// which the same password still works and a wrong one still fails. Unknown
// hash formats are refused at import and never stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startGateway, epToken, freshDb } from './harness.mjs';
import {
  tempDir, importFile, exportRecords, writeLines, mongoCustomer, loadBcryptjs, htpasswdHash, summary,
  loginProbes, assertWrongPasswordChangesNothing, assertFirstLoginRehashes,
} from './migration_fixtures.mjs';

const people = {
  y: { id: 'HkhhuXESl', email: 'leslie.knope@pawnee.gov', password: 'Waffles & friends 4ever' },
  a: { id: 'SkxQ1fBSe', email: 'ron.swanson@pawnee.gov', password: 'Lagavulin 16' },
  b: { id: 'r1Hz9v3Se', email: 'april.ludgate@pawnee.gov', password: 'Janet Snakehole' },
};

let dir;
let db;
let gw;
let token;
let imported;
let probes;

before(async () => {
  dir = tempDir();
  db = freshDb(dir);
  const bcrypt = loadBcryptjs();
  people.y.hash = htpasswdHash(people.y.password);
  // bcryptjs hashes with the revision its salt names; it generates $2b$ salts.
  people.a.hash = bcrypt.hashSync(people.a.password, bcrypt.genSaltSync(10).replace(/^\$2b\$/, '$2a$'));
  people.b.hash = bcrypt.hashSync(people.b.password, bcrypt.genSaltSync(10));
  assert.match(people.y.hash, /^\$2y\$10\$/);
  assert.match(people.a.hash, /^\$2a\$10\$/);
  assert.match(people.b.hash, /^\$2b\$10\$/);
  const file = writeLines(dir, 'customers.jsonl', [
    ...Object.values(people).map((p) => mongoCustomer(p.id, p.email, p.hash)),
    mongoCustomer('bcrypt2x01', 'buggy@pawnee.gov', '$2x$10$GKEYyFVDSn5zDgZxyIgf3uUreKS3cHUIrJcJFW1gdYq8MJdCguKWW'),
    mongoCustomer('plaintext1', 'plain@pawnee.gov', 'hunter2'),
    mongoCustomer('ldapssha01', 'ldap@pawnee.gov', '{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g='),
  ]);
  imported = await importFile(db, 'microbase', file);
  gw = await startGateway({ db });
  token = await epToken(gw);
  probes = loginProbes(gw, token, db);
});

after(async () => {
  await gw?.stop();
  rmSync(dir, { recursive: true, force: true });
});


test('import keeps the three bcrypt hashes as they are and refuses unknown formats', async () => {
  assert.equal(imported.code, 3, imported.stderr);
  assert.deepEqual(summary(imported.stdout), { created: 3, updated: 0, unchanged: 0, rejected: 3 });
  for (const line of [4, 5, 6]) {
    assert.match(imported.stderr, new RegExp(`line ${line} \\(id \\w+\\): password: unsupported password hash format`));
  }
  assert.doesNotMatch(imported.stderr, /hunter2/, 'a rejected secret is never echoed');
  const records = await exportRecords(db, 'microbase');
  assert.deepEqual(records.map((r) => r._id).sort(), Object.values(people).map((p) => p.id).sort());
  for (const p of Object.values(people)) assert.equal(await probes.storedHash(p.id), p.hash);
});

test('$2y$ from htpasswd: first login through MicroBase, then both dialects on scrypt', async () => {
  await assertFirstLoginRehashes(probes, people.y, 'microbase');
});

test('$2a$ from bcryptjs: first login through an Elastic Path customer token', async () => {
  await assertFirstLoginRehashes(probes, people.a, 'elastic-path');
});

test('$2b$ from bcryptjs: a wrong password changes nothing, the right one upgrades', async () => {
  await assertWrongPasswordChangesNothing(probes, people.b, 'Janet Snakeh0le');
  await assertFirstLoginRehashes(probes, people.b, 'microbase');
});

test('re-running the import after the upgrade keeps the scrypt hashes', async () => {
  const file = writeLines(dir, 'again.jsonl', Object.values(people).map((p) => mongoCustomer(p.id, p.email, p.hash)));
  const again = await importFile(db, 'microbase', file);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(summary(again.stdout), { created: 0, updated: 0, unchanged: 3, rejected: 0 });
  for (const p of Object.values(people)) {
    assert.match(await probes.storedHash(p.id), /^\$scrypt\$/);
    assert.deepEqual(await probes.mbLogin(p.email, p.password), { ok: true });
  }
});
