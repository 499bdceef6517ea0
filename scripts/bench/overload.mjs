// Load generator for scripts/bench-overload.sh: a fresh client's GET latency
// while hostile or crowded clients run, and the memory probes. Loopback only,
// bounded in time; prints one line per scenario.
//
//   node scripts/bench/overload.mjs BASE_URL TOKEN CUSTOMER_ID SECONDS
import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const [base, token, customerId, secondsArg] = process.argv.slice(2);
const SECONDS = Number(secondsArg ?? 10);
const { hostname, port } = new URL(base);
const auth = { authorization: `Bearer ${token}` };

function send(method, path, { body, headers = {}, agent = false } = {}) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.request({ host: hostname, port, method, path, agent, headers: { ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        retryAfter: Number(res.headers['retry-after'] ?? 0),
      }));
    });
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    if (body) req.write(body);
    req.end();
  });
}

// A fresh connection per GET, one after another, for the whole scenario.
async function probe(seconds) {
  const results = [];
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    results.push(await send('GET', `/v2/customers/${customerId}`, { headers: auth }));
    await sleep(20);
  }
  const ok = results.filter((r) => r.status === 200);
  const ms = ok.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (p) => (ms.length ? ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))].toFixed(1) : '-');
  return `fresh GETs ${ok.length}/${results.length} answered 200, p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${ms.length ? ms[ms.length - 1].toFixed(1) : '-'} ms`;
}

function openSocket() {
  return new Promise((resolve) => {
    const s = net.connect({ host: hostname, port: Number(port) }, () => resolve(s));
    s.on('error', () => resolve(s));
  });
}

async function scenario(name, start) {
  const stop = await start();
  await sleep(1000);
  const line = await probe(SECONDS);
  const extra = await stop();
  console.log(`${name.padEnd(34)} ${line}${extra ? `; ${extra}` : ''}`);
}

const none = async () => async () => '';

// (a) connections that never send a byte, reopened when the server closes them.
const silent = (n) => async () => {
  let running = true;
  const socks = new Set();
  const keep = async () => {
    const s = await openSocket();
    socks.add(s);
    s.on('close', () => { socks.delete(s); if (running) keep(); });
  };
  for (let i = 0; i < n; i++) await keep();
  return async () => { running = false; const open = socks.size; socks.forEach((s) => s.destroy()); return `${open} silent connections open at the end`; };
};

// (b) slowloris: a request head one byte every 3 s, reopened when closed.
const slowloris = (n) => async () => {
  let running = true;
  const socks = new Set();
  const keep = async () => {
    const s = await openSocket();
    socks.add(s);
    s.write('GET /v2/customers HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const t = setInterval(() => { if (!s.destroyed) s.write('a'); }, 3000);
    s.on('data', () => {});
    s.on('close', () => { clearInterval(t); socks.delete(s); if (running) keep(); });
  };
  for (let i = 0; i < n; i++) await keep();
  return async () => { running = false; const open = socks.size; socks.forEach((s) => s.destroy()); return `${open} slowloris connections open at the end`; };
};

// (c) concurrent wrong-password logins, each client looping (the server's
// login limits are lifted by bench-overload.sh so the hash queue is reached).
const logins = (n) => async () => {
  let running = true;
  const agent = new http.Agent({ keepAlive: true, maxSockets: n });
  const counts = {};
  const body = JSON.stringify({ data: { type: 'token', authentication_mechanism: 'password', email: 'ron@swanson.com', password: 'wrong password' } });
  const loops = Array.from({ length: n }, async () => {
    while (running) {
      const r = await send('POST', '/v2/customers/tokens', { body, agent, headers: { ...auth, 'content-type': 'application/json' } });
      counts[r.status] = (counts[r.status] ?? 0) + 1;
      // Clients that honour Retry-After, as SDKs do; a refused one waits.
      if (r.status !== 401) await sleep(r.retryAfter ? r.retryAfter * 1000 : 100);
    }
  });
  return async () => { running = false; await Promise.all(loops); agent.destroy(); return `login answers by status ${JSON.stringify(counts)}`; };
};

// (d) keep-alive clients, each sending a GET every second on its own connection.
const keepAlive = (n) => async () => {
  let running = true;
  const agent = new http.Agent({ keepAlive: true, maxSockets: n });
  let ok = 0;
  let failed = 0;
  const loops = Array.from({ length: n }, async () => {
    while (running) {
      const r = await send('GET', `/v2/customers/${customerId}`, { agent, headers: auth });
      if (r.status === 200) ok++; else failed++;
      await sleep(1000);
    }
  });
  return async () => { running = false; await Promise.all(loops); agent.destroy(); return `keep-alive clients: ${ok} answered 200, ${failed} not`; };
};

const which = process.env.SCENARIOS ?? 'baseline,silent,slowloris,logins,keepalive';
const all = {
  baseline: ['no other load (baseline)', none],
  silent: ['(a) 1,000 silent connections', silent(1000)],
  slowloris: ['(b) 1,000 slowloris connections', slowloris(1000)],
  logins: ['(c) 500 concurrent password logins', logins(500)],
  keepalive: ['(d) 1,000 keep-alive clients', keepAlive(1000)],
};
for (const key of which.split(',')) {
  const [name, start] = all[key];
  await scenario(name, start);
  await sleep(2000);
}
process.exit(0);
