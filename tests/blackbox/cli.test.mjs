// The binary's command-line contract (issue 2): help and version, one-line
// failures with a non-zero exit, environment fallbacks, generated secrets
// kept in the database, and clean shutdown on SIGTERM/SIGINT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BIN, CLIENT_ID, CLIENT_SECRET, JWT_SECRET, startGateway, request, epToken, ep, mb, mbToken,
} from './harness.mjs';

const SECRET_FLAGS = ['--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET, '--jwt-secret', JWT_SECRET];
const GATEWAY_VARS = ['GATEWAY_LISTEN', 'GATEWAY_DB', 'GATEWAY_CLIENT_ID', 'GATEWAY_CLIENT_SECRET',
  'GATEWAY_JWT_SECRET', 'GATEWAY_THREADS', 'GATEWAY_MAX_BODY', 'GATEWAY_SCRYPT_LOG_N'];

// The caller's environment without any GATEWAY_* setting, plus `extra`.
function cleanEnv(extra = {}) {
  const env = { ...process.env };
  for (const name of GATEWAY_VARS) delete env[name];
  return { ...env, ...extra };
}

// For startGateway, which merges into process.env: empty means unset.
const NO_GATEWAY_ENV = Object.fromEntries(GATEWAY_VARS.map((name) => [name, '']));

function tempDir() {
  return mkdtempSync(join(tmpdir(), 'gw-cli-'));
}

// Runs the binary to completion; a run that outlives `timeoutMs` is killed
// and reported as hung.
function run(args, { env = cleanEnv(), cwd, timeoutMs = 10000 } = {}) {
  return new Promise((resolve) => {
    const proc = spawn(BIN, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    let hung = false;
    const timer = setTimeout(() => { hung = true; proc.kill('SIGKILL'); }, timeoutMs);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, hung });
    });
  });
}

// Starts the binary with exactly `args` and `env` (no harness defaults) and
// resolves once it is listening.
function launch(args, env) {
  return new Promise((resolve, reject) => {
    const proc = spawn(BIN, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const exited = new Promise((done) => proc.on('exit', (code, signal) => done({ code, signal })));
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`no listening line: ${stdout}${stderr}`)); }, 10000);
    proc.stderr.on('data', (d) => { stderr += d; });
    proc.stdout.on('data', (d) => {
      stdout += d;
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1], proc, exited,
          get stdout() { return stdout; },
          async stop() { proc.kill('SIGTERM'); return exited; },
        });
      }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}: ${stdout}${stderr}`)); });
  });
}

// A failure as the contract wants it: a non-zero exit code (not a crash by
// signal, not a hang) and exactly one line on stderr.
function assertOneLineFailure(r, mention) {
  assert.equal(r.hung, false, 'the process hung');
  assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr}`);
  assert.notEqual(r.code, 0, 'exit code must be non-zero');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.ok(lines[0].length > 0, 'stderr names the problem');
  assert.doesNotMatch(r.stderr, /terminate called|what\(\)|Aborted|core dumped|Segmentation|#\d+ 0x/);
  assert.doesNotMatch(r.stdout, /listening on/);
  if (mention) assert.ok(lines[0].includes(mention), `"${lines[0]}" should mention ${mention}`);
}

function portOf(url) {
  return Number(new URL(url).port);
}

async function tokenFor(gw, clientId, clientSecret) {
  return request(gw, 'POST', '/oauth/access_token', {
    form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
  });
}

test('--help lists the commands and exits 0', async () => {
  const r = await run(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /usage: customer-gateway <command>/);
  assert.match(r.stdout, /\bserve\b/);
  assert.equal(r.stderr, '');
});

test('no command prints the usage and exits non-zero', async () => {
  const r = await run([]);
  assert.notEqual(r.code, 0);
  assert.equal(r.signal, null);
  assert.match(r.stdout + r.stderr, /usage: customer-gateway/);
});

