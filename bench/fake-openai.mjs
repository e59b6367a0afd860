// A local stand-in for OpenAI's POST /v1/realtime/client_secrets that answers after a fixed
// delay, so the upstream benchmark measures Latchkey's own added latency.
import http from 'node:http';

const delayMs = Number(process.env.DELAY_MS ?? 20);
const port = Number(process.env.PORT ?? 3998);
let n = 0;
http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => setTimeout(() => {
    const seconds = JSON.parse(body || '{}').expires_after?.seconds ?? 600;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ value: `ek_bench_${++n}`, expires_at: Math.floor(Date.now() / 1000) + seconds,
      session: { type: 'realtime', object: 'realtime.session' } }));
  }, delayMs));
}).listen(port, '127.0.0.1', () => console.log(`fake OpenAI on 127.0.0.1:${port}, ${delayMs} ms`));
