// `serve --seed FORMAT:FILE` (repeatable) and `--deterministic SEED` through
// the real binary: a :memory: store that starts filled, and ids and times
// that repeat run after run, after a reset and after a snapshot restore.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, request, epToken, ep, mb } from './harness.mjs';
import { runCli } from './migration_fixtures.mjs';

let dir;
let mbFile;
let epFile;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gw-seed-'));
  mbFile = join(dir, 'mb.jsonl');
  writeFileSync(mbFile, [
    { _id: 'HkhhuXESl', email: 'john.doe@gmail.com', firstName: 'John', lastName: 'Doe', tags: ['VIP'], addresses: [] },
    { _id: 'second001', email: 'second@example.com', firstName: 'Sec', lastName: 'Ond', addresses: [] },
  ].map((r) => JSON.stringify(r)).join('\n') + '\n');
  epFile = join(dir, 'ep.json');
  writeFileSync(epFile, JSON.stringify([{ type: 'customer', id: 'ep-seed-1', name: 'Ron Swanson', email: 'ron@swanson.com' }], null, 2));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function emailsBothWays(gw) {
  const token = await epToken(gw);
  const viaEp = (await ep(gw, token, 'GET', '/v2/customers')).json.data.map((c) => c.email).sort();
  const viaMb = (await mb(gw, 'customer.list', { fields: 'email' })).json.data.map((c) => c.email).sort();
  return { viaEp, viaMb };
}

test('--seed fills a :memory: store from files of both formats before it listens', async () => {
  const gw = await startGateway({ args: ['--db', ':memory:', '--seed', `microbase:${mbFile}`, '--seed', `elastic-path:${epFile}`] });
  try {
    assert.match(gw.stdout, /seeded .*mb\.jsonl \(microbase\): created 2, updated 0, unchanged 0, rejected 0\n/);
    assert.match(gw.stdout, /seeded .*ep\.json \(elastic-path\): created 1, updated 0, unchanged 0, rejected 0\n/);
    const expected = ['john.doe@gmail.com', 'ron@swanson.com', 'second@example.com'];
    assert.deepEqual(await emailsBothWays(gw), { viaEp: expected, viaMb: expected });
    assert.equal((await mb(gw, 'customer.info', { id: 'ep-seed-1' })).json.customer.firstName, 'Ron');
  } finally {
    await gw.stop();
  }
});

test('without FORMAT: the format is recognised from the first record', async () => {
  const gw = await startGateway({ args: ['--db', ':memory:', '--seed', mbFile, '--seed', epFile] });
  try {
    assert.match(gw.stdout, /seeded .*mb\.jsonl \(microbase\): created 2/);
    assert.match(gw.stdout, /seeded .*ep\.json \(elastic-path\): created 1/);
    assert.equal((await emailsBothWays(gw)).viaMb.length, 3);
  } finally {
    await gw.stop();
  }
});

test('GATEWAY_SEED takes several FORMAT:FILE entries separated by commas', async () => {
  const gw = await startGateway({ args: ['--db', ':memory:'], env: { GATEWAY_SEED: `microbase:${mbFile},elastic-path:${epFile}` } });
  try {
    assert.equal((await emailsBothWays(gw)).viaEp.length, 3);
  } finally {
    await gw.stop();
  }
});

