import type { OfflineStore } from '../offline/store.js';
import { projectSchema, quoteIdent } from '../definitions/resolve.js';
import type { SqlClient } from '../sql/client.js';
import { columnTypes, formatType, relationExists } from '../sql/catalog.js';
import type { BinaryValue } from '../sql/binary-copy-writer.js';
import type { LogTable, LoggedFeature } from './log-table.js';
import type { TimeWindow } from './time-window.js';

/**
 * A logged row, a value per `LogTable.columns` entry (null is SQL NULL): as GraphQL served it, timestamps
 * as epoch milliseconds; written with binary COPY, each value encoded as its column's type.
 */
export type LogRow = readonly BinaryValue[];

/** How one feature's values are binned for drift (docs/monitoring.md#psi). */
export type BinSpec =
  | { readonly kind: 'numeric'; readonly feature: LoggedFeature; readonly edges: readonly number[] }
  | { readonly kind: 'categorical'; readonly feature: LoggedFeature; readonly values: readonly string[] };

/** Bin → count. Keys: `null`, `other`, a numeric bin index as text, or `v:<value>`. */
export type BinCounts = Map<string, number>;

export interface DriftRecord {
  readonly service: string;
  readonly view: string;
  readonly feature: string;
  readonly psi: number | null;
  readonly threshold: number;
  readonly drifted: boolean;
  readonly reference: string;
  readonly current: string;
}

/**
 * Everything the served-feature log and drift need from the offline store, in one narrow interface so it can
 * move behind the OfflineStore interface later. `createSqlLogStore` is the Postgres/PGlite implementation.
 */
export interface ServedLogStore {
  /** Create the log table, and columns a changed service added, if missing. Safe to run concurrently. */
  ensure(t: LogTable): Promise<void>;
  /**
   * Append rows in one COPY: `batch.data` is a whole binary COPY stream of `t.columns` (BinaryCopyBuilder),
   * `batch.rows` its row count. Returns the rows written.
   */
  append(t: LogTable, batch: { readonly data: Uint8Array; readonly rows: number }): Promise<number>;
  /** Decile edges (percentile_disc at 0.1…0.9) of numeric features over a window, per feature column. */
  deciles(t: LogTable, features: readonly LoggedFeature[], w: TimeWindow): Promise<Map<string, number[]>>;
  /** The `limit` most frequent non-null values of a feature in a window (ties by value, bytewise). */
  topValues(t: LogTable, f: LoggedFeature, w: TimeWindow, limit: number): Promise<string[]>;
  /** Bin counts of several features over a window, in one scan. */
  binCounts(t: LogTable, specs: readonly BinSpec[], w: TimeWindow): Promise<Map<string, BinCounts>>;
  /** Remember a drift run's results (for /metrics). */
  recordDrift(project: string, records: readonly DriftRecord[]): Promise<void>;
  /** The latest drift result of every feature that has one. */
  lastDrift(project: string): Promise<DriftRecord[]>;
}

const q = quoteIdent;
const SERVED = (f: LoggedFeature) => `${q(f.statusColumn)} IS NOT NULL AND ${q(f.statusColumn)} <> 'error'`;

// The same literals the test oracle and file references use: percentile_disc picks sorted[ceil(p·n) − 1].
export const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] as const;

const GROUPING_MAX = 31;

/** What drift and `--from-log` say of a service whose log table does not exist yet (its first logged request makes it). */
export const noServedLogYet = (service: string): string =>
  `${service} has no served-feature log yet (does it declare logging, and was it served?)`;

const driftTable = (project: string) => `${q(projectSchema(project))}.${q('drift_runs')}`;

const binExpr = (s: BinSpec, param: string): string => {
  const c = q(s.feature.column);
  const skip = `${q(s.feature.statusColumn)} IS NULL OR ${q(s.feature.statusColumn)} = 'error'`;
  if (s.kind === 'numeric') {
    const bucket = s.edges.length ? `width_bucket(${c}::float8, ${param}::float8[])::text` : `'0'`;
    return `CASE WHEN ${skip} THEN 'skip' WHEN ${c} IS NULL THEN 'null' ELSE ${bucket} END`;
  }
  return `CASE WHEN ${skip} THEN 'skip' WHEN ${c} IS NULL THEN 'null' WHEN ${c}::text = ANY(${param}::text[]) THEN 'v:' || ${c}::text ELSE 'other' END`;
};

