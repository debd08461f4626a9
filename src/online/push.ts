import { PUSH_CREATED_TS, PUSH_EVENT_TS, pushTableName, quoteIdent, type ViewSpec } from '../definitions/resolve.js';
import { coerceInput, entityKeyOf, toSqlParam, describeValue, type FeatureValue } from '../definitions/values.js';
import { Timestamp, sqlTypeOf, typeLabel } from '../definitions/value-types.js';
import type { SqlClient } from '../sql/client.js';
import type { OnlineRow, OnlineStore } from './store.js';
import { monitoringEvents } from '../monitoring/events.js';

export type PushTarget = 'ONLINE' | 'OFFLINE' | 'ONLINE_AND_OFFLINE';

/** A push row that failed validation: which row, which field, what is wrong. */
export interface PushProblem {
  readonly row: number;
  readonly field: string;
  readonly message: string;
}

export class PushValidationError extends Error {
  readonly problems: readonly PushProblem[];
  constructor(view: string, problems: readonly PushProblem[]) {
    const shown = problems.slice(0, 10).map((p) => `row ${p.row}, field "${p.field}": ${p.message}`);
    super(
      `push to ${view} rejected, nothing written: ${shown.join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}`,
    );
    this.name = 'PushValidationError';
    this.problems = problems;
  }
}

export interface ValidRow {
  readonly keys: Record<string, FeatureValue>;
  readonly row: OnlineRow;
}

/**
 * Validate a whole batch against the view's schema (DESIGN §1): join keys, `event_timestamp`, optional
 * `created_timestamp` (default: now), typed features; unknown fields are errors. One bad row rejects all.
 * Field names are definition names (`conv_rate`).
 */
export const validatePushRows = (view: ViewSpec, rows: readonly unknown[], now = new Date()): ValidRow[] => {
  const problems: PushProblem[] = [];
  const out: ValidRow[] = [];
  const known = new Set([...view.keys.map((k) => k.joinKey), ...view.features.map((f) => f.name), PUSH_EVENT_TS, PUSH_CREATED_TS]);
  rows.forEach((raw, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push({ row: i, field: '(row)', message: `expected an object, got ${describeValue(raw)}` });
      return;
    }
    const r = raw as Record<string, unknown>;
    for (const f of Object.keys(r)) if (!known.has(f)) problems.push({ row: i, field: f, message: `unknown field; ${view.name} has ${[...known].join(', ')}` });
    const key = entityKeyOf(view.keys, r);
    if ('error' in key) {
      const [field = '(key)', ...rest] = key.error.split(': ');
      problems.push({ row: i, field, message: rest.join(': ') });
    }
    const ev = coerceInput(Timestamp, r[PUSH_EVENT_TS]);
    if ('error' in ev || ev.value === null)
      problems.push({ row: i, field: PUSH_EVENT_TS, message: 'error' in ev ? ev.error : 'is required' });
    const cr = coerceInput(Timestamp, r[PUSH_CREATED_TS]);
    if ('error' in cr) problems.push({ row: i, field: PUSH_CREATED_TS, message: cr.error });
    const values: Record<string, FeatureValue> = {};
    for (const f of view.features) {
      const v = coerceInput(f.type, r[f.name]);
      if ('error' in v) problems.push({ row: i, field: f.name, message: `${v.error} (${typeLabel(f.type)})` });
      else values[f.name] = v.value;
    }
    if ('key' in key && !('error' in ev) && ev.value && !('error' in cr)) {
      const keys: Record<string, FeatureValue> = {};
      for (const k of view.keys) keys[k.joinKey] = (coerceInput(k.type, r[k.joinKey]) as { value: FeatureValue }).value;
      out.push({ keys, row: { key: key.key, eventTs: ev.value as Date, createdTs: (cr.value as Date | null) ?? now, values } });
    }
  });
  if (problems.length) throw new PushValidationError(view.name, problems);
  return out;
};

export interface PushSummary {
  readonly view: string;
  readonly target: PushTarget;
  readonly rows: number;
  readonly onlineWritten: number;
  readonly offlineWritten: number;
}

/**
 * Append validated rows to the view's offline source in one statement: the push table of a push-source
 * view, or the source table of a table-backed view (through its field mapping), so pushed rows are part
 * of history and training data too.
 */
