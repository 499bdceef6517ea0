// Runs examples/dev-mock/ as docs/dev-mock.md tells a storefront to: the
// mock started by start-mock.sh, each curl script against it, and the
// example test suite that restores the fixtures before every test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { BIN } from './harness.mjs';

const run = promisify(execFile);
const dir = new URL('../../examples/dev-mock/', import.meta.url).pathname;
let proc;
let env;

before(async () => {
  proc = spawn('bash', [`${dir}start-mock.sh`], { env: { ...process.env, PORT: '0', GATEWAY_BIN: BIN }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let errors = '';
  proc.stderr.on('data', (d) => { errors += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mock did not start: ${out}${errors}`)), 10000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => reject(new Error(`mock exited ${code}: ${out}${errors}`)));
  });
  assert.match(out, /seeded .*customers\.jsonl \(microbase\): created 2/);
  env = { ...process.env, GATEWAY: url };
});
after(() => proc.kill('SIGTERM'));

const script = async (name, ...args) => JSON.parse((await run('bash', [`${dir}${name}`, ...args], { env })).stdout || 'null');

test('the curl scripts drive the admin API of the started mock', async () => {
  assert.deepEqual(await script('snapshot.sh'), { name: 'baseline', customers: 3 });
  const fault = await script('fault-503.sh');
  assert.equal(fault.status, 503);
  assert.equal(fault.times, 2);
  assert.equal(await script('clear-faults.sh'), null);
  assert.deepEqual(await script('reset.sh'), { removed: 3 });
  const seeded = await script('seed.sh');
  assert.deepEqual([seeded.created, seeded.rejected], [2, 0]);
  assert.deepEqual(await script('restore.sh'), { name: 'baseline', removed: 2, customers: 3 });
  assert.ok(Array.isArray((await script('requests.sh')).requests));
});

test('the example storefront suite passes against the mock', async () => {
  // Without this the child would report to this runner in its internal format.
  const childEnv = { ...env };
  delete childEnv.NODE_TEST_CONTEXT;
  const res = await run(process.execPath, ['--test', `${dir}storefront.test.mjs`], { env: childEnv }).catch((e) => e);
  assert.equal(res.code ?? 0, 0, `${res.stdout}${res.stderr}`);
  assert.match(res.stdout, /# pass 3/);
});
