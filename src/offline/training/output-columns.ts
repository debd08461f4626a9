import type { PassThroughType } from './pass-through-types.js';
import type { ValueType } from '../../definitions/value-types.js';
import { Int64, String as Str, Timestamp } from '../../definitions/value-types.js';
import type { TrainingPlan } from './feature-refs.js';
import { ENTITY_TS_COLUMN } from './entity-input.js';

/** Column names of the joined entity rows: fixed, so user column names never need quoting. */
export const keyCol = (i: number): string => `k${i}`;
export const extraCol = (i: number): string => `x${i}`;

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

export const viewTsAlias = (i: number): string => `v${i}_ts`;

export const outputColumns = (plan: TrainingPlan, extras: readonly string[]): OutputColumn[] => [
  ...plan.keys.map((k, i) => ({ name: k.name, kind: 'key' as const, type: k.type, sqlAlias: keyCol(i) })),
  { name: ENTITY_TS_COLUMN, kind: 'timestamp', type: Timestamp, sqlAlias: 'ts' },
  ...extras.map((c, i): OutputColumn => {
    const r = plan.request.find((x) => x.name === c);
    return r
      ? { name: c, kind: 'request', type: r.type, sqlAlias: extraCol(i) }
      : { name: c, kind: 'extra', type: Str, sqlAlias: extraCol(i) };
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

/** The training set's feature columns (views' and on-demand views'): names no entity column may take. */
export const featureColumnNames = (plan: TrainingPlan): Set<string> =>
  new Set(outputColumns(plan, []).flatMap((c) => (c.kind === 'feature' || c.kind === 'onDemand' ? [c.name] : [])));

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
