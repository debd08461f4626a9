import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ViewSpec } from '../../src/definitions/resolve.js';
import type { FeatureValue } from '../../src/definitions/values.js';
import type { SourceRow } from './brute-force.js';

const DUCK_TYPES: Record<string, string> = {
  Int32: 'INTEGER',
  Int64: 'BIGINT',
  Float32: 'FLOAT',
  Float64: 'DOUBLE',
  String: 'VARCHAR',
  Bool: 'BOOLEAN',
};

const literal = (v: FeatureValue | string, type: string): string => {
  if (v === null) return 'NULL';
  if (type === 'String') return `'${String(v).replace(/'/g, "''")}'`;
  if (type === 'Float32') return `${Number(v)}::FLOAT`;
  return String(v);
};

/**
 * Write a view's rows as Parquet where its file source points (test/offline/random-sources.ts): one file,
 * a hive-partitioned directory (`day=…/`), files matched by a glob, or a plain directory of files. Event
 * times are TIMESTAMP WITH TIME ZONE in some sources and naive UTC TIMESTAMP in others, as real files are.
 */
export const writeParquetSource = async (view: ViewSpec, rows: readonly SourceRow[]): Promise<void> => {
  const path = view.source.path as string;
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run(`SET TimeZone = 'UTC'`);
    const tsType = view.name === 'pair' ? 'TIMESTAMP' : 'TIMESTAMPTZ';
    const created = view.source.createdTimestampColumn !== null;
    const cols = [
      ...view.keys.map((k) => `${k.column} ${DUCK_TYPES[k.type.name]}`),
      `event_ts ${tsType}`,
      ...(created ? ['created_ts TIMESTAMPTZ'] : []),
      ...view.features.map((f) => `${f.column} ${DUCK_TYPES[(f.type as { name: string }).name]}`),
      'part INTEGER',
    ];
    await c.run(`CREATE TABLE t (${cols.join(', ')})`);
    const ts = (d: Date) => `'${d.toISOString()}'::${tsType}`;
    if (rows.length > 0) {
      const values = rows.map(
        (r, i) =>
          `(${[
            ...r.keys.map((k, j) => literal(k, view.keys[j]!.type.name)),
            ts(r.eventTs),
            ...(created ? [r.createdTs ? `'${r.createdTs.toISOString()}'::TIMESTAMPTZ` : 'NULL'] : []),
            ...r.values.map((v, j) => literal(v, (view.features[j]!.type as { name: string }).name)),
            String(i % 3),
          ].join(', ')})`,
      );
      await c.run(`INSERT INTO t VALUES ${values.join(', ')}`);
    }
    const q = (where: string) => `(SELECT * EXCLUDE (part) FROM t ${where})`;
    if (path.endsWith('.parquet') && !path.includes('*')) {
      mkdirSync(dirname(path), { recursive: true });
      await c.run(`COPY ${q('')} TO '${path}' (FORMAT parquet)`);
    } else if (path.endsWith('/')) {
      // Hive partitions: the partition column lives in the directory names, not the files.
      mkdirSync(path, { recursive: true });
      await c.run(`COPY t TO '${path}' (FORMAT parquet, PARTITION_BY (part), OVERWRITE_OR_IGNORE true)`);
    } else {
      const dir = path.includes('*') ? dirname(path) : path;
      mkdirSync(dir, { recursive: true });
      for (const p of [0, 1, 2]) await c.run(`COPY ${q(`WHERE part = ${p}`)} TO '${join(dir, `part-${p}.parquet`)}' (FORMAT parquet)`);
    }
  } finally {
    c.closeSync();
    db.closeSync();
  }
};
