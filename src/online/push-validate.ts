import { PUSH_CREATED_TS, PUSH_EVENT_TS, type ViewSpec } from '../definitions/resolve.js';
import {
  coerceInput,
  describeValue,
  entityKeyOf,
  hasLoneSurrogate,
  outsideStorableYears,
  type FeatureValue,
} from '../definitions/values.js';
import { Timestamp, typeLabel, type JsonValue, type ValueType } from '../definitions/value-types.js';
import type { AppendRow } from '../offline/store.js';

/** A push row that failed validation: which row, which field, what is wrong. */
export interface PushProblem {
  readonly row: number;
  readonly field: string;
  readonly message: string;
}

/** Problems an error lists at most; `problemCount` has the total (docs/writes.md). */
export const MAX_LISTED_PROBLEMS = 100;

/** Bad input: nothing was written. `problems` holds at most MAX_LISTED_PROBLEMS, `problemCount` all. */
export class PushValidationError extends Error {
  readonly problems: readonly PushProblem[];
  readonly problemCount: number;
  constructor(view: string, problems: readonly PushProblem[]) {
    const shown = problems.slice(0, 10).map((p) => `row ${p.row}, field "${p.field}": ${p.message}`);
    super(
      `push to ${view} rejected, nothing written: ${shown.join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}`,
    );
    this.name = 'PushValidationError';
    this.problems = problems.slice(0, MAX_LISTED_PROBLEMS);
    this.problemCount = problems.length;
  }
}

/** A validated row: what the offline store appends (its `AppendRow`) and the online write takes (`row`). */
export type ValidRow = AppendRow;

/**
 * How far ahead of the server's clock a pushed event or created time may be (docs/writes.md): writers' clocks
 * drift, but a row from the future would be served online (the newest row wins) before its time, while every
 * point-in-time read as of now leaves it out; in Redis its key would live until that time.
 */
export const PUSH_MAX_FUTURE_MS = 5 * 60_000;
/**
 * Longest join key a push accepts (all its parts, as the entity key encodes them), in UTF-8 bytes; an
 * aggregation event id is bounded the same. Keys are stored in indexes (push tables, the SQL online
 * store), where Postgres refuses entries of more than about 2.7 KB: longer keys are bad input, said so here
 * rather than failing the write.
 */
export const PUSH_MAX_KEY_BYTES = 1024;

/** The UTF-8 length of `s` when it is over PUSH_MAX_KEY_BYTES, else 0 (short text is not measured). */
export const keyBytesOver = (s: string): number => {
  const bytes = s.length > PUSH_MAX_KEY_BYTES / 3 ? Buffer.byteLength(s) : 0;
  return bytes > PUSH_MAX_KEY_BYTES ? bytes : 0;
};

// Postgres text and jsonb cannot hold NUL; an unpaired surrogate has no UTF-8 form (it would be stored as U+FFFD).
const textProblem = (s: string): string | null =>
  s.includes('\u0000')
    ? 'text may not contain the NUL character (\\u0000)'
    : hasLoneSurrogate(s)
      ? 'text contains an unpaired UTF-16 surrogate'
      : null;

const jsonProblem = (v: JsonValue): string | null => {
  if (typeof v === 'string') return textProblem(v);
  if (Array.isArray(v)) {
    for (const x of v) {
      const p = jsonProblem(x);
      if (p) return p;
    }
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const p = textProblem(k) ?? jsonProblem(x);
      if (p) return p;
    }
  }
  return null;
};

/** Why a coerced value cannot be stored as is in Postgres, Redis and the JSON codec, or null. */
export const storableProblem = (t: ValueType, v: FeatureValue): string | null => {
  if (v === null) return null;
  if (t.kind === 'list') {
    const items = v as FeatureValue[];
    for (let i = 0; i < items.length; i++) {
      const p = storableProblem(t.of, items[i] ?? null);
      if (p) return `item ${i}: ${p}`;
    }
    return null;
  }
  switch (t.name) {
    case 'Timestamp':
      return outsideStorableYears(v as Date)
        ? `timestamp ${describeValue(v instanceof Date ? v.toISOString() : v)} is outside years 0001–9999`
        : null;
    case 'String':
      return textProblem(v as string);
    case 'Json':
      return jsonProblem(v as JsonValue);
    default:
      return null;
  }
};

