import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { canonicalKeyPart, parseTimestamp } from '../../definitions/values.js';
import type { EntityKeyColumn } from './feature-refs.js';
import { TrainingSetError } from './errors.js';

/** The entity rows' time column: the as-of time of each row. */
export const ENTITY_TS_COLUMN = 'event_timestamp';

/**
 * Where entity rows come from: rows in memory, a CSV file with a header line, or a SQL query
 * (whose result order is the input order).
 */
export type EntityInput =
  | { readonly rows: readonly Readonly<Record<string, unknown>>[] }
  | { readonly csvFile: string }
  | { readonly sql: string };

/** One raw entity row and where it came from, for error messages (`line 7`, `row 3`). */
interface RawRow {
  readonly where: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** A file or in-memory input that can be read twice: once to validate, once to load. */
export interface ReplayableRows {
  /** Column names, known once the first row (or the header) was read. */
  columns(): readonly string[];
  /** Whether an input without rows must still name the key columns (a file's header line does). */
  readonly hasHeader: boolean;
  rows(): AsyncIterable<RawRow>;
}

/** An entity row after validation: canonical key texts, the time, and pass-through columns as text. */
export interface EntityRow {
  readonly keys: readonly string[];
  readonly ts: Date;
  readonly extras: readonly (string | null)[];
}

export const csvRows = (file: string): ReplayableRows => {
  let header: string[] = [];
  return {
    hasHeader: true,
    columns: () => header,
    async *rows() {
      const parser = createReadStream(file).pipe(
        parse({
          bom: true,
          info: true,
          skip_empty_lines: true,
          columns: (h: string[]) => (header = h.map((c) => c.trim())),
        }),
      );
      for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>)
        yield { where: `line ${rec.info.lines}`, values: rec.record };
    },
  };
};

export const memoryRows = (rows: readonly Readonly<Record<string, unknown>>[]): ReplayableRows => ({
  hasHeader: false,
  columns: () => Object.keys(rows[0] ?? {}),
  async *rows() {
    for (let i = 0; i < rows.length; i++) yield { where: `row ${i + 1}`, values: rows[i] ?? {} };
  },
});

const asTimestamp = (v: unknown): Date | null => {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === 'number') return parseTimestamp(v);
  if (typeof v === 'string') return /^\s*-?\d+\s*$/.test(v) ? parseTimestamp(Number(v)) : parseTimestamp(v);
  return null;
};

const asText = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** Columns passed through to the output unchanged: everything but the join keys and the time. */
export const extraColumns = (columns: readonly string[], keys: readonly EntityKeyColumn[]): string[] =>
  columns.filter((c) => c !== ENTITY_TS_COLUMN && !keys.some((k) => k.name === c));

const checkHeader = (columns: readonly string[], keys: readonly EntityKeyColumn[], where: string) => {
  for (const c of [...keys.map((k) => k.name), ENTITY_TS_COLUMN])
    if (!columns.includes(c))
      throw new TrainingSetError('ENTITY_ROWS_INVALID', `entity rows, ${where}: missing column "${c}" (columns: ${columns.join(', ') || 'none'})`);
};

/**
 * Read `input`, validating every row against the join keys (an error names the line and column);
 * yields validated rows. Run once to validate everything before any query, then again to load.
 */
export async function* validatedRows(input: ReplayableRows, keys: readonly EntityKeyColumn[], headerWhere: string): AsyncIterable<EntityRow> {
  let extras: string[] | null = null;
  for await (const raw of input.rows()) {
    if (!extras) {
      checkHeader(input.columns(), keys, headerWhere);
      extras = extraColumns(input.columns(), keys);
    }
    const keyTexts: string[] = [];
    for (const k of keys) {
      const v = raw.values[k.name];
      if (v === undefined) throw new TrainingSetError('ENTITY_ROWS_INVALID', `entity rows, ${raw.where}, column "${k.name}": missing`);
      const r = canonicalKeyPart(k.type, v);
      if ('error' in r) throw new TrainingSetError('ENTITY_ROWS_INVALID', `entity rows, ${raw.where}, column "${k.name}": ${r.error}`);
      keyTexts.push(r.value);
    }
    const ts = asTimestamp(raw.values[ENTITY_TS_COLUMN]);
    if (!ts)
      throw new TrainingSetError(
        'ENTITY_ROWS_INVALID',
        `entity rows, ${raw.where}, column "${ENTITY_TS_COLUMN}": not a timestamp (ISO 8601 with a time zone, or epoch milliseconds): ${JSON.stringify(asText(raw.values[ENTITY_TS_COLUMN]))}`,
      );
    yield { keys: keyTexts, ts, extras: extras.map((c) => asText(raw.values[c])) };
  }
  if (!extras && input.hasHeader) checkHeader(input.columns(), keys, headerWhere);
}