/** binCounts for at most GROUPING_MAX specs, in one scan, into `out`. */
const binCountsOf = async (t: LogTable, specs: readonly BinSpec[], w: TimeWindow, out: Map<string, BinCounts>, sql: SqlClient) => {
  const params: unknown[] = [w.start, w.end];
  const bins = specs.map((s, i) => {
    // A parameter the statement does not use has no type: an all-null reference binds none.
    if (s.kind === 'numeric' && s.edges.length === 0) return `${binExpr(s, '')} AS b${i}`;
    params.push(s.kind === 'numeric' ? [...s.edges] : [...s.values]);
    return `${binExpr(s, `$${params.length}`)} AS b${i}`;
  });
  const names = specs.map((_, i) => `b${i}`);
  const r = await sql.query<Record<string, unknown>>(
    `SELECT GROUPING(${names.join(', ')}) AS g, ${names.join(', ')}, count(*) AS n
     FROM (SELECT ${bins.join(', ')} FROM ${t.relation} WHERE logged_at >= $1 AND logged_at < $2) x
     GROUP BY GROUPING SETS (${names.map((n) => `(${n})`).join(', ')})`,
    params,
  );
  for (const row of r.rows) {
    const g = Number(row.g);
    // GROUPING sets the bit of every column not grouped in this set; the one clear bit names the feature.
    const i = names.findIndex((_, j) => (g & (1 << (names.length - 1 - j))) === 0);
    const bin = row[`b${i}`] as string;
    if (i < 0 || bin === 'skip') continue;
    out.get(specs[i]!.feature.column)!.set(bin, Number(row.n));
  }
};

