/**
 * Demo data for the demo feature repository (schema/index.ts), generated deterministically
 * relative to the current time.
 *
 * - anchor = `now` floored to the hour (UTC);
 * - drivers 1001–1100, customers C1001–C1100, a week of history up to the anchor (inclusive);
 * - trips T1001–T2000 spread over that week, each referencing a driver and a customer (docs/graphql.md,
 *   "Relations"); a trip is one row, inserted once by trip id, so a later run adds no trips;
 * - every value comes from a seeded PRNG keyed by (stream, entity, absolute hour), so a run at the
 *   same time produces the same rows and a later run only adds the hours that are new
 *   (rows are keyed by (key, event_timestamp) and inserted with ON CONFLICT DO NOTHING /
 *   NOT EXISTS): a second `npm start` reuses what exists.
 *
 * Rows are computed in TypeScript and sent as a few array parameters per statement
 * (`INSERT ... SELECT FROM unnest($1::type[], ...)`), which runs on pg and PGlite alike and
 * keeps the whole demo to a handful of statements.
 */
import type { SqlClient } from '../src/sql/client.js';
import { pushTableName, quoteIdent } from '../src/definitions/resolve.js';

export interface GenerateDemoDataOptions {
  /** The clock; defaults to the current time. Only its hour matters (the anchor). */
  readonly now?: Date;
  /** Schema of the source tables; default `demo`. */
  readonly schema?: string;
  /** Push table of `location_risk` (quoted or plain `schema.table`); default `pushTableName('demo', 'location_risk')`. */
  readonly pushTable?: string;
  readonly onProgress?: (msg: string) => void;
}

export interface GenerateDemoDataResult {
  /** Rows inserted by this run, by table: driver_hourly_stats, credit_scores, accident_history, location_risk, trip_facts. */
  readonly inserted: Record<string, number>;
}

export const DEMO_DRIVER_IDS: readonly number[] = Array.from({ length: 100 }, (_, i) => 1001 + i);
export const DEMO_CUSTOMER_IDS: readonly string[] = Array.from({ length: 100 }, (_, i) => `C${1001 + i}`);
export const DEMO_TRIP_IDS: readonly string[] = Array.from({ length: 1000 }, (_, i) => `T${1001 + i}`);

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A week of hourly rows up to the anchor, inclusive: 169 hours. */
const WEEK_HOURS = 7 * 24;
/** Rows per INSERT statement. */
const CHUNK = 10_000;

/** `now` floored to the hour. */
export const demoAnchor = (now: Date = new Date()): Date => new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);

// ---------------------------------------------------------------------------------------------
// Deterministic PRNG: a 32-bit hash of (stream, entity, absolute hour).

const fnv1a = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

