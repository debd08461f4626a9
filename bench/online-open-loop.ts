/**
 * Open-loop load at a fixed rate (what wrk2 does; wrk2 is not packaged in Debian): sends requests on a
 * schedule whatever the replies (a slow reply never delays the next request), over keep-alive
 * connections, and records each latency from the request's write to its complete response.
 * A minimal HTTP/1.1 client on raw sockets keeps the generator's own CPU and GC small, so on a 2-core
 * machine it disturbs the server as little as possible. Run as its own process.
 * Usage: tsx bench/online-open-loop.ts <url> <bodies.json> <rate/s> <warmup s> <seconds>
 * Prints one JSON line: { sent, ok, errors, p50Ms, p90Ms, p99Ms, p999Ms, maxMs, maxLagMs }.
 */
import { connect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';

const [url, bodiesFile, rateArg, warmupArg, secondsArg] = process.argv.slice(2);
if (!url || !bodiesFile) throw new Error('usage: online-open-loop.ts <url> <bodies.json> <rate> <warmup s> <seconds>');
const target = new URL(url);
// Extra request headers (the API key, Accept, Origin) as JSON in FG_BENCH_HEADERS.
const extra = Object.entries(JSON.parse(process.env.FG_BENCH_HEADERS ?? '{}') as Record<string, string>)
  .map(([k, v]) => `${k}: ${v}\r\n`)
  .join('');
const requests = (JSON.parse(readFileSync(bodiesFile, 'utf8')) as string[]).map((b) =>
  Buffer.from(
    `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\n${extra}Content-Length: ${Buffer.byteLength(b)}\r\n\r\n${b}`,
  ),
);
const rate = Number(rateArg ?? 1000);
const warmupMs = Number(warmupArg ?? 1) * 1000;
const totalMs = warmupMs + Number(secondsArg ?? 5) * 1000;

const latencies: number[] = [];
let sent = 0;
let done = 0;
let errors = 0;
// How late the sender ran behind its schedule; large values would mean the generator itself lagged.
let maxLagMs = 0;

/** One keep-alive connection with at most one request in flight. */
interface Conn {
  socket: Socket;
  busy: boolean;
  buf: Buffer;
  /** When the request was written. */
  due: number;
  record: boolean;
}
const idle: Conn[] = [];
const all: Conn[] = [];

/** Bytes of a complete response at the start of buf (Content-Length or chunked), or -1 if incomplete. */
const responseLength = (buf: Buffer): { len: number; ok: boolean } | null => {
  const head = buf.indexOf('\r\n\r\n');
  if (head < 0) return null;
  const headers = buf.toString('latin1', 0, head);
  const ok = headers.startsWith('HTTP/1.1 200');
  const cl = /\r\ncontent-length:\s*(\d+)/i.exec(headers);
  if (cl) {
    const len = head + 4 + Number(cl[1]);
    return buf.length >= len ? { len, ok } : null;
  }
  // chunked: the body ends with a zero-size chunk
  const end = buf.indexOf('\r\n0\r\n\r\n', head);
  return end < 0 ? null : { len: end + 7, ok };
};

const open = (): Conn => {
  const c: Conn = { socket: connect(Number(target.port), target.hostname), busy: false, buf: Buffer.alloc(0), due: 0, record: false };
  c.socket.setNoDelay(true);
  c.socket.on('data', (chunk: Buffer) => {
    c.buf = c.buf.length ? Buffer.concat([c.buf, chunk]) : chunk;
    const r = responseLength(c.buf);
    if (!r) return;
    c.buf = c.buf.subarray(r.len);
    done++;
    if (!r.ok) errors++;
    else if (c.record) latencies.push(performance.now() - c.due);
    c.busy = false;
    idle.push(c);
  });
  c.socket.on('error', () => {
    if (c.busy) {
      done++;
      errors++;
    }
    c.busy = true; // never reuse a broken connection
  });
  all.push(c);
  return c;
};

const send = (record: boolean) => {
  const c = idle.pop() ?? open();
  c.busy = true;
  c.record = record;
  c.socket.write(requests[sent % requests.length]!);
  c.due = performance.now();
  sent++;
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
  // Node timers have 1 ms granularity: at 1,000 req/s that is about one request per tick.
  setTimeout(tick, 1);
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
    for (const c of all) c.socket.destroy();
  }, 20);
};

tick();
