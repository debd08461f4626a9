import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import { canonicalKeyPart, parseTimestamp } from '../../definitions/values.js';
import type { EntityKeyColumn, RequestColumn } from './feature-refs.js';
import { requestText, requestValue } from './request-values.js';
import { TrainingSetError } from './errors.js';
import type { PassThroughTypes } from './pass-through-types.js';

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

/** Raw entity rows, and where each came from, for error messages (`line 7`, `row 3`). */
interface RawBatch {
  readonly values: readonly Readonly<Record<string, unknown>>[];
  /** The row's line (file) or number (memory), as the entity table keeps it for later error messages. */
  line(i: number): number;
  where(i: number): string;
}

/** A file or in-memory input that can be read twice: once to validate, once to load. */
export interface ReplayableRows {
  /** Column names, known once the first row (or the header) was read. */
  columns(): readonly string[];
  /** Whether an input without rows must still name the key columns (a file's header line does). */
  readonly hasHeader: boolean;
  /** Rows in batches: one await per batch, not per row, keeps large inputs cheap. */
  rows(): AsyncIterable<RawBatch>;
  /** What error messages call a row: a file's `line`, or an in-memory `row`. */
  readonly unit: 'line' | 'row';
}

/** Raw rows per batch read from an input. */
const READ_BATCH = 1000;

/** CSV records of a file through csv-parse, as `csvRows` reads them; the first `skip` records are not handed out. */
async function* parsedBatches(file: string, onHeader: (h: string[]) => void, skip: number): AsyncIterable<RawBatch> {
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      columns: (h: string[]) => {
        const header = h.map((c) => c.trim());
        onHeader(header);
        return header;
      },
    }),
  );
  let values: Record<string, string>[] = [];
  let lines: number[] = [];
  const batch = (): RawBatch => {
    const at = lines;
    return { values, line: (i) => at[i] ?? 0, where: (i) => `line ${at[i] ?? '?'}` };
  };
  let seen = 0;
  for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    if (seen++ < skip) continue;
    values.push(rec.record);
    lines.push(rec.info.lines);
    if (values.length >= READ_BATCH) {
      yield batch();
      values = [];
      lines = [];
    }
  }
  if (values.length > 0) yield batch();
}

/**
 * The same records as `parsedBatches`, for the common file: no quote, no carriage return, every line with the
 * header's number of fields. Such a file is lines split at commas, several times faster than a general CSV
 * parser. At the first thing it does not handle it stops and calls `unsupported` (having handed out only whole
 * records that csv-parse reads identically), and the caller continues with csv-parse, which also gives the
 * exact error a malformed file deserves.
 */
async function* simpleBatches(file: string, onHeader: (h: string[]) => void, unsupported: () => void): AsyncIterable<RawBatch> {
  let header: string[] | null = null;
  let tail = '';
  let lineNo = 0;
  let first = true;
  let values: Record<string, string>[] = [];
  let lines: number[] = [];
  const batch = (): RawBatch => {
    const at = lines;
    return { values, line: (i) => at[i] ?? 0, where: (i) => `line ${at[i] ?? '?'}` };
  };
  /** One line (without its newline); false when the line needs the general parser. */
  const line = (text: string): boolean => {
    lineNo++;
    if (text === '') return true; // skip_empty_lines
    const fields = text.split(',');
    if (!header) {
      header = fields.map((c) => c.trim());
      onHeader(header);
      return true;
    }
    if (fields.length !== header.length) return false;
    const rec: Record<string, string> = {};
    for (let i = 0; i < fields.length; i++) rec[header[i] as string] = fields[i] as string;
    values.push(rec);
    lines.push(lineNo);
    return true;
  };
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    let text = chunk as string;
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // bom
    }
    // Quotes and CR need the general parser; so does a byte sequence that is not UTF-8 (decoded as U+FFFD).
    if (/["\r\ufffd]/.test(text)) return unsupported();
    text = tail + text;
    let at = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', at)) {
      if (!line(text.slice(at, nl))) return unsupported();
      at = nl + 1;
      if (values.length >= READ_BATCH) {
        yield batch();
        values = [];
        lines = [];
      }
    }
    tail = text.slice(at);
  }
  if (tail !== '' && !line(tail)) return unsupported();
  if (values.length > 0) yield batch();
}

export const csvRows = (file: string): ReplayableRows => {
  let header: string[] = [];
  const onHeader = (h: string[]) => {
    header = h;
  };
  return {
    hasHeader: true,
    unit: 'line',
    columns: () => header,
    async *rows() {
      let handed = 0;
      let general = false;
      for await (const b of simpleBatches(file, onHeader, () => (general = true))) {
        handed += b.values.length;
        yield b;
      }
      if (general) yield* parsedBatches(file, onHeader, handed);
    },
  };
};

export const memoryRows = (rows: readonly Readonly<Record<string, unknown>>[]): ReplayableRows => ({
  hasHeader: false,
  unit: 'row',
  columns: () => Object.keys(rows[0] ?? {}),
  async *rows() {
    for (let i = 0; i < rows.length; i += READ_BATCH)
      yield { values: rows.slice(i, i + READ_BATCH), line: (j) => i + j + 1, where: (j) => `row ${i + j + 1}` };
  },
});

const asTimestamp = (v: unknown): Date | null => {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === 'number') return parseTimestamp(v);
  if (typeof v === 'string') return /^\s*-?\d+\s*$/.test(v) ? parseTimestamp(Number(v)) : parseTimestamp(v);
  return null;
};

const asText = (v: unknown): string | null =>
  v === null || v === undefined
    ? null
    : typeof v === 'string'
      ? v
      : v instanceof Date
        ? v.toISOString()
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);

