/**
 * The naive GraphQL baseline: a plain Yoga server over featuregraph's generated schema (same SDL), whose view
 * resolvers each make their own HMGET — one Redis call per entity per view, no DataLoader, no batching.
 * Run as a child of bench/online.ts.
 */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { camelCase, pascalCase } from '../src/definitions/naming.js';
import { canonicalKeyPart } from '../src/definitions/values.js';
import { decodeRecord, readFields, redisKey } from '../src/online/redis-layout.js';
import { liveRecord } from '../src/online/store.js';
import { buildSdl } from '../src/graphql/sdl.js';
import { scalarResolvers } from '../src/graphql/scalars.js';
import { benchRepository, KEY_PREFIX } from './online-repo.js';
import { announce, benchEnv } from './online-server-env.js';

const { project, redisUrl } = benchEnv();
const repo = benchRepository(project);
const redis = new Redis(redisUrl, { protocol: 2 });
const driverType = repo.entities[0]!.valueType;

type Parent = { driverId: string; key: string };
const parent = (id: unknown): Parent => {
  const r = canonicalKeyPart(driverType, id);
  if ('error' in r) throw new Error(r.error);
  return { driverId: r.value, key: r.value };
};

const viewResolvers = Object.fromEntries(
  repo.views.map((v) => {
    const { fields, features } = readFields(
      v,
      v.features.map((f) => f.name),
    );
    const resolve = async (p: Parent) => {
      const reply = await redis.hmget(redisKey(KEY_PREFIX, project, p.key, v.name), ...fields);
      const rec = liveRecord(decodeRecord(features, reply), v.ttlSeconds, Date.now());
      if (!rec) return null;
      const o: Record<string, unknown> = { eventTimestamp: rec.eventTs };
      for (const f of v.features) o[camelCase(f.name)] = rec.values[f.name] ?? null;
      return o;
    };
    return [camelCase(v.name), resolve];
  }),
);

const yoga = createYoga({
  schema: createSchema({
    typeDefs: buildSdl(repo),
    resolvers: {
      ...scalarResolvers,
      Query: {
        driver: (_: unknown, args: { driverId: string }) => parent(args.driverId),
        drivers: (_: unknown, args: { driverIds: string[] }) => args.driverIds.map(parent),
      },
      [pascalCase('driver')]: viewResolvers,
    },
  }),
  logging: false,
});

const server = createServer(yoga);
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => announce(server));
process.on('SIGTERM', () => process.exit(0));
