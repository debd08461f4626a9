import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import type { ValueType } from '../../definitions/value-types.js';
import { ENTITY_TS_COLUMN } from '../training/entity-input.js';
import type { TrainingPlan } from '../training/feature-refs.js';
import { featureColumnName, featureColumnNames } from '../training/output-columns.js';
import type { TrainingSetRequest } from '../training/types.js';
import type { DuckDb } from './connection.js';
import { floatText, registerFloatText } from './float-text.js';
import { withViewsSql } from './point-in-time.js';
import { duckTypeOf, F, lit, tsLiteral } from './relation.js';

const ISO_MS = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?(Z|[+-][0-9]{2}:[0-9]{2})$'`;
const quoteId = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * A value as the CSV sink writes it (text-format.ts), in SQL: floats as JavaScript prints them
 * (float-text.ts), times as ISO 8601 with milliseconds, an empty string as an empty field.
 */
const textOf = (t: ValueType, col: string): string | null => {
  if (t.kind !== 'scalar') return null;
  switch (t.name) {
    case 'Int32':
    case 'Int64':
    case 'Bool':
      return `CAST(${col} AS VARCHAR)`;
    case 'String':
      // The CSV sink writes '' like a null: an empty field.
      return `nullif(${col}, '')`;
    case 'Timestamp':
      return `strftime(${col}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
    case 'Float32':
    case 'Float64':
      return floatText(col, t.name === 'Float32');
    default:
      return null;
  }
};

/**
 * The entity file's header when it is plain — no quotes or byte order mark, no empty names, within the first
 * 64 KiB — else null (DuckDB then detects it); 'repeated' when a plain header names a column twice.
 */
const plainHeader = (file: string): string[] | 'repeated' | null => {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(65536);
    const text = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
    const end = text.indexOf('\n');
    if (end < 0) return null;
    const line = text.slice(0, end).replace(/\r$/, '');
    if (/["\r\ufeff]/.test(line)) return null;
    const names = line.split(',');
    return names.some((n) => n === '') ? null : new Set(names).size !== names.length ? 'repeated' : names;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
};

/**
 * A CSV training set written by DuckDB itself (docs/offline-stores.md, "Speed"): the entity file read by
 * DuckDB, the ASOF joins and the CSV writing all native, no row crossing into JavaScript. It applies only
 * when the output is byte-identical to the streaming path's: entity rows from a CSV file whose keys and
 * times are in canonical form, no on-demand features, scalar features other than Bytes and Json.
 * Otherwise (or when any entity row would need the streaming path's reading) it returns null before
 * writing anything, and the streaming path runs, with its exact error messages.
 */
export const duckNativeCsvExport = async (
  db: DuckDb,
  plan: TrainingPlan,
  request: TrainingSetRequest,
  out: string,
): Promise<{ rows: number } | null> => {
  if (!('csvFile' in request.entities) || plan.onDemand.length > 0 || plan.request.length > 0) return null;
  const features = plan.views.flatMap((sel, v) =>
    sel.features.slice(0, sel.outputs).map((f) => {
      return { f, v, text: textOf(f.type, `e.v${v}_${F(sel.view.features.indexOf(f))}`) };
    }),
  );
  if (features.some((x) => x.text === null)) return null;
  const file = request.entities.csvFile;
  // DuckDB would read a glob's every match; the streaming path reads the one file named.
  if (/[*?[{]/.test(file)) return null;
  // A column named twice, or named as a feature column, is refused by the streaming path's checks.
  const plain = plainHeader(file);
  if (plain === 'repeated') return null;
  const taken = featureColumnNames(plan);
  return db.with(async (c) => {
    const needed = [...plan.keys.map((k) => k.name), ENTITY_TS_COLUMN];
    // One pass over the file: typed keys and times, extras as text, and whether the row is in the canonical
    // form this path reads exactly (no all-text copy of the file is kept: it would cost memory, not just time).
    // rowid is the insertion order: the file's row order. Returns the extra columns, or null to step aside.
    const load = async (header: readonly string[] | null): Promise<string[] | null> => {
      // 2 MB buffers (DuckDB's longest line, so no new limit) let a file of a few MB be parsed on several threads.
      const options = `header = true, delim = ',', quote = '"', escape = '"', buffer_size = 2097152`;
      const csv = header
        ? `read_csv(${lit(file)}, ${options}, auto_detect = false, columns = {${header.map((n) => `${lit(n)}: 'VARCHAR'`).join(', ')}})`
        : `read_csv(${lit(file)}, ${options}, all_varchar = true)`;
      const columns =
        header ?? (await c.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${csv})`)).getRows().map((r) => String(r[0]));
      if (needed.some((n) => !columns.includes(n)) || columns.some((n) => n !== n.trim() || n.startsWith('\ufeff'))) return null;
      const raw = (n: string) => `r.${quoteId(n)}`;
      const keyOk = plan.keys.map((k) =>
        k.type.name === 'String'
          ? `${raw(k.name)} IS NOT NULL`
          : `regexp_full_match(${raw(k.name)}, '-?(0|[1-9][0-9]{0,17})') AND try_cast(${raw(k.name)} AS ${duckTypeOf(k.type)}) IS NOT NULL`,
      );
      const tsOk = `regexp_full_match(${raw(ENTITY_TS_COLUMN)}, ${ISO_MS}) AND try_cast(${raw(ENTITY_TS_COLUMN)} AS TIMESTAMPTZ) IS NOT NULL`;
      const extras = columns.filter((n) => !needed.includes(n));
      await c.run(
        `CREATE OR REPLACE TEMP TABLE fg_entity_typed AS SELECT ${plan.keys.map((k, i) => `TRY_CAST(${raw(k.name)} AS ${duckTypeOf(k.type)}) AS k${i}`).join(', ')}, ` +
          `make_timestamp(epoch_us(TRY_CAST(${raw(ENTITY_TS_COLUMN)} AS TIMESTAMPTZ))) AS ts${extras.map((n, i) => `, ${raw(n)} AS x${i}`).join('')}, ` +
          `${[...keyOk, tsOk].map((x) => `coalesce(${x}, false)`).join(' AND ')} AS ok FROM ${csv} r`,
      );
      return extras;
    };
    // A plain header is read here, so DuckDB need not sniff the file (twice); whatever that reading does not
    // take goes through DuckDB's own detection, as before.
    let extras: string[] | null;
    try {
      extras = await load(plain);
    } catch {
      // A file DuckDB cannot read this way (a malformed line, say): DuckDB's own detection, and if that fails
      // too, the streaming path, whose errors name the line and column.
      extras = plain ? await load(null).catch(() => null) : null;
    }
    if (!extras || extras.some((n) => taken.has(n))) return null;
    const bad = await c.runAndReadAll(`SELECT count(*) FROM fg_entity_typed WHERE NOT ok`);
    if (Number(bad.getRows()[0]?.[0] ?? 1) > 0) return null;
    await c.run(`CREATE TEMP VIEW fg_entity_rows AS SELECT rowid + 1 AS ord, * EXCLUDE (ok) FROM fg_entity_typed`);
    const now = request.now ?? new Date();
    // Each view adds its columns to the rows in turn, the rows carried through its joins; only what is written.
    const base = `(SELECT *, LEAST(ts, ${tsLiteral(now)}) AS fg_t FROM fg_entity_rows)`;
    const rows = withViewsSql(plan, base, request.asKnownAt, (sel) => sel.features.slice(0, sel.outputs));
    const select = [
      ...plan.keys.map((k, i) => `${k.type.name === 'String' ? `nullif(e.k${i}, '')` : `CAST(e.k${i} AS VARCHAR)`} AS ${quoteId(k.name)}`),
      `strftime(e.ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ${quoteId(ENTITY_TS_COLUMN)}`,
      ...extras.map((n, i) => `e.x${i} AS ${quoteId(n)}`),
      ...features.map((x) => `${x.text} AS ${quoteId(featureColumnName(plan.views[x.v]!.view.name, x.f.name))}`),
    ];
    // Sorted into entity order before the values become text: the sort then holds the typed values, not their
    // longer text, and spills less under the memory limit. The projection above it keeps that order.
    const ordered = `SELECT * FROM ${rows} e ORDER BY e.ord`;
    await registerFloatText(c);
    try {
      await c.run(`COPY (SELECT ${select.join(', ')} FROM (${ordered}) e) TO ${lit(out)} (FORMAT csv, HEADER true)`);
    } catch (err) {
      rmSync(out, { force: true });
      throw err;
    }
    const n = await c.runAndReadAll(`SELECT count(*) FROM fg_entity_typed`);
    return { rows: Number(n.getRows()[0]?.[0] ?? 0) };
  });
};