/**
 * Refuses, before any work, entity rows from a file that is not one: missing, a directory, or a special file
 * (the error names the path). Rows from memory or a query pass.
 */
export const checkEntityFile = (entities: object): void => {
  if (!('csvFile' in entities) || typeof entities.csvFile !== 'string') return;
  const file = entities.csvFile;
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st) throw new TrainingSetError('ENTITY_ROWS_INVALID', `entity rows: no such file: ${file}`);
  if (st.isDirectory()) throw new TrainingSetError('ENTITY_ROWS_INVALID', `entity rows: ${file} is a directory, not a CSV file`);
  if (!st.isFile() && !st.isFIFO()) throw new TrainingSetError('ENTITY_ROWS_INVALID', `entity rows: ${file} is not a regular file`);
};

/** Columns passed through to the output unchanged: everything but the join keys and the time. */
export const extraColumns = (columns: readonly string[], keys: readonly EntityKeyColumn[]): string[] =>
  columns.filter((c) => c !== ENTITY_TS_COLUMN && !keys.some((k) => k.name === c));

/**
 * The entity rows' columns: every key, the time and each request argument present; no name twice (the later
 * value would silently win); none that is also an output column of the training set (`taken`: its features).
 */
const checkHeader = (
  columns: readonly string[],
  keys: readonly EntityKeyColumn[],
  request: readonly RequestColumn[],
  where: string,
  taken?: ReadonlySet<string>,
) => {
  for (const c of [...keys.map((k) => k.name), ENTITY_TS_COLUMN, ...request.map((r) => r.name)])
    if (!columns.includes(c))
      throw new TrainingSetError(
        'ENTITY_ROWS_INVALID',
        `entity rows, ${where}: missing column "${c}" (columns: ${columns.join(', ') || 'none'})`,
      );
  const twice = columns.find((c, i) => columns.indexOf(c) !== i);
  if (twice !== undefined) throw new TrainingSetError('ENTITY_ROWS_INVALID', `entity rows, ${where}: column "${twice}" appears twice`);
  const clash = taken && columns.find((c) => taken.has(c));
  if (clash)
    throw new TrainingSetError(
      'ENTITY_ROWS_INVALID',
      `entity rows, ${where}: column "${clash}" is also a feature column of the training set; rename it in the entity rows`,
    );
};

/** A CSV field: unquoted empty is NULL, so an empty string (and anything with a delimiter) is quoted. */
export const csvField = (v: string | null): string => (v === null ? '' : v === '' || /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Canonical text of a key value; the common cases without allocating (they are already canonical). */
const keyText = (k: EntityKeyColumn, v: unknown, batch: RawBatch, i: number): string => {
  if (k.type.name === 'String' && typeof v === 'string') return v;
  if (k.type.name === 'Int64' && typeof v === 'string' && /^(-?[1-9]\d{0,17}|0)$/.test(v)) return v;
  if (v === undefined) throw new TrainingSetError('ENTITY_ROWS_INVALID', `entity rows, ${batch.where(i)}, column "${k.name}": missing`);
  const r = canonicalKeyPart(k.type, v);
  if ('error' in r) throw new TrainingSetError('ENTITY_ROWS_INVALID', `entity rows, ${batch.where(i)}, column "${k.name}": ${r.error}`);
  return r.value;
};

/**
 * Read `input`, validating every row against the join keys and the request arguments' types (an error
 * names the line and column); yields, per batch, each row as the CSV text the entity table is loaded from
 * (line, keys, time in epoch ms, extras with request arguments in canonical form; the ordinal goes in front). Run once to validate everything before any query, then again to load.
 */
export async function* validatedRows(
  input: ReplayableRows,
  keys: readonly EntityKeyColumn[],
  request: readonly RequestColumn[],
  headerWhere: string,
  passThrough?: PassThroughTypes,
  taken?: ReadonlySet<string>,
): AsyncIterable<string[]> {
  let extras: { name: string; request: RequestColumn | undefined }[] | null = null;
  for await (const batch of input.rows()) {
    if (!extras) {
      checkHeader(input.columns(), keys, request, headerWhere, taken);
      extras = extraColumns(input.columns(), keys).map((name) => ({ name, request: request.find((r) => r.name === name) }));
    }
    const out: string[] = new Array<string>(batch.values.length);
    for (let r = 0; r < batch.values.length; r++) {
      const values = batch.values[r] as Readonly<Record<string, unknown>>;
      let line = `${batch.line(r)},`;
      for (const k of keys) line += `${csvField(keyText(k, values[k.name], batch, r))},`;
      const ts = asTimestamp(values[ENTITY_TS_COLUMN]);
      if (!ts)
        throw new TrainingSetError(
          'ENTITY_ROWS_INVALID',
          `entity rows, ${batch.where(r)}, column "${ENTITY_TS_COLUMN}": not a timestamp (ISO 8601 with a time zone, or epoch milliseconds): ${JSON.stringify(asText(values[ENTITY_TS_COLUMN]))}`,
        );
      line += ts.getTime();
      for (const c of extras) {
        const v = values[c.name];
        if (!c.request) {
          const text = asText(v);
          passThrough?.observe(c.name, text);
          line += `,${csvField(text)}`;
        } else {
          const x = requestValue(c.request.type, v);
          if ('error' in x)
            throw new TrainingSetError('ENTITY_ROWS_INVALID', `entity rows, ${batch.where(r)}, column "${c.name}": ${x.error}`);
          line += `,${csvField(requestText(c.request.type, x.value))}`;
        }
      }
      out[r] = line;
    }
    yield out;
  }
  if (!extras && input.hasHeader) checkHeader(input.columns(), keys, request, headerWhere, taken);
}
