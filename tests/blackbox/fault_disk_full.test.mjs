// Fault below the store: the gateway's database lives on a tiny tmpfs that
// fills up under concurrent creates through both dialects. Writes that cannot
// be made durable must fail in the caller's dialect (Elastic Path: a 5xx with
// a JSON:API error; MicroBase: ok:false on a 5xx), reads keep working, nothing
// acknowledged is lost, and once the filesystem grows again the same process
// accepts writes without a restart. Afterwards the database passes
// `PRAGMA integrity_check` and a restarted gateway sees every acknowledged
// write.
//
// Mounting needs root (CAP_SYS_ADMIN); without it the test is skipped and
// says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, epToken, ep, mb } from './harness.mjs';

const BATCH = 8;
const MAX_BATCHES = 400;

function tryMount(dir) {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function resize(dir, size) {
  execFileSync('mount', ['-o', `remount,size=${size}`, dir], { stdio: 'pipe' });
}

const acked = new Map();  // id → { email, ref }
let serial = 0;

// One create through one dialect; returns 'ok' or 'failed' after checking
// the failure's shape.
async function create(gw, token, viaEp) {
  serial += 1;
  const email = `full.${serial}@example.com`;
  const ref = `r${serial}-`.padEnd(2000, 'x');
  if (viaEp) {
    const res = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: `Full ${serial}`, email, external_ref: ref } });
    if (res.status === 201) {
      acked.set(res.json.data.id, { email, ref });
      return 'ok';
    }
    assert.ok(res.status >= 500, `EP create while full: ${res.status} ${res.text}`);
    assert.equal(res.json?.errors?.[0]?.status, res.status, res.text);
    return 'failed';
  }
  const tags = Array.from({ length: 8 }, (_, i) => `t${serial}-${i}-`.padEnd(250, 'y'));
  const res = await mb(gw, 'customer.create', { email, password: 'pw', firstName: 'Full', lastName: `${serial}`, tags });
  if (res.json?.ok === true) {
    acked.set(res.json.customer.id, { email, tags });
    return 'ok';
  }
  assert.ok(res.status >= 500, `MicroBase create while full: ${res.status} ${res.text}`);
  assert.equal(res.json?.ok, false, res.text);
  assert.equal(res.json.error, 'internal_error', res.text);
  return 'failed';
}

async function verifyAll(gw, token, context) {
  for (const [id, c] of acked) {
    const res = await ep(gw, token, 'GET', `/v2/customers/${id}`);
    assert.equal(res.status, 200, `${context}: acknowledged ${c.email} lost: ${res.text}`);
    assert.equal(res.json.data.email, c.email, context);
    if (c.ref) assert.equal(res.json.data.external_ref, c.ref, context);
    if (c.tags) {
      const m = await mb(gw, 'customer.info', { id });
      assert.deepEqual(m.json.customer.tags, c.tags, context);
    }
  }
}

test('a full disk fails writes in each dialect, loses nothing, and recovers when space returns', async (t) => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'gw-full-'));
  if (!tryMount(mountPoint)) {
    rmSync(mountPoint, { recursive: true, force: true });
    t.skip('cannot mount a tmpfs here (needs root)');
    return;
  }
  const db = join(mountPoint, 'full.db');
  let gw;
  try {
    gw = await startGateway({ db, args: ['--scrypt-log-n', '10'] });
    const token = await epToken(gw);

    // Fill the filesystem until both dialects have seen failures.
    const failed = { ep: 0, mb: 0 };
    for (let b = 0; b < MAX_BATCHES && (failed.ep < 3 || failed.mb < 3); b++) {
      const results = await Promise.all(Array.from({ length: BATCH }, (_, i) => create(gw, token, i % 2 === 0)));
      results.forEach((r, i) => { if (r === 'failed') failed[i % 2 === 0 ? 'ep' : 'mb'] += 1; });
    }
    assert.ok(failed.ep >= 3 && failed.mb >= 3, `the disk never filled: ${JSON.stringify(failed)}, ${acked.size} created`);
    assert.ok(acked.size > 0, 'nothing was written before the disk filled');

    // Reads still work while full, and everything acknowledged is there.
    await verifyAll(gw, token, 'while full');

    // Space returns: the same process accepts writes again.
    resize(mountPoint, '64m');
    for (const viaEp of [true, false, true, false]) {
      assert.equal(await create(gw, token, viaEp), 'ok', `a write after space returned (${viaEp ? 'EP' : 'MicroBase'})`);
    }
    await verifyAll(gw, token, 'after recovery');
    const stopped = await gw.stop();
    assert.equal(stopped.code, 0, gw.stderr);
    assert.equal(execFileSync('sqlite3', [db, 'PRAGMA integrity_check;'], { encoding: 'utf8' }).trim(), 'ok');

    gw = await startGateway({ db });
    await verifyAll(gw, await epToken(gw), 'after restart');
    await gw.stop();
    console.log(`failures while full: ${JSON.stringify(failed)}; ${acked.size} acknowledged writes all kept`);
  } finally {
    if (gw && gw.proc.exitCode === null && gw.proc.signalCode === null) {
      gw.proc.kill('SIGKILL');
      await gw.exited;
    }
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  }
});
