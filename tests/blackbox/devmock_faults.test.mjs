// The dev mock's fault injection through the real binary: error statuses in
// each caller's dialect, fixed and random latency, dropped connections,
// narrowed by dialect, method and path, for a fraction of requests or the
// first N, and per request through the X-Gateway-Fault header.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, request, epToken, ep, mb, mbToken } from './harness.mjs';

const ADMIN = 'fault-admin-token';
let gw;
let token;

const admin = (method, path, body) =>
  request(gw, method, `/__gateway${path}`, { body, headers: { authorization: `Bearer ${ADMIN}` } });

async function addRule(rule) {
  const res = await admin('POST', '/faults', rule);
  assert.equal(res.status, 201, res.text);
  return res.json;
}

const epList = (headers = {}) => ep(gw, token, 'GET', '/v2/customers', undefined, headers);
const mbList = (headers = {}) => request(gw, 'POST', '/services/customer/v1/customer.list', {
  body: {}, headers: { authorization: `Bearer ${mbToken()}`, ...headers },
});

async function timed(fn) {
  const start = performance.now();
  const res = await fn();
  return { res, ms: performance.now() - start };
}

function assertEpError(res, status) {
  assert.equal(res.status, status, res.text);
  assert.deepEqual(Object.keys(res.json), ['errors']);
  assert.equal(res.json.errors[0].status, status);
  assert.match(res.json.errors[0].detail, /^Injected fault/);
}

function assertMbError(res, status) {
  assert.equal(res.status, status, res.text);
  assert.equal(res.json.ok, false, res.text);
  assert.equal(typeof res.json.error, 'string');
}

before(async () => {
  gw = await startGateway({ args: ['--admin-token', ADMIN] });
  token = await epToken(gw);
});
after(() => gw.stop());
beforeEach(async () => {
  assert.equal((await admin('DELETE', '/faults')).status, 204);
});

test('a status rule per dialect answers in that dialect and changes nothing', async () => {
  const rule = await addRule({ dialect: 'microbase', status: 503 });
  assert.deepEqual(rule, { id: rule.id, dialect: 'microbase', fraction: 1, latency_ms: 0, jitter_ms: 0, status: 503, drop: false, applied: 0 });
  const create = await mb(gw, 'customer.create', { email: 'faulted@example.com', password: 'mypassword' });
  assertMbError(create, 503);
  assert.equal(create.headers.get('x-gateway-fault'), 'status=503');
  assert.equal((await epList()).status, 200, 'the other dialect is untouched');
  assert.equal((await ep(gw, token, 'GET', '/v2/customers?filter=eq(email,faulted@example.com)')).json.data.length, 0, 'the faulted create did not run');
  assert.equal((await admin('GET', '/faults')).json.faults[0].applied, 1);

  await admin('DELETE', `/faults/${rule.id}`);
  assert.equal((await mbList()).status, 200);
  await addRule({ dialect: 'elastic-path', status: 500 });
  assertEpError(await epList(), 500);
});

test('rules narrow by method and path prefix, and "times" limits them', async () => {
  await addRule({ dialect: 'elastic-path', method: 'get', path: '/v2/customers*', status: 429, times: 2 });
  assertEpError(await epList(), 429);
  assertEpError(await ep(gw, token, 'GET', '/v2/customers/some-id'), 429);
  assert.equal((await epList()).status, 200, 'used up after two');
  const listed = (await admin('GET', '/faults')).json.faults[0];
  assert.deepEqual([listed.method, listed.path, listed.times, listed.applied], ['GET', '/v2/customers*', 0, 2]);

  await addRule({ path: '/services/customer/v1/customer.info', status: 502 });
  assert.equal((await mbList()).status, 200, 'exact path: customer.list does not match');
  assertMbError(await mb(gw, 'customer.info', { id: 'x' }), 502);
  const token2 = await request(gw, 'POST', '/oauth/access_token', { form: { grant_type: 'implicit', client_id: 'test-client' } });
  assert.equal(token2.status, 200, 'POST /oauth/access_token matched no rule');
});

test('fixed latency delays the real answer in both dialects; jitter adds a random part', async () => {
  await addRule({ latency_ms: 300 });
  const a = await timed(() => epList());
  const b = await timed(() => mbList());
  assert.equal(a.res.status, 200);
  assert.equal(b.res.status, 200);
  assert.ok(a.ms >= 295 && b.ms >= 295, `${a.ms} ${b.ms}`);
  assert.equal(a.res.headers.get('x-gateway-fault'), 'latency=300');

  await admin('DELETE', '/faults');
  await addRule({ jitter_ms: 200 });
  const delays = [];
  for (let i = 0; i < 12; i += 1) {
    const res = await epList();
    const fault = res.headers.get('x-gateway-fault');
    assert.match(fault, /^latency=\d+$/, 'a jitter that drew 0 still says latency=0');
    delays.push(Number(fault.slice('latency='.length)));
  }
  assert.ok(delays.every((d) => d >= 0 && d <= 200), delays.join());
  assert.ok(new Set(delays).size > 3, `random delays vary: ${delays.join()}`);
});

