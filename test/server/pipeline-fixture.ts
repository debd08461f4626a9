import { openOfflineStore } from '../../src/offline/index.js';
import { createHash } from 'node:crypto';
import { print, parse } from 'graphql';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { sqlRegistryInfo, type RegistryInfo } from '../../src/graphql/registry-info.js';
import { materializeViews } from '../../src/materialize/index.js';
import { createRedisOnlineStore } from '../../src/online/redis.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import { applyRepository } from '../../src/registry/index.js';
import type { ServingRuntime } from '../../src/graphql/runtime.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createPgClient } from '../../src/sql/pg.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import { DATABASE_URL, REDIS_URL, dropSchemas, uniqueProject } from '../support/env.js';
import { seedSmallSources, smallRepository } from '../support/fixture.js';

/** A document of the matrix, sent by every request shape. */
export interface Doc {
  readonly query: string;
  readonly operationName?: string;
  readonly variables?: Record<string, unknown>;
}

/** How a client sends a document: the request shapes real clients use. */
export interface Shape {
  readonly name: string;
  /** Sends a body (the body limit and CSRF apply to it). */
  readonly body: boolean;
  readonly init: (doc: Doc, base: string) => { url: string; init: RequestInit };
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** The id Apollo's persisted-query link sends: sha256 of the printed document. */
export const apolloHash = (q: string) => sha256(print(parse(q)));

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const getUrl = (base: string, params: Record<string, unknown>) =>
  `${base}?${Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join('&')}`;

export const ALLOWED_ORIGIN = 'https://app.example.com';

export const SHAPES: readonly Shape[] = [
  { name: 'POST json, query only', body: true, init: (d, b) => ({ url: b, init: json({ query: d.query, variables: d.variables }) }) },
  {
    name: 'POST Apollo Client (operationName, variables, extensions)',
    body: true,
    init: (d, b) => ({
      url: b,
      init: json(
        {
          operationName: d.operationName ?? null,
          query: d.query,
          variables: d.variables ?? {},
          extensions: { clientLibrary: { name: '@apollo/client', version: '3.11.0' } },
        },
        { accept: 'application/graphql-response+json,application/json;q=0.9' },
      ),
    }),
  },
  {
    name: 'POST accept application/graphql-response+json',
    body: true,
    init: (d, b) => ({ url: b, init: json({ query: d.query, variables: d.variables }, { accept: 'application/graphql-response+json' }) }),
  },
  {
    name: 'POST accept */*',
    body: true,
    init: (d, b) => ({ url: b, init: json({ query: d.query, variables: d.variables }, { accept: '*/*' }) }),
  },
  {
    name: 'POST browser with an allowed Origin',
    body: true,
    init: (d, b) => ({
      url: b,
      init: json(
        { query: d.query, variables: d.variables, operationName: d.operationName },
        { origin: ALLOWED_ORIGIN, accept: 'application/json' },
      ),
    }),
  },
  {
    name: 'GET query',
    body: false,
    init: (d, b) => ({
      url: getUrl(b, { query: d.query, variables: d.variables, operationName: d.operationName }),
      init: { method: 'GET' },
    }),
  },
  {
    name: 'POST documentId',
    body: true,
    init: (d, b) => ({ url: b, init: json({ documentId: sha256(d.query), variables: d.variables, operationName: d.operationName }) }),
  },
  {
    name: 'POST Apollo persisted query (sha256Hash)',
    body: true,
    init: (d, b) => ({
      url: b,
      init: json({
        operationName: d.operationName,
        variables: d.variables ?? {},
        extensions: { persistedQuery: { version: 1, sha256Hash: apolloHash(d.query) } },
      }),
    }),
  },
  {
    name: 'GET Apollo persisted query',
    body: false,
    init: (d, b) => ({
      url: getUrl(b, {
        operationName: d.operationName,
        variables: d.variables,
        extensions: { persistedQuery: { version: 1, sha256Hash: apolloHash(d.query) } },
      }),
      init: { method: 'GET' },
    }),
  },
];

/** Outcome of one request, as the matrix compares it across shapes. */
export interface Outcome {
  status: number;
  code: string | undefined;
  data: unknown;
  compiledRuns: number;
  /** Which front answered: the node front or Yoga's own listener (the matrix records it). */
  front?: 'node' | 'yoga';
}

export interface Stores {
  readonly rt: ServingRuntime;
  readonly sql: SqlClient;
  readonly online: OnlineStore;
  readonly description: string;
  close(): Promise<void>;
}

/**
 * The small repository, served from Postgres + Redis when DATABASE_URL / REDIS_URL are set, else from an
 * in-memory PGlite with the SQL online store. `slowKey`: reading that driver takes 400 ms (the time limit).
 */
export const openStores = async (slowKey: string): Promise<Stores> => {
  const project = uniqueProject('pipe');
  const schema = `src_${project}`;
  const sql = DATABASE_URL ? createPgClient(DATABASE_URL, { max: 4 }) : await createPgliteClient();
  await seedSmallSources(sql, schema, 20, new Date(Date.now() - 60_000));
  const defs = smallRepository(project, schema);
  const base: OnlineStore = REDIS_URL
    ? createRedisOnlineStore({ url: REDIS_URL, project, keyPrefix: `${project}:` })
    : createSqlOnlineStore(sql, project);
  await applyRepository(sql, defs, { project, onlineTables: base.kind === 'sql', createSourceIndexes: true });
  const repo = resolveRepository(defs, project);
  await materializeViews({ sql, online: base, repo }, { start: new Date(0), end: new Date() });
  const online: OnlineStore = {
    ...base,
    read: async (requests) => {
      if (requests.some((r) => r.keys.includes(slowKey))) await new Promise((r) => setTimeout(r, 400));
      return base.read(requests);
    },
  };
  const registry: RegistryInfo = {
    ...sqlRegistryInfo(sql, project),
    history: async () => Promise.reject(new Error(`relation "fg_history" does not exist at ${DATABASE_URL ?? 'pglite'}`)),
  };
  return {
    rt: { repo, online, offline: openOfflineStore(sql), registry, now: Date.now },
    sql,
    online: base,
    description: `${DATABASE_URL ? 'Postgres' : 'embedded PGlite'} + ${REDIS_URL ? 'Redis' : 'SQL online store'}`,
    close: async () => {
      await base.close();
      if (DATABASE_URL) await dropSchemas(sql, schema, `fg_${project}`);
      await sql.close();
    },
  };
};
