// Memory probes for scripts/bench-overload.sh: what one anonymous client can
// make the gateway hold. Each probe reports the status it got; the shell
// script reads the server's peak RSS afterwards.
//
//   node scripts/bench/memory-probes.mjs BASE_URL TOKEN
import net from 'node:net';
import http from 'node:http';
import zlib from 'node:zlib';

const [base, token] = process.argv.slice(2);
const { hostname, port } = new URL(base);
const MB = '/services/customer/v1/customer.create';

// Writes `head`, then calls `feed(write)` until it returns false or the server
// answers; resolves with the status line and how many bytes were sent.
function raw(head, feed, limitBytes) {
  return new Promise((resolve) => {
    const s = net.connect({ host: hostname, port: Number(port) });
    let sent = 0;
    let answer = '';
    let done = false;
    const finish = () => { if (!done) { done = true; s.destroy(); resolve({ status: answer.split('\r\n')[0] || '(closed)', sent }); } };
    s.on('data', (d) => { answer += d.toString('latin1'); finish(); });
    s.on('close', finish);
    s.on('error', finish);
    s.on('connect', () => {
      s.write(head);
      sent += head.length;
      // One chunk per turn of the event loop, so an early answer is read.
      const pump = () => {
        if (done || sent >= limitBytes) return;
        const chunk = feed();
        if (!chunk) return;
        sent += chunk.length;
        if (s.write(chunk)) setImmediate(pump); else s.once('drain', pump);
      };
      pump();
    });
  });
}

const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;
const auth = `Authorization: Bearer ${token}\r\n`;

const block = Buffer.alloc(1 << 20, 'a');
let r = await raw(`POST ${MB} HTTP/1.1\r\nHost: x\r\n${auth}Transfer-Encoding: chunked\r\n\r\n`,
  () => Buffer.concat([Buffer.from('100000\r\n'), block, Buffer.from('\r\n')]), 256 << 20);
console.log(`chunked body bomb (up to 256 MiB): ${r.status} after ${mib(r.sent)} sent`);

const bomb = zlib.gzipSync(Buffer.alloc(256 << 20, ' '));
r = await raw(`POST ${MB} HTTP/1.1\r\nHost: x\r\n${auth}Content-Encoding: gzip\r\nContent-Type: application/json\r\nContent-Length: ${bomb.length}\r\n\r\n`,
  (() => { let once = true; return () => (once ? ((once = false), bomb) : null); })(), bomb.length + 1);
console.log(`gzip bomb (${mib(bomb.length)} → 256 MiB): ${r.status}`);

r = await raw('GET /v2/customers?q=', () => block, 256 << 20);
console.log(`request line (up to 256 MiB): ${r.status} after ${mib(r.sent)} sent`);

const headerBlock = Buffer.from('X-A: b\r\n'.repeat(100000));
r = await raw('GET /v2/customers HTTP/1.1\r\nHost: x\r\n', () => headerBlock, 2000000 * 8);
console.log(`2 million headers: ${r.status} after ${mib(r.sent)} sent`);

// 128 concurrent MicroBase bodies just under 1 MiB of valid JSON each.
const big = JSON.stringify({ email: 'big@example.com', firstName: 'x'.repeat((1 << 20) - 100) });
const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
const statuses = {};
await Promise.all(Array.from({ length: 128 }, () => new Promise((resolve) => {
  const req = http.request({ host: hostname, port, method: 'POST', path: MB, agent,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) } }, (res) => {
    res.resume();
    res.on('end', () => { statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1; resolve(); });
  });
  req.on('error', () => { statuses.error = (statuses.error ?? 0) + 1; resolve(); });
  req.end(big);
})));
agent.destroy();
console.log(`128 concurrent 1 MiB MicroBase bodies: statuses ${JSON.stringify(statuses)}`);
process.exit(0);
