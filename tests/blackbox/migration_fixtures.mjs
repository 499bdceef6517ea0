// Helpers for the migration suites: run `customer-gateway import|export` to
// completion, read the summary, build MicroBase documents as mongoexport
// writes them, and install bcryptjs (an independent bcrypt implementation)
// from the npm registry into a scratch folder, once.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { BIN, ep, mb } from './harness.mjs';

export function tempDir() {
  return mkdtempSync(join(tmpdir(), 'gw-mig-'));
}

// Runs the binary; resolves with { code, signal, stdout, stderr }.
export function runCli(args, { input, timeoutMs = 60000, onStderr } = {}) {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.GATEWAY_DB;
    const proc = spawn(BIN, args, { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    // Decode as a stream: a chunk may end inside a multi-byte character.
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; onStderr?.(stderr, proc); });
    if (input !== undefined) proc.stdin.end(input);
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

// The outcome counts of an import's summary.
export function summary(stdout) {
  const count = (label) => {
    const m = new RegExp(`^  ${label}:\\s+([\\d,]+)$`, 'm').exec(stdout);
    if (!m) throw new Error(`no "${label}" in summary:\n${stdout}`);
    return Number(m[1].replaceAll(',', ''));
  };
  return { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), rejected: count('rejected') };
}

export function importFile(db, from, file, extra = []) {
  return runCli(['import', '--from', from, '--db', db, ...extra, file]);
}

// Exports `db` as `format`; resolves with the parsed records.
export async function exportRecords(db, format) {
  const res = await runCli(['export', '--to', format, '--db', db, '-']);
  if (res.code !== 0) throw new Error(`export failed (${res.code}): ${res.stderr}`);
  return res.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

export function writeLines(dir, name, records) {
  const file = join(dir, name);
  writeFileSync(file, records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
  return file;
}

// A document of micro-customer-service's `customers` collection as
// mongoexport (relaxed Extended JSON) writes it.
export function mongoCustomer(id, email, hash, { firstName = 'Leslie', lastName = 'Knope', ...rest } = {}) {
  return {
    _id: id, email, password: hash, firstName, lastName, status: 'ACTIVE', tags: [], addresses: [],
    createdAt: { $date: '2017-01-11T18:44:45.123Z' }, updatedAt: { $date: '2017-01-12T09:00:00.000Z' }, __v: 0,
    ...rest,
  };
}

const BCRYPTJS = 'bcryptjs@3.0.3';
const bcryptDir = join(tmpdir(), `customer-gateway-${BCRYPTJS.replace(/\W/g, '-')}`);

// bcryptjs from the npm registry, installed into a scratch folder (renamed
// into place, so an interrupted install never leaves half a copy).
export function loadBcryptjs() {
  if (!existsSync(join(bcryptDir, 'node_modules', 'bcryptjs', 'package.json'))) {
    rmSync(bcryptDir, { recursive: true, force: true });
    const staging = mkdtempSync(`${bcryptDir}-staging-`);
    try {
      writeFileSync(join(staging, 'package.json'), JSON.stringify({ private: true }));
      execFileSync('npm', ['install', '--no-audit', '--no-fund', BCRYPTJS], { cwd: staging, stdio: ['ignore', 'ignore', 'pipe'] });
      try {
        renameSync(staging, bcryptDir);
      } catch (err) {
        if (!existsSync(bcryptDir)) throw err;
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return createRequire(join(bcryptDir, 'package.json'))('bcryptjs');
}

// `htpasswd -nbB -C 10` (apache2-utils): bcrypt by Apache's own code, as $2y$.
export function htpasswdHash(password) {
  const line = execFileSync('htpasswd', ['-nbB', '-C', '10', 'user', password], { encoding: 'utf8' }).trim();
  return line.slice(line.indexOf(':') + 1);
}

export function readText(file) {
  return readFileSync(file, 'utf8');
}

// Logging in as an imported customer through both dialects, and reading the
// hash stored for one (through a MicroBase export of `db`).
export function loginProbes(gw, token, db) {
  return {
    epLogin: (email, password) => ep(gw, token, 'POST', '/v2/customers/tokens', { data: { type: 'token', email, password } }),
    mbLogin: async (email, password) => (await mb(gw, 'customer.checkCredentials', { email, password })).json,
    storedHash: async (id) => (await exportRecords(db, 'microbase')).find((r) => r._id === id)?.password,
  };
}

// An imported customer `p` ({ id, email, password, hash }): a wrong password
// fails in both dialects and leaves the imported hash as it was.
export async function assertWrongPasswordChangesNothing(probes, p, wrong = `${p.password}!`) {
  assert.equal((await probes.mbLogin(p.email, wrong)).error, 'bad_credentials', p.id);
  assert.equal((await probes.epLogin(p.email, wrong)).status, 401, p.id);
  assert.equal(await probes.storedHash(p.id), p.hash, `${p.id}: no rehash without a successful login`);
}

// The first successful login of `p`, through `first` ('microbase' or
// 'elastic-path'), re-hashes to the gateway's scrypt; then both dialects
// accept the password and refuse another.
export async function assertFirstLoginRehashes(probes, p, first) {
  if (first === 'microbase') {
    assert.deepEqual(await probes.mbLogin(p.email, p.password), { ok: true }, p.id);
  } else {
    const res = await probes.epLogin(p.email, p.password);
    assert.equal(res.status, 200, `${p.id}: ${res.text}`);
    assert.equal(res.json.data.type, 'token');
    assert.equal(res.json.data.customer_id, p.id);
  }
  assert.match(await probes.storedHash(p.id), /^\$scrypt\$/, `${p.id} rehashed on the first successful login`);
  assert.deepEqual(await probes.mbLogin(p.email, p.password), { ok: true }, p.id);
  assert.equal((await probes.epLogin(p.email, p.password)).status, 200, p.id);
  assert.equal((await probes.mbLogin(p.email, `${p.password} `)).error, 'bad_credentials', p.id);
  assert.equal((await probes.epLogin(p.email, `${p.password} `)).status, 401, p.id);
}
