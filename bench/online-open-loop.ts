/**
 * Open-loop load at a fixed rate (what wrk2 does; wrk2 is not packaged in Debian): sends requests on a
 * schedule whatever the replies, over keep-alive connections, and records each latency. Run as its own
 * process so it competes with the server only as a client would.
 * Usage: tsx bench/online-open-loop.ts <url> <bodies.json> <rate/s> <warmup s> <seconds>
 * Prints one JSON line: { sent, ok, errors, p50Ms, p90Ms, p99Ms, p999Ms, maxMs, maxLagMs }.
 */
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';

const [url, bodiesFile, rateArg, warmupArg, secondsArg] = process.argv.slice(2);
if (!url || !bodiesFile) throw new Error('usage: online-open-loop.ts <url> <bodies.json> <rate> <warmup s> <seconds>');
const bodies = (JSON.parse(readFileSync(bodiesFile, 'utf8')) as string[]).map((b) => Buffer.from(b));
const rate = Number(rateArg ?? 1000);
const warmupMs = Number(warmupArg ?? 1) * 1000;
const totalMs = warmupMs + Number(secondsArg ?? 5) * 1000;
const target = new URL(url);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

const latencies: number[] = [];
let sent = 0;
let done = 0;
let errors = 0;
// How late the sender ran behind its schedule; large values would mean the generator, not the server, lagged.
let maxLagMs = 0;

const send = (record: boolean) => {
  const body = bodies[sent % bodies.length]!;
  sent++;
  const t0 = performance.now();
  const req = request(
    { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } },
    (res) => {
      res.on('data', () => undefined);
      res.on('end', () => {
        done++;
        if (res.statusCode !== 200) errors++;
        else if (record) latencies.push(performance.now() - t0);
      });
    },
  );
  req.on('error', () => {
    done++;
    errors++;
  });
  req.end(body);
};

const start = performance.now();
let scheduled = 0;
const tick = () => {
  const elapsed = performance.now() - start;
  if (elapsed >= totalMs) return finish();
  const due = Math.floor((elapsed * rate) / 1000);
  if (due > scheduled + 1) maxLagMs = Math.max(maxLagMs, (due - scheduled - 1) * (1000 / rate));
  while (scheduled < due) {
    const at = (scheduled * 1000) / rate;
    scheduled++;
    send(at >= warmupMs);
  }
  setTimeout(tick, 1000 / rate / 2);
};

const finish = () => {
  const wait = setInterval(() => {
    if (done < sent && performance.now() - start < totalMs + 5000) return;
    clearInterval(wait);
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
    process.stdout.write(
      `${JSON.stringify({ sent, ok: latencies.length, errors, p50Ms: q(0.5), p90Ms: q(0.9), p99Ms: q(0.99), p999Ms: q(0.999), maxMs: latencies.at(-1) ?? NaN, maxLagMs })}\n`,
    );
    agent.destroy();
  }, 20);
};

tick();
