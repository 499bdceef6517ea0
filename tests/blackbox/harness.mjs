// Black-box harness: starts the real customer-gateway binary on a free port
// with a throw-away database and speaks HTTP to it. Used by every *.test.mjs.
//
// Engine: SQLite files by default. With GATEWAY_ENGINE=postgres and
// GATEWAY_TEST_PG_CLUSTER=<a directory started by scripts/pg-cluster.sh>, every
// throw-away database is a new database in that cluster instead, dropped when
// its gateway stops (or, for freshDb(), when the test process exits).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import { startNginx } from './nginx_front.mjs';

export const BIN = process.env.GATEWAY_BIN ?? new URL('../../build/customer-gateway', import.meta.url).pathname;

export const CLIENT_ID = 'test-client';
export const CLIENT_SECRET = 'test-client-secret';
export const JWT_SECRET = 'test-jwt-secret';

export const ENGINE = process.env.GATEWAY_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
const PG_CLUSTER_SCRIPT = new URL('../../scripts/pg-cluster.sh', import.meta.url).pathname;

// The cluster's maintenance URL (the "postgres" database), read once.
let clusterUrl;
export function pgClusterUrl(dir = process.env.GATEWAY_TEST_PG_CLUSTER) {
  if (dir === process.env.GATEWAY_TEST_PG_CLUSTER && clusterUrl) return clusterUrl;
  if (!dir) throw new Error('GATEWAY_ENGINE=postgres needs GATEWAY_TEST_PG_CLUSTER (a scripts/pg-cluster.sh directory)');
  const url = execFileSync(PG_CLUSTER_SCRIPT, ['url', dir], { encoding: 'utf8' }).trim();
  if (dir === process.env.GATEWAY_TEST_PG_CLUSTER) clusterUrl = url;
  return url;
}

// Runs SQL on a cluster's maintenance database; returns psql's unaligned output.
export function psql(sql, url = pgClusterUrl()) {
  return execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

// Creates an empty database in the cluster at `url`; returns its URL.
export function createPgDatabase(url = pgClusterUrl()) {
  const name = `gw_${randomBytes(6).toString('hex')}`;
  psql(`CREATE DATABASE ${name}`, url);
  const db = new URL(url);
  db.pathname = `/${name}`;
  return db.toString();
}

// Drops a database made by createPgDatabase, even if a connection is left.
export function dropPgDatabase(dbUrl) {
  const u = new URL(dbUrl);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  try {
    psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, u.toString());
  } catch {
    // The cluster is gone already (a suite that stops its own cluster).
  }
}

const leftDatabases = new Set();
process.on('exit', () => { for (const db of leftDatabases) dropPgDatabase(db); });

// A database of the engine under test that no other test uses, for suites
// that start several gateways (or import/export runs) on one database: on
// SQLite a path `name` in `dir`, on PostgreSQL the URL of a new database.
export function freshDb(dir, name = 'gateway.db') {
  if (ENGINE === 'sqlite') return join(dir, name);
  const db = createPgDatabase();
  leftDatabases.add(db);
  return db;
}

// Starts a gateway; resolves once it prints its listening line.
// `args` are appended to the serve command line; `db` overrides the database
// (a path or a URL; see freshDb); `cwd` is the gateway's working directory.
// With GATEWAY_FRONT=nginx in the environment, the suite talks to the gateway
// through nginx and the shipped examples/nginx config instead.
export async function startGateway(options = {}) {
  if (process.env.GATEWAY_FRONT !== 'nginx' || options.direct) return startDirect(options);
  const gw = await startDirect({ ...options, args: [...(options.args ?? []), '--trusted-proxies', '127.0.0.1'] });
  const front = await startNginx({ upstreamPort: Number(new URL(gw.url).port), credentialRate: '10000r/s' });
  const stopGateway = gw.stop.bind(gw);
  gw.directUrl = gw.url;
  gw.url = front.url;
  gw.stop = async () => { await front.stop(); return stopGateway(); };
  return gw;
}