/** murmur3's finaliser: spreads every input bit over the output. */
const fmix = (x: number): number => {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** A number in [0, 1) fixed by its arguments. */
const rand = (stream: string, entity: string | number, hour = 0, salt = 0): number => {
  let h = fnv1a(`${stream}:${entity}`);
  h = fmix(h ^ fmix(hour | 0));
  h = fmix(h ^ Math.imul(salt + 1, 0x9e3779b1));
  return h / 4_294_967_296;
};

const between = (r: number, lo: number, hi: number): number => lo + r * (hi - lo);
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
const absHour = (t: number): number => Math.floor(t / HOUR_MS);
const fmt = (n: number): string => n.toLocaleString('en-US');

// ---------------------------------------------------------------------------------------------
// Rows

interface DriverRow {
  driver_id: number;
  event_timestamp: number;
  created: number;
  conv_rate: number;
  acc_rate: number;
  avg_daily_trips: number;
}
interface CreditRow {
  customer_id: string;
  event_timestamp: number;
  created: number;
  score: number;
}
interface AccidentRow {
  customer_id: string;
  event_timestamp: number;
  created: number;
  accidents_12m: number;
  last_accident_lat: number | null;
  last_accident_lon: number | null;
}
interface TripRow {
  trip_id: string;
  event_timestamp: number;
  created: number;
  fare: number;
  driver_id: number;
  customer_id: string;
}
interface RiskRow {
  customer_id: string;
  event_timestamp: number;
  created_timestamp: number;
  risk: number;
}

/** The hours of the window, oldest first: anchor − 7 days … anchor. */
const weekHours = (anchor: number): number[] => Array.from({ length: WEEK_HOURS + 1 }, (_, i) => anchor - (WEEK_HOURS - i) * HOUR_MS);

/** created = event + 1–9 minutes, fixed by the row. */
const createdAfter = (stream: string, entity: string | number, t: number): number =>
  t + (1 + Math.floor(rand(`${stream}.created`, entity, absHour(t)) * 9)) * 60_000;

const driverRows = (anchor: number): DriverRow[] => {
  const rows: DriverRow[] = [];
  const hours = weekHours(anchor);
  for (const id of DEMO_DRIVER_IDS) {
    const baseConv = between(rand('driver.conv', id), 0.2, 0.9);
    const baseAcc = between(rand('driver.acc', id), 0.5, 0.98);
    const baseTrips = between(rand('driver.trips', id), 50, 900);
    for (const t of hours) {
      const h = absHour(t);
      rows.push({
        driver_id: id,
        event_timestamp: t,
        created: createdAfter('driver', id, t),
        conv_rate: round(clamp(baseConv + between(rand('driver.conv', id, h), -0.1, 0.1), 0, 1), 4),
        acc_rate: round(clamp(baseAcc + between(rand('driver.acc', id, h), -0.05, 0.05), 0, 1), 4),
        avg_daily_trips: Math.round(clamp(baseTrips + between(rand('driver.trips', id, h), -30, 30), 0, 1000)),
      });
    }
  }
  return rows;
};

/** Midnights (UTC) in (anchor − 7 days, anchor]: seven of them. */
const creditRows = (anchor: number): CreditRow[] => {
  const today = Math.floor(anchor / DAY_MS) * DAY_MS;
  const days = Array.from({ length: 7 }, (_, i) => today - (6 - i) * DAY_MS);
  const rows: CreditRow[] = [];
  for (const id of DEMO_CUSTOMER_IDS) {
    const base = between(rand('credit.base', id), 380, 800);
    for (const t of days) {
      rows.push({
        customer_id: id,
        event_timestamp: t,
        created: createdAfter('credit', id, t),
        score: Math.round(clamp(base + between(rand('credit.score', id, absHour(t)), -25, 25), 300, 850)),
      });
    }
  }
  return rows;
};

/** Where last accidents happen: around a few real cities. */
const CITIES: readonly { name: string; lat: number; lon: number }[] = [
  { name: 'Berlin', lat: 52.52, lon: 13.405 },
  { name: 'Paris', lat: 48.8566, lon: 2.3522 },
  { name: 'London', lat: 51.5074, lon: -0.1278 },
  { name: 'Madrid', lat: 40.4168, lon: -3.7038 },
  { name: 'Rome', lat: 41.9028, lon: 12.4964 },
  { name: 'New York', lat: 40.7128, lon: -74.006 },
  { name: 'San Francisco', lat: 37.7749, lon: -122.4194 },
];

/** Monthly roll-ups at the start of the anchor's month and of the month before (UTC). */
const accidentRows = (anchor: number): AccidentRow[] => {
  const a = new Date(anchor);
  const months = [Date.UTC(a.getUTCFullYear(), a.getUTCMonth() - 1, 1), Date.UTC(a.getUTCFullYear(), a.getUTCMonth(), 1)];
  const rows: AccidentRow[] = [];
  for (const id of DEMO_CUSTOMER_IDS) {
    // About one customer in eight never had an accident: no location. The others keep the place of
    // their last accident even when it is older than twelve months (accidents_12m = 0).
    const never = rand('accident.never', id) < 0.12;
    const city = CITIES[Math.floor(rand('accident.city', id) * CITIES.length)] ?? CITIES[0]!;
    const lat = round(city.lat + between(rand('accident.lat', id), -0.05, 0.05), 6);
    const lon = round(city.lon + between(rand('accident.lon', id), -0.05, 0.05), 6);
    for (const t of months) {
      const r = rand('accident.count', id, absHour(t));
      const count = never ? 0 : r < 0.5 ? 0 : r < 0.78 ? 1 : r < 0.93 ? 2 : 3;
      rows.push({
        customer_id: id,
        event_timestamp: t,
        created: createdAfter('accident', id, t),
        accidents_12m: count,
        last_accident_lat: never ? null : lat,
        last_accident_lon: never ? null : lon,
      });
    }
  }
  return rows;
};

const riskRows = (anchor: number): RiskRow[] => {
  const rows: RiskRow[] = [];
  const hours = weekHours(anchor);
  for (const id of DEMO_CUSTOMER_IDS) {
    const base = between(rand('risk.base', id), 0.05, 0.8);
    for (const t of hours) {
      rows.push({
        customer_id: id,
        event_timestamp: t,
        created_timestamp: createdAfter('risk', id, t),
        risk: round(clamp(base + between(rand('risk', id, absHour(t)), -0.15, 0.15), 0, 1), 4),
      });
    }
  }
  return rows;
};

/** Trips spread evenly over (anchor − 7 days, anchor], whole minutes; driver, customer and fare fixed by the trip id. */
const tripRows = (anchor: number): TripRow[] =>
  DEMO_TRIP_IDS.map((id, i) => {
    const t = anchor - WEEK_HOURS * HOUR_MS + Math.round(((i + 1) * WEEK_HOURS * 60) / DEMO_TRIP_IDS.length) * 60_000;
    return {
      trip_id: id,
      event_timestamp: t,
      created: createdAfter('trip', id, t),
      fare: round(between(rand('trip.fare', id), 5, 80), 2),
      driver_id: DEMO_DRIVER_IDS[Math.floor(rand('trip.driver', id) * DEMO_DRIVER_IDS.length)]!,
      customer_id: DEMO_CUSTOMER_IDS[Math.floor(rand('trip.customer', id) * DEMO_CUSTOMER_IDS.length)]!,
    };
  });

// ---------------------------------------------------------------------------------------------
// SQL

/** `"schema"."table"` or `schema.table` → its two parts, unquoted. */
export const splitQualified = (name: string): { schema: string; table: string } => {
  const part = String.raw`(?:"((?:[^"]|"")+)"|([^".]+))`;
  const m = new RegExp(`^${part}\\.${part}$`).exec(name.trim());
  if (!m) throw new Error(`expected a schema-qualified table name, got ${JSON.stringify(name)}`);
  const schema = m[1]?.replace(/""/g, '"') ?? m[2] ?? '';
  const table = m[3]?.replace(/""/g, '"') ?? m[4] ?? '';
  return { schema, table };
};

interface Column<R> {
  readonly name: string;
  /** The SQL type of the column and of its array parameter element. */
  readonly type: string;
  readonly get: (row: R) => unknown;
}

const iso = (t: number): string => new Date(t).toISOString();

/**
 * Insert rows that are not there yet: one `INSERT ... SELECT FROM unnest(...)` per chunk.
 * NOT EXISTS covers tables without a unique key on (key, event_timestamp), e.g. a push table
 * made elsewhere; ON CONFLICT DO NOTHING covers concurrent writers where there is one.
 */
const insertRows = async <R>(
  sql: SqlClient,
  relation: string,
  key: string,
  columns: readonly Column<R>[],
  rows: readonly R[],
  /** A row is there already when one has the same key and event time; `key` alone for rows inserted once (trips). */
  match: 'key-and-time' | 'key' = 'key-and-time',
): Promise<number> => {
  const names = columns.map((c) => quoteIdent(c.name));
  const unnest = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const text =
    `INSERT INTO ${relation} (${names.join(', ')})\n` +
    `SELECT ${names.map((n) => `s.${n}`).join(', ')} FROM unnest(${unnest}) AS s(${names.join(', ')})\n` +
    `WHERE NOT EXISTS (SELECT 1 FROM ${relation} t WHERE t.${quoteIdent(key)} = s.${quoteIdent(key)}` +
    `${match === 'key' ? '' : ' AND t."event_timestamp" = s."event_timestamp"'})\n` +
    `ON CONFLICT DO NOTHING`;
  let inserted = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const params = columns.map((c) => chunk.map((r) => c.get(r)));
    const r = await sql.query(text, params);
    inserted += r.rowCount;
  }
  return inserted;
};

