import { resolveRepository, type ResolvedRepository, type ViewSpec } from '../../src/definitions/resolve.js';
import { createRedisOnlineStore } from '../../src/online/redis.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import type { SqlClient } from '../../src/sql/client.js';
import { REDIS_URL, sqlBackends } from '../support/env.js';
import { requires } from '../support/services.js';
import { smallRepository } from '../support/fixture.js';

/** An online store for a test, and how to remove what it wrote. */
export interface TestOnline {
  readonly store: OnlineStore;
  cleanup(): Promise<void>;
}

const onlineKinds: { name: string; open: (sql: SqlClient, project: string) => TestOnline }[] = [
  { name: 'sql online store', open: (sql, project) => ({ store: createSqlOnlineStore(sql, project), cleanup: async () => undefined }) },
  ...(requires('materialization into the redis online store', 'REDIS_URL') && REDIS_URL
    ? [
        {
          name: 'redis online store',
          open: (_sql: SqlClient, project: string): TestOnline => {
            const store = createRedisOnlineStore({ url: REDIS_URL, project });
            return {
              store,
              cleanup: async () => {
                await store.deleteProjectKeys();
                await store.close();
              },
            };
          },
        },
      ]
    : []),
];

/** Every SQL backend × every online store available: PGlite + SQL always; Postgres and Redis when configured. */
export const materializeBackends = sqlBackends.flatMap((sql) =>
  onlineKinds.map((online) => ({ name: `${sql.name} + ${online.name}`, sql, online })),
);

export const resolvedSmall = (project: string, schema: string): ResolvedRepository =>
  resolveRepository(smallRepository(project, schema), project);

export const viewOf = (repo: ResolvedRepository, name: string): ViewSpec => {
  const v = repo.views.find((x) => x.name === name);
  if (!v) throw new Error(`no view ${name}`);
  return v;
};

/** Wrap a store so that its `failAt`-th write (1-based) throws, as if the store went away mid-run. */
export const failingOnWrite = (store: OnlineStore, failAt: number): OnlineStore & { writes: () => number } => {
  let n = 0;
  return {
    ...store,
    prepare: (views) => store.prepare(views),
    read: (reqs) => store.read(reqs),
    write: async (view, rows) => {
      if (++n >= failAt) throw new Error('online store went away');
      return store.write(view, rows);
    },
    writes: () => n,
  };
};

export const minutes = (m: number) => m * 60_000;
