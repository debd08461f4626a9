import { GraphQLNonNull, GraphQLObjectType, type GraphQLFieldConfig, type GraphQLOutputType } from 'graphql';
import { outputField, type AggregationOutput, type AggregationSpec } from '../../definitions/aggregation-spec.js';
import { pascalCase } from '../../definitions/naming.js';
import { shortestFloat32 } from '../../definitions/float32.js';
import type { FeatureGraphContext, KeyParent } from '../context.js';
import { DateTimeScalar } from '../scalars.js';
import { asOfArg } from './entity-type.js';
import { fieldInfo } from './extensions.js';
import type { Fields } from './parts.js';
import { graphqlTypeOf } from './value-type.js';

const windowText = (s: number): string =>
  s % 86_400 === 0 ? `${s / 86_400}d` : s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`;

const WHAT: Record<AggregationOutput['fn'], (f: string) => string> = {
  count: () => 'Number of events',
  sum: (f) => `Sum of ${f}`,
  avg: (f) => `Mean of ${f} (exact sum / count of non-null values; null without any)`,
  min: (f) => `Least ${f} (null without values)`,
  max: (f) => `Greatest ${f} (null without values)`,
  last: (f) => `${f} of the last event (greatest by event time, created time, then the tie rule; null without events)`,
};

/** An output's description: the definition's own, then what it computes over which window (docs/aggregations.md). */
const outputDescription = (o: AggregationOutput): string => {
  const w = windowText(o.windowSeconds);
  const auto = `${WHAT[o.fn](o.field ?? '')} in the last ${w}: events with windowEnd − ${w} < event time ≤ windowEnd, each event id once.`;
  return o.description ? `${o.description} ${auto}` : auto;
};

const outputType = (o: AggregationOutput): GraphQLOutputType => {
  const t = graphqlTypeOf(o.type);
  return o.fn === 'count' || o.fn === 'sum' ? new GraphQLNonNull(t) : t;
};

/** `Customer.quoteStats(asOf): QuoteStats` with its type: one field per output plus `windowEnd`. */
export const aggregationField = (spec: AggregationSpec): GraphQLFieldConfig<KeyParent, FeatureGraphContext> => {
  const fields: Fields = {
    windowEnd: {
      type: new GraphQLNonNull(DateTimeScalar),
      description: 'The instant t every window (t − w, t] ends at: the time of the read online, asOf (at most now) offline.',
    },
  };
  const outs = spec.outputs.map((o) => [o.name, outputField(o), o.type.kind === 'scalar' && o.type.name === 'Float32'] as const);
  for (const o of spec.outputs) fields[outputField(o)] = { type: outputType(o), description: outputDescription(o) };
  const description = spec.def.description ?? `Windowed aggregations of the ${spec.name} events.`;
  return {
    type: new GraphQLObjectType({ name: pascalCase(spec.name), description, fields }),
    description,
    args: { ...asOfArg },
    extensions: fieldInfo('aggregation', spec.name),
    resolve: async (parent, args: { asOf?: Date | null }, ctx) => {
      const asOf = args.asOf ?? parent.asOf;
      const rec = await ctx.loaders.loadAggregation({ aggregation: spec, key: parent.key, parts: parent.parts, ...(asOf ? { asOf } : {}) });
      if (!rec) return null;
      const o: Record<string, unknown> = { windowEnd: rec.eventTs };
      for (const [name, field, f32] of outs) {
        const v = rec.values[name] ?? null;
        o[field] = f32 && typeof v === 'number' ? shortestFloat32(v) : v;
      }
      return o;
    },
  };
};
