// Prints p50/p99 of EP listing queries against a running gateway, one
// keep-alive client issuing them one after another (latency, not throughput).
//
//   node scripts/bench/list-latency.mjs BASE_URL [requests per query]
//
// A query stops early after 15 s (but not before 5 requests), so a slow
// baseline does not take minutes per query; `n` says how many were timed.
//
// The gateway must accept client id "bench" with secret "bench-secret"
// (scripts/bench-list.sh starts it so).
import http from 'node:http';

const [base, requestsArg] = process.argv.slice(2);
const requests = Number(requestsArg ?? 200);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(method, path, { body, token } = {}) {
  return new Promise((resolve, reject) => {
    const headers = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const req = http.request(`${base}${path}`, { method, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const auth = await request('POST', '/oauth/access_token', {
  body: 'grant_type=client_credentials&client_id=bench&client_secret=bench-secret',
});
const token = JSON.parse(auth.text).access_token;
const list = (query) => `/v2/customers?${query}`;

// An email that is stored: the newest customer's.
const newest = JSON.parse((await request('GET', list('page[limit]=1'), { token })).text);
const email = newest.data[0].email;

const queries = [
  ['plain listing page (25, newest first)', list('page[limit]=25')],
  [`eq(email,${email})`, list(`filter=${encodeURIComponent(`eq(email,${email})`)}`)],
  ['like(name,*zzq*) (no match)', list(`filter=${encodeURIComponent('like(name,*zzq*)')}`)],
  ['like(email,*zzq*) (no match)', list(`filter=${encodeURIComponent('like(email,*zzq*)')}`)],
  ['like(name,*wyatt*) (1 in 14 match)', list(`filter=${encodeURIComponent('like(name,*wyatt*)')}`)],
];

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
console.log(`${'query'.padEnd(44)} ${'p50'.padStart(10)} ${'p99'.padStart(10)} ${'n'.padStart(5)}  total`);
for (const [label, path] of queries) {
  const times = [];
  let total;
  // A few unmeasured requests first: the page cache and the statement cache warm up.
  const deadline = Date.now() + 15000;
  for (let i = 0; i < requests + 3 && (i < 8 || Date.now() < deadline); i++) {
    const start = process.hrtime.bigint();
    const res = await request('GET', path, { token });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
    if (i >= 3) times.push(ms);
    total = JSON.parse(res.text).meta.results.total;
  }
  times.sort((a, b) => a - b);
  const fmt = (ms) => `${ms.toFixed(2)} ms`.padStart(10);
  const n = String(times.length).padStart(5);
  console.log(`${label.padEnd(44)} ${fmt(percentile(times, 50))} ${fmt(percentile(times, 99))} ${n}  ${total}`);
}
agent.destroy();
