// Native TLS (--tls-cert/--tls-key) with a generated certificate: both
// dialects, the request guard and pipelining over TLS, plain HTTP refused,
// and bad certificate options refused at start-up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import tls from 'node:tls';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, BIN, mbToken, CLIENT_ID, CLIENT_SECRET } from './harness.mjs';
import { makeCertificate } from './nginx_front.mjs';
import { parseResponses } from './raw_http.mjs';

let gw;
let dir;
let cert;
let ca;
let port;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gw-tls-'));
  cert = makeCertificate(dir);
  ca = readFileSync(cert.cert);
  gw = await startGateway({ direct: true, args: ['--tls-cert', cert.cert, '--tls-key', cert.key] });
  port = Number(new URL(gw.url).port);
});
after(async () => { await gw.stop(); rmSync(dir, { recursive: true, force: true }); });

function call(method, path, { body, headers = {}, form } = {}) {
  let payload = body === undefined ? undefined : JSON.stringify(body);
  const h = { ...headers };
  if (form) { payload = new URLSearchParams(form).toString(); h['content-type'] = 'application/x-www-form-urlencoded'; }
  else if (payload !== undefined) h['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, method, path, ca, headers: h, agent: false }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

// Sends raw bytes over TLS; resolves with what arrives before the server closes.
async function rawTls(bytes) {
  const sock = tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
  await new Promise((resolve, reject) => { sock.once('secureConnect', resolve); sock.once('error', reject); });
  let text = '';
  sock.on('data', (d) => { text += d.toString('latin1'); });
  const closed = new Promise((resolve) => sock.on('close', resolve));
  sock.write(bytes);
  await closed;
  return text;
}

test('the listening line names https, and both dialects answer over TLS', async () => {
  assert.match(gw.url, /^https:\/\//);
  const tok = await call('POST', '/oauth/access_token', { form: { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET } });
  assert.equal(tok.status, 200, tok.text);
  const created = await call('POST', '/v2/customers', {
    headers: { authorization: `Bearer ${tok.json.access_token}` },
    body: { data: { type: 'customer', name: 'Tls Client', email: 'tls@example.com', password: 'a good password' } },
  });
  assert.equal(created.status, 201, created.text);
  const check = await call('POST', '/services/customer/v1/customer.checkCredentials', {
    headers: { authorization: `Bearer ${mbToken()}` }, body: { email: 'tls@example.com', password: 'a good password' },
  });
  assert.equal(check.json.ok, true, check.text);
});

test('the request guard and pipelining work over TLS', async () => {
  const auth = `Authorization: Bearer ${mbToken()}\r\n`;
  const info = (id, last = '') => `POST /services/customer/v1/customer.info?id=${id} HTTP/1.1\r\nHost: gw\r\n${auth}${last}\r\n`;
  const answers = parseResponses(await rawTls(info('a') + info('b') + info('c', 'Connection: close\r\n')));
  assert.deepEqual(answers.map((r) => r.json.data.id), ['a', 'b', 'c']);
  const refused = parseResponses(await rawTls('POST /services/customer/v1/customer.create HTTP/1.1\r\nHost: gw\r\n' +
    'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'));
  assert.equal(refused.length, 1);
  assert.equal(refused[0].status, 400);
  assert.equal(refused[0].json.ok, false);
  assert.equal(refused[0].headers.connection, 'close');
});

test('plain HTTP to the TLS port gets no answer and is closed', async () => {
  const sock = net.connect({ host: '127.0.0.1', port });
  await new Promise((resolve) => sock.once('connect', resolve));
  let text = '';
  sock.on('data', (d) => { text += d.toString('latin1'); });
  sock.on('error', () => {});
  sock.write('GET /v2/customers HTTP/1.1\r\nHost: gw\r\n\r\n');
  await new Promise((resolve) => sock.on('close', resolve));
  assert.doesNotMatch(text, /^HTTP\/1\.1/);
});

test('serve refuses a missing key, an unreadable certificate or a mismatched pair', () => {
  const other = makeCertificate(mkdtempSync(join(dir, 'other-')));
  for (const [args, message] of [
    [['--tls-cert', cert.cert], /--tls-cert and --tls-key go together/],
    [['--tls-cert', join(dir, 'missing.pem'), '--tls-key', cert.key], /cannot load the TLS certificate/],
    [['--tls-cert', cert.cert, '--tls-key', other.key], /cannot load the TLS key .*mismatch/],
  ]) {
    const r = spawnSync(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', ':memory:', ...args], { encoding: 'utf8', timeout: 10000 });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, message);
  }
});