const ts = 'timestamptz';

/** Create the demo tables (and the push table when `featuregraph apply` has not) and fill them. */
export const generateDemoData = async (sql: SqlClient, opts: GenerateDemoDataOptions = {}): Promise<GenerateDemoDataResult> => {
  const schemaName = opts.schema ?? 'demo';
  const push = splitQualified(opts.pushTable ?? pushTableName('demo', 'location_risk'));
  const progress = opts.onProgress ?? (() => undefined);
  const anchor = demoAnchor(opts.now ?? new Date()).getTime();

  const s = quoteIdent(schemaName);
  const driverTable = `${s}.${quoteIdent('driver_hourly_stats')}`;
  const creditTable = `${s}.${quoteIdent('credit_scores')}`;
  const accidentTable = `${s}.${quoteIdent('accident_history')}`;
  const tripTable = `${s}.${quoteIdent('trip_facts')}`;
  const pushRelation = `${quoteIdent(push.schema)}.${quoteIdent(push.table)}`;

  const ddl = [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${driverTable} (
      driver_id bigint NOT NULL,
      event_timestamp timestamptz NOT NULL,
      created timestamptz NOT NULL,
      conv_rate real,
      acc_rate real,
      avg_daily_trips integer,
      PRIMARY KEY (driver_id, event_timestamp))`,
    `CREATE INDEX IF NOT EXISTS driver_hourly_stats_key_ts ON ${driverTable} (driver_id, event_timestamp DESC)`,
    `CREATE TABLE IF NOT EXISTS ${creditTable} (
      customer_id text NOT NULL,
      event_timestamp timestamptz NOT NULL,
      created timestamptz NOT NULL,
      score integer,
      PRIMARY KEY (customer_id, event_timestamp))`,
    `CREATE INDEX IF NOT EXISTS credit_scores_key_ts ON ${creditTable} (customer_id, event_timestamp DESC)`,
    `CREATE TABLE IF NOT EXISTS ${accidentTable} (
      customer_id text NOT NULL,
      event_timestamp timestamptz NOT NULL,
      created timestamptz NOT NULL,
      accidents_12m integer,
      last_accident_lat double precision,
      last_accident_lon double precision,
      PRIMARY KEY (customer_id, event_timestamp))`,
    `CREATE INDEX IF NOT EXISTS accident_history_key_ts ON ${accidentTable} (customer_id, event_timestamp DESC)`,
    `CREATE TABLE IF NOT EXISTS ${tripTable} (
      trip_id text NOT NULL PRIMARY KEY,
      event_timestamp timestamptz NOT NULL,
      created timestamptz NOT NULL,
      fare double precision,
      driver_id bigint,
      customer_id text)`,
    `CREATE INDEX IF NOT EXISTS trip_facts_key_ts ON ${tripTable} (trip_id, event_timestamp DESC)`,
    `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(push.schema)}`,
    `CREATE TABLE IF NOT EXISTS ${pushRelation} (
      customer_id text NOT NULL,
      event_timestamp timestamptz NOT NULL,
      created_timestamp timestamptz NOT NULL,
      risk double precision)`,
    `CREATE INDEX IF NOT EXISTS ${quoteIdent(`${push.table}_key_ts`)} ON ${pushRelation} (customer_id, event_timestamp DESC)`,
    // Entity rows for training sets (the README's `--entity-sql`): a driver's order every six hours, 17 minutes
    // past, with a deterministic label. A view over the stats' hours, so it follows the data window by itself.
    `CREATE OR REPLACE VIEW ${s}.${quoteIdent('orders')} AS
      SELECT driver_id, event_timestamp + interval '17 minutes' AS event_timestamp,
             (driver_id + floor(extract(epoch FROM event_timestamp) / 3600)::bigint) % 3 <> 0 AS completed
        FROM ${driverTable}
       WHERE (driver_id + floor(extract(epoch FROM event_timestamp) / 3600)::bigint) % 6 = 0`,
  ];

  const inserted: Record<string, number> = {};
  await sql.transaction(async (tx) => {
    for (const stmt of ddl) await tx.query(stmt);

    const report = (name: string, n: number, total: number) => {
      inserted[name] = n;
      progress(n === total ? `${name}: ${fmt(n)} rows` : `${name}: ${fmt(n)} new rows (${fmt(total - n)} already there)`);
    };

    const drivers = driverRows(anchor);
    report(
      'driver_hourly_stats',
      await insertRows(
        tx,
        driverTable,
        'driver_id',
        [
          { name: 'driver_id', type: 'bigint', get: (r) => r.driver_id },
          { name: 'event_timestamp', type: ts, get: (r) => iso(r.event_timestamp) },
          { name: 'created', type: ts, get: (r) => iso(r.created) },
          { name: 'conv_rate', type: 'real', get: (r) => r.conv_rate },
          { name: 'acc_rate', type: 'real', get: (r) => r.acc_rate },
          { name: 'avg_daily_trips', type: 'integer', get: (r) => r.avg_daily_trips },
        ],
        drivers,
      ),
      drivers.length,
    );

    const credits = creditRows(anchor);
    report(
      'credit_scores',
      await insertRows(
        tx,
        creditTable,
        'customer_id',
        [
          { name: 'customer_id', type: 'text', get: (r) => r.customer_id },
          { name: 'event_timestamp', type: ts, get: (r) => iso(r.event_timestamp) },
          { name: 'created', type: ts, get: (r) => iso(r.created) },
          { name: 'score', type: 'integer', get: (r) => r.score },
        ],
        credits,
      ),
      credits.length,
    );

    const accidents = accidentRows(anchor);
    report(
      'accident_history',
      await insertRows(
        tx,
        accidentTable,
        'customer_id',
        [
          { name: 'customer_id', type: 'text', get: (r) => r.customer_id },
          { name: 'event_timestamp', type: ts, get: (r) => iso(r.event_timestamp) },
          { name: 'created', type: ts, get: (r) => iso(r.created) },
          { name: 'accidents_12m', type: 'integer', get: (r) => r.accidents_12m },
          { name: 'last_accident_lat', type: 'double precision', get: (r) => r.last_accident_lat },
          { name: 'last_accident_lon', type: 'double precision', get: (r) => r.last_accident_lon },
        ],
        accidents,
      ),
      accidents.length,
    );

    const risks = riskRows(anchor);
    report(
      'location_risk',
      await insertRows(
        tx,
        pushRelation,
        'customer_id',
        [
          { name: 'customer_id', type: 'text', get: (r) => r.customer_id },
          { name: 'event_timestamp', type: ts, get: (r) => iso(r.event_timestamp) },
          { name: 'created_timestamp', type: ts, get: (r) => iso(r.created_timestamp) },
          { name: 'risk', type: 'double precision', get: (r) => r.risk },
        ],
        risks,
      ),
      risks.length,
    );

    const trips = tripRows(anchor);
    report(
      'trip_facts',
      await insertRows(
        tx,
        tripTable,
        'trip_id',
        [
          { name: 'trip_id', type: 'text', get: (r) => r.trip_id },
          { name: 'event_timestamp', type: ts, get: (r) => iso(r.event_timestamp) },
          { name: 'created', type: ts, get: (r) => iso(r.created) },
          { name: 'fare', type: 'double precision', get: (r) => r.fare },
          { name: 'driver_id', type: 'bigint', get: (r) => r.driver_id },
          { name: 'customer_id', type: 'text', get: (r) => r.customer_id },
        ],
        trips,
        'key',
      ),
      trips.length,
    );
  });
  return { inserted };
};
