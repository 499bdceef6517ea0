// Starts nginx, as an unprivileged foreground process with a temporary
// prefix, in front of a gateway, using the shipped examples/nginx config with
// only its addresses and certificate paths replaced.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

export const NGINX = process.env.NGINX_BIN ?? ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
export const EXAMPLE = new URL('../../examples/nginx/customer-gateway.conf', import.meta.url).pathname;
// Two gateways on one database (docs/deployment.md).
export const MULTI_EXAMPLE = new URL('../../examples/nginx/customer-gateway-multi.conf', import.meta.url).pathname;

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}

// A self-signed certificate for 127.0.0.1 / localhost; returns { cert, key } paths.
export function makeCertificate(dir) {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert, key };
}

function replaceOnce(text, from, to) {
  if (!text.includes(from)) throw new Error(`examples/nginx config no longer contains "${from}"`);
  return text.replace(from, to);
}

async function waitForPort(port, ms = 5000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port}`);
}

// Resolves to { url, port, dir, cert, stop() }; `tls` serves https.
// `credentialRate` replaces the shipped limit_req rate on credential endpoints
// (the dialect suites log in far faster than people do). With `upstreamPorts`
// (two), the multi-instance example is used instead, pointed at both.
export async function startNginx({ upstreamPort, upstreamPorts, tls = false, credentialRate }) {
  if (!NGINX) throw new Error('nginx is not installed (scripts/install-deps.sh installs nginx-light)');
  const dir = mkdtempSync(join(tmpdir(), 'gw-nginx-'));
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'logs']) mkdirSync(join(dir, sub));
  const port = await freePort();
  const redirectPort = await freePort();
  let site;
  if (upstreamPorts) {
    site = readFileSync(MULTI_EXAMPLE, 'utf8');
    site = replaceOnce(site, 'server 127.0.0.1:8081 ', `server 127.0.0.1:${upstreamPorts[0]} `);
    site = replaceOnce(site, 'server 127.0.0.1:8082 ', `server 127.0.0.1:${upstreamPorts[1]} `);
  } else {
    site = readFileSync(EXAMPLE, 'utf8');
    site = replaceOnce(site, 'server 127.0.0.1:8080;', `server 127.0.0.1:${upstreamPort};`);
  }
  site = replaceOnce(site, 'listen 80;', `listen 127.0.0.1:${redirectPort};`);
  if (credentialRate) site = replaceOnce(site, 'zone=gateway_credentials:10m rate=10r/s;', `zone=gateway_credentials:10m rate=${credentialRate};`);
  let cert;
  if (tls) {
    cert = makeCertificate(dir);
    site = replaceOnce(site, 'listen 443 ssl;', `listen 127.0.0.1:${port} ssl;`);
    site = replaceOnce(site, '/etc/ssl/certs/customer-gateway.crt', cert.cert);
    site = replaceOnce(site, '/etc/ssl/private/customer-gateway.key', cert.key);
  } else {
    site = replaceOnce(site, 'listen 443 ssl;', `listen 127.0.0.1:${port};`);
    site = site.split('\n').filter((l) => !/^\s*ssl_/.test(l)).join('\n');
  }
  writeFileSync(join(dir, 'site.conf'), site);
  writeFileSync(join(dir, 'nginx.conf'), `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/site.conf;
}
`);
  const proc = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  try {
    await Promise.race([waitForPort(port), exited.then(() => { throw new Error(`nginx exited: ${stderr}`); })]);
  } catch (e) {
    proc.kill('SIGKILL');
    throw new Error(`${e.message}\n${stderr}${existsSync(join(dir, 'logs/error.log')) ? readFileSync(join(dir, 'logs/error.log'), 'utf8') : ''}`);
  }
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    dir,
    cert,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGQUIT');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
