import { quoteIdent } from '../../../definitions/resolve.js';
import { sqlTypeOf } from '../../../definitions/value-types.js';
import type { SqlClient } from '../../../sql/client.js';
import type { EntityKeyColumn } from '../../training/feature-refs.js';
import { ENTITY_TS_COLUMN } from '../../training/entity-input.js';
import { TrainingSetError } from '../../training/errors.js';
import { extraCol, keyCol } from '../../training/output-columns.js';

/** The session-local table the entity rows are loaded into; dropped at the end of the transaction. */
export const ENTITY_TABLE = 'pg_temp.fg_entity_rows';

/**
 * The entity table. Loaded a chunk at a time (from a file or memory) it holds one chunk and needs no index,
 * and keeps the time as epoch milliseconds (`ts_ms`): JS times have millisecond precision, and a number
 * costs far less to format and to COPY than timestamp text. An entity query's result is loaded whole
 * (`ts` as the query gives it, microseconds included) and read a range of ordinals at a time, so it gets
 * a primary key.
 */
export const createEntityTable = async (
  tx: SqlClient,
  keys: readonly EntityKeyColumn[],
  extras: number,
  fromQuery = false,
): Promise<void> => {
  const cols = [
    `ord bigint${fromQuery ? ' PRIMARY KEY' : ''}`,
    // Where the row came from (file line or row number), for error messages raised while streaming out.
    'ln bigint',
    ...keys.map((k, i) => `${keyCol(i)} ${sqlTypeOf(k.type)}`),
    fromQuery ? 'ts timestamptz' : 'ts_ms bigint',
    ...Array.from({ length: extras }, (_, i) => `${extraCol(i)} text`),
  ];
  await tx.query(`CREATE TEMP TABLE fg_entity_rows (${cols.join(', ')}) ON COMMIT DROP`);
};

/**
 * The entity time as a timestamptz, exactly, from either layout. Whole days, then the milliseconds left
 * (each product exact in float8), under the session's UTC time zone.
 */
export const entityTsExpr = (fromQuery: boolean): string =>
  fromQuery
    ? 'ts'
    : `('1970-01-01T00:00:00Z'::timestamptz + (ts_ms / 86400000) * interval '1 day' + (ts_ms % 86400000) * interval '1 millisecond')`;

/** Columns of the entity table in load order. */
export const entityTableColumns = (keys: number, extras: number): string[] => [
  'ord',
  'ln',
  ...Array.from({ length: keys }, (_, i) => keyCol(i)),
  'ts_ms',
  ...Array.from({ length: extras }, (_, i) => extraCol(i)),
];

/** Validated rows (CSV text without the ordinal) handed out in runs of at most a given length, across batches. */
export const rowTaker = (batches: AsyncIterable<string[]>) => {
  const it = batches[Symbol.asyncIterator]();
  let cur: string[] = [];
  let at = 0;
  return async (max: number): Promise<string[] | null> => {
    if (at >= cur.length) {
      const r = await it.next();
      if (r.done) return null;
      cur = r.value;
      at = 0;
    }
    const out = cur.slice(at, at + max);
    at += out.length;
    return out;
  };
};

/**
 * Load up to `maxRows` validated rows from `take` into the entity table with COPY, numbering them from
 * `firstOrd`. Returns how many were loaded: 0 once the input is exhausted (no statement runs then).
 */
export const loadEntityChunk = async (
  tx: SqlClient,
  keys: number,
  extras: number,
  take: (max: number) => Promise<string[] | null>,
  firstOrd: number,
  maxRows: number,
): Promise<number> => {
  let first = await take(maxRows);
  while (first && first.length === 0) first = await take(maxRows);
  if (!first) return 0;
  let n = 0;
  const text = (lines: string[]) => {
    let s = '';
    for (const l of lines) s += `${firstOrd + n++},${l}\n`;
    return s;
  };
  async function* csv(): AsyncIterable<string> {
    yield text(first as string[]);
    while (n < maxRows) {
      const lines = await take(maxRows - n);
      if (!lines) break;
      yield text(lines);
    }
  }
  await tx.copyFrom(ENTITY_TABLE, entityTableColumns(keys, extras), csv());
  return n;
};

/**
 * Load the result of an entity query: its rows in the order it returns them (give it an ORDER BY),
 * keys cast to their key types, the time to timestamptz (a timestamp without time zone is read as UTC).
 * Casts that fail and null keys or times are reported naming the column (and the row).
 */
export const loadEntityQuery = async (
  tx: SqlClient,
  keys: readonly EntityKeyColumn[],
  query: string,
): Promise<{ count: number; extras: string[] }> => {
  const body = query.trim().replace(/;\s*$/, '');
  await tx.query(`CREATE TEMP TABLE fg_entity_probe ON COMMIT DROP AS SELECT * FROM (${body}) q LIMIT 0`);
  const { rows: attrs } = await tx.query<{ attname: string }>(
    `SELECT attname FROM pg_attribute WHERE attrelid = 'pg_temp.fg_entity_probe'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
  );
  const columns = attrs.map((a) => a.attname);
  for (const c of [...keys.map((k) => k.name), ENTITY_TS_COLUMN])
    if (!columns.includes(c))
      throw new TrainingSetError('ENTITY_ROWS_INVALID', `entity query: missing column "${c}" (columns: ${columns.join(', ') || 'none'})`);
  const extras = columns.filter((c) => c !== ENTITY_TS_COLUMN && !keys.some((k) => k.name === c));
  await createEntityTable(tx, keys, extras.length, true);
  const q = (c: string) => `q.${quoteIdent(c)}`;
  const select = [
    'row_number() OVER ()',
    'row_number() OVER ()',
    ...keys.map((k) => `${q(k.name)}::${sqlTypeOf(k.type)}`),
    `${q(ENTITY_TS_COLUMN)}::timestamptz`,
    ...extras.map((c) => `${q(c)}::text`),
  ];
  try {
    await tx.query(`INSERT INTO ${ENTITY_TABLE} SELECT ${select.join(', ')} FROM (${body}) q`);
  } catch (err) {
    throw new TrainingSetError(
      'ENTITY_ROWS_INVALID',
      `entity query: a key or "${ENTITY_TS_COLUMN}" column has the wrong type: ${(err as Error).message}`,
    );
  }
  const nullCheck = [...keys.map((k, i) => ({ col: keyCol(i), name: k.name })), { col: 'ts', name: ENTITY_TS_COLUMN }];
  const { rows: bad } = await tx.query<{ ord: string; name: string }>(
    `SELECT ord, CASE ${nullCheck.map((n) => `WHEN ${n.col} IS NULL THEN '${n.name.replace(/'/g, "''")}'`).join(' ')} END AS name ` +
      `FROM ${ENTITY_TABLE} WHERE ${nullCheck.map((n) => `${n.col} IS NULL`).join(' OR ')} ORDER BY ord LIMIT 1`,
  );
  if (bad[0]) throw new TrainingSetError('ENTITY_ROWS_INVALID', `entity query, row ${bad[0].ord}, column "${bad[0].name}": null`);
  const { rows: cnt } = await tx.query<{ n: string }>(`SELECT count(*) AS n FROM ${ENTITY_TABLE}`);
  return { count: Number(cnt[0]?.n ?? 0), extras };
};
