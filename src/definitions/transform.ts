import type { OnDemandSpec } from './resolve.js';
import type { RowOf } from './objects.js';
import { coerceInput, type FeatureValue } from './values.js';
import { typeLabel } from './value-types.js';

/** An on-demand transform threw or returned something that does not match its declared features. */
export class OnDemandTransformError extends Error {
  constructor(
    readonly view: string,
    message: string,
    readonly feature?: string,
  ) {
    super(`on-demand view ${view}: ${message}`);
    this.name = 'OnDemandTransformError';
  }
}

/**
 * Run an on-demand view's transform on its input rows (by alias; null when the input has no value) and
 * request arguments, and check the output against the declared features (Float32 rounded to float32).
 * The one function behind online serving, point-in-time reads and training sets.
 */
export const runTransform = (
  o: OnDemandSpec,
  inputs: Readonly<Record<string, RowOf<Record<string, never>> | Readonly<Record<string, FeatureValue>> | null>>,
  request: Readonly<Record<string, FeatureValue>>,
): Record<string, FeatureValue> => {
  let out: unknown;
  try {
    out = o.def.transform(inputs as never, request as never);
  } catch (err) {
    throw new OnDemandTransformError(o.name, `transform threw: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof out !== 'object' || out === null) throw new OnDemandTransformError(o.name, 'transform must return an object of features');
  const values: Record<string, FeatureValue> = {};
  for (const f of o.features) {
    const v = (out as Record<string, unknown>)[f.name];
    if (v === undefined) throw new OnDemandTransformError(o.name, `transform returned no "${f.name}"`, f.name);
    const r = coerceInput(f.type, v);
    if ('error' in r) throw new OnDemandTransformError(o.name, `feature "${f.name}" must be ${typeLabel(f.type)}: ${r.error}`, f.name);
    values[f.name] = r.value;
  }
  return values;
};
