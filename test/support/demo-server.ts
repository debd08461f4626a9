import demoRepository from '../../schema/index.js';
import { openOfflineStore } from '../../src/offline/index.js';
import { generateDemoData } from '../../schema/demo-data.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { materializeViews } from '../../src/materialize/index.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import { applyRepository } from '../../src/registry/index.js';
import { createApp, type AppOptions } from '../../src/server/app.js';
import { listen, type RunningServer } from '../../src/server/serve.js';
import { sqlRegistryInfo } from '../../src/graphql/registry-info.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import type { SqlClient } from '../../src/sql/client.js';

/**
 * The demo repository on its own in-memory PGlite (so it never meets another test's `demo` schema):
 * data relative to `now`, applied, materialized, served on a free port.
 */
export const startDemoServer = async (
  opts: { now?: Date; online?: (sql: SqlClient, project: string) => OnlineStore; app?: AppOptions } = {},
): Promise<{ server: RunningServer; sql: SqlClient; online: OnlineStore; now: Date; close: () => Promise<void> }> => {
  const now = opts.now ?? new Date();
  const sql = await createPgliteClient();
  await generateDemoData(sql, { now });
  const project = demoRepository.project ?? 'demo';
  const online = opts.online ? opts.online(sql, project) : createSqlOnlineStore(sql, project);
  await applyRepository(sql, demoRepository, { project, onlineTables: online.kind === 'sql', createSourceIndexes: true });
  const repo = resolveRepository(demoRepository, project);
  await materializeViews({ sql, online, repo }, { start: new Date(0), end: now });
  const app = createApp(
    { repo, online, offline: openOfflineStore(sql), registry: sqlRegistryInfo(sql, project), now: Date.now },
    { logging: false, ...opts.app },
  );
  const server = await listen(app, 0, '127.0.0.1');
  return {
    server,
    sql,
    online,
    now,
    close: async () => {
      await server.close();
      await online.close();
      await sql.close();
    },
  };
};
