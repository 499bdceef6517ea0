// Customers moving from other platforms keep their passwords: crypt(3) hashes
// made by independent tools (OpenSSL's `openssl passwd` for md5crypt and
// sha-crypt, Debian's `mkpasswd` for yescrypt and $7$ scrypt) and Django's
// PBKDF2-SHA256 form (made with Python's hashlib) are imported,
// verify through MicroBase's customer.checkCredentials and Elastic Path's
// customer tokens, and are re-hashed to the gateway's scrypt on the first
// successful login. Hashes whose cost is over the documented bound are
// refused at import, so a hostile file cannot make logins stall the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { startGateway, epToken, freshDb } from './harness.mjs';
import {
  tempDir, importFile, writeLines, mongoCustomer, summary, loginProbes,
  assertWrongPasswordChangesNothing, assertFirstLoginRehashes,
} from './migration_fixtures.mjs';

const run = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8' }).trim();

// Django's PBKDF2 form, computed by Python's hashlib (its own PBKDF2 code).
function djangoPbkdf2(password, iterations = 870000) {
  const py = 'import sys,hashlib,base64;pw,salt,n=sys.argv[1:];'
    + 'k=hashlib.pbkdf2_hmac("sha256",pw.encode(),salt.encode(),int(n));'
    + 'print("pbkdf2_sha256$%s$%s$%s"%(n,salt,base64.b64encode(k).decode()))';
  return run('python3', ['-c', py, password, 'kq3T9fYb2sUz7hLmXw4NcA', String(iterations)]);
}

const people = [
  { id: 'md5crypt01', scheme: '$1$', make: (pw) => run('openssl', ['passwd', '-1', pw]) },
  { id: 'sha256cr01', scheme: '$5$', make: (pw) => run('openssl', ['passwd', '-5', pw]) },
  { id: 'sha512cr01', scheme: '$6$', make: (pw) => run('openssl', ['passwd', '-6', pw]) },
  { id: 'sha512rd01', scheme: '$6$rounds=', make: (pw) => run('mkpasswd', ['-m', 'sha512crypt', '-R', '20000', pw]) },
  { id: 'yescrypt01', scheme: '$y$', make: (pw) => run('mkpasswd', ['-m', 'yescrypt', pw]) },
  { id: 'scrypt7001', scheme: '$7$', make: (pw) => run('mkpasswd', ['-m', 'scrypt', pw]) },
  { id: 'djangopbk1', scheme: 'pbkdf2_sha256$', make: djangoPbkdf2 },
].map((p, i) => ({ ...p, email: `migrant${i}@example.com`, password: `Pässword ${i} with spaces` }));

const overBound = [
  ['bcryptcost', () => '$2b$15$GKEYyFVDSn5zDgZxyIgf3uUreKS3cHUIrJcJFW1gdYq8MJdCguKWW'],
  ['sharounds1', () => run('mkpasswd', ['-m', 'sha512crypt', '-R', '2000000', 'pw'])],
  // yescrypt with N = 2^19 and r = 32: 2 GiB per login.
  ['pbkdf2many', () => djangoPbkdf2('pw', 2000001)],
  ['yescryptbg', () => '$y$jGT$WOEV/kOrrQQCiyV9wDbcP0$/lhkGENc9VIr0IBvzOQP/AJdCvacGsaJWR2NGulwNB1'],
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
    ...overBound.map(([id, make], i) => mongoCustomer(id, `costly${i}@example.com`, make())),
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


test('import keeps every crypt(3) hash as it is and refuses those over the cost bound', async () => {
  assert.equal(imported.code, 3, imported.stderr);
  assert.deepEqual(summary(imported.stdout), { created: people.length, updated: 0, unchanged: 0, rejected: overBound.length });
  for (const [id] of overBound) {
    assert.match(imported.stderr, new RegExp(`\\(id ${id}\\): password: unsupported password hash format`));
  }
  for (const p of people) assert.equal(await probes.storedHash(p.id), p.hash, p.id);
});

test('each scheme: a wrong password fails in both dialects and changes nothing', async () => {
  for (const p of people) await assertWrongPasswordChangesNothing(probes, p);
});

test('each scheme: the first successful login re-hashes to scrypt, alternating dialects', async () => {
  for (const [i, p] of people.entries()) {
    await assertFirstLoginRehashes(probes, p, i % 2 === 0 ? 'microbase' : 'elastic-path');
  }
});