test('a fraction faults about that share of matching requests', async () => {
  await addRule({ dialect: 'microbase', status: 500, fraction: 0.5 });
  let failed = 0;
  for (let i = 0; i < 200; i += 1) {
    if ((await mbList()).status === 500) failed += 1;
  }
  // Binomial(200, 0.5): outside 60..140 has probability below 1e-8.
  assert.ok(failed > 60 && failed < 140, `${failed} of 200`);
  assert.equal((await admin('GET', '/faults')).json.faults[0].applied, failed);
});

test('drop closes the connection without an answer; the next request is served', async () => {
  await addRule({ dialect: 'microbase', drop: true, times: 1 });
  await assert.rejects(mbList(), /fetch failed/);
  assert.equal((await mbList()).status, 200);
  await assert.rejects(epList({ 'x-gateway-fault': 'drop' }), /fetch failed/);
  assert.equal((await epList()).status, 200);
  assert.equal((await admin('GET', '/faults')).status, 200);
});

test('the X-Gateway-Fault header faults one request, in its dialect, over any rule', async () => {
  await addRule({ latency_ms: 2000 });
  const ep503 = await timed(() => epList({ 'x-gateway-fault': 'status=503' }));
  assertEpError(ep503.res, 503);
  assert.ok(ep503.ms < 1500, 'the header replaced the rule');
  await admin('DELETE', '/faults');
  assertMbError(await mbList({ 'x-gateway-fault': 'status=503' }), 503);
  const slow = await timed(() => mbList({ 'X-Gateway-Fault': 'latency=250; status=504' }));
  assertMbError(slow.res, 504);
  assert.ok(slow.ms >= 245, `${slow.ms}`);
  assert.equal(slow.res.headers.get('x-gateway-fault'), 'latency=250; status=504');

  const bad = await epList({ 'x-gateway-fault': 'status=200' });
  assert.equal(bad.status, 400);
  assert.match(bad.json.errors[0].detail, /^X-Gateway-Fault: status must be from 400 to 599/);
  const badMb = await mbList({ 'x-gateway-fault': 'explode' });
  assert.equal(badMb.status, 400);
  assert.equal(badMb.json.ok, false);
  assert.equal((await admin('GET', '/requests')).status, 200, 'the admin API is never faulted');
});

test('the journal records what was injected', async () => {
  await admin('DELETE', '/requests');
  await epList({ 'x-gateway-fault': 'status=503' });
  await mbList({ 'x-gateway-fault': 'drop' }).catch(() => {});
  const entries = (await admin('GET', '/requests')).json.requests;
  assert.deepEqual(entries.map((e) => [e.dialect, e.status, e.fault]), [
    ['elastic-path', 503, 'status=503'], ['microbase', null, 'drop'],
  ]);
});

test('global rules never touch the admin API; bad rules are refused and change nothing', async () => {
  await addRule({ drop: true });
  assert.equal((await admin('GET', '/faults')).status, 200);
  for (const [rule, detail] of [
    [{}, 'a fault needs latency_ms, jitter_ms, status or drop'],
    [{ status: 200 }, 'status must be an integer from 400 to 599'],
    [{ status: 503, drop: true }, 'drop and status exclude each other'],
    [{ dialect: 'soap', drop: true }, 'dialect must be one of elastic-path|microbase'],
    [{ fraction: 0, drop: true }, 'fraction must be a number above 0 and at most 1'],
    [{ path: 'v2', drop: true }, 'path must start with /'],
    [{ colour: 'red' }, /^unknown member colour/],
    ['[1]', 'the body must be a JSON object describing one fault rule'],
  ]) {
    const res = await admin('POST', '/faults', rule);
    assert.equal(res.status, 422, JSON.stringify(rule));
    if (detail instanceof RegExp) assert.match(res.json.errors[0].detail, detail);
    else assert.equal(res.json.errors[0].detail, detail);
  }
  assert.equal((await admin('GET', '/faults')).json.faults.length, 1);
  assert.equal((await admin('DELETE', '/faults/999')).status, 404);
});

test('without an admin token the header is ignored and no fault applies', async () => {
  const plain = await startGateway();
  try {
    const t = await epToken(plain);
    const res = await ep(plain, t, 'GET', '/v2/customers', undefined, { 'x-gateway-fault': 'status=503' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-gateway-fault'), null);
  } finally {
    await plain.stop();
  }
});
