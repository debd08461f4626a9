import { parseDuration } from './duration.js';
import { camelCase } from './naming.js';
import type { AggregationFn, AggregationView } from './aggregation.js';
import { resolveView, type ViewSpec } from './resolve.js';
import { Float64, Int32, Int64, type ValueType } from './value-types.js';

/** One output of an aggregation view, resolved: its function, field, window and output type. */
export interface AggregationOutput {
  readonly name: string;
  readonly fn: AggregationFn;
  /** The event field it reads; null for count. */
  readonly field: string | null;
  readonly windowSeconds: number;
  readonly type: ValueType;
  readonly description?: string;
}

/** An aggregation view with everything the stores and the schema need (docs/aggregations.md). */
export interface AggregationSpec {
  readonly name: string;
  readonly def: AggregationView;
  readonly entityNames: readonly string[];
  readonly keyName: string;
  /**
   * The raw events as a view: keys, event and created timestamps, fields (the event id among them). Push
   * validates and appends through it, the offline store reads its source, and its feature order is the
   * order of the one tie rule for `last`.
   */
  readonly events: ViewSpec;
  /** The event id field. */
  readonly eventId: string;
  readonly outputs: readonly AggregationOutput[];
  /** Distinct windows, ascending, in seconds. */
  readonly windows: readonly number[];
  /** The longest window: online state older than it is dropped. */
  readonly maxWindowSeconds: number;
  /** Fields read by sum, avg, min or max, in event-field order: the numeric statistics every tile keeps. */
  readonly statFields: readonly string[];
  /** Fields read by `last`. */
  readonly lastFields: readonly string[];
}

/** The GraphQL field name of an output: `quotes_5m` → `quotes5m`. */
export const outputField = (o: AggregationOutput): string => camelCase(o.name);

const outputType = (fn: AggregationFn, fieldType: ValueType | undefined): ValueType => {
  switch (fn) {
    case 'count':
      return Int32;
    case 'sum':
      return Int64;
    case 'avg':
      return Float64;
    default:
      return fieldType ?? Int32;
  }
};

export const resolveAggregation = (project: string, a: AggregationView): AggregationSpec => {
  const events = resolveView(project, a.events);
  const outputs = Object.entries(a.aggregations).map(([name, d]): AggregationOutput => {
    const w = parseDuration(d.window);
    const field = d.fn === 'count' ? null : (d.field ?? null);
    return {
      name,
      fn: d.fn,
      field,
      windowSeconds: 'seconds' in w ? w.seconds : 0,
      type: outputType(d.fn, events.features.find((f) => f.name === field)?.type),
      ...(d.description !== undefined ? { description: d.description } : {}),
    };
  });
  const windows = [...new Set(outputs.map((o) => o.windowSeconds))].sort((x, y) => x - y);
  const used = (fns: readonly AggregationFn[]) => {
    const names = new Set(outputs.filter((o) => fns.includes(o.fn) && o.field).map((o) => o.field as string));
    return events.features.filter((f) => names.has(f.name)).map((f) => f.name);
  };
  return {
    name: a.name,
    def: a,
    entityNames: events.entityNames,
    keyName: events.keyName,
    events,
    eventId: a.eventId,
    outputs,
    windows,
    maxWindowSeconds: windows.at(-1) ?? 0,
    statFields: used(['sum', 'avg', 'min', 'max']),
    lastFields: used(['last']),
  };
};
