import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entity, featureView, fileSource, postgresSource, repository } from '../../src/definitions/dsl.js';
import { resolveRepository, type ResolvedRepository } from '../../src/definitions/resolve.js';
import { Int32, Int64 } from '../../src/definitions/value-types.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { openOfflineStore } from '../../src/offline/index.js';
import type { OfflineStore } from '../../src/offline/store.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import type { SourceRow } from '../offline/brute-force.js';
import { writeParquetSource } from '../offline/parquet-sources.js';
import { writeSource } from '../offline/random-sources.js';
import { dropSchemas, uniqueProject } from '../support/env.js';

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;
// A value at T0, and a correction with a later event time that was only ingested an hour later (a late row).
const rows: SourceRow[] = [
  { keys: ['1'], eventTs: new Date(T0), createdTs: new Date(T0), values: [1] },
  { keys: ['1'], eventTs: new Date(T0 + MIN), createdTs: new Date(T0 + 60 * MIN), values: [2] },
];

describe('asKnownAt on asOf reads, from a Postgres table and from Parquet files', () => {
  const project = uniqueProject('known');
  let sql: SqlClient;
  let dir: string;
  let offline: OfflineStore;
  let app: FeatureGraphApp;
  let repo: ResolvedRepository;

  const gql = async (query: string) => {
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
  };

  beforeAll(async () => {
    sql = await createPgliteClient();
    dir = await mkdtemp(join(tmpdir(), 'fg-known-'));
    const ent = entity({ name: 'ent', joinKey: 'ent_id', valueType: Int64 });
    const common = { timestampField: 'event_ts', createdTimestampColumn: 'created_ts' };
    const table = featureView({
      name: 'score_table',
      entities: [ent],
      features: { v: Int32 },
      ttl: '1d',
      source: postgresSource({ name: 'score_src', table: `${project}.score_src`, ...common }),
    });
    const files = featureView({
      name: 'score_files',
      entities: [ent],
      features: { v: Int32 },
      ttl: '1d',
      source: fileSource({ name: 'score_parquet', path: join(dir, 'score.parquet'), ...common }),
      pointInTime: { asKnownAt: true },
    });
    repo = resolveRepository(repository({ project, featureViews: [table, files] }), project);
    await sql.query(`CREATE SCHEMA "${project}"`);
    await writeSource(sql, repo.views[0]!, rows);
    await writeParquetSource(repo.views[1]!, rows);
    offline = openOfflineStore(sql);
    app = createApp(
      { repo, online: createSqlOnlineStore(sql, project), offline, registry: unappliedRegistry, now: Date.now },
      { logging: false },
    );
  });
  afterAll(async () => {
    await offline.close();
    await dropSchemas(sql, project);
    await sql.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads by event time or as known at, per view by default and per field when asked', async () => {
    const at = new Date(T0 + 10 * MIN).toISOString();
    const { data, errors } = await gql(`{ ent(entId: "1") {
      tableDefault: scoreTable(asOf: "${at}") { v }
      tableKnown: scoreTable(asOf: "${at}", asKnownAt: true) { v }
      filesDefault: scoreFiles(asOf: "${at}") { v }
      filesEventTime: scoreFiles(asOf: "${at}", asKnownAt: false) { v }
      laterKnown: scoreFiles(asOf: "${new Date(T0 + 60 * MIN).toISOString()}") { v }
    } }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      ent: { tableDefault: { v: 2 }, tableKnown: { v: 1 }, filesDefault: { v: 1 }, filesEventTime: { v: 2 }, laterKnown: { v: 2 } },
    });
  });

  it('rejects asKnownAt without asOf as bad input', async () => {
    const { data, errors } = await gql(`{ ent(entId: "1") { scoreTable(asKnownAt: true) { v } } }`);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toMatch(/asKnownAt applies to point-in-time reads of score_table; give asOf too/);
    expect(data).toEqual({ ent: { scoreTable: null } });
  });
});