const check = (t: ValueType, raw: unknown): { value: FeatureValue } | { error: string } => {
  const v = coerceInput(t, raw);
  if ('error' in v) return v;
  const p = storableProblem(t, v.value);
  return p ? { error: p } : v;
};

/** A pushed event or created time: a Timestamp (or none), and not more than PUSH_MAX_FUTURE_MS after `now`. */
const checkTime = (raw: unknown, now: Date): { value: FeatureValue } | { error: string } => {
  const v = check(Timestamp, raw);
  if ('error' in v || v.value === null) return v;
  const t = v.value as Date;
  return t.getTime() - now.getTime() > PUSH_MAX_FUTURE_MS
    ? {
        error: `${t.toISOString()} is more than ${PUSH_MAX_FUTURE_MS / 60_000} minutes after the server's time (${now.toISOString()}); a value may not be pushed before its time`,
      }
    : v;
};

/**
 * Validate a whole batch against the view's schema (docs/semantics.md): join keys, `event_timestamp`, optional
 * `created_timestamp` (default: `now`), typed features that every store can hold; unknown fields are
 * errors. One bad row rejects all. Field names are definition names (`conv_rate`).
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
    for (const f of Object.keys(r))
      if (!known.has(f)) problems.push({ row: i, field: f, message: `unknown field; ${view.name} has ${[...known].join(', ')}` });
    const keyProblems = view.keys
      .map((k) => {
        const v = r[k.joinKey];
        if (typeof v !== 'string') return { k, p: null };
        // An empty String key is almost always a missing value upstream; served, it would be a key of its own.
        if (k.type.name === 'String' && v.trim() === '')
          return { k, p: `is ${v === '' ? 'empty' : 'only spaces'}: a join key needs a value` };
        return { k, p: textProblem(v) };
      })
      .filter((x) => x.p);
    for (const { k, p } of keyProblems) problems.push({ row: i, field: k.joinKey, message: p! });
    const key = entityKeyOf(view.keys, r);
    // The whole key (every part, encoded as the stores index it) is bounded, not each part.
    const bytes = 'key' in key ? keyBytesOver(key.key) : 0;
    if (bytes)
      problems.push({
        row: i,
        field: view.keys.length === 1 ? view.keys[0]!.joinKey : '(key)',
        message: `${view.keys.length === 1 ? 'is' : 'the join key parts are'} ${bytes} bytes long; a join key may be at most ${PUSH_MAX_KEY_BYTES} bytes`,
      });
    if ('error' in key) {
      const [field = '(key)', ...rest] = key.error.split(': ');
      problems.push({ row: i, field, message: rest.join(': ') });
    }
    const ev = checkTime(r[PUSH_EVENT_TS], now);
    if ('error' in ev || ev.value === null)
      problems.push({ row: i, field: PUSH_EVENT_TS, message: 'error' in ev ? ev.error : 'is required' });
    const cr = checkTime(r[PUSH_CREATED_TS], now);
    if ('error' in cr) problems.push({ row: i, field: PUSH_CREATED_TS, message: cr.error });
    const values: Record<string, FeatureValue> = {};
    for (const f of view.features) {
      const v = check(f.type, r[f.name]);
      if ('error' in v) problems.push({ row: i, field: f.name, message: `${v.error} (${typeLabel(f.type)})` });
      else values[f.name] = v.value;
    }
    if ('key' in key && keyProblems.length === 0 && !('error' in ev) && ev.value && !('error' in cr)) {
      const keys: Record<string, FeatureValue> = {};
      for (const k of view.keys) keys[k.joinKey] = (coerceInput(k.type, r[k.joinKey]) as { value: FeatureValue }).value;
      const given = cr.value !== null;
      out.push({
        keys,
        createdGiven: given,
        row: { key: key.key, eventTs: ev.value as Date, createdTs: (cr.value as Date | null) ?? now, values },
      });
    }
  });
  if (problems.length) throw new PushValidationError(view.name, problems);
  return out;
};
