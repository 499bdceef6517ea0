// Crash consistency: concurrent creates and updates through both dialects
// while the gateway is SIGKILLed at a random moment, over and over on one
// database. After every kill a SQLite file passes `PRAGMA integrity_check`
// (on PostgreSQL only the gateway dies, the server lives on), and after every
// restart each acknowledged write is present and intact.
//
// Every customer is owned by one writer, which updates it one request at a
// time, so for each field the store must hold the last acknowledged value or
// the value of the one request that was in flight when the server died.
//
// CRASH_CYCLES (default 8) sets the number of kills for a long campaign;
// CRASH_SEED makes the kill moments reproducible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, epToken, ep, mb, freshDb, ENGINE } from './harness.mjs';

const CYCLES = Number(process.env.CRASH_CYCLES ?? 8);
const WRITERS = 8;
let seed = Number(process.env.CRASH_SEED ?? Date.now() % 2147483647);
const initialSeed = seed;
function random() {
  seed = (seed * 48271) % 2147483647;
  return seed / 2147483647;
}

function integrityCheck(dbPath) {
  return execFileSync('sqlite3', [dbPath, 'PRAGMA integrity_check;'], { encoding: 'utf8' }).trim();
}

// One field's history: the last acknowledged value and the value in flight.
class Field {
  constructor(value) { this.acked = value; this.pending = undefined; }
  send(value) { this.pending = value; }
  ack() { this.acked = this.pending; this.pending = undefined; }
  // Values the store may hold after a crash.
  allowed() { return this.pending === undefined ? [this.acked] : [this.acked, this.pending]; }
}

// Everything acknowledged so far, keyed by customer id.
const customers = new Map();
let acknowledged = 0;
let serial = 0;

// One writer: creates a customer through a dialect, then updates its own
// customers through both, until the server dies under it.
async function writer(gw, token, w, cycle, stop) {
  const mine = [...customers.values()].filter((c) => c.writer === w);
  while (!stop.done) {
    serial += 1;
    const n = serial;
    const op = random();
    if (op < 0.35 || mine.length === 0) {
      const email = `crash.${w}.${cycle}.${n}@example.com`;
      const viaEp = n % 2 === 0;
      const res = viaEp
        ? await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: `Ep Writer${n}`, email, external_ref: `ref-${n}` } })
        : await mb(gw, 'customer.create', { email, password: `pw-${n}`, firstName: 'Mb', lastName: `Writer${n}`, tags: [`t${n}`] });
      const id = viaEp ? (res.status === 201 ? res.json.data.id : undefined) : (res.json?.ok ? res.json.customer.id : undefined);
      assert.ok(id, `create ${email}: ${res.status} ${res.text}`);
      const c = {
        id, writer: w, email, password: viaEp ? undefined : `pw-${n}`,
        name: viaEp ? `Ep Writer${n}` : `Mb Writer${n}`,
        ref: new Field(viaEp ? `ref-${n}` : null),
        tags: new Field(viaEp ? [] : [`t${n}`]),
      };
      customers.set(id, c);
      mine.push(c);
      acknowledged += 1;
    } else {
      const c = mine[Math.floor(random() * mine.length)];
      if (op < 0.7) {
        const ref = `ref-${cycle}-${n}`;
        c.ref.send(ref);
        const res = await ep(gw, token, 'PUT', `/v2/customers/${c.id}`, { data: { type: 'customer', external_ref: ref } });
        assert.equal(res.status, 200, res.text);
        c.ref.ack();
      } else {
        const tags = [`u${cycle}`, `n${n}`];
        c.tags.send(tags);
        const res = await mb(gw, 'customer.update', { id: c.id, tags });
        assert.equal(res.json?.ok, true, res.text);
        c.tags.ack();
      }
      acknowledged += 1;
    }
  }
}

// Reads every customer back through both dialects and checks each field.
async function verify(gw, token, context) {
  for (const c of customers.values()) {
    const e = await ep(gw, token, 'GET', `/v2/customers/${c.id}`);
    assert.equal(e.status, 200, `${context}: acknowledged customer ${c.email} lost: ${e.text}`);
    assert.equal(e.json.data.email, c.email, context);
    assert.equal(e.json.data.name, c.name, context);
    assert.ok(c.ref.allowed().includes(e.json.data.external_ref),
      `${context}: ${c.email} external_ref ${e.json.data.external_ref}, want one of ${JSON.stringify(c.ref.allowed())}`);
    const m = await mb(gw, 'customer.info', { id: c.id });
    assert.equal(m.json?.ok, true, `${context}: ${m.text}`);
    assert.ok(c.tags.allowed().some((t) => JSON.stringify(t) === JSON.stringify(m.json.customer.tags)),
      `${context}: ${c.email} tags ${JSON.stringify(m.json.customer.tags)}, want one of ${JSON.stringify(c.tags.allowed())}`);
    if (context === 'final' && c.password) {
      const login = await mb(gw, 'customer.checkCredentials', { email: c.email, password: c.password });
      assert.equal(login.json?.ok, true, `${context}: ${c.email} cannot log in: ${login.text}`);
    }
    // What the store holds is now the truth for the next cycle.
    c.ref = new Field(e.json.data.external_ref);
    c.tags = new Field(m.json.customer.tags);
  }
}

test(`acknowledged writes survive ${CYCLES} SIGKILLs (seed ${initialSeed})`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-crash-'));
  const db = freshDb(dir, 'crash.db');
  let gw;
  try {
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      gw = await startGateway({ db, args: ['--scrypt-log-n', '10'] });
      const token = await epToken(gw);
      await verify(gw, token, `after kill ${cycle}`);
      const stop = { done: false };
      const failures = [];
      const writers = Array.from({ length: WRITERS }, (_, w) =>
        writer(gw, token, w, cycle, stop).catch((err) => {
          // Only the kill may end a writer; anything else is a failure.
          if (!stop.done) failures.push(err);
        }));
      const before = acknowledged;
      await new Promise((r) => setTimeout(r, 150 + random() * 900));
      stop.done = true;
      gw.proc.kill('SIGKILL');
      const { signal } = await gw.exited;
      await Promise.all(writers);
      if (failures.length) throw failures[0];
      assert.equal(signal, 'SIGKILL');
      assert.ok(acknowledged > before, `cycle ${cycle}: no write was acknowledged before the kill`);
      if (ENGINE === 'sqlite') assert.equal(integrityCheck(db), 'ok', `integrity_check after kill ${cycle}`);
    }
    gw = await startGateway({ db });
    await verify(gw, await epToken(gw), 'final');
    await gw.stop();
    if (ENGINE === 'sqlite') assert.equal(integrityCheck(db), 'ok');
    console.log(`${CYCLES} kills, ${customers.size} customers, ${acknowledged} acknowledged writes, seed ${initialSeed}`);
  } finally {
    // A failed check must not leave the server running (it would keep the
    // test process alive).
    if (gw && gw.proc.exitCode === null && gw.proc.signalCode === null) gw.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
