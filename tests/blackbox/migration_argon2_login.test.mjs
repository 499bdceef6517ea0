// Customers moving from platforms that store Argon2 (PHP's password_hash with
// PASSWORD_ARGON2ID, argon2-cffi, Keycloak, Django's Argon2PasswordHasher)
// keep their passwords: hashes made by the reference `argon2` command are
// imported, verify through MicroBase's customer.checkCredentials and Elastic
// Path's customer tokens, and are re-hashed to the gateway's scrypt on the
// first successful login. Hashes over the memory or time bound are refused
// at import with the reason, so a hostile file cannot make logins stall.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { startGateway, epToken, freshDb } from './harness.mjs';
import {
  tempDir, importFile, writeLines, mongoCustomer, summary, loginProbes,
  assertWrongPasswordChangesNothing, assertFirstLoginRehashes,
} from './migration_fixtures.mjs';

// `argon2 SALT <flags> -e` reads the password on stdin and prints the PHC string.
const argon2 = (flags) => (pw) =>
  execFileSync('argon2', ['k8Xq2Lm9Wd4Rt6Yb', ...flags, '-e'], { input: pw, encoding: 'utf8' }).trim();

const people = [
  // PHP 8's PASSWORD_ARGON2ID defaults.
  { id: 'argon2id01', scheme: '$argon2id$v=19$m=65536,t=4,p=1$', make: argon2(['-id', '-k', '65536', '-t', '4', '-p', '1']) },
  { id: 'argon2i001', scheme: '$argon2i$v=19$m=4096,t=3,p=2$', make: argon2(['-i', '-k', '4096', '-t', '3', '-p', '2']) },
  { id: 'argon2d001', scheme: '$argon2d$v=19$m=2048,t=2,p=4$', make: argon2(['-d', '-k', '2048', '-t', '2', '-p', '4']) },
  { id: 'argon2v10a', scheme: '$argon2id$v=16$', make: argon2(['-id', '-k', '1024', '-t', '2', '-v', '10']) },
  // Django's Argon2PasswordHasher prefixes argon2-cffi's string with "argon2".
  { id: 'djangoarg1', scheme: 'argon2$argon2id$v=19$m=102400,t=2,p=8$', make: (pw) => `argon2${argon2(['-id', '-k', '102400', '-t', '2', '-p', '8'])(pw)}` },
].map((p, i) => ({ ...p, email: `argon${i}@example.com`, password: `Pässword ${i} with spaces` }));

// Over the bounds: the hash part is never computed, so any digest will do.
const tail = '$azhYcTJMbTlXZDRSdDZZYg$Vy1S0vH+9nD6ob3Tz5nQyNwNm9sA3yB9Ul0k1mJc3oY';
const overBound = [
  ['argonmem01', `$argon2id$v=19$m=2097152,t=1,p=4${tail}`, /Argon2 memory m=2097152 KiB is over the bound of 1048576 KiB/],
  ['argonwork1', `$argon2id$v=19$m=262144,t=5,p=1${tail}`, /Argon2 work m\*t=262144\*5 KiB is over the bound of 1048576 KiB/],
  ['argonlane1', `$argon2id$v=19$m=65536,t=1,p=64${tail}`, /Argon2 parameters out of range/],
  ['argonbad01', '$argon2id$v=19$m=65536,t=1,p=1$c2FsdA$x', /malformed Argon2 hash/],
];

let dir;
let db;
let gw;
let token;
let imported;
let probes;

before(async () => {
  dir = tempDir();
  db = freshDb(dir);
  for (const p of people) {
    p.hash = p.make(p.password);
    assert.ok(p.hash.startsWith(p.scheme), p.hash);
  }
  const file = writeLines(dir, 'customers.jsonl', [
    ...people.map((p) => mongoCustomer(p.id, p.email, p.hash)),
    ...overBound.map(([id, hash], i) => mongoCustomer(id, `costly${i}@example.com`, hash)),
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


test('import keeps every Argon2 hash as it is and refuses those over a bound, naming it', async () => {
  assert.equal(imported.code, 3, imported.stderr);
  assert.deepEqual(summary(imported.stdout), { created: people.length, updated: 0, unchanged: 0, rejected: overBound.length });
  for (const [id, , reason] of overBound) {
    const line = imported.stderr.split('\n').find((l) => l.includes(`(id ${id})`));
    assert.match(line ?? '', /password: unsupported password hash format \("\$arg\.\.\."/, id);
    assert.match(line, reason, id);
    assert.ok(!line.includes(tail.slice(1, 12)), 'the hash is not echoed');
  }
  for (const p of people) assert.equal(await probes.storedHash(p.id), p.hash, p.id);
});

test('each variant: a wrong password fails in both dialects and changes nothing', async () => {
  for (const p of people) await assertWrongPasswordChangesNothing(probes, p);
});

test('each variant: the first successful login re-hashes to scrypt, alternating dialects', async () => {
  for (const [i, p] of people.entries()) {
    await assertFirstLoginRehashes(probes, p, i % 2 === 0 ? 'microbase' : 'elastic-path');
  }
});
