/**
 * The demo's driver statistics as Parquet files (`featuregraph demo --driver-source parquet`): the rows of
 * `demo.driver_hourly_stats`, rewritten on every run as one directory per date (`date=2026-11-26/`), the
 * layout data lakes use, read back by the DuckDB engine (docs/offline-stores.md).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { SqlClient } from '../src/sql/client.js';
import { quoteIdent } from '../src/definitions/resolve.js';

export const writeDemoDriverParquet = async (sql: SqlClient, dir: string, schema = 'demo'): Promise<number> => {
  const { rows } = await sql.query<{
    driver_id: string;
    event_timestamp: Date;
    created: Date | null;
    conv_rate: number;
    acc_rate: number;
    avg_daily_trips: number;
  }>(
    `SELECT driver_id, event_timestamp, created, conv_rate, acc_rate, avg_daily_trips FROM ${quoteIdent(schema)}.driver_hourly_stats ORDER BY event_timestamp, driver_id`,
  );
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, '..', 'driver_hourly_stats.csv');
  writeFileSync(
    csv,
    rows
      .map((r) =>
        [r.driver_id, r.event_timestamp.toISOString(), r.created?.toISOString() ?? '', r.conv_rate, r.acc_rate, r.avg_daily_trips].join(
          ',',
        ),
      )
      .join('\n') + '\n',
  );
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run(`SET TimeZone = 'UTC'`);
    await c.run(
      `COPY (SELECT *, strftime(event_timestamp, '%Y-%m-%d') AS date FROM read_csv('${csv}', header = false, columns = {'driver_id': 'BIGINT', ` +
        `'event_timestamp': 'TIMESTAMPTZ', 'created': 'TIMESTAMPTZ', 'conv_rate': 'FLOAT', 'acc_rate': 'FLOAT', 'avg_daily_trips': 'INTEGER'})) ` +
        `TO '${dir.replace(/'/g, "''")}' (FORMAT parquet, PARTITION_BY (date), OVERWRITE_OR_IGNORE true)`,
    );
  } finally {
    c.closeSync();
    db.closeSync();
    rmSync(csv, { force: true });
  }
  return rows.length;
};