async function startDirect({ args = [], db, env = {}, secrets = true, cwd } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gw-test-'));
  // A `--db` among `args` (e.g. ':memory:') wins over the harness's own.
  const ownPg = !db && ENGINE === 'postgres' && !args.includes('--db');
  const dbPath = db ?? (ownPg ? createPgDatabase() : join(dir, 'gateway.db'));
  const argv = ['serve', '--listen', '127.0.0.1:0', '--db', dbPath];
  if (secrets) {
    argv.push('--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET, '--jwt-secret', JWT_SECRET);
  }
  // A lower scrypt cost keeps suites fast; the format and code path are the same.
  if (!args.includes('--scrypt-log-n')) argv.push('--scrypt-log-n', '12');
  // Every suite logs in from 127.0.0.1, often far faster than a person would;
  // the credential rate limits are tested on their own (http_overload,
  // nginx_edge), which set them explicitly.
  for (const flag of ['--login-rate-per-address', '--login-rate-per-account']) {
    if (!args.includes(flag) && !(`GATEWAY_${flag.slice(2).replaceAll('-', '_').toUpperCase()}` in env)) {
      argv.push(flag, '1000000');
    }
  }
  argv.push(...args);
  const proc = spawn(BIN, argv, { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const dropOwn = () => {
    rmSync(dir, { recursive: true, force: true });
    if (ownPg) dropPgDatabase(dbPath);
  };
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${stdout}${stderr}`)), 10000);
    proc.stdout.on('data', (d) => {
      stdout += d;
      const m = /listening on (https?:\/\/[^\s]+)/.exec(stdout);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`gateway exited ${code}: ${stdout}${stderr}`)); });
  }).catch((err) => {
    if (!db) dropOwn();
    throw err;
  });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const gw = {
    url, proc, dir, dbPath,
    get stdout() { return stdout; },
    get stderr() { return stderr; },
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const result = await exited;
      if (!db) dropOwn();
      return result;
    },
  };
  return gw;
}

// Sends a request; returns { status, headers, text, json }.
export async function request(gw, method, path, { body, headers = {}, form } = {}) {
  const init = { method, headers: { ...headers } };
  if (form !== undefined) {
    init.body = new URLSearchParams(form).toString();
    init.headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(gw.url + path, init);
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

// An Elastic Path access token for `grant` ('client_credentials' or 'implicit').
export async function epToken(gw, grant = 'client_credentials') {
  const form = { grant_type: grant, client_id: CLIENT_ID };
  if (grant === 'client_credentials') form.client_secret = CLIENT_SECRET;
  const res = await request(gw, 'POST', '/oauth/access_token', { form });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${res.text}`);
  return res.json.access_token;
}

// Calls an Elastic Path endpoint with a bearer token.
export function ep(gw, token, method, path, body, headers = {}) {
  return request(gw, method, path, { body, headers: { authorization: `Bearer ${token}`, ...headers } });
}

// A MicroBase token as MicroBase's own OAuth service would mint it: HS256
// with the shared secret, scope "api", a year long.
export function mbToken(secret = JWT_SECRET, claims = {}) {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ iss: 'https://microbase.io', sub: 'user', scope: 'api', jti: 'test', iat: now, exp: now + 3600, ...claims }, secret);
}

// Calls a MicroBase method with a JSON body.
export function mb(gw, method, args, { token = mbToken(), query, verb = 'POST' } = {}) {
  const q = query ? '?' + new URLSearchParams(query).toString() : '';
  return request(gw, verb, `/services/customer/v1/${method}${q}`, {
    body: args, headers: { authorization: `Bearer ${token}` },
  });
}

export function b64url(input) {
  return Buffer.from(input).toString('base64url');
}

export function signJwt(payload, secret, header = { alg: 'HS256', typ: 'JWT' }) {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const alg = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[header.alg] ?? 'sha256';
  return `${input}.${createHmac(alg, secret).update(input).digest('base64url')}`;
}

// One round of racing writers on customer `id`: an Elastic Path chain of
// `chain` PUTs of external_ref (through gateway `epGw` with `token`) and a
// MicroBase chain of `chain` customer.update calls of tags and status
// (through `mbGw`), request after request, both at the same time. Every
// write must be acknowledged; resolves with each chain's last acknowledged
// values, { ref, tags }, the status last written being INACTIVE (`chain` even).
export async function raceWriters({ epGw, token, mbGw, id, round, chain }) {
  const epChain = (async () => {
    let last;
    for (let i = 0; i < chain; i++) {
      last = `ref-${round}-${i}`;
      const r = await ep(epGw, token, 'PUT', `/v2/customers/${id}`, { data: { type: 'customer', external_ref: last } });
      if (r.status !== 200) throw new Error(`EP write ${i} of round ${round}: ${r.status} ${r.text}`);
    }
    return last;
  })();
  const mbChain = (async () => {
    let last;
    for (let i = 0; i < chain; i++) {
      last = [`tag-${round}-${i}`];
      const r = await mb(mbGw, 'customer.update', { id, tags: last, status: i % 2 ? 'INACTIVE' : 'ACTIVE' });
      if (r.json?.ok !== true) throw new Error(`MicroBase write ${i} of round ${round}: ${r.text}`);
    }
    return last;
  })();
  const [ref, tags] = await Promise.all([epChain, mbChain]);
  return { ref, tags };
}
