// `customer-gateway import` and `export` through the real binary: every
// layout mongoexport writes, ids kept, bad records reported by line without
// stopping the rest, idempotent re-runs, dry runs, imports beside a serving
// gateway, the export→import→export round trip in both formats, and an
// import killed midway that resumes cleanly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGateway, epToken, ep, mb, freshDb, ENGINE, pgClusterUrl } from './harness.mjs';
import {
  tempDir, runCli, importFile, exportRecords, writeLines, mongoCustomer, htpasswdHash, summary, readText,
} from './migration_fixtures.mjs';

const GENERATOR = new URL('../../scripts/gen-customers.mjs', import.meta.url).pathname;
let dir;
let hash;

before(() => {
  dir = tempDir();
  hash = htpasswdHash('Knope 2012');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const work = {
  name: 'Work', firstName: 'John', lastName: 'Doe', address_1: '1650 Bolman Court', address_2: '',
  postCode: '61701', city: 'Bloomington', state: 'Illinois', country: 'US', company: 'My Company',
  phone: 2173203531, instructions: 'Some Instructions', id: 'ryx3h_XVSx',
};

test('--help explains both commands; bad invocations fail with one line and exit 1', async () => {
  for (const cmd of ['import', 'export']) {
    const help = await runCli([cmd, '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, new RegExp(`usage: customer-gateway ${cmd}`));
    assert.match(help.stdout, /--db VALUE .*\[env GATEWAY_DB\]/);
  }
  assert.match((await runCli(['import', '--help'])).stdout, /exit status: 0 all records imported, 3 finished but some records were/);
  const db = join(dir, 'usage.db');
  const noFormat = await runCli(['import', '--db', db, 'x.json']);
  assert.equal(noFormat.code, 1);
  assert.equal(noFormat.stderr, 'customer-gateway import: --from must be one of microbase|elastic-path\n');
  const missing = await runCli(['import', '--from', 'microbase', '--db', db, join(dir, 'missing.json')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^customer-gateway import: cannot read .*missing\.json: No such file or directory\n$/);
  const directory = await runCli(['import', '--from', 'microbase', '--db', db, dir]);
  assert.equal(directory.code, 1);
  if (ENGINE === 'sqlite') {
    const noDb = await runCli(['export', '--to', 'microbase', '--db', join(dir, 'nothing.db'), '-']);
    assert.equal(noDb.code, 1);
    assert.match(noDb.stderr, /no database at/);
    assert.equal(existsSync(join(dir, 'nothing.db')), false);
  } else {
    const missingDb = new URL(pgClusterUrl());
    missingDb.pathname = '/gw_no_such_database';
    const noDb = await runCli(['export', '--to', 'microbase', '--db', missingDb.toString(), '-']);
    assert.equal(noDb.code, 1);
    assert.match(noDb.stderr, /^customer-gateway export: .*gw_no_such_database.*\n$/);
  }
});

test('MicroBase import: ids, Extended JSON forms and bad records reported by line', async () => {
  const db = freshDb(dir, 'mb.db');
  const file = writeLines(dir, 'mb.jsonl', [
    mongoCustomer('HkhhuXESl', 'john.doe@gmail.com', hash, { firstName: 'John', lastName: 'Doe', tags: ['VIP'], addresses: [work] }),
    mongoCustomer({ $oid: '5873b0f5c2d1a2b3c4d5e6f7' }, 'oid@example.com', hash, {
      createdAt: { $date: { $numberLong: '1484160285123' } }, updatedAt: { $date: 1484160299000 }, status: 'INACTIVE',
      addresses: [{ name: 'Home', firstName: 'O', address_1: 'x', postCode: '1', city: 'c', state: 's', country: 'GB', phone: '+44 20 7946 0000' }],
    }),
    '{"_id": "broken", ',
    mongoCustomer('bademail01', 'not-an-email', hash),
    mongoCustomer('badcountry', 'country@example.com', hash, { addresses: [{ ...work, id: 'zz1', country: 'USA' }] }),
    mongoCustomer('sameemail1', 'JOHN.DOE@gmail.com', hash),
    mongoCustomer('HkhhuXESl', 'again@example.com', hash),
    mongoCustomer('last00001', 'last@example.com', hash),
  ]);
  const res = await importFile(db, 'microbase', file);
  assert.equal(res.code, 3, res.stderr);
  assert.deepEqual(summary(res.stdout), { created: 3, updated: 0, unchanged: 0, rejected: 5 });
  assert.match(res.stdout, /^imported 8 records from .*mb\.jsonl \(microbase, JSON lines\)/);
  const problems = res.stderr.split('\n').filter((l) => l.startsWith('record '));
  assert.deepEqual(problems.map((l) => /^record (\d+), line (\d+)/.exec(l).slice(1).map(Number)), [[3, 3], [4, 4], [5, 5], [6, 6], [7, 7]]);
  assert.match(problems[0], /not valid JSON/);
  assert.match(problems[1], /\(id bademail01\): email: email must be a valid email address$/);
  assert.match(problems[2], /\(id badcountry\): addresses\.0\.country: country must be an ISO 3166-1 alpha-2 code/);
  assert.match(problems[3], /email JOHN\.DOE@gmail\.com is also the email of id HkhhuXESl on line 1/);
  assert.match(problems[4], /id HkhhuXESl already appeared on line 1/);

  const gw = await startGateway({ db });
  try {
    const info = await mb(gw, 'customer.info', { id: 'HkhhuXESl' });
    assert.deepEqual(info.json, {
      ok: true,
      customer: { email: 'john.doe@gmail.com', firstName: 'John', lastName: 'Doe', status: 'ACTIVE', tags: ['VIP'], addresses: [work], id: 'HkhhuXESl' },
    });
    const oid = await mb(gw, 'customer.info', { id: '5873b0f5c2d1a2b3c4d5e6f7' });
    assert.equal(oid.json.customer.status, 'INACTIVE');
    assert.equal(oid.json.customer.addresses[0].phone, '+44 20 7946 0000');
    assert.match(oid.json.customer.addresses[0].id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a derived id for an address that had none');
    const token = await epToken(gw);
    const got = await ep(gw, token, 'GET', '/v2/customers/5873b0f5c2d1a2b3c4d5e6f7');
    assert.equal(got.status, 200);
    assert.deepEqual(got.json.data.meta.timestamps, { created_at: '2017-01-11T18:44:45.123Z', updated_at: '2017-01-11T18:44:59.000Z' });
    assert.equal(got.json.data.password, true);
  } finally {
    await gw.stop();
  }

  const rejectsFile = join(dir, 'rejects.jsonl');
  const again = await importFile(db, 'microbase', file, ['--rejects', rejectsFile]);
  assert.equal(again.code, 3);
  assert.deepEqual(summary(again.stdout), { created: 0, updated: 0, unchanged: 3, rejected: 5 }, 're-running creates nothing');
  // --rejects: the same five, one JSON line each, for a script to fix and re-import.
  const rejects = readText(rejectsFile).trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(rejects.map((r) => [r.record, r.line, r.id]),
    [[3, 3, ''], [4, 4, 'bademail01'], [5, 5, 'badcountry'], [6, 6, 'sameemail1'], [7, 7, 'HkhhuXESl']]);
  assert.equal(rejects[1].reason, 'email: email must be a valid email address');
  assert.match(rejects[0].reason, /not valid JSON/);
  // --max-rejects: a mostly bad file stops early (exit 1); what was read before stays.
  const stoppedDb = freshDb(dir, 'stopped.db');
  const stopped = await importFile(stoppedDb, 'microbase', file, ['--max-rejects', '1', '--rejects', rejectsFile]);
  assert.equal(stopped.code, 1, stopped.stderr);
  assert.match(stopped.stderr, /customer-gateway import: stopped after 2 rejected records \(--max-rejects 1\): the first 4 records were processed \(2 created, 0 updated\), the rest of the file was not read\n$/);
  assert.equal(readText(rejectsFile).trimEnd().split('\n').length, 2);
  assert.equal((await exportRecords(stoppedDb, 'microbase')).length, 2);
  const atLimit = await importFile(freshDb(dir, 'limit.db'), 'microbase', file, ['--max-rejects', '5']);
  assert.equal(atLimit.code, 3, atLimit.stderr);
  const badLimit = await importFile(db, 'microbase', file, ['--max-rejects', '-1']);
  assert.equal(badLimit.code, 1);
  assert.match(badLimit.stderr, /--max-rejects must be a number/);
  const unwritable = await importFile(db, 'microbase', file, ['--rejects', join(dir, 'no-such-dir', 'r.jsonl')]);
  assert.equal(unwritable.code, 1);
  assert.match(unwritable.stderr, /^customer-gateway import: cannot write .*r\.jsonl: No such file or directory\n$/);
});

test('JSON arrays, pretty-printed documents and standard input all import', async () => {
  const docs = [1, 2, 3].map((n) => mongoCustomer(`arr${n}`, `arr${n}@example.com`, hash));
  const arrayDb = freshDb(dir, 'array.db');
  const array = await runCli(['import', '--from', 'microbase', '--db', arrayDb, '-'], { input: JSON.stringify(docs, null, 2) });
  assert.equal(array.code, 0, array.stderr);
  assert.match(array.stdout, /from standard input \(microbase, JSON array\)/);
  assert.equal(summary(array.stdout).created, 3);

  const pretty = join(dir, 'pretty.json');
  writeFileSync(pretty, docs.map((d) => JSON.stringify(d, null, 2)).join('\n'));
  const res = await importFile(freshDb(dir, 'pretty.db'), 'microbase', pretty);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /\(microbase, concatenated JSON\)/);
  assert.equal(summary(res.stdout).created, 3);
});

test('--dry-run checks and predicts but writes nothing', async () => {
  const db = freshDb(dir, 'dry.db');
  const file = writeLines(dir, 'dry.jsonl', [mongoCustomer('dry1', 'dry1@example.com', hash), mongoCustomer('dry2', 'bad', hash)]);
  const fresh = await importFile(db, 'microbase', file, ['--dry-run']);
  assert.equal(fresh.code, 3);
  assert.match(fresh.stdout, /dry run, nothing was written/);
  assert.deepEqual(summary(fresh.stdout), { created: 1, updated: 0, unchanged: 0, rejected: 1 });
  if (ENGINE === 'sqlite') assert.equal(existsSync(db), false, 'a dry run never creates the database');
  else assert.deepEqual(await exportRecords(db, 'microbase'), [], 'a dry run writes nothing');

  await importFile(db, 'microbase', writeLines(dir, 'dry-seed.jsonl', [mongoCustomer('dry1', 'dry1@example.com', hash)]));
  const changed = writeLines(dir, 'dry-changed.jsonl', [mongoCustomer('dry1', 'dry1@example.com', hash, { tags: ['new'] })]);
  const predicted = await importFile(db, 'microbase', changed, ['--dry-run']);
  assert.deepEqual(summary(predicted.stdout), { created: 0, updated: 1, unchanged: 0, rejected: 0 });
  assert.deepEqual((await exportRecords(db, 'microbase'))[0].tags, []);
});

test('import beside a serving gateway: visible at once, and an email held by another id is rejected', async () => {
  const db = freshDb(dir, 'live.db');
  const gw = await startGateway({ db });
  try {
    const token = await epToken(gw);
    const leslie = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Leslie Knope', email: 'leslie@pawnee.gov' } });
    assert.equal(leslie.status, 201);
    const records = Array.from({ length: 300 }, (_, i) => mongoCustomer(`live${i}`, `live${i}@example.com`, hash));
    records.push(mongoCustomer('imposter1', 'Leslie@Pawnee.gov', hash));
    const file = writeLines(dir, 'live.jsonl', records);
    // API writes keep landing while the import commits its batches.
    const [res, ...writes] = await Promise.all([
      importFile(db, 'microbase', file, ['--batch-size', '50']),
      ...Array.from({ length: 20 }, (_, i) => mb(gw, 'customer.create', { email: `api${i}@example.com`, password: 'pw', firstName: 'Api', lastName: `N${i}` })),
    ]);
    assert.equal(res.code, 3, res.stderr);
    assert.deepEqual(summary(res.stdout), { created: 300, updated: 0, unchanged: 0, rejected: 1 });
    assert.match(res.stderr, new RegExp(`line 301 \\(id imposter1\\): email Leslie@Pawnee\\.gov already belongs to customer ${leslie.json.data.id}; an import never merges two customers`));
    for (const w of writes) assert.equal(w.json.ok, true, w.text);
    assert.equal((await mb(gw, 'customer.info', { id: 'live299' })).json.customer.email, 'live299@example.com');
    assert.equal((await mb(gw, 'customer.info', { id: 'imposter1' })).json.error, 'customer_not_found');
    const list = await ep(gw, token, 'GET', '/v2/customers?page[limit]=1');
    assert.equal(list.json.meta.results.total, 321);
  } finally {
    await gw.stop();
  }
});

test('Elastic Path import: v2 objects with addresses, no passwords, stored fields kept', async () => {
  const db = freshDb(dir, 'ep.db');
  await importFile(db, 'microbase', writeLines(dir, 'ep-seed.jsonl', [
    mongoCustomer('HkhhuXESl', 'john.doe@gmail.com', hash, { firstName: 'John', lastName: 'Doe', tags: ['VIP'], status: 'INACTIVE' }),
  ]));
  const address = {
    type: 'address', id: 'addr-1', name: 'Home', first_name: 'Ron', last_name: 'Swanson', line_1: '1 Sunny Street',
    line_2: null, city: 'Sunny Town', county: 'Sunnyville', region: 'Pawnee', postcode: 'SU33 1YY', country: 'GB',
    phone_number: '(555) 555-1234', company_name: null, instructions: null,
    meta: { timestamps: { created_at: '2020-02-02T10:00:00.000Z', updated_at: '2020-02-03T10:00:00.000Z' } },
  };
  const file = writeLines(dir, 'ep.jsonl', [
    { data: { type: 'customer', id: '8a2b1c3d-0000-4000-8000-000000000001', name: 'Ron  Swanson', email: 'ron@swanson.com', external_ref: 'crm-1', password: true, meta: { timestamps: { created_at: '2020-01-01T00:00:00.000Z', updated_at: '2020-01-02T00:00:00.000Z' } }, addresses: [address] } },
    { type: 'customer', id: 'HkhhuXESl', name: 'Johnny Doe', email: 'john.doe@gmail.com', external_ref: null, password: false },
    { type: 'customer', id: 'x', name: 'No Email' },
  ]);
  const res = await importFile(db, 'elastic-path', file);
  assert.equal(res.code, 3);
  assert.deepEqual(summary(res.stdout), { created: 1, updated: 1, unchanged: 0, rejected: 1 });
  assert.match(res.stderr, /record 3, line 3: email is required/);
  const gw = await startGateway({ db });
  try {
    const token = await epToken(gw);
    const ron = await ep(gw, token, 'GET', '/v2/customers/8a2b1c3d-0000-4000-8000-000000000001');
    assert.equal(ron.json.data.name, 'Ron  Swanson');
    assert.equal(ron.json.data.password, false, 'Elastic Path exports carry no password');
    assert.equal(ron.json.data.external_ref, 'crm-1');
    const addr = await ep(gw, token, 'GET', '/v2/customers/8a2b1c3d-0000-4000-8000-000000000001/addresses/addr-1');
    assert.equal(addr.json.data.county, 'Sunnyville');
    assert.deepEqual(addr.json.data.meta.timestamps, address.meta.timestamps);
    const john = await mb(gw, 'customer.info', { id: 'HkhhuXESl' });
    assert.equal(john.json.customer.firstName, 'Johnny');
    assert.equal(john.json.customer.status, 'INACTIVE', 'status, invisible to Elastic Path, is kept');
    assert.deepEqual(john.json.customer.tags, ['VIP']);
    assert.deepEqual(await mb(gw, 'customer.checkCredentials', { email: 'john.doe@gmail.com', password: 'Knope 2012' }).then((r) => r.json), { ok: true });
  } finally {
    await gw.stop();
  }
});

// Customers written through both APIs, with everything each dialect can say.
async function populate(db) {
  const gw = await startGateway({ db });
  try {
    const token = await epToken(gw);
    const epCustomers = [
      { name: 'Ron Swanson', email: 'ron@swanson.com', password: 'Lagavulin 16', external_ref: 'crm-1' },
      { name: '  Zoë   Núñez-García ', email: 'zoe@example.com' },
      { name: 'Cher', email: 'cher@example.com', external_ref: 'x'.repeat(2048) },
      { name: '美咲 佐藤', email: 'misaki@example.jp', password: 'パスワード' },
    ];
    for (const c of epCustomers) {
      const res = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', ...c } });
      assert.equal(res.status, 201, res.text);
      const a = await ep(gw, token, 'POST', `/v2/customers/${res.json.data.id}/addresses`, {
        data: { type: 'address', first_name: 'A', last_name: 'B', line_1: '1 Sunny Street', postcode: 'SU33 1YY', country: 'GB', county: 'Sunnyville', phone_number: '(555) 555-1234', instructions: 'Leave behind bin' },
      });
      assert.equal(a.status, 201, a.text);
    }
    for (let i = 0; i < 4; i++) {
      const res = await mb(gw, 'customer.create', {
        email: `mb${i}@example.com`, password: `pw-${i}`, firstName: `First${i}`, lastName: i === 0 ? 'Van Der Berg' : `Last${i}`,
        status: i % 2 ? 'INACTIVE' : 'ACTIVE', tags: i ? ['VIP', `t${i}`] : [],
        addresses: [{ ...work, id: undefined, phone: 2173203531 + i }, { name: 'Home', firstName: 'F', address_1: 'a', postCode: 'p', city: 'c', state: 's', country: 'DE', phone: 0 }],
      });
      assert.equal(res.json.ok, true, res.text);
    }
  } finally {
    await gw.stop();
  }
}

test('export → import into an empty database → export gives the same records, in both formats', async () => {
  const db = freshDb(dir, 'source.db');
  await populate(db);
  await importFile(db, 'microbase', writeLines(dir, 'rt-seed.jsonl', [
    mongoCustomer('HkhhuXESl', 'john.doe@gmail.com', hash, { firstName: 'John', lastName: 'Doe', tags: ['VIP'], addresses: [work] }),
  ]));
  const copies = {};
  for (const format of ['microbase', 'elastic-path']) {
    const first = join(dir, `rt-${format}.jsonl`);
    const written = await runCli(['export', '--to', format, '--db', db, first]);
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stdout, new RegExp(`^exported 9 customers to .*rt-${format}\\.jsonl \\(${format}\\)`));
    assert.equal(existsSync(`${first}.partial`), false);
    const a = readText(first).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    assert.equal(a.length, 9);

    const copy = freshDb(dir, `rt-${format}.db`);
    copies[format] = copy;
    const res = await importFile(copy, format, first);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(summary(res.stdout), { created: 9, updated: 0, unchanged: 0, rejected: 0 });
    const b = await exportRecords(copy, format);
    if (format === 'microbase') {
      assert.deepEqual(b, a);
      assert.equal(a.filter((r) => r.password).length, 7, 'every password hash travels');
    } else {
      // Elastic Path never exports passwords: re-imported customers have none.
      assert.deepEqual(b, a.map((r) => ({ ...r, password: false })));
    }
    const again = await importFile(copy, format, first);
    assert.deepEqual(summary(again.stdout), { created: 0, updated: 0, unchanged: 9, rejected: 0 });
  }
  // Logging in still works on the MicroBase-format copy: hashes moved intact.
  const gw = await startGateway({ db: copies.microbase });
  try {
    assert.deepEqual((await mb(gw, 'customer.checkCredentials', { email: 'ron@swanson.com', password: 'Lagavulin 16' })).json, { ok: true });
    assert.deepEqual((await mb(gw, 'customer.checkCredentials', { email: 'mb2@example.com', password: 'pw-2' })).json, { ok: true });
  } finally {
    await gw.stop();
  }
});

test('an import killed midway resumes cleanly: committed batches come back unchanged', async () => {
  const file = join(dir, 'big.jsonl');
  execFileSync(process.execPath, [GENERATOR, '--count', '30000', '--seed', '7', '--out', file]);
  const db = freshDb(dir, 'killed.db');
  const killed = await runCli(['import', '--from', 'microbase', '--db', db, '--batch-size', '500', file], {
    onStderr: (text, proc) => { if (/^progress: /m.test(text)) proc.kill('SIGKILL'); },
  });
  assert.equal(killed.signal, 'SIGKILL', `the first run must be interrupted: ${killed.stdout}`);
  const resumed = await importFile(db, 'microbase', file, ['--batch-size', '5000']);
  assert.equal(resumed.code, 0, resumed.stderr);
  const counts = summary(resumed.stdout);
  assert.ok(counts.unchanged >= 500, `the first batch was committed (${JSON.stringify(counts)})`);
  assert.ok(counts.created > 0, 'and the rest was not');
  assert.equal(counts.created + counts.unchanged, 30000);
  assert.equal(counts.updated + counts.rejected, 0);
  const source = new Map(readText(file).split('\n').filter(Boolean).map((l) => { const r = JSON.parse(l); return [r._id, r]; }));
  const exported = await exportRecords(db, 'microbase');
  assert.equal(exported.length, 30000);
  for (const r of exported) assert.deepEqual(r, source.get(r._id), 'no customer is missing anything');
});
