import type { AggregationSpec } from '../../definitions/aggregation-spec.js';
import { toJson } from '../../definitions/values.js';
import type { OnlineRow } from '../store.js';
import { tieKey } from '../tie-key.js';

/** Online state older than the longest window by more than this is dropped; covers clock skew between writers and readers. */
export const AGGREGATION_GRACE_MS = 60_000;

/** An event of an aggregation view in the form both online stores write. */
export interface EncodedEvent {
  readonly key: string;
  readonly id: string;
  readonly ts: number;
  readonly cr: number | null;
  /** The tie key of its fields (docs/writes.md): breaks (event, created) ties for `last`. */
  readonly tie: string;
  /** Its fields in `events.features` order, codec JSON (a JSON array). */
  readonly json: string;
  /** The statistics fields' values as decimal text, '' for null. */
  readonly stats: readonly string[];
}

/** The canonical text of an event id (String, Int32 or Int64). */
export const eventIdText = (spec: AggregationSpec, row: OnlineRow): string | null => {
  const v = row.values[spec.eventId];
  return v === null || v === undefined ? null : String(v);
};

export const encodeEvent = (spec: AggregationSpec, row: OnlineRow): EncodedEvent => {
  const f = spec.events.features;
  return {
    key: row.key,
    id: eventIdText(spec, row) ?? '',
    ts: row.eventTs.getTime(),
    cr: row.createdTs ? row.createdTs.getTime() : null,
    tie: tieKey(spec.events, row.values),
    json: JSON.stringify(f.map((x) => toJson(x.type, row.values[x.name] ?? null))),
    stats: spec.statFields.map((name) => {
      const v = row.values[name];
      return typeof v === 'number' ? String(v) : '';
    }),
  };
};

/** Events at or before this instant are outside every window that can still be read online. */
export const eventCutoff = (spec: AggregationSpec, now: number): number => now - spec.maxWindowSeconds * 1000 - AGGREGATION_GRACE_MS;
