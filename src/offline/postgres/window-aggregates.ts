import type { AggregationSpec } from '../../definitions/aggregation-spec.js';
import type { ValueType } from '../../definitions/value-types.js';
import { quoteIdent } from '../../definitions/resolve.js';
import { fromSql, type FeatureValue } from '../../definitions/values.js';

/**
 * Where a window query reads raw events. The offline store reads the view's source (relation.ts of the
 * events view); the SQL online store its events table (src/online/sql-events.ts), with the fields in jsonb.
 */
export interface EventRelation {
  /** A relation usable after FROM. */
  readonly relation: string;
  /** The quoted event-time column. */
  readonly ts: string;
  /** `s.<key> = e.<key>` conditions for the outer row aliased `e`. */
  readonly keyMatch: readonly string[];
  /**
   * Keep one row per event id (a source table may hold copies of one event): its id and created columns. With
   * `keys` (the quoted key columns), the copy that counts is chosen among all of the event's copies, not only
   * those inside the window: a table whose copies may differ in event time (a Postgres source table; a push
   * table holds one copy per id).
   */
  readonly dedupe: { readonly id: string; readonly created: string | null; readonly keys?: readonly string[] } | null;
  /** A SQL expression for an event field of the row aliased `alias` (numeric for statistics fields). */
  readonly field: (name: string, alias: string) => string;
  /** The one tie rule's order, newest first, over rows aliased `alias` (docs/writes.md). */
  readonly lastOrder: (alias: string) => string;
}

export const outputAlias = (i: number): string => `fg_o${i}`;

type Dedupe = NonNullable<EventRelation['dedupe']>;

/** The dedupe of an aggregation view's offline source (its events view): asOf reads and materialization share it. */
export const sourceDedupe = (spec: AggregationSpec): Dedupe => {
  const view = spec.events;
  return {
    id: quoteIdent(view.features.find((f) => f.name === spec.eventId)!.column),
    created: view.source.createdTimestampColumn ? quoteIdent(view.source.createdTimestampColumn) : null,
    // A push table holds one copy per id (pushes find replays); a source table may hold copies at other times.
    ...(view.source.kind === 'push' ? {} : { keys: view.keys.map((k) => quoteIdent(k.column)) }),
  };
};

/**
 * ` AND NOT EXISTS (…)`: no copy of the event of row `s` comes before it — earlier created (none first), then
 * earlier event time — so `s` is the one that counts (docs/aggregations.md, "Replays"). Empty without `d.keys`.
 */
export const noEarlierCopy = (relation: string, ts: string, d: Dedupe): string => {
  if (!d.keys) return '';
  const same = [...d.keys, d.id].map((c) => `c.${c} = s.${c}`);
  const before = d.created
    ? `((c.${d.created} IS NULL AND s.${d.created} IS NOT NULL) OR c.${d.created} < s.${d.created} OR (c.${d.created} IS NOT DISTINCT FROM s.${d.created} AND c.${ts} < s.${ts}))`
    : `c.${ts} < s.${ts}`;
  return ` AND NOT EXISTS (SELECT 1 FROM ${relation} c WHERE ${same.join(' AND ')} AND ${before})`;
};

/**
 * `LEFT JOIN LATERAL (…) a ON true` computing every output of `spec` over `(t − w, t]` for the outer row `e`,
 * whose as-of time is `e.t` (docs/aggregations.md). The inner scan reads the events of the longest window
 * once — by the `(keys, event time)` index — and each output filters it by its own window, so a request costs
 * one range scan, not one per window.
 */
export const windowAggregatesLateral = (spec: AggregationSpec, rel: EventRelation): string => {
  // Timestamps are milliseconds (docs/aggregations.md): an event at 10:00:00.0005 is the event of 10:00:00.000,
  // as the online store keeps it. With t whole milliseconds, "its millisecond is in (t − w, t]" is
  // t − w + 1 ms <= ts < t + 1 ms, still a range the (keys, event time) index serves.
  const inWindow = (w: number) => `x.${rel.ts} >= e.t - interval '${w} seconds' + interval '1 millisecond'`;
  const outs = spec.outputs.map((o, i) => {
    const filter = `FILTER (WHERE ${inWindow(o.windowSeconds)})`;
    const f = o.field ? rel.field(o.field, 'x') : '';
    const expr =
      o.fn === 'count'
        ? `count(*) ${filter}`
        : o.fn === 'sum'
          ? `coalesce(sum(${f}) ${filter}, 0)`
          : o.fn === 'avg'
            ? `(sum(${f}) ${filter})::float8 / nullif(count(${f}) ${filter}, 0)`
            : o.fn === 'min' || o.fn === 'max'
              ? `${o.fn}(${f}) ${filter}`
              : `(array_agg(${f} ORDER BY ${rel.lastOrder('x')}) ${filter})[1]`;
    return `${expr} AS ${outputAlias(i)}`;
  });
  const where = [
    ...rel.keyMatch,
    `s.${rel.ts} >= e.t - interval '${spec.maxWindowSeconds} seconds' + interval '1 millisecond'`,
    `s.${rel.ts} < e.t + interval '1 millisecond'`,
  ];
  const d = rel.dedupe;
  const inner = d
    ? `SELECT DISTINCT ON (s.${d.id}) s.* FROM ${rel.relation} s WHERE ${where.join(' AND ')}${noEarlierCopy(rel.relation, rel.ts, d)} ORDER BY s.${d.id}${d.created ? `, s.${d.created} ASC NULLS FIRST` : ''}, s.${rel.ts} ASC`
    : `SELECT s.* FROM ${rel.relation} s WHERE ${where.join(' AND ')}`;
  return `LEFT JOIN LATERAL (SELECT ${outs.join(', ')} FROM (${inner}) x) a ON true`;
};

/** A result row's outputs (aliased `outputAlias(i)`) in their TypeScript form; `value` decodes min, max and last. */
export const decodeOutputs = (
  spec: AggregationSpec,
  row: Record<string, unknown>,
  value: (t: ValueType, v: unknown) => FeatureValue = fromSql,
): Record<string, FeatureValue> =>
  Object.fromEntries(
    spec.outputs.map((o, i) => {
      const v = row[outputAlias(i)];
      if (o.fn === 'count') return [o.name, Number(v ?? 0)];
      if (o.fn === 'sum') return [o.name, BigInt((v as string | number | bigint | null) ?? 0)];
      if (o.fn === 'avg') return [o.name, v === null || v === undefined ? null : Number(v)];
      if (o.fn === 'last') return [o.name, v === null || v === undefined ? null : value(o.type, v)];
      return [
        o.name,
        v === null || v === undefined ? null : o.type.kind === 'scalar' && o.type.name === 'Float32' ? Math.fround(Number(v)) : Number(v),
      ];
    }),
  );
