/**
 * The floor: the best hand-written node:http service for the same reads as featuregraph: an API-key check
 * (a Map lookup of the Authorization header), then every HMGET of the request (one per entity and view,
 * timestamps plus the features) in ONE call of a read-only Lua script (EVALSHA: one round trip, one command
 * for Redis to dispatch), TTL check and value decoding, JSON out. No GraphQL.
 * Body: {"ids": ["1", ...], "views": ["driver_stats", ...]}.
 * Run as a child of bench/online.ts; FG_BENCH_WORKERS > 1 forks that many node:cluster workers.
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { benchRepository, KEY_PREFIX } from './online-repo.js';
import { BENCH_KEY } from './online-cases.js';
import { announce, benchEnv } from './online-server-env.js';

const { project, redisUrl } = benchEnv();
const workers = Number(process.env.FG_BENCH_WORKERS ?? 1);

if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  let ready = 0;
  cluster.on('message', (_w, msg: { port?: number }) => {
    if (msg.port !== undefined && ++ready === workers) process.stdout.write(`${JSON.stringify({ port: msg.port, pid: process.pid })}\n`);
  });
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill();
    process.exit(0);
  });
} else {
  const repo = benchRepository(project);
  const views = new Map(
    repo.views.map((v) => [
      v.name,
      {
        ttlMs: v.ttlSeconds * 1000,
        names: v.features.map((f) => f.name),
        fields: ['_event_ts', '_created_ts', ...v.features.map((f) => f.name)],
      },
    ]),
  );
  const redis = new Redis(redisUrl, { protocol: 2 });
  // KEYS: one per entity and view; ARGV: the field count per key, then each key's fields.
  redis.defineCommand('hmgetMany', {
    readOnly: true,
    lua: `local out, a = {}, 1
      for i, key in ipairs(KEYS) do
        local n = tonumber(ARGV[a]); a = a + 1
        out[i] = redis.call('HMGET', key, unpack(ARGV, a, a + n - 1)); a = a + n
      end
      return out`,
  });
  const keys = new Map([[`Bearer ${BENCH_KEY}`, { name: 'bench', scopes: ['read:*'] }]]);
  const port = Number(process.env.FG_BENCH_PORT ?? 0);

  const server = createServer((req, res) => {
    if (!keys.has(req.headers.authorization ?? '')) {
      res.writeHead(401).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: { ids: string[]; views: string[] };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ids: string[]; views: string[] };
      } catch {
        res.writeHead(400).end();
        return;
      }
      const redisKeys: string[] = [];
      const argv: (string | number)[] = [];
      for (const id of body.ids)
        for (const v of body.views) {
          const fields = views.get(v)!.fields;
          redisKeys.push(`${KEY_PREFIX}{${project}:${id}}:${v}`);
          argv.push(fields.length, ...fields);
        }
      (redis as Redis & { hmgetMany(n: number, ...args: (string | number)[]): Promise<(string | null)[][]> })
        .hmgetMany(redisKeys.length, ...redisKeys, ...argv)
        .then(
          (replies) => {
            const now = Date.now();
            let n = 0;
            const out = body.ids.map((id) => {
              const entity: Record<string, unknown> = { driver_id: id };
              for (const v of body.views) {
                const spec = views.get(v)!;
                const reply = replies[n++];
                const event = reply?.[0];
                if (!reply || event == null || Number(event) < now - spec.ttlMs) {
                  entity[v] = null;
                  continue;
                }
                const values: Record<string, unknown> = {};
                spec.names.forEach((name, i) => {
                  const s = reply[i + 2];
                  values[name] = s == null ? null : JSON.parse(s);
                });
                entity[v] = values;
              }
              return entity;
            });
            const json = JSON.stringify(out);
            res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json);
          },
          () => res.writeHead(503).end(),
        );
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', () => {
    const addr = server.address();
    if (cluster.isWorker) process.send?.({ port: typeof addr === 'object' && addr ? addr.port : 0 });
    else announce(server);
  });
  process.on('SIGTERM', () => process.exit(0));
}
