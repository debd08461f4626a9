import type { ValueType } from '../../definitions/value-types.js';
import { Int64, sqlTypeOf, String as Str, Timestamp } from '../../definitions/value-types.js';
import { EVENT_TS_ALIAS, featureAlias, pointInTimeLateral, pointInTimeOrder } from '../lateral.js';
import type { TrainingPlan } from './feature-refs.js';
import { ENTITY_TABLE, entityTsExpr, extraCol, keyCol } from './entity-table.js';
import { ENTITY_TS_COLUMN } from './entity-input.js';
import type { PassThroughType } from './pass-through-types.js';

/**
 * One output column: entity key, entity time, passed-through entity column, on-demand request argument
 * (an entity column, typed), `view__feature`, or an on-demand `view__feature` computed in the stream.
 */
export interface OutputColumn {
  readonly name: string;
  readonly kind: 'key' | 'timestamp' | 'extra' | 'request' | 'feature' | 'onDemand';
  readonly type: ValueType;
  /** Result column of the join statement that holds it (none for on-demand features). */
  readonly sqlAlias: string;
  /** For a pass-through column: the type all its values parse as (pass-through-types.ts), for typed sinks. */
  readonly passThroughType?: PassThroughType;
}

export const featureColumnName = (view: string, feature: string): string => `${view}__${feature}`;

const viewAlias = (i: number) => `v${i}`;
export const viewTsAlias = (i: number): string => `v${i}_ts`;

export const outputColumns = (plan: TrainingPlan, extras: readonly string[]): OutputColumn[] => [
  ...plan.keys.map((k, i) => ({ name: k.name, kind: 'key' as const, type: k.type, sqlAlias: keyCol(i) })),
  { name: ENTITY_TS_COLUMN, kind: 'timestamp', type: Timestamp, sqlAlias: 'ts' },
  ...extras.map((c, i): OutputColumn => {
    const r = plan.request.find((x) => x.name === c);
    return r ? { name: c, kind: 'request', type: r.type, sqlAlias: extraCol(i) } : { name: c, kind: 'extra', type: Str, sqlAlias: extraCol(i) };
  }),
  ...plan.views.flatMap((sel, v) =>
    sel.features
      .slice(0, sel.outputs)
      .map((f, j) => ({ name: featureColumnName(sel.view.name, f.name), kind: 'feature' as const, type: f.type, sqlAlias: `v${v}_f${j}` })),
  ),
  ...plan.onDemand.flatMap((o) =>
    o.features.map((name) => ({
      name: featureColumnName(o.spec.name, name),
      kind: 'onDemand' as const,
      type: (o.spec.features.find((f) => f.name === name) as { type: ValueType }).type,
      sqlAlias: '',
    })),
  ),
];

/** The result columns of the join statement, in order, with the value type each is cast to and decoded as. */
export const resultColumns = (plan: TrainingPlan, extras: number): { readonly sqlAlias: string; readonly type: ValueType }[] => [
  { sqlAlias: 'ord', type: Int64 },
  { sqlAlias: 'ln', type: Int64 },
  ...plan.keys.map((k, i) => ({ sqlAlias: keyCol(i), type: k.type })),
  { sqlAlias: 'ts', type: Timestamp },
  ...Array.from({ length: extras }, (_, i) => ({ sqlAlias: extraCol(i), type: Str })),
  ...plan.views.flatMap((sel, v) => [
    { sqlAlias: viewTsAlias(v), type: Timestamp },
    ...sel.features.map((f, j) => ({ sqlAlias: `v${v}_f${j}`, type: f.type })),
  ]),
];

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
 * caller puts each in place by `ord`. Each probe keeps the newest event time WITH TIES, so an entity row
 * whose newest source rows tie comes out more than once (once per combination); the caller joins those
 * again with a list of their ordinals, which gives `DISTINCT ON (ord)` with the full tie-break of docs/semantics.md.
 * (A final sort would keep the output from starting until every probe had run, and cost about a fifth of
 * the statement.)
 */
export const trainingSetQuery = (plan: TrainingPlan, extras: number, now: Date, rows: EntityRowSet, fromQuery: boolean): string => {
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
    joins.push(pointInTimeLateral(sel.view, sel.features, keyExprs, asOf, viewAlias(v)));
  });
  const probeOrder = [...plan.keys.map((_, i) => keyCol(i)), 'ts'].join(', ');
  const entity = ['ord', 'ln', ...plan.keys.map((_, i) => keyCol(i)), `${entityTsExpr(fromQuery)} AS ts`, ...Array.from({ length: extras }, (_, i) => extraCol(i))];
  const where = 'ords' in rows ? `ord = ANY('{${rows.ords.map((o) => Math.trunc(o)).join(',')}}'::bigint[])` : `ord BETWEEN ${rows.lo} AND ${rows.hi}`;
  const from = `FROM (SELECT ${entity.join(', ')} FROM ${ENTITY_TABLE} WHERE ${where} ORDER BY ${probeOrder}) e ${joins.join(' ')}`;
  if (!('ords' in rows)) return `SELECT ${select.join(', ')} ${from}`;
  return `SELECT DISTINCT ON (e.ord) ${select.join(', ')} ${from} ORDER BY ${['e.ord', ...plan.views.map((sel, v) => pointInTimeOrder(sel.view, viewAlias(v)))].join(', ')}`;
};
