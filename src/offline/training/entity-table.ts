import { quoteIdent } from '../../definitions/resolve.js';
import { sqlTypeOf } from '../../definitions/value-types.js';
import type { SqlClient } from '../../sql/client.js';
import type { EntityKeyColumn } from './feature-refs.js';
import { ENTITY_TS_COLUMN, type EntityRow } from './entity-input.js';
import { TrainingSetError } from './errors.js';

/** The session-local table the entity rows are loaded into; dropped at the end of the transaction. */
export const ENTITY_TABLE = 'pg_temp.fg_entity_rows';

/** Column names in the entity table: fixed, so user column names never need quoting in the join. */
export const keyCol = (i: number): string => `k${i}`;
export const extraCol = (i: number): string => `x${i}`;

/** Rows per INSERT: large enough to amortise the round trip, small enough to keep memory flat. */
const LOAD_BATCH = 10_000;

export const createEntityTable = async (tx: SqlClient, keys: readonly EntityKeyColumn[], extras: number): Promise<void> => {
  const cols = [
    'ord bigint PRIMARY KEY',
    ...keys.map((k, i) => `${keyCol(i)} ${sqlTypeOf(k.type)}`),
    'ts timestamptz',
    ...Array.from({ length: extras }, (_, i) => `${extraCol(i)} text`),
  ];
  await tx.query(`CREATE TEMP TABLE fg_entity_rows (${cols.join(', ')}) ON COMMIT DROP`);
};

/**
 * Load validated rows in batches of typed arrays (`INSERT ... SELECT FROM unnest(...)`), which runs the
 * same on pg and PGlite and keeps one batch in memory. Returns the row count.
 */
export const loadEntityRows = async (
  tx: SqlClient,
  keys: readonly EntityKeyColumn[],
  extras: number,
  rows: AsyncIterable<EntityRow>,
  onProgress: (done: number) => void,
): Promise<number> => {
  const types = ['bigint', ...keys.map((k) => sqlTypeOf(k.type)), 'timestamptz', ...Array.from({ length: extras }, () => 'text')];
  const text = `INSERT INTO ${ENTITY_TABLE} SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;
  let ord = 0;
  let batch: (string | null)[][] = types.map(() => []);
  const flush = async () => {
    if (batch[0]?.length) await tx.query(text, batch);
    batch = types.map(() => []);
    onProgress(ord);
  };
  for await (const r of rows) {
    ord++;
    const cells = [String(ord), ...r.keys, r.ts.toISOString(), ...r.extras];
    cells.forEach((c, i) => batch[i]?.push(c));
    if (ord % LOAD_BATCH === 0) await flush();
  }
  await flush();
  return ord;
};

/**
 * Load the result of an entity query: its rows in the order it returns them (give it an ORDER BY),
 * keys cast to their key types, the time to timestamptz (a timestamp without time zone is read as UTC).
 * Casts that fail and null keys or times are reported naming the column (and the row).
 */
export const loadEntityQuery = async (tx: SqlClient, keys: readonly EntityKeyColumn[], query: string): Promise<{ count: number; extras: string[] }> => {
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
  await createEntityTable(tx, keys, extras.length);
  const q = (c: string) => `q.${quoteIdent(c)}`;
  const select = [
    'row_number() OVER ()',
    ...keys.map((k) => `${q(k.name)}::${sqlTypeOf(k.type)}`),
    `${q(ENTITY_TS_COLUMN)}::timestamptz`,
    ...extras.map((c) => `${q(c)}::text`),
  ];
  try {
    await tx.query(`INSERT INTO ${ENTITY_TABLE} SELECT ${select.join(', ')} FROM (${body}) q`);
  } catch (err) {
    throw new TrainingSetError('ENTITY_ROWS_INVALID', `entity query: a key or "${ENTITY_TS_COLUMN}" column has the wrong type: ${(err as Error).message}`);
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
