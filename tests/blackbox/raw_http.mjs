// Raw HTTP/1.1 over a TCP socket, for probes a well-behaved client library
// cannot send (bad framing, pipelining, slow or silent clients).
import net from 'node:net';

// Opens a socket to the gateway; resolves once connected.
export function connect(gw) {
  const { hostname, port } = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: hostname, port: Number(port) }, () => resolve(sock));
    sock.on('error', reject);
  });
}

// Collects what the server sends until it closes the connection or
// `timeout` ms pass; `closed` says which.
export function collect(sock, timeout = 5000) {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    const done = (closed) => { clearTimeout(timer); resolve({ text: data.toString('latin1'), closed }); };
    const timer = setTimeout(() => { sock.removeAllListeners('data'); done(false); }, timeout);
    sock.on('data', (d) => { data = Buffer.concat([data, d]); });
    sock.on('close', () => done(true));
    sock.on('error', () => {});
  });
}

// Sends `bytes` (string or Buffer) on a fresh connection and collects the answer.
export async function exchange(gw, bytes, timeout = 5000) {
  const sock = await connect(gw);
  const answer = collect(sock, timeout);
  sock.write(bytes);
  const out = await answer;
  sock.destroy();
  return out;
}

// Splits a byte stream into responses (Content-Length framed).
export function parseResponses(text) {
  const out = [];
  let rest = text;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const lines = rest.slice(0, end).split('\r\n');
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0])?.[1]);
    const headers = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    const body = rest.slice(end + 4, end + 4 + length);
    let json;
    try { json = JSON.parse(body); } catch { json = undefined; }
    out.push({ status, headers, body, json });
    rest = rest.slice(end + 4 + length);
  }
  return out;
}