test('a bad --seed stops the start with one clear line', async () => {
  const rejected = join(dir, 'bad.jsonl');
  writeFileSync(rejected, `${JSON.stringify({ _id: 'bad1', email: 'not-an-email', firstName: 'B', lastName: 'E', addresses: [] })}\n`);
  const unknown = join(dir, 'unknown.json');
  writeFileSync(unknown, '[{"customer": "who knows"}]');
  const cases = [
    [[unknown], /--seed .*unknown\.json: cannot tell the format from its first record; write FORMAT:FILE with FORMAT one of microbase\|elastic-path/],
    [[`csv:${mbFile}`], /cannot read csv:.*mb\.jsonl: No such file or directory/],
    [[`microbase:${join(dir, 'missing.json')}`], /cannot read .*missing\.json: No such file or directory/],
    [[`microbase:${rejected}`], /bad\.jsonl record 1, line 1 \(id bad1\): email: email must be a valid email address\n.*--seed .*bad\.jsonl: 1 records were rejected \(listed above\)/s],
  ];
  for (const [seeds, message] of cases) {
    const args = ['serve', '--listen', '127.0.0.1:0', '--db', ':memory:'];
    for (const s of seeds) args.push('--seed', s);
    const res = await runCli(args, { timeoutMs: 10000 });
    assert.equal(res.code, 1, `${seeds}: ${res.stdout}${res.stderr}`);
    assert.match(res.stderr, message);
    assert.doesNotMatch(res.stdout, /listening/);
  }
});

// Creates the same customers through both dialects and returns every
// answer, so two runs can be compared byte for byte.
async function script(gw) {
  const out = [];
  const token = await epToken(gw);
  const created = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Ann Perkins', email: 'ann@example.com' } });
  out.push(created.json);
  out.push((await mb(gw, 'customer.create', { email: 'ben@example.com', password: 'mypassword', firstName: 'Ben', lastName: 'Wyatt' })).json);
  out.push((await ep(gw, token, 'POST', `/v2/customers/${created.json.data.id}/addresses`, {
    data: { type: 'address', first_name: 'A', last_name: 'P', line_1: '1 Road', postcode: 'X1', county: 'Y', country: 'GB' },
  })).json);
  out.push((await ep(gw, token, 'GET', '/v2/customers/missing-id')).json);
  // Links carry the port, which differs from run to run.
  return JSON.parse(JSON.stringify(out).replaceAll(gw.url, 'BASE'));
}

test('--deterministic: the same seed gives the same ids and timestamps in both dialects', async () => {
  const runs = [];
  for (const seed of ['42', '42', '7']) {
    const gw = await startGateway({ args: ['--db', ':memory:', '--deterministic', seed] });
    try {
      runs.push(await script(gw));
    } finally {
      await gw.stop();
    }
  }
  assert.deepEqual(runs[0], runs[1]);
  const [epCustomer, mbCustomer, address] = runs[0];
  assert.match(epCustomer.data.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(epCustomer.data.meta.timestamps.created_at, /^2025-01-01T00:00:00\.\d{3}Z$/);
  assert.notEqual(runs[2][1].customer.id, mbCustomer.customer.id, 'MicroBase ids follow the seed too');
  assert.match(address.data.meta.timestamps.created_at, /^2025-01-01T00:00:00\.\d{3}Z$/);
  assert.notEqual(runs[2][0].data.id, epCustomer.data.id, 'another seed, other ids');
  assert.equal(runs[2][0].data.meta.timestamps.created_at, epCustomer.data.meta.timestamps.created_at, 'the clock does not depend on the seed');
  const bad = await runCli(['serve', '--db', ':memory:', '--deterministic', 'abc']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--deterministic must be a number \(the seed\)/);
});

test('--deterministic with the admin API: reset and snapshot restore rewind the sequence', async () => {
  const gw = await startGateway({ args: ['--db', ':memory:', '--deterministic', '42', '--admin-token', 'adm'] });
  const admin = (method, path) => request(gw, method, `/__gateway${path}`, { headers: { authorization: 'Bearer adm' } });
  try {
    const first = await script(gw);
    assert.equal((await admin('POST', '/reset')).status, 200);
    assert.deepEqual(await script(gw), first, 'after a reset a test sees what the first test saw');

    await admin('POST', '/reset');
    const token = await epToken(gw);
    await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Base', email: 'base@example.com' } });
    await admin('POST', '/snapshots/base');
    const next = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Next', email: 'next@example.com' } });
    await admin('POST', '/snapshots/base/restore');
    const again = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Next', email: 'next@example.com' } });
    assert.equal(again.status, 201, again.text);
    assert.deepEqual(again.json, next.json);
  } finally {
    await gw.stop();
  }
});
