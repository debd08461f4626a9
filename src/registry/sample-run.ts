import type { DefinitionProblem } from '../definitions/errors.js';
import type { FeatureSchema, OnDemandView, Repository } from '../definitions/objects.js';
import { coerceInput, describeValue, type FeatureValue } from '../definitions/values.js';
import { typeLabel, type ScalarType, type ValueType } from '../definitions/value-types.js';
import { featureType } from '../definitions/feature.js';
import type { AggregationView } from '../definitions/aggregation.js';
import { resolveAggregation } from '../definitions/aggregation-spec.js';

const sampleScalar = (t: ScalarType): FeatureValue => {
  switch (t.name) {
    case 'Bool':
      return true;
    case 'Int32':
      return 1;
    case 'Int64':
      return 1n;
    case 'Float32':
    case 'Float64':
      return 1.5;
    case 'String':
      return 'sample';
    case 'Bytes':
      return new Uint8Array([1]);
    case 'Timestamp':
      return new Date(0);
    case 'Json':
      return {};
  }
};

const sample = (t: ValueType): FeatureValue => (t.kind === 'list' ? [sampleScalar(t.of)] : sampleScalar(t));

const sampleRow = (schema: FeatureSchema): Record<string, FeatureValue> =>
  Object.fromEntries(Object.entries(schema).map(([name, t]) => [name, sample(featureType(t))]));

/**
 * An aggregation input's outputs (docs/aggregations.md, "In on-demand views"): never null; `empty` gives an
 * empty window's values (count and sum 0, the others null), else sample values of each output's type.
 */
const aggregationRow = (a: AggregationView, empty: boolean): Record<string, FeatureValue> | null => {
  try {
    const spec = resolveAggregation('sample', a);
    return Object.fromEntries(
      spec.outputs.map((o) => [
        o.name,
        o.fn === 'count' ? (empty ? 0 : 1) : o.fn === 'sum' ? (empty ? 0n : 1n) : empty ? null : sample(o.type),
      ]),
    );
  } catch {
    return null;
  }
};

/** Whether a returned value fits its declared type. Floats accept any number: NaN from sample data is not a definition error. */
const fits = (t: ValueType, v: unknown): string | null => {
  if (t.kind === 'scalar' && (t.name === 'Float32' || t.name === 'Float64') && typeof v === 'number') return null;
  const r = coerceInput(t, v);
  return 'error' in r ? r.error : null;
};

type Transform = (inputs: Record<string, unknown>, request: Record<string, unknown>) => unknown;

/**
 * Run each on-demand transform on sample inputs (once with every input view missing, once
 * with sample rows) and report outputs that are missing or of the wrong type. A transform that
 * throws on synthetic data is not judged here: that fails at query time, for its field only.
 */
export const sampleRunOnDemandViews = (repo: Repository): DefinitionProblem[] => {
  const problems: DefinitionProblem[] = [];
  for (const o of repo.onDemandViews as readonly OnDemandView[]) {
    if (typeof o.transform !== 'function' || typeof o.features !== 'object' || o.features === null) continue;
    const object = `on-demand view ${JSON.stringify(o.name)}`;
    const request = sampleRow(o.request ?? {});
    const aliases = Object.entries(o.sources ?? {});
    const runs = [
      {
        label: 'with no input rows',
        inputs: Object.fromEntries(aliases.map(([a, v]) => [a, v?.kind === 'aggregationView' ? aggregationRow(v, true) : null])),
      },
      {
        label: 'on sample input rows',
        inputs: Object.fromEntries(
          aliases.map(([a, v]) => [
            a,
            v?.kind === 'aggregationView'
              ? aggregationRow(v, false)
              : v?.kind === 'featureView' && v.features
                ? sampleRow(v.features)
                : null,
          ]),
        ),
      },
    ];
    const reported = new Set<string>();
    for (const run of runs) {
      let out: unknown;
      try {
        out = (o.transform as Transform)(run.inputs, request);
      } catch {
        continue;
      }
      if (typeof out !== 'object' || out === null || Array.isArray(out)) {
        if (!reported.has(''))
          problems.push({
            object,
            field: 'transform',
            message: `returned ${describeValue(out)} ${run.label}; it must return an object of its features`,
          });
        reported.add('');
        continue;
      }
      const row = out as Record<string, unknown>;
      for (const [name, declared] of Object.entries(o.features)) {
        const t = featureType(declared);
        if (reported.has(name)) continue;
        const why =
          !(name in row) || row[name] === undefined
            ? `transform returned no value ${run.label} (use null for a missing value)`
            : fits(t, row[name]);
        if (why) {
          reported.add(name);
          problems.push({
            object,
            field: name,
            message: `${why.startsWith('transform') ? why : `transform returned a wrong type ${run.label}: ${why}`} (declared ${typeLabel(t)})`,
          });
        }
      }
    }
  }
  return problems;
};
