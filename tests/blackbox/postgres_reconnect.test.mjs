// The PostgreSQL server going away under a running gateway (issue 11): while
// it is down every request gets a 503 in the caller's dialect and /readyz
// fails while /livez still answers; when it is back the gateway serves again
// by itself, with no restart, and nothing acknowledged before is lost. The
// suite halts the server, so it runs a cluster of its own (not the shared
// one other suites use at the same time).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, epToken, ep, mb, request, createPgDatabase } from './harness.mjs';

const CLUSTER = new URL('../../scripts/pg-cluster.sh', import.meta.url).pathname;
const cluster = (...args) => execFileSync(CLUSTER, args, { encoding: 'utf8' }).trim();

let clusterDir;
let gw;
let token;
before(async () => {
  clusterDir = mkdtempSync(join(tmpdir(), 'gw-pg-reconnect-'));
  const url = cluster('start', clusterDir);
  // Four workers, so four pooled connections all have to come back.
  gw = await startGateway({ db: createPgDatabase(url), args: ['--threads', '4'] });
  token = await epToken(gw);
});
after(async () => {
  await gw?.stop();
  cluster('stop', clusterDir);
});

async function until(what, check, ms = 30000) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Acknowledged writes through both dialects, checked after every outage.
const acknowledged = [];
async function writeSome(tag, n = 6) {
  for (let i = 0; i < n; i++) {
    const email = `${tag}.${i}@pawnee.gov`;
    if (i % 2) {
      const r = await mb(gw, 'customer.create', { email, password: `pw-${tag}-${i}`, firstName: 'Mb', lastName: tag, tags: [tag] });
      assert.equal(r.json.ok, true, r.text);
      acknowledged.push({ id: r.json.customer.id, email, password: `pw-${tag}-${i}` });
    } else {
      const r = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: `Ep ${tag}`, email, external_ref: tag } });
      assert.equal(r.status, 201, r.text);
      acknowledged.push({ id: r.json.data.id, email });
    }
  }
}

async function assertAllThere(context) {
  for (const c of acknowledged) {
    const got = await ep(gw, token, 'GET', `/v2/customers/${c.id}`);
    assert.equal(got.status, 200, `${context}: ${c.email}: ${got.text}`);
    assert.equal(got.json.data.email, c.email);
    if (c.password) {
      assert.deepEqual((await mb(gw, 'customer.checkCredentials', { email: c.email, password: c.password })).json, { ok: true }, `${context}: ${c.email} logs in`);
    }
  }
  const total = (await ep(gw, token, 'GET', '/v2/customers?page[limit]=1')).json.meta.results.total;
  assert.equal(total, acknowledged.length, `${context}: no customer more or less`);
}

function assertEp503(res, what) {
  assert.equal(res.status, 503, `${what}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /json/);
  assert.equal(res.json?.errors?.[0]?.status, 503, `${what}: ${res.text}`);
  assert.equal(typeof res.json.errors[0].title, 'string');
}

function assertMb503(res, what) {
  assert.equal(res.status, 503, `${what}: ${res.text}`);
  assert.equal(res.json?.ok, false, `${what}: ${res.text}`);
  assert.equal(res.json.error, 'service_unavailable', `${what}: ${res.text}`);
}

for (const outage of [1, 2]) {
  test(`outage ${outage}: 503s in both dialects while the server is down, then service again with nothing lost`, async () => {
    await writeSome(`before${outage}`);
    const known = acknowledged[0];
    assert.equal((await request(gw, 'GET', '/readyz')).status, 200);

    cluster('halt', clusterDir);
    try {
      assert.equal((await request(gw, 'GET', '/readyz')).status, 503, '/readyz fails while the database is down');
      assert.equal((await request(gw, 'GET', '/livez')).status, 200, '/livez: the process itself is fine');
      // More requests than connections, so every pooled connection meets the outage.
      for (let i = 0; i < 2; i++) {
        await Promise.all([
          ep(gw, token, 'GET', `/v2/customers/${known.id}`).then((r) => assertEp503(r, 'EP get')),
          ep(gw, token, 'GET', '/v2/customers').then((r) => assertEp503(r, 'EP list')),
          ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Down', email: `down${outage}.${i}@pawnee.gov` } })
            .then((r) => assertEp503(r, 'EP create')),
          ep(gw, token, 'PUT', `/v2/customers/${known.id}`, { data: { type: 'customer', name: 'Changed while down' } })
            .then((r) => assertEp503(r, 'EP update')),
          ep(gw, token, 'POST', '/v2/customers/tokens', { data: { type: 'token', email: known.email, password: 'x', authentication_mechanism: 'password' } })
            .then((r) => assertEp503(r, 'EP login')),
          mb(gw, 'customer.info', { id: known.id }).then((r) => assertMb503(r, 'MicroBase info')),
          mb(gw, 'customer.create', { email: `mbdown${outage}.${i}@pawnee.gov`, password: 'pw', firstName: 'D', lastName: 'D' })
            .then((r) => assertMb503(r, 'MicroBase create')),
          mb(gw, 'customer.checkCredentials', { email: known.email, password: 'whatever' })
            .then((r) => assertMb503(r, 'MicroBase login: unavailable, not bad_credentials')),
        ]);
      }
      // A client token needs no database: minting one still works.
      assert.ok(await epToken(gw));
    } finally {
      cluster('resume', clusterDir);
    }

    await until('/readyz after the server is back', async () => (await request(gw, 'GET', '/readyz')).status === 200);
    // Every worker's connection serves again: many requests at once, all good.
    const reads = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2
      ? ep(gw, token, 'GET', `/v2/customers/${known.id}`).then((r) => r.status)
      : mb(gw, 'customer.info', { id: known.id }).then((r) => (r.json?.ok ? 200 : r.status)))));
    assert.deepEqual(reads, Array(16).fill(200), 'every request after recovery succeeds');
    await writeSome(`after${outage}`);
    await assertAllThere(`after outage ${outage}`);
    // The refused writes changed nothing.
    assert.equal((await ep(gw, token, 'GET', `/v2/customers/${known.id}`)).json.data.name, `Ep before1`);
    const down = await ep(gw, token, 'GET', `/v2/customers?filter=like(email,*down*)`);
    assert.deepEqual(down.json.data, []);
  });
}
