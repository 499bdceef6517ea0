// Prometheus /metrics through the real binary: request durations by route
// template (never ids), logins by outcome, 429s, the hash queue, build info,
// group-commit batch sizes and customers by password scheme.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startGateway, request, epToken, ep, mb, freshDb } from './harness.mjs';
import { tempDir, importFile, writeLines, mongoCustomer, htpasswdHash } from './migration_fixtures.mjs';

// The value of the first sample line matching `name{labels}` exactly.
function sample(text, name, labels = '') {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

test('/metrics: text format with routes as templates, logins, limits and the hash queue', async () => {
  const gw = await startGateway({ args: ['--login-rate-per-account', '1', '--hash-queue', '1', '--scrypt-log-n', '14'] });
  try {
    const token = await epToken(gw);
    const created = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Metric Person', email: 'metric@example.com', password: 'metric password' } });
    const id = created.json.data.id;
    await ep(gw, token, 'GET', `/v2/customers/${id}`);
    await ep(gw, token, 'GET', `/v2/customers/${id}`);
    const wrong = await mb(gw, 'customer.checkCredentials', { email: 'metric@example.com', password: 'wrong' });
    assert.equal(wrong.json.error, 'bad_credentials');
    const limited = await mb(gw, 'customer.checkCredentials', { email: 'metric@example.com', password: 'wrong' });
    assert.equal(limited.status, 429);
    const busy = await Promise.all(Array.from({ length: 8 }, (_, i) => mb(gw, 'customer.create', {
      email: `busy${i}@example.com`, password: 'a password', firstName: 'B', lastName: 'B',
    })));
    assert.ok(busy.some((r) => r.status === 503));

    const res = await request(gw, 'GET', '/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const text = res.text;
    assert.equal(sample(text, 'customer_gateway_build_info', 'version="0.1.0"'), 1);
    assert.equal(sample(text, 'customer_gateway_http_request_duration_seconds_count',
      'dialect="elastic_path",method="GET",route="/v2/customers/{id}",status="200"'), 2);
    assert.ok(!text.includes(id), 'no customer id in any label');
    assert.ok(!text.includes('metric@example.com'));
    assert.equal(sample(text, 'customer_gateway_logins_total', 'dialect="microbase",outcome="refused"'), 1);
    assert.equal(sample(text, 'customer_gateway_logins_total', 'dialect="microbase",outcome="limited"'), 1);
    assert.equal(sample(text, 'customer_gateway_logins_total', 'dialect="elastic_path",outcome="answered"'), 1);
    assert.equal(sample(text, 'customer_gateway_rate_limited_total', 'dialect="microbase",limit="account"'), 1);
    assert.equal(sample(text, 'customer_gateway_hash_queue_capacity'), 1);
    assert.equal(sample(text, 'customer_gateway_hash_queue_depth'), 0);
    assert.equal(sample(text, 'customer_gateway_hash_queue_rejections_total'), busy.filter((r) => r.status === 503).length);
    assert.equal(sample(text, 'customer_gateway_http_requests_in_flight'), 1, 'the scrape itself');
    assert.match(text, /# TYPE customer_gateway_http_request_duration_seconds histogram/);
    assert.equal((await request(gw, 'POST', '/metrics')).status, 405);
  } finally { await gw.stop(); }
});

test('/metrics: customers by password scheme follow an import and its re-hashing; group commits are counted', async () => {
  const dir = tempDir();
  const db = freshDb(dir);
  const password = 'Imported p4ssword';
  const imported = await importFile(db, 'microbase', writeLines(dir, 'customers.jsonl', [
    mongoCustomer('HkhhuXESl', 'leslie.knope@pawnee.gov', htpasswdHash(password)),
  ]));
  assert.equal(imported.code, 0, imported.stderr);
  const gw = await startGateway({ db });
  try {
    const scrape = async () => (await request(gw, 'GET', '/metrics')).text;
    const schemes = (text) => Object.fromEntries(['scrypt', 'bcrypt', 'none', 'other'].map(
      (s) => [s, sample(text, 'customer_gateway_customers', `password_scheme="${s}"`)]));
    const batches = (text) => ({
      count: sample(text, 'customer_gateway_store_commit_batch_size_count'),
      sum: sample(text, 'customer_gateway_store_commit_batch_size_sum'),
    });

    const before = await scrape();
    assert.deepEqual(schemes(before), { scrypt: 0, bcrypt: 1, none: 0, other: 0 });
    assert.match(before, /# TYPE customer_gateway_store_commit_batch_size histogram/);
    const batchesBefore = batches(before);

    const token = await epToken(gw);
    const withPassword = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'With Password', email: 'with@example.com', password: 'a password' } });
    assert.equal(withPassword.status, 201);
    const without = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'No Password', email: 'without@example.com' } });
    assert.equal(without.status, 201);
    const mbCreated = await mb(gw, 'customer.create', { email: 'mb@example.com', password: 'another password', firstName: 'M', lastName: 'B' });
    assert.equal(mbCreated.json.ok, true);

    const afterCreates = await scrape();
    assert.deepEqual(schemes(afterCreates), { scrypt: 2, bcrypt: 1, none: 1, other: 0 });
    const grown = batches(afterCreates);
    assert.ok(grown.count > batchesBefore.count, 'commits were observed');
    assert.ok(grown.count - batchesBefore.count <= 3);
    assert.equal(grown.sum - batchesBefore.sum, 3, 'each create counted in exactly one commit');

    // The first login with an imported bcrypt hash re-hashes it to scrypt:
    // the migration's progress shows as bcrypt falling to zero.
    const login = await mb(gw, 'customer.checkCredentials', { email: 'leslie.knope@pawnee.gov', password });
    assert.equal(login.json.ok, true);
    assert.deepEqual(schemes(await scrape()), { scrypt: 3, bcrypt: 0, none: 1, other: 0 });
  } finally {
    await gw.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
