// Runs every script in examples/microbase/ (MicroBase's documented curl
// examples) with bash against a running gateway, in the order the README
// gives, and checks that each answers {"ok": true}.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { startGateway, request, CLIENT_ID, CLIENT_SECRET } from './harness.mjs';

const run = promisify(execFile);
const dir = new URL('../../examples/microbase/', import.meta.url).pathname;

// The README's order, and how each answer feeds the ids of the scripts after it.
const sequence = [
  ['customer.create', (json, env) => { env.CUSTOMER_ID = json.customer.id; }],
  ['customer.info', (json, env) => assert.equal(json.customer.id, env.CUSTOMER_ID)],
  ['customer.update', (json) => assert.equal(json.customer.email, 'john.doe@gmail.com')],
  ['customer.list', (json, env) => assert.deepEqual(json.data.map((c) => c.id), [env.CUSTOMER_ID])],
  ['customer.checkCredentials', (json) => assert.deepEqual(json, { ok: true })],
  ['customer.address.create', (json, env) => {
    assert.equal(json.customer.addresses.length, 2);
    env.ADDRESS_ID = json.customer.addresses.at(-1).id;
  }],
  ['customer.address.info', (json, env) => assert.equal(json.address.id, env.ADDRESS_ID)],
  ['customer.address.update', (json, env) => {
    assert.equal(json.customer.addresses.find((a) => a.id === env.ADDRESS_ID).instructions, 'Instructions');
  }],
  ['customer.address.remove', (json, env) => {
    assert.ok(!json.customer.addresses.some((a) => a.id === env.ADDRESS_ID));
  }],
  ['customer.remove', (json) => assert.deepEqual(json, { ok: true })],
];

let gw;
let token;
before(async () => {
  gw = await startGateway();
  const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
  const res = await request(gw, 'POST', '/services/oauth/v2/token', {
    headers: { authorization: `Basic ${basic}` }, form: { grant_type: 'client_credentials', scope: 'api' },
  });
  assert.equal(res.status, 200, res.text);
  token = res.json.access_token;
});
after(async () => { await gw.stop(); });

test('the sequence covers every example script', () => {
  const scripts = readdirSync(dir).filter((f) => f.endsWith('.sh')).map((f) => f.slice(0, -3)).sort();
  assert.deepEqual(sequence.map(([name]) => name).sort(), scripts);
});

test('each script keeps the documented request and changes only host, token and ids', () => {
  for (const [name] of sequence) {
    const text = readFileSync(`${dir}${name}.sh`, 'utf8');
    assert.ok(text.includes(`--url \${GATEWAY:-http://localhost:8080}/services/customer/v1/${name} \\\n`), name);
    assert.ok(text.includes('--header "authorization: Bearer ${TOKEN}" \\\n'), name);
    assert.ok(text.includes("--header 'accept: application/json' \\\n"), name);
    assert.ok(text.includes("--header 'content-type: application/json' \\\n"), name);
    assert.ok(!text.includes('localhost:3005') && !text.includes('xxxxx'), name);
  }
});

test('every example runs against the gateway and answers ok: true', async () => {
  const env = { ...process.env, GATEWAY: gw.url, TOKEN: token };
  delete env.CUSTOMER_ID;
  delete env.ADDRESS_ID;
  for (const [name, check] of sequence) {
    const { stdout } = await run('bash', [`${dir}${name}.sh`], { env });
    let json;
    assert.doesNotThrow(() => { json = JSON.parse(stdout); }, `${name} printed: ${stdout}`);
    assert.equal(json.ok, true, `${name}: ${stdout}`);
    check(json, env);
  }
});