test('serve --help explains every flag and its variable, and starts nothing', async () => {
  const cwd = tempDir();
  try {
    const r = await run(['serve', '--help'], { cwd });
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    for (const flag of ['--listen', '--db', '--client-id', '--client-secret', '--jwt-secret']) {
      assert.ok(r.stdout.includes(flag), `help mentions ${flag}`);
    }
    for (const name of ['GATEWAY_LISTEN', 'GATEWAY_DB', 'GATEWAY_CLIENT_ID', 'GATEWAY_CLIENT_SECRET', 'GATEWAY_JWT_SECRET']) {
      assert.ok(r.stdout.includes(name), `help mentions ${name}`);
    }
    assert.ok(r.stdout.includes('127.0.0.1:8080'), 'help gives the default listen address');
    assert.ok(r.stdout.includes('customer-gateway.db'), 'help gives the default database');
    assert.ok(r.stdout.includes(':memory:'), 'help mentions the throw-away store');
    assert.doesNotMatch(r.stdout, /listening on/);
    assert.deepEqual(readdirSync(cwd), [], 'no database was created');
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('--version prints the name and a semantic version', async () => {
  const r = await run(['--version']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^customer-gateway \d+\.\d+\.\d+\n$/);
  assert.equal(r.stderr, '');
});

test('a bad flag or argument ends with one line and a non-zero exit', async () => {
  const cwd = tempDir();
  try {
    const cases = [
      [['serve', '--bogus'], '--bogus'],
      [['serve', '--listen'], '--listen'],
      [['serve', '--listen', 'nonsense'], '--listen'],
      [['serve', '--listen', '127.0.0.1:99999'], '--listen'],
      [['serve', '--listen', '127.0.0.1:http'], '--listen'],
      [['serve', '--scrypt-log-n', '5'], '--scrypt-log-n'],
      [['serve', '--threads', 'many'], '--threads'],
      [['serve', '--help=yes'], '--help'],
      [['serve', 'stray-argument'], 'stray-argument'],
      [['frobnicate'], 'frobnicate'],
    ];
    for (const [args, mention] of cases) {
      const r = await run(args, { cwd });
      assertOneLineFailure(r, mention);
    }
    assert.deepEqual(readdirSync(cwd), [], 'a rejected command line creates no database');
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('an unopenable database ends with one line and a non-zero exit', async () => {
  const missing = '/nonexistent/dir/x.db';
  assertOneLineFailure(
    await run(['serve', '--listen', '127.0.0.1:0', '--db', missing, ...SECRET_FLAGS]), missing);
  // A directory is not a database either.
  const dir = tempDir();
  try {
    assertOneLineFailure(await run(['serve', '--listen', '127.0.0.1:0', '--db', dir, ...SECRET_FLAGS]), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a busy port ends with one line and a non-zero exit; the first gateway is unharmed', async () => {
  const first = await startGateway();
  const dir = tempDir();
  try {
    const port = portOf(first.url);
    const second = await run(['serve', '--listen', `127.0.0.1:${port}`, '--db', join(dir, 'second.db'),
      '--scrypt-log-n', '10', ...SECRET_FLAGS]);
    assertOneLineFailure(second, String(port));
    const res = await tokenFor(first, CLIENT_ID, CLIENT_SECRET);
    assert.equal(res.status, 200);
  } finally {
    await first.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every setting can come from GATEWAY_* variables', async () => {
  const dir = tempDir();
  const dbPath = join(dir, 'env.db');
  const gw = await launch(['serve'], cleanEnv({
    GATEWAY_LISTEN: '127.0.0.1:0',
    GATEWAY_DB: dbPath,
    GATEWAY_CLIENT_ID: 'env-client',
    GATEWAY_CLIENT_SECRET: 'env-client-secret',
    GATEWAY_JWT_SECRET: 'env-jwt-secret',
    GATEWAY_SCRYPT_LOG_N: '10',
  }));
  try {
    assert.ok(gw.stdout.includes(`(database ${dbPath})`), gw.stdout);
    assert.doesNotMatch(gw.stdout, /Generated credentials/);
    assert.ok(existsSync(dbPath), 'the database is where GATEWAY_DB says');
    assert.equal((await tokenFor(gw, 'env-client', 'env-client-secret')).status, 200);
    assert.equal((await tokenFor(gw, CLIENT_ID, CLIENT_SECRET)).status, 401);
    const info = await mb(gw, 'customer.info', { id: 'nobody' }, { token: mbToken('env-jwt-secret') });
    assert.equal(info.json.error, 'customer_not_found', 'tokens signed with GATEWAY_JWT_SECRET are accepted');
    const foreign = await mb(gw, 'customer.info', { id: 'nobody' }, { token: mbToken(JWT_SECRET) });
    assert.equal(foreign.status, 401);
  } finally {
    const { code } = await gw.stop();
    assert.equal(code, 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GATEWAY_DB is read: an unopenable one fails naming its path', async () => {
  const missing = '/nonexistent/env-dir/env.db';
  const r = await run(['serve', '--listen', '127.0.0.1:0', ...SECRET_FLAGS],
    { env: cleanEnv({ GATEWAY_DB: missing }) });
  assertOneLineFailure(r, missing);
});

test('a flag beats its environment variable', async () => {
  const gw = await startGateway({
    env: {
      GATEWAY_LISTEN: 'not-an-address',
      GATEWAY_DB: '/nonexistent/dir/env.db',
      GATEWAY_CLIENT_ID: 'env-client',
      GATEWAY_CLIENT_SECRET: 'env-client-secret',
      GATEWAY_JWT_SECRET: 'env-jwt-secret',
      GATEWAY_SCRYPT_LOG_N: '99',
    },
  });
  try {
    assert.equal((await tokenFor(gw, CLIENT_ID, CLIENT_SECRET)).status, 200);
    assert.equal((await tokenFor(gw, 'env-client', 'env-client-secret')).status, 401);
    const info = await mb(gw, 'customer.info', { id: 'nobody' }, { token: mbToken(JWT_SECRET) });
    assert.equal(info.json.error, 'customer_not_found');
    const envSigned = await mb(gw, 'customer.info', { id: 'nobody' }, { token: mbToken('env-jwt-secret') });
    assert.equal(envSigned.status, 401);
  } finally {
    assert.equal((await gw.stop()).code, 0);
  }
});

// Reads the generated credentials and the example request from the first-start banner.
function parseBanner(stdout) {
  const field = (name) => {
    const m = new RegExp(`^\\s*${name}:\\s*(\\S+)\\s*$`, 'm').exec(stdout);
    assert.ok(m, `banner shows ${name}:\n${stdout}`);
    return m[1];
  };
  const curl = /^\s*(curl .*)$/m.exec(stdout);
  assert.ok(curl, `banner has a curl example:\n${stdout}`);
  return { clientId: field('client_id'), clientSecret: field('client_secret'), jwtSecret: field('jwt_secret'), curl: curl[1] };
}

// Replays a `curl -X POST URL -d k=v ...` line with fetch, as a shell would run it.
async function replayCurl(line) {
  const words = line.trim().split(/\s+/);
  assert.equal(words[0], 'curl');
  const url = words.find((w) => /^https?:\/\//.test(w));
  assert.ok(url, 'the example names a URL');
  const form = new URLSearchParams();
  words.forEach((w, i) => {
    if (w === '-d' || w === '--data') {
      const [k, ...v] = words[i + 1].split('=');
      form.append(k, v.join('='));
    }
  });
  const method = words.includes('-X') ? words[words.indexOf('-X') + 1] : (form.toString() ? 'POST' : 'GET');
  const res = await fetch(url, {
    method, body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  return { url, status: res.status, json: await res.json() };
}

test('without secrets it generates them once, writes them with a working example to a 0600 file, and keeps them', async () => {
  const dir = tempDir();
  const dbPath = join(dir, 'gen.db');
  let first;
  let second;
  let other;
  try {
    first = await startGateway({ secrets: false, db: dbPath, env: NO_GATEWAY_ENV });
    // Not a terminal: the secrets go to a file only the gateway's user can read.
    assert.match(first.stdout, new RegExp(`Generated credentials were written to ${dbPath}\\.credentials \\(mode 0600\\)`));
    assert.equal(statSync(`${dbPath}.credentials`).mode & 0o777, 0o600);
    const creds = parseBanner(readFileSync(`${dbPath}.credentials`, 'utf8'));
    for (const s of [creds.clientSecret, creds.jwtSecret]) assert.ok(!first.stdout.includes(s), 'no secret on stdout');
    // Strong: long random strings, all different, not the harness's fixed ones.
    for (const s of [creds.clientSecret, creds.jwtSecret]) {
      assert.ok(s.length >= 32, `secret ${s} is long`);
      assert.match(s, /^[A-Za-z0-9_-]+$/);
    }
    assert.ok(creds.clientId.length >= 16);
    assert.equal(new Set([creds.clientId, creds.clientSecret, creds.jwtSecret]).size, 3);

    // The example request works as printed.
    const example = await replayCurl(creds.curl);
    assert.equal(example.url, `${first.url}/oauth/access_token`);
    assert.equal(example.status, 200, JSON.stringify(example.json));
    assert.ok(example.json.access_token);
    assert.ok(creds.curl.includes(creds.clientId) && creds.curl.includes(creds.clientSecret));

    // The printed jwt secret signs tokens the gateway accepts.
    const mbTok = mbToken(creds.jwtSecret);
    assert.equal((await mb(first, 'customer.info', { id: 'none' }, { token: mbTok })).json.error, 'customer_not_found');
    const created = await ep(first, example.json.access_token, 'POST', '/v2/customers',
      { data: { type: 'customer', name: 'Leslie Knope', email: 'leslie@pawnee.gov', password: 'waffles' } });
    assert.equal(created.status, 201);
    assert.equal((await first.stop()).code, 0);

    // Second start on the same database: nothing printed, the same credentials work.
    second = await startGateway({ secrets: false, db: dbPath, env: NO_GATEWAY_ENV });
    assert.doesNotMatch(second.stdout, /Generated credentials/);
    for (const s of [creds.clientSecret, creds.jwtSecret]) {
      assert.ok(!second.stdout.includes(s) && !second.stderr.includes(s), 'secrets are shown only once');
    }
    const again = await tokenFor(second, creds.clientId, creds.clientSecret);
    assert.equal(again.status, 200);
    assert.equal((await mb(second, 'customer.info', { id: created.json.data.id }, { token: mbTok })).json.ok, true,
      'a token signed before the restart is still valid');
    const got = await ep(second, again.json.access_token, 'GET', `/v2/customers/${created.json.data.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.json.data.name, 'Leslie Knope');
    assert.equal((await second.stop()).code, 0);

    // Another database gets other secrets: nothing is hard-coded.
    other = await startGateway({ secrets: false, env: NO_GATEWAY_ENV });
    const otherCreds = parseBanner(readFileSync(`${other.dbPath}.credentials`, 'utf8'));
    assert.notEqual(otherCreds.clientId, creds.clientId);
    assert.notEqual(otherCreds.clientSecret, creds.clientSecret);
    assert.notEqual(otherCreds.jwtSecret, creds.jwtSecret);
    assert.equal((await tokenFor(other, creds.clientId, creds.clientSecret)).status, 401);
  } finally {
    for (const gw of [first, second]) {
      if (gw) { await gw.stop(); rmSync(gw.dir, { recursive: true, force: true }); }
    }
    if (other) await other.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--db :memory: serves a throw-away store', async () => {
  const gw = await startGateway({ db: ':memory:' });
  try {
    assert.match(gw.stdout, /\(database :memory:\)/);
    const token = await epToken(gw);
    const created = await ep(gw, token, 'POST', '/v2/customers',
      { data: { type: 'customer', name: 'Ann Perkins', email: 'ann@pawnee.gov' } });
    assert.equal(created.status, 201);
    const got = await ep(gw, token, 'GET', `/v2/customers/${created.json.data.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.json.data.email, 'ann@pawnee.gov');
    assert.ok(!existsSync(':memory:'), 'no file named :memory: was created');
  } finally {
    assert.equal((await gw.stop()).code, 0);
    rmSync(gw.dir, { recursive: true, force: true });
  }
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  test(`${signal} stops it cleanly, closes the database, and keeps what was written`, async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'sig.db');
    try {
      const gw = await startGateway({ db: dbPath });
      const token = await epToken(gw);
      const created = await ep(gw, token, 'POST', '/v2/customers',
        { data: { type: 'customer', name: 'Donna Meagle', email: `donna-${signal}@pawnee.gov`, password: 'treat yo self' } });
      assert.equal(created.status, 201);
      gw.proc.kill(signal);
      const { code, signal: killedBy } = await gw.exited;
      assert.equal(killedBy, null, 'exited by itself, not by the signal');
      assert.equal(code, 0);
      assert.match(gw.stdout, /stopped/);
      // Closed: the write-ahead log was checkpointed into the database file.
      const wal = `${dbPath}-wal`;
      assert.ok(!existsSync(wal) || statSync(wal).size === 0, 'WAL is empty after a clean stop');

      const again = await startGateway({ db: dbPath });
      try {
        const got = await ep(again, await epToken(again), 'GET', `/v2/customers/${created.json.data.id}`);
        assert.equal(got.status, 200);
        assert.equal(got.json.data.name, 'Donna Meagle');
        assert.equal(got.json.data.password, true);
      } finally {
        await again.stop();
        rmSync(again.dir, { recursive: true, force: true });
      }
      rmSync(gw.dir, { recursive: true, force: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a request in flight when SIGTERM arrives still completes, and its write survives', async () => {
  const dir = tempDir();
  const dbPath = join(dir, 'inflight.db');
  try {
    // scrypt at 2^18 takes about a second per hash: long enough to signal mid-request.
    const gw = await startGateway({ db: dbPath, args: ['--scrypt-log-n', '18'] });
    const token = await epToken(gw);
    const started = Date.now();
    const pending = ep(gw, token, 'POST', '/v2/customers',
      { data: { type: 'customer', name: 'Ben Wyatt', email: 'ben@pawnee.gov', password: 'cones of dunshire' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalledAt = Date.now() - started;
    gw.proc.kill('SIGTERM');
    const res = await pending;
    const answeredAt = Date.now() - started;
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.data.password, true);
    assert.ok(answeredAt > signalledAt, `answered at ${answeredAt} ms, after the signal at ${signalledAt} ms`);
    const { code, signal } = await gw.exited;
    assert.equal(signal, null);
    assert.equal(code, 0);
    assert.match(gw.stdout, /stopped/);

    const again = await startGateway({ db: dbPath });
    try {
      const got = await ep(again, await epToken(again), 'GET', `/v2/customers/${res.json.data.id}`);
      assert.equal(got.status, 200);
      assert.equal(got.json.data.email, 'ben@pawnee.gov');
    } finally {
      await again.stop();
      rmSync(again.dir, { recursive: true, force: true });
    }
    rmSync(gw.dir, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stop signal right after start-up is not lost', async () => {
  for (let i = 0; i < 10; i++) {
    const gw = await startGateway({ db: ':memory:' });
    gw.proc.kill(i % 2 ? 'SIGINT' : 'SIGTERM');
    const result = await Promise.race([
      gw.exited,
      new Promise((resolve) => setTimeout(() => resolve('hung'), 5000)),
    ]);
    if (result === 'hung') gw.proc.kill('SIGKILL');
    rmSync(gw.dir, { recursive: true, force: true });
    assert.deepEqual(result, { code: 0, signal: null });
  }
});