export const createSqlLogStore = (sql: SqlClient): ServedLogStore => ({
  async ensure(t) {
    await sql.transaction(async (tx) => {
      // Every process creates the table on start: serialise them, CREATE … IF NOT EXISTS is not race-free.
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`featuregraph.served_log.${t.project}`]);
      await tx.query(`CREATE SCHEMA IF NOT EXISTS ${q(projectSchema(t.project))}`);
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${t.relation} (request_id text NOT NULL, logged_at timestamptz NOT NULL, position integer NOT NULL)`,
      );
      const cols = [
        ...t.keys.map((k) => [k.name, k.sqlType]),
        ...t.request.map((r) => [r.name, r.sqlType]),
        ...t.features.flatMap((f) => [
          [f.column, f.sqlType],
          [f.tsColumn, 'timestamptz'],
          [f.statusColumn, 'text'],
        ]),
      ];
      const found = await columnTypes(tx, t.relation);
      for (const [name, type] of cols) {
        const has = found.get(name!);
        // A column of another type (the feature's type was changed) is renamed aside, keeping what it logged,
        // and a new one is added: the binary COPY of every later batch would fail on it, for good.
        if (has !== undefined && has !== formatType(type!)) {
          const aside = `${name!.slice(0, 30)}__was_${has.replace(/[^a-z0-9]+/g, '_').slice(0, 16)}_${Date.now().toString(36)}`;
          await tx.query(`ALTER TABLE ${t.relation} RENAME COLUMN ${q(name!)} TO ${q(aside)}`);
        }
        await tx.query(`ALTER TABLE ${t.relation} ADD COLUMN IF NOT EXISTS ${q(name!)} ${type}`);
      }
      const index = q(`${t.relation.split('.').pop()!.replace(/"/g, '').slice(0, 50)}_at`);
      await tx.query(`CREATE INDEX IF NOT EXISTS ${index} ON ${t.relation} (logged_at)`);
    });
  },

  async append(t, batch) {
    if (batch.rows === 0) return 0;
    return sql.copyFromBinary(t.relation, t.columns.map(q), batch.data);
  },

  async deciles(t, features, w) {
    if (features.length === 0) return new Map();
    const cols = features.map(
      (f, i) =>
        `percentile_disc(ARRAY[${DECILES.join(',')}]::float8[]) WITHIN GROUP (ORDER BY ${q(f.column)}::float8) FILTER (WHERE ${SERVED(f)}) AS e${i}`,
    );
    const r = await sql.query<Record<string, unknown>>(
      `SELECT ${cols.join(', ')} FROM ${t.relation} WHERE logged_at >= $1 AND logged_at < $2`,
      [w.start, w.end],
    );
    const row = r.rows[0] ?? {};
    return new Map(
      features.map((f, i) => {
        const edges = ((row[`e${i}`] as unknown[] | null) ?? []).map(Number);
        return [f.column, [...new Set(edges)].sort((a, b) => a - b)];
      }),
    );
  },

  async topValues(t, f, w, limit) {
    // Ties by value, bytewise: the value's own column collated (an ordinal with COLLATE would be the literal 1).
    const r = await sql.query<{ v: string }>(
      `SELECT v FROM (SELECT ${q(f.column)}::text AS v, count(*) AS n FROM ${t.relation}
         WHERE logged_at >= $1 AND logged_at < $2 AND ${SERVED(f)} AND ${q(f.column)} IS NOT NULL GROUP BY 1) x
       ORDER BY n DESC, v COLLATE "C" LIMIT ${Math.max(1, Math.floor(limit))}`,
      [w.start, w.end],
    );
    return r.rows.map((x) => x.v);
  },

  async binCounts(t, specs, w) {
    const out = new Map<string, BinCounts>(specs.map((s) => [s.feature.column, new Map()]));
    // GROUPING takes at most 31 arguments (Postgres): one scan per 31 features.
    for (let i = 0; i < specs.length; i += GROUPING_MAX) await binCountsOf(t, specs.slice(i, i + GROUPING_MAX), w, out, sql);
    return out;
  },
  async recordDrift(project, records) {
    if (records.length === 0) return;
    await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`featuregraph.served_log.${project}`]);
      await tx.query(`CREATE SCHEMA IF NOT EXISTS ${q(projectSchema(project))}`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${driftTable(project)} (
        ran_at timestamptz NOT NULL DEFAULT now(), service text NOT NULL, view text NOT NULL, feature text NOT NULL,
        psi double precision, threshold double precision NOT NULL, drifted boolean NOT NULL, reference text NOT NULL, current text NOT NULL)`);
    });
    await sql.query(
      `INSERT INTO ${driftTable(project)} (service, view, feature, psi, threshold, drifted, reference, current)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::boolean[], $7::text[], $8::text[])`,
      [
        records.map((r) => r.service),
        records.map((r) => r.view),
        records.map((r) => r.feature),
        records.map((r) => r.psi),
        records.map((r) => r.threshold),
        records.map((r) => r.drifted),
        records.map((r) => r.reference),
        records.map((r) => r.current),
      ],
    );
  },

  async lastDrift(project) {
    if (!(await relationExists(sql, driftTable(project)))) return [];
    const r = await sql.query<{
      service: string;
      view: string;
      feature: string;
      psi: number | null;
      threshold: number;
      drifted: boolean;
      reference: string;
      current: string;
    }>(
      `SELECT DISTINCT ON (service, view, feature) service, view, feature, psi, threshold, drifted, reference, current
       FROM ${driftTable(project)} ORDER BY service, view, feature, ran_at DESC`,
    );
    return r.rows.map((x) => ({ ...x, psi: x.psi === null ? null : Number(x.psi), threshold: Number(x.threshold) }));
  },
});

/**
 * The entity rows of a training set from a service's log (Feast's "log, then train"): join keys, request
 * arguments, `event_timestamp` = when it was served, and `request_id` passed through. A query without
 * parameters (COPY takes none): the window's instants are ISO literals from Date, never user text.
 */
export const logEntityRowsSql = (t: LogTable, w: { start: Date; end: Date }): string =>
  `SELECT ${[...t.keys.map((k) => q(k.name)), ...t.request.map((r) => q(r.name))].join(', ')}, logged_at AS event_timestamp, request_id
   FROM ${t.relation} WHERE logged_at >= '${w.start.toISOString()}'::timestamptz AND logged_at < '${w.end.toISOString()}'::timestamptz
   ORDER BY logged_at, request_id, position`;

/**
 * The SQL database the served-feature log, drift runs and freshness reads use: the offline store's push
 * database (Postgres or PGlite; docs/monitoring.md).
 */
export const monitoringSql = (offline: OfflineStore): SqlClient => {
  if (!offline.sqlDatabase) throw new Error('monitoring needs an offline store with a SQL database (Postgres or PGlite)');
  return offline.sqlDatabase;
};
