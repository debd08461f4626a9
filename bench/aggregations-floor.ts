/**
 * The hand-written floor of the aggregation benchmark: a node:http service that keeps each customer's raw
 * events in one sorted set (id → event time, HSETNX-free: ZADD NX is its idempotency) and answers the three
 * windowed counts exactly with three ZCOUNTs in one EVAL — one round trip, no GraphQL, no validation, no
 * offline store. Ingestion: POST /events (JSON array) → one pipelined ZADD NX per event.
 * Body of a read: {"id": "C1"}. Run as a child of bench/aggregations.ts.
 */
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { KEY_PREFIX, WINDOWS_MS } from './aggregations-repo.js';
import { announce, benchEnv } from './online-server-env.js';

const { project, redisUrl } = benchEnv();
const redis = new Redis(redisUrl, { protocol: 2 });
redis.defineCommand('counts', {
  numberOfKeys: 1,
  readOnly: true,
  lua: `local out = {}
    for i = 2, #ARGV do out[i - 1] = redis.call('ZCOUNT', KEYS[1], '(' .. (tonumber(ARGV[1]) - tonumber(ARGV[i])), ARGV[1]) end
    return out`,
});
const key = (id: string) => `${KEY_PREFIX}floor:{${project}:${id}}:e`;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (req.url === '/events') {
      const p = redis.pipeline();
      for (const e of body as { customer_id: string; request_id: string; event_timestamp: string }[])
        p.zadd(key(e.customer_id), 'NX', Date.parse(e.event_timestamp), e.request_id);
      p.exec().then(
        () => res.writeHead(200).end('{}'),
        () => res.writeHead(503).end(),
      );
      return;
    }
    const { id } = body as { id: string };
    (redis as Redis & { counts(k: string, ...a: (string | number)[]): Promise<number[]> }).counts(key(id), Date.now(), ...WINDOWS_MS).then(
      (c) => {
        const json = JSON.stringify({ quotes5m: c[0], quotes1h: c[1], quotes1d: c[2] });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json);
      },
      () => res.writeHead(503).end(),
    );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => announce(server));
process.on('SIGTERM', () => process.exit(0));