export const appendOffline = async (sql: SqlClient, project: string, view: ViewSpec, rows: readonly ValidRow[]): Promise<number> => {
  if (rows.length === 0) return 0;
  const src = view.source;
  const relation = src.kind === 'push' ? pushTableName(project, view.name) : src.relation;
  const createdCol = src.createdTimestampColumn;
  const cols = [...view.keys.map((k) => k.column), src.eventTimestampColumn, createdCol ?? '', ...view.features.map((f) => f.column)];
  const types = [...view.keys.map((k) => sqlTypeOf(k.type)), 'timestamptz', 'timestamptz', ...view.features.map((f) => sqlTypeOf(f.type))];
  // Each column travels as a JSON array (list features would not survive unnest of a 2-D array).
  const params = cols.map((_, ci) =>
    JSON.stringify(
      rows.map((r) => {
        if (ci < view.keys.length) return toSqlParam(view.keys[ci]!.type, r.keys[view.keys[ci]!.joinKey] ?? null);
        if (ci === view.keys.length) return r.row.eventTs.toISOString();
        if (ci === view.keys.length + 1) return r.row.createdTs?.toISOString() ?? null;
        const f = view.features[ci - view.keys.length - 2]!;
        const v = toSqlParam(f.type, r.row.values[f.name] ?? null);
        return f.type.kind === 'scalar' && f.type.name === 'Json' && typeof v === 'string' ? JSON.parse(v) : v;
      }),
    ),
  );
  const selects = cols
    .map((c, i) => {
      const t = types[i]!;
      const elem = `(j${i}.value)`;
      const expr = t.endsWith('[]')
        ? `CASE WHEN jsonb_typeof(${elem}) = 'null' THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(${elem}))::${t} END`
        : t === 'jsonb'
          ? `CASE WHEN jsonb_typeof(${elem}) = 'null' THEN NULL ELSE ${elem} END`
          : t === 'bytea'
            ? `decode(${elem} #>> '{}', 'base64')`
            : `(${elem} #>> '{}')::${t}`;
      return `${expr} AS ${quoteIdent(c || PUSH_CREATED_TS)}`;
    });
  const from = cols.map((_, i) => `jsonb_array_elements($${i + 1}::jsonb) WITH ORDINALITY AS j${i}(value, n)`).join(', ');
  const where = cols.slice(1).map((_, i) => `j${i + 1}.n = j0.n`).join(' AND ');
  const keep = cols.map((c, i) => (c ? i : -1)).filter((i) => i >= 0);
  const r = await sql.query(
    `INSERT INTO ${relation} (${keep.map((i) => quoteIdent(cols[i]!)).join(', ')})
     SELECT ${keep.map((i) => selects[i]).join(', ')} FROM ${from}${where ? ` WHERE ${where}` : ''}`,
    params,
  );
  return r.rowCount;
};

/**
 * Push a batch: validated as a whole first (nothing written on any error), then offline, then online,
 * so a row that is readable online is also in the offline history.
 */
export const pushRows = async (
  deps: { sql: SqlClient; online: OnlineStore; project: string },
  view: ViewSpec,
  rows: readonly unknown[],
  target: PushTarget,
): Promise<PushSummary> => {
  let valid: ValidRow[];
  try {
    valid = validatePushRows(view, rows);
  } catch (err) {
    monitoringEvents.emit('push', { view: view.name, accepted: 0, rejected: rows.length }); // for /metrics
    throw err;
  }
  if (target !== 'ONLINE' && view.source.kind === 'postgres' && !view.source.table)
    throw new PushValidationError(view.name, [
      { row: 0, field: '(target)', message: `${view.name} reads a SQL query, which cannot be appended to; push with to: ONLINE` },
    ]);
  const offlineWritten = target === 'ONLINE' ? 0 : await appendOffline(deps.sql, deps.project, view, valid);
  const online = target === 'OFFLINE' ? { written: 0 } : await deps.online.write(view, valid.map((v) => v.row));
  monitoringEvents.emit('push', { view: view.name, accepted: valid.length, rejected: 0 });
  return { view: view.name, target, rows: valid.length, onlineWritten: online.written, offlineWritten };
};
