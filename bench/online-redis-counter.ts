/**
 * Preloaded (`node --import`) into every benchmarked server process, cluster workers included: counts the
 * writes each process makes on its Redis connections and adds them every 100 ms to a Redis counter
 * (`FG_BENCH_COUNTER_KEY`), which the driver reads before and after a run.
 *
 * Why writes are round trips: ioredis writes a lone command with one socket write and a whole pipeline with
 * one socket write (Pipeline.exec concatenates the commands), and the caller then awaits the replies of that
 * write. So "socket writes to Redis per HTTP request" is the number of request/reply exchanges a request
 * costs, whatever code made them — the same measure for the floor, the naive server and featuregraph.
 * (Redis' own INFO counters cannot tell this: a pipeline over 16 KiB takes several read events there, and
 * separate commands sent in one tick may share one.) The counter's own connection is not counted.
 */
import net from 'node:net';

const key = process.env.FG_BENCH_COUNTER_KEY;
const port = Number(process.env.FG_BENCH_REDIS_PORT ?? 6379);
const host = process.env.FG_BENCH_REDIS_HOST ?? '127.0.0.1';

if (key) {
  let pending = 0;
  const original = net.createConnection;
  const counted = (socket: net.Socket): net.Socket => {
    const write = socket.write;
    socket.write = function (this: net.Socket, ...args: Parameters<net.Socket['write']>) {
      pending++;
      return write.apply(this, args);
    } as net.Socket['write'];
    return socket;
  };
  // ioredis calls net.createConnection(options) through the module object, so replacing the property is seen.
  (net as { createConnection: unknown }).createConnection = (...args: Parameters<typeof net.createConnection>) => {
    const socket = original(...args);
    const opts: unknown = args[0];
    const target = typeof opts === 'object' && opts !== null && 'port' in opts ? Number((opts as { port: unknown }).port) : NaN;
    return target === port ? counted(socket) : socket;
  };

  const flushSocket = original({ host, port });
  flushSocket.on('data', () => undefined);
  flushSocket.on('error', () => undefined);
  const flush = () => {
    if (pending === 0 || flushSocket.destroyed) return;
    const n = String(pending);
    pending = 0;
    flushSocket.write(`*3\r\n$6\r\nINCRBY\r\n$${Buffer.byteLength(key)}\r\n${key}\r\n$${n.length}\r\n${n}\r\n`);
  };
  setInterval(flush, 100).unref();
  flushSocket.unref();
}
