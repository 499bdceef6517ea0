// Runs examples/elastic-path/ against a fresh gateway: every curl script with
// bash, in the README's order and with the README's environment, then the SDK
// tour (sdk-example.cjs) with the SDK from the test's scratch install.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startGateway, CLIENT_ID, CLIENT_SECRET } from './harness.mjs';
import { installSdks } from '../sdk/install.mjs';

const run = promisify(execFile);
const dir = new URL('../../examples/elastic-path/', import.meta.url).pathname;

// Splits curl -i output into the status and the JSON body (if any).
function parse(stdout) {
  const status = /^HTTP\/1\.1 (\d+)/.exec(stdout)?.[1];
  const body = status ? stdout.slice(stdout.indexOf('\r\n\r\n') + 4) : stdout;
  return { status: status && Number(status), json: body.trim() ? JSON.parse(body) : undefined };
}

// The README's order; each step checks its answer and may set variables for
// the scripts after it, as the README does with `export X=$(... | jq ...)`.
const sequence = [
  ['access-token', ({ json }, env) => { assert.equal(json.identifier, 'client_credentials'); env.TOKEN = json.access_token; }],
  ['create-customer', ({ json }, env) => {
    assert.equal(json.data.email, 'ron@swanson.com');
    assert.equal(json.data.password, true);
    env.CUSTOMER_ID = json.data.id;
  }],
  ['get-customer', ({ json }, env) => assert.equal(json.data.id, env.CUSTOMER_ID)],
  ['update-customer', ({ json }) => {
    assert.equal(json.data.name, 'Ronald Ulysses Swanson');
    assert.equal(json.data.external_ref, 'crm-0042');
  }],
  ['list-customers', ({ json }, env) => {
    assert.deepEqual(json.data.map((c) => c.id), [env.CUSTOMER_ID]);
    assert.equal(json.meta.page.limit, 10);
  }],
  ['implicit-token', ({ json }, env) => { assert.equal(json.identifier, 'implicit'); env.TOKEN = json.access_token; }],
  ['customer-token', ({ json }, env) => {
    assert.equal(json.data.customer_id, env.CUSTOMER_ID);
    env.CUSTOMER_TOKEN = json.data.token;
  }],
  ['get-customer', ({ json }, env) => assert.equal(json.data.id, env.CUSTOMER_ID)],
  ['create-address', ({ json }, env) => {
    assert.equal(json.data.type, 'address');
    assert.equal(json.data.country, 'GB');
    env.ADDRESS_ID = json.data.id;
  }],
  ['list-addresses', ({ json }, env) => assert.deepEqual(json.data.map((a) => a.id), [env.ADDRESS_ID])],
  ['get-address', ({ json }, env) => assert.equal(json.data.id, env.ADDRESS_ID)],
  ['update-address', ({ json }) => {
    assert.equal(json.data.city, 'Eagleton');
    assert.equal(json.data.instructions, '');
    assert.equal(json.data.line_1, '1 Sunny Street');
  }],
  ['delete-address', ({ status }) => assert.equal(status, 204)],
  ['delete-customer', ({ status }) => assert.equal(status, 204)],
];

let gw;
before(async () => { gw = await startGateway(); });
after(async () => { await gw.stop(); });

test('the sequence covers every example script', () => {
  const scripts = readdirSync(dir).filter((f) => f.endsWith('.sh')).map((f) => f.slice(0, -3)).sort();
  assert.deepEqual([...new Set(sequence.map(([name]) => name))].sort(), scripts);
});

test('the curl examples run in the README\'s order', async () => {
  const env = { GATEWAY: gw.url, CLIENT_ID, CLIENT_SECRET };
  for (const [name, check] of sequence) {
    const { stdout } = await run('bash', [join(dir, `${name}.sh`)], { env: { ...process.env, ...env } });
    const answer = parse(stdout);
    assert.doesNotThrow(() => check(answer, env), `${name}: ${stdout}`);
  }
});

test('the SDK example runs to the end', async () => {
  const sdkDir = installSdks();
  const { stdout } = await run('node', [join(dir, 'sdk-example.cjs')], {
    env: {
      ...process.env, NODE_PATH: join(sdkDir, 'node_modules'), GATEWAY_HOST: new URL(gw.url).host,
      CLIENT_ID, CLIENT_SECRET,
    },
  });
  const steps = stdout.trim().split('\n').map((line) => line.slice(0, line.indexOf(':')));
  assert.deepEqual(steps, [
    'created', 'got', 'updated', 'found', 'customer token', 'own record', 'address created', 'addresses',
    'address', 'address updated', 'address deleted', 'shop may not list customers', 'deleted',
  ]);
  assert.match(stdout, /shop may not list customers: \{"status":403/);
  assert.match(stdout, /address updated: "Eagleton"/);
});
