import type { ValueType } from '../../definitions/value-types.js';
import { String as Str, Timestamp } from '../../definitions/value-types.js';
import { EVENT_TS_ALIAS, featureAlias, pointInTimeLateral } from '../lateral.js';
import type { TrainingPlan } from './feature-refs.js';
import { ENTITY_TABLE, extraCol, keyCol } from './entity-table.js';
import { ENTITY_TS_COLUMN } from './entity-input.js';

/** One output column: entity key, entity time, passed-through entity column, or `view__feature`. */
export interface OutputColumn {
  readonly name: string;
  readonly kind: 'key' | 'timestamp' | 'extra' | 'feature';
  readonly type: ValueType;
  /** Result column of the join statement that holds it. */
  readonly sqlAlias: string;
}

export const featureColumnName = (view: string, feature: string): string => `${view}__${feature}`;

const viewAlias = (i: number) => `v${i}`;
export const viewTsAlias = (i: number): string => `v${i}_ts`;

export const outputColumns = (plan: TrainingPlan, extras: readonly string[]): OutputColumn[] => [
  ...plan.keys.map((k, i) => ({ name: k.name, kind: 'key' as const, type: k.type, sqlAlias: keyCol(i) })),
  { name: ENTITY_TS_COLUMN, kind: 'timestamp', type: Timestamp, sqlAlias: 'ts' },
  ...extras.map((c, i) => ({ name: c, kind: 'extra' as const, type: Str, sqlAlias: extraCol(i) })),
  ...plan.views.flatMap((sel, v) =>
    sel.features.map((f, j) => ({ name: featureColumnName(sel.view.name, f.name), kind: 'feature' as const, type: f.type, sqlAlias: `v${v}_f${j}` })),
  ),
];

/**
 * The whole training set as ONE statement over the loaded entity table: one LATERAL point-in-time probe
 * per view (each with its own keys and ttl), in entity row order. `$1` is `now`: entity times after it are
 * clamped to it, as for every as-of read.
 */
export const trainingSetQuery = (plan: TrainingPlan, extras: number): string => {
  const asOf = `LEAST(e.ts, $1::timestamptz)`;
  const select = [
    'e.ord',
    ...plan.keys.map((_, i) => `e.${keyCol(i)}`),
    'e.ts',
    ...Array.from({ length: extras }, (_, i) => `e.${extraCol(i)}`),
  ];
  const joins: string[] = [];
  plan.views.forEach((sel, v) => {
    select.push(`${viewAlias(v)}.${EVENT_TS_ALIAS} AS ${viewTsAlias(v)}`);
    sel.features.forEach((_, j) => select.push(`${viewAlias(v)}.${featureAlias(j)} AS v${v}_f${j}`));
    const keyExprs = sel.view.keys.map((k) => `e.${keyCol(plan.keys.findIndex((x) => x.name === k.joinKey))}`);
    joins.push(pointInTimeLateral(sel.view, sel.features, keyExprs, asOf, viewAlias(v)));
  });
  // Probe in key order (page locality in the sources' indexes), then restore entity row order.
  const probeOrder = [...plan.keys.map((_, i) => keyCol(i)), 'ts'].join(', ');
  return `SELECT ${select.join(', ')} FROM (SELECT * FROM ${ENTITY_TABLE} ORDER BY ${probeOrder}) e ${joins.join(' ')} ORDER BY e.ord`;
};
