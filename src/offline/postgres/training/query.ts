import { sqlTypeOf } from '../../../definitions/value-types.js';
import { EVENT_TS_ALIAS, featureAlias, pointInTimeLateral, pointInTimeOrder } from '../lateral.js';
import type { TrainingPlan } from '../../training/feature-refs.js';
import { extraCol, keyCol, viewTsAlias } from '../../training/output-columns.js';
import { ENTITY_TABLE, entityTsExpr } from './entity-table.js';
import { asKnownAtFor } from '../../store.js';

const viewAlias = (i: number) => `v${i}`;

/** The entity rows a join statement reads: a range of ordinals, or a list of them. */
export type EntityRowSet = { readonly lo: number; readonly hi: number } | { readonly ords: readonly number[] };

/**
 * The join of `rows` to every selected view, as ONE statement: one LATERAL point-in-time probe per view
 * (each with its own keys and ttl), the entity rows probed in key order (page locality in the sources'
 * indexes). Entity times after `now` are clamped to it, as for every as-of read. `now` is inlined (COPY takes
 * no parameters); features are cast to their value type's SQL type, so a source column of a compatible type
 * (numeric, varchar...) is read as the value type says.
 *
 * A range of ordinals streams: no final sort, so rows come out while the probes run, in probe order, and the
 * caller puts each in place by `ord`. The first view's probe keeps the newest event time WITH TIES (the
 * others pick their one row in the probe), so an entity row whose newest source rows tie there comes out once
 * per tied row; the caller joins those
 * again with a list of their ordinals, which gives `DISTINCT ON (ord)` with the full tie-break of docs/semantics.md.
 * (A final sort would keep the output from starting until every probe had run, and cost about a fifth of
 * the statement.)
 */
export const trainingSetQuery = (
  plan: TrainingPlan,
  extras: number,
  now: Date,
  rows: EntityRowSet,
  fromQuery: boolean,
  asKnownAt?: boolean,
): string => {
  const asOf = `LEAST(e.ts, '${now.toISOString()}'::timestamptz)`;
  const select = [
    'e.ord',
    'e.ln',
    ...plan.keys.map((_, i) => `e.${keyCol(i)}`),
    'e.ts',
    ...Array.from({ length: extras }, (_, i) => `e.${extraCol(i)}`),
  ];
  const joins: string[] = [];
  plan.views.forEach((sel, v) => {
    select.push(`${viewAlias(v)}.${EVENT_TS_ALIAS}::timestamptz AS ${viewTsAlias(v)}`);
    sel.features.forEach((f, j) => select.push(`${viewAlias(v)}.${featureAlias(j)}::${sqlTypeOf(f.type)} AS v${v}_f${j}`));
    const keyExprs = sel.view.keys.map((k) => `e.${keyCol(plan.keys.findIndex((x) => x.name === k.joinKey))}`);
    // Only the first view's probe keeps its ties (one row per tied source row, deduplicated by the caller); the
    // others keep one row each, so ties in several views never multiply (pointInTimeLateral's oneRow).
    joins.push(pointInTimeLateral(sel.view, sel.features, keyExprs, asOf, viewAlias(v), asKnownAtFor(sel.view, asKnownAt), v > 0));
  });
  const probeOrder = [...plan.keys.map((_, i) => keyCol(i)), 'ts'].join(', ');
  const entity = [
    'ord',
    'ln',
    ...plan.keys.map((_, i) => keyCol(i)),
    `${entityTsExpr(fromQuery)} AS ts`,
    ...Array.from({ length: extras }, (_, i) => extraCol(i)),
  ];
  const where =
    'ords' in rows ? `ord = ANY('{${rows.ords.map((o) => Math.trunc(o)).join(',')}}'::bigint[])` : `ord BETWEEN ${rows.lo} AND ${rows.hi}`;
  const from = `FROM (SELECT ${entity.join(', ')} FROM ${ENTITY_TABLE} WHERE ${where} ORDER BY ${probeOrder}) e ${joins.join(' ')}`;
  if (!('ords' in rows)) return `SELECT ${select.join(', ')} ${from}`;
  return `SELECT DISTINCT ON (e.ord) ${select.join(', ')} ${from} ORDER BY ${['e.ord', ...plan.views.map((sel, v) => pointInTimeOrder(sel.view, viewAlias(v)))].join(', ')}`;
};
