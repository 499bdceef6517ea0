// docs/migration.md's Django walk-through, end to end: a `dumpdata auth.user`
// file (PBKDF2 hashes made by Python's own hashlib.pbkdf2_hmac and an Argon2
// hash made by the reference `argon2` command, both in Django's forms) is
// converted by examples/migration/django_users.py, imported, and its users
// log in through both dialects, re-hashed to scrypt on the first login.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGateway, epToken, freshDb } from './harness.mjs';
import {
  tempDir, importFile, exportRecords, summary, loginProbes, assertWrongPasswordChangesNothing,
  assertFirstLoginRehashes,
} from './migration_fixtures.mjs';

const script = new URL('../../examples/migration/django_users.py', import.meta.url).pathname;

function djangoHash(password, salt) {
  const py = 'import sys,hashlib,base64;pw,salt=sys.argv[1:];'
    + 'k=hashlib.pbkdf2_hmac("sha256",pw.encode(),salt.encode(),1000000);'
    + 'print("pbkdf2_sha256$1000000$%s$%s"%(salt,base64.b64encode(k).decode()))';
  return execFileSync('python3', ['-c', py, password, salt], { encoding: 'utf8' }).trim();
}

// Django's Argon2PasswordHasher: "argon2" + argon2-cffi's string, with
// Django's parameters (m=102400 KiB, t=2, p=8).
function djangoArgon2(password, salt) {
  const phc = execFileSync('argon2', [salt, '-id', '-k', '102400', '-t', '2', '-p', '8', '-e'], { input: password, encoding: 'utf8' });
  return `argon2${phc.trim()}`;
}

const user = (pk, fields) => ({ model: 'auth.user', pk, fields: { is_active: true, date_joined: '2019-03-04T10:11:12.345Z', ...fields } });

let dir;
let db;
let gw;
let token;
let probes;
let converted;
let imported;

before(async () => {
  dir = tempDir();
  db = freshDb(dir);
  const dump = [
    user(1, { username: 'ann', email: 'ann@pawnee.gov', first_name: 'Ann', last_name: 'Perkins', password: djangoHash('Ann pw 1', 'Xz9kQp2Lm7Wd4Rt6Yb1Nc0') }),
    user(2, { username: 'chris', email: 'chris@pawnee.gov', first_name: 'Chris', last_name: 'Traeger', password: djangoHash('Literally', 'Aa3Bb4Cc5Dd6Ee7Ff8Gg9H'), is_active: false }),
    user(3, { username: 'noemail', email: '', password: djangoHash('x', 'saltsaltsalt') }),
    user(4, { username: 'sso', email: 'sso@pawnee.gov', first_name: 'Single', last_name: 'SignOn', password: '!Kz0d2unusable' }),
    user(5, { username: 'argon', email: 'argon@pawnee.gov', first_name: 'Ar', last_name: 'Gon', password: djangoArgon2('Gon pw 5', 'Qm4Ws8Ez2Rx6Tc1Y') }),
    user(6, { username: 'old', email: 'old@pawnee.gov', first_name: 'Old', last_name: 'Hasher', password: 'bcrypt_sha256$$2b$12$GKEYyFVDSn5zDgZxyIgf3uUreKS3cHUIrJcJFW1gdYq8MJdCguKWW' }),
    { model: 'auth.group', pk: 1, fields: { name: 'staff' } },
  ];
  const dumpFile = join(dir, 'users.json');
  writeFileSync(dumpFile, JSON.stringify(dump));
  converted = execFileSync('python3', [script, dumpFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const jsonl = join(dir, 'customers.jsonl');
  writeFileSync(jsonl, converted);
  imported = await importFile(db, 'microbase', jsonl);
  gw = await startGateway({ db });
  token = await epToken(gw);
  probes = loginProbes(gw, token, db);
});

after(async () => {
  await gw?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const stored = async (id) => (await exportRecords(db, 'microbase')).find((r) => r._id === id);

test('the conversion keeps ids, names, status and hashes; the import refuses only the bcrypt_sha256 hash', async () => {
  assert.equal(converted.trim().split('\n').length, 5, converted);
  assert.equal(imported.code, 3, imported.stderr);
  assert.deepEqual(summary(imported.stdout), { created: 4, updated: 0, unchanged: 0, rejected: 1 });
  assert.match(imported.stderr, /\(id django-6\): password: unsupported password hash format/);
  assert.match((await stored('django-5')).password, /^argon2\$argon2id\$v=19\$m=102400,t=2,p=8\$/);
  const chris = await stored('django-2');
  assert.equal(chris.status, 'INACTIVE');
  assert.equal(chris.lastName, 'Traeger');
  assert.match(chris.password, /^pbkdf2_sha256\$1000000\$/);
  assert.equal((await stored('django-1')).createdAt.$date, '2019-03-04T10:11:12.345Z');
  assert.equal((await stored('django-4')).password, undefined, 'an unusable password is left out');
});

test('Django users log in through both dialects and are re-hashed to scrypt', async () => {
  const ann = { id: 'django-1', email: 'ann@pawnee.gov', password: 'Ann pw 1', hash: (await stored('django-1')).password };
  assert.match(ann.hash, /^pbkdf2_sha256\$/);
  await assertWrongPasswordChangesNothing(probes, ann, 'Ann pw 2');
  await assertFirstLoginRehashes(probes, ann, 'elastic-path');
  assert.equal((await probes.epLogin('sso@pawnee.gov', '!Kz0d2unusable')).status, 401);
});

test('a Django Argon2 user logs in through MicroBase first, then Elastic Path', async () => {
  const argon = { id: 'django-5', email: 'argon@pawnee.gov', password: 'Gon pw 5', hash: (await stored('django-5')).password };
  assert.match(argon.hash, /^argon2\$/);
  await assertWrongPasswordChangesNothing(probes, argon, 'Gon pw 6');
  await assertFirstLoginRehashes(probes, argon, 'microbase');
});
