import { PUSH_CREATED_TS, PUSH_EVENT_TS, type ViewSpec } from '../definitions/resolve.js';
import { coerceInput, entityKeyOf, describeValue, type FeatureValue } from '../definitions/values.js';
import { Timestamp, typeLabel } from '../definitions/value-types.js';
import type { OfflineStore } from '../offline/store.js';
import type { OnlineRow, OnlineStore } from './store.js';

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
 * Push a batch: validated as a whole first (nothing written on any error), then offline, then online,
 * so a row that is readable online is also in the offline history.
 */
export const pushRows = async (
  deps: { offline: OfflineStore; online: OnlineStore; project: string },
  view: ViewSpec,
  rows: readonly unknown[],
  target: PushTarget,
): Promise<PushSummary> => {
  const valid = validatePushRows(view, rows);
  if (target !== 'ONLINE' && view.source.kind === 'postgres' && !view.source.table)
    throw new PushValidationError(view.name, [
      { row: 0, field: '(target)', message: `${view.name} reads a SQL query, which cannot be appended to; push with to: ONLINE` },
    ]);
  // Parquet sources are read-only: featuregraph does not rewrite a user's files (docs/offline-stores.md).
  if (target !== 'ONLINE' && view.source.kind === 'file')
    throw new PushValidationError(view.name, [
      { row: 0, field: '(target)', message: `${view.name} reads Parquet files, which featuregraph does not append to; push with to: ONLINE` },
    ]);
  const offlineWritten = target === 'ONLINE' ? 0 : await deps.offline.append(view, valid);
  const online = target === 'OFFLINE' ? { written: 0 } : await deps.online.write(view, valid.map((v) => v.row));
  return { view: view.name, target, rows: valid.length, onlineWritten: online.written, offlineWritten };
};
