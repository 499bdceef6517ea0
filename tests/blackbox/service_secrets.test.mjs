// Secrets like a service: files created 0600 (a SQLite database, its WAL, exports),
// GATEWAY_*_FILE variables, a rotated JWT secret still verifying.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, statSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, mb, mbToken, epToken, BIN, ENGINE, freshDb } from './harness.mjs';

const mode = (path) => statSync(path).mode & 0o777;

test('export files and a SQLite database and its WAL are created 0600; an existing 0644 database is tightened', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-secrets-'));
  const sqlite = ENGINE === 'sqlite';
  try {
    const dbPath = freshDb(dir, 'private.db');
    const gw = await startGateway({ db: dbPath });
    await mb(gw, 'customer.create', { email: 'private@example.com', password: 'a secret password', firstName: 'P', lastName: 'P' });
    if (sqlite) {
      assert.equal(mode(dbPath), 0o600);
      assert.equal(mode(`${dbPath}-wal`), 0o600);
    }
    await gw.stop();
    const out = join(dir, 'export.json');
    const exported = spawnSync(BIN, ['export', '--to', 'microbase', '--db', dbPath, out], { encoding: 'utf8' });
    assert.equal(exported.status, 0, exported.stderr);
    assert.equal(mode(out), 0o600);
    if (!sqlite) return;

    chmodSync(dbPath, 0o644);
    const again = await startGateway({ db: dbPath });
    assert.equal(mode(dbPath), 0o600);
    await again.stop();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('GATEWAY_*_FILE variables read secrets from files; an unreadable one is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-secrets-'));
  try {
    writeFileSync(join(dir, 'jwt'), 'jwt-secret-from-a-file\n');
    writeFileSync(join(dir, 'id'), 'file-client');
    writeFileSync(join(dir, 'secret'), 'file-client-secret\r\n');
    const gw = await startGateway({
      secrets: false,
      env: { GATEWAY_JWT_SECRET_FILE: join(dir, 'jwt'), GATEWAY_CLIENT_ID_FILE: join(dir, 'id'), GATEWAY_CLIENT_SECRET_FILE: join(dir, 'secret') },
    });
    try {
      assert.doesNotMatch(gw.stdout, /Generated credentials/);
      const info = await mb(gw, 'customer.info', { id: 'nobody' }, { token: mbToken('jwt-secret-from-a-file') });
      assert.equal(info.json.error, 'customer_not_found', info.text);
      const tok = await fetch(`${gw.url}/oauth/access_token`, {
        method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'file-client', client_secret: 'file-client-secret' }),
      });
      assert.equal(tok.status, 200);
    } finally { await gw.stop(); }
    const bad = spawnSync(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', ':memory:'], {
      encoding: 'utf8', timeout: 10000, env: { ...process.env, GATEWAY_JWT_SECRET_FILE: join(dir, 'missing') },
    });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /GATEWAY_JWT_SECRET_FILE: cannot read/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('--jwt-previous-secret: tokens signed with the old secret still verify, new ones use the new secret', async () => {
  const gw = await startGateway({ args: ['--jwt-previous-secret', 'the-old-secret'] });
  try {
    const old = await mb(gw, 'customer.info', { id: 'nobody' }, { token: mbToken('the-old-secret') });
    assert.equal(old.json.error, 'customer_not_found', old.text);
    const other = await mb(gw, 'customer.info', { id: 'nobody' }, { token: mbToken('some-other-secret') });
    assert.equal(other.status, 401);
    // A token the gateway mints is signed with the current secret only.
    const token = await epToken(gw);
    const [h, p, sig] = token.split('.');
    const { createHmac } = await import('node:crypto');
    assert.equal(createHmac('sha256', 'test-jwt-secret').update(`${h}.${p}`).digest('base64url'), sig);
  } finally { await gw.stop(); }
});
