import type { FeatureSpec, ViewSpec } from '../definitions/resolve.js';
import { fromJson, toJson, type FeatureValue } from '../definitions/values.js';
import type { JsonValue } from '../definitions/value-types.js';
import type { OnlineRecord } from './store.js';

/**
 * Key layout and value encoding of the Redis online store (documented in redis.ts).
 * Meta fields start with `_`: feature names are lower_snake_case starting with a letter, so they never collide.
 */
export const EVENT_TS_FIELD = '_event_ts';
export const CREATED_TS_FIELD = '_created_ts';
/** The row's tie key (`tieKey`, hex): compared on write only, to break (event, created) ties as offline does. */
export const TIE_FIELD = '_tie';

export const DEFAULT_KEY_PREFIX = 'fg:';

/** The hash tag braces the project and entity key, so all views of one entity share a cluster slot. */
export const redisKey = (prefix: string, project: string, entityKey: string, view: string): string =>
  `${prefix}{${project}:${entityKey}}:${view}`;

/** A SCAN pattern matching every key of a project (glob characters in the prefix escaped). */
export const projectKeyPattern = (prefix: string, project: string): string =>
  `${`${prefix}{${project}:`.replace(/[\\*?[\]]/g, (c) => `\\${c}`)}*`;

/** A braces-free prefix keeps the hash tag on the entity key; anything else would scatter an entity over slots. */
export const checkKeyPrefix = (prefix: string): void => {
  if (/[{}]/.test(prefix)) throw new Error(`Redis key prefix may not contain "{" or "}": ${JSON.stringify(prefix)}`);
};

/** One feature value as stored in its hash field: the codec's JSON form, as text (`null` for null). */
export const encodeField = (f: FeatureSpec, v: FeatureValue | undefined): string => JSON.stringify(toJson(f.type, v ?? null));

/** Inverse of `encodeField`; a missing field (a feature added after the row was written) reads as null. */
export const decodeField = (f: FeatureSpec, s: string | null | undefined): FeatureValue =>
  s === null || s === undefined ? null : fromJson(f.type, JSON.parse(s) as JsonValue);

/** The HMGET field list of a read: timestamps first, then the selected features in view order. */
export const readFields = (view: ViewSpec, selected: readonly string[]): { fields: string[]; features: FeatureSpec[] } => {
  const features = view.features.filter((f) => selected.includes(f.name));
  return { fields: [EVENT_TS_FIELD, CREATED_TS_FIELD, ...features.map((f) => f.name)], features };
};

/** An HMGET reply (in `readFields` order) → the record, or null when the key does not exist. */
export const decodeRecord = (features: readonly FeatureSpec[], reply: readonly (string | null)[]): OnlineRecord | null => {
  const event = reply[0];
  if (event === null || event === undefined) return null;
  const created = reply[1];
  const values: Record<string, FeatureValue> = {};
  features.forEach((f, i) => (values[f.name] = decodeField(f, reply[i + 2])));
  return {
    eventTs: new Date(Number(event)),
    createdTs: created === null || created === undefined || created === '' ? null : new Date(Number(created)),
    values,
  };
};
