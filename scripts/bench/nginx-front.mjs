// Runs nginx with the shipped examples/nginx config in front of a gateway
// for scripts/bench-overload.sh: prints its URL, stops nginx on SIGTERM.
//
//   node scripts/bench/nginx-front.mjs GATEWAY_PORT
import { startNginx } from '../../tests/blackbox/nginx_front.mjs';

const front = await startNginx({ upstreamPort: Number(process.argv[2]) });
console.log(front.url);
process.on('SIGTERM', async () => { await front.stop(); process.exit(0); });
setInterval(() => {}, 1 << 30);
