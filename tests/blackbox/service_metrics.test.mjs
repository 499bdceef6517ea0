// Prometheus /metrics through the real binary: request durations by route
// template (never ids), logins by outcome, 429s, the hash queue, build info.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, request, epToken, ep, mb } from './harness.mjs';

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
