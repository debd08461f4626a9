import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoDriverParquet } from '../../schema/demo-parquet.js';
import { DEMO_DRIVER_IDS, generateDemoData } from '../../schema/demo-data.js';
import { entity, featureView, fileSource, postgresSource, repository } from '../../src/definitions/dsl.js';
import { pushTableName, resolveRepository, type ViewSpec } from '../../src/definitions/resolve.js';
import { Float32, Int32, Int64 } from '../../src/definitions/value-types.js';
import { openOfflineStore } from '../../src/offline/index.js';
import type { OfflineStore } from '../../src/offline/store.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import { dropSchemas, uniqueProject } from '../support/env.js';

const NOW = new Date('2025-03-14T10:37:12.345Z');

describe('the demo driver view from Parquet files', () => {
  const project = uniqueProject('demopq');
  const schema = `demo_${project}`;
  let sql: SqlClient;
  let dir: string;
  let store: OfflineStore;
  let table: ViewSpec;
  let files: ViewSpec;

  beforeAll(async () => {
    sql = await createPgliteClient();
    dir = await mkdtemp(join(tmpdir(), 'fg-demo-parquet-'));
    await generateDemoData(sql, { now: NOW, schema, pushTable: pushTableName(project, 'location_risk') });
    expect(await writeDemoDriverParquet(sql, join(dir, 'driver_hourly_stats'), schema)).toBe(100 * 169);
    const driver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64 });
    const features = { conv_rate: Float32, acc_rate: Float32, avg_daily_trips: Int32 };
    const common = { timestampField: 'event_timestamp', createdTimestampColumn: 'created' };
    const repo = resolveRepository(
      repository({
        project,
        featureViews: [
          featureView({
            name: 'from_table',
            entities: [driver],
            features,
            ttl: '2d',
            source: postgresSource({ name: 't', table: `${schema}.driver_hourly_stats`, ...common }),
          }),
          featureView({
            name: 'from_files',
            entities: [driver],
            features,
            ttl: '2d',
            source: fileSource({ name: 'f', path: join(dir, 'driver_hourly_stats'), ...common }),
          }),
        ],
      }),
      project,
    );
    [table, files] = repo.views as [ViewSpec, ViewSpec];
    store = openOfflineStore(sql);
  });
  afterAll(async () => {
    await store.close();
    await dropSchemas(sql, schema, `fg_${project}`);
    await sql.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one directory per date, and reads the same values as the table', async () => {
    expect(await store.checkSources([files])).toEqual([]);
    const requests = DEMO_DRIVER_IDS.flatMap((id) =>
      [0, 5, 30, 100, 170, 200].map((h) => ({ keys: [String(id)], asOf: new Date(NOW.getTime() - h * 3_600_000) })),
    );
    const names = table.features.map((f) => f.name);
    const fromTable = await store.pointInTime(table, requests, names, { now: NOW });
    const fromFiles = await store.pointInTime(files, requests, names, { now: NOW });
    expect(fromFiles).toEqual(fromTable);
    expect(fromTable.filter((r) => r !== null)).toHaveLength(400);
    expect(fromTable.some((r) => r === null)).toBe(true);
  });
});
