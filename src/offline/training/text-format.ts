import type { ValueType } from '../../definitions/value-types.js';
import type { FeatureValue } from '../../definitions/values.js';
import { shortestFloat32 } from '../../definitions/float32.js';

const jsonOf = (v: FeatureValue): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Buffer.from(x).toString('base64') : x,
  );

/**
 * A value as CSV text, exactly: Int64 in full, Float32 in its shortest float32 form, Timestamps in ISO 8601 UTC,
 * Bytes as base64, Json and lists as JSON. Null is the empty field.
 */
export const valueText = (t: ValueType, v: FeatureValue): string => {
  if (v === null || v === undefined) return '';
  if (t.kind === 'list') return jsonOf(v);
  switch (t.name) {
    case 'Float32':
      return String(shortestFloat32(v as number));
    case 'Timestamp':
      return (v as Date).toISOString();
    case 'Bytes':
      return Buffer.from(v as Uint8Array).toString('base64');
    case 'Json':
      return jsonOf(v);
    default:
      return String(v);
  }
};
