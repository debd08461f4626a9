import { GraphQLBoolean, GraphQLFloat, GraphQLID, GraphQLNonNull, GraphQLObjectType, type GraphQLFieldConfig } from 'graphql';
import { camelCase, pascalCase } from '../../definitions/naming.js';
import type { FeatureSpec, ViewSpec } from '../../definitions/resolve.js';
import { VALUE_KEY, type FeatureGraphContext, type KeyParent } from '../context.js';
import { viewFieldResolver } from '../resolvers/views.js';
import { DateTimeScalar, DurationScalar } from '../scalars.js';
import { asOfArg } from './entity-type.js';
import { featureDescription, MAX_AGE_DOC } from './describe.js';
import { fieldInfo } from './extensions.js';
import type { Fields } from './parts.js';
import { graphqlTypeOf } from './value-type.js';

/** The fields every stored view's value has besides its features (docs/graphql.md, "Freshness"). */
const freshnessFields = (): Fields => ({
  eventTimestamp: { type: new GraphQLNonNull(DateTimeScalar), description: 'Event time of the row the values come from.' },
  createdTimestamp: {
    type: DateTimeScalar,
    description: "Ingestion (created) time of that row; null when the view's source has no created timestamp.",
  },
  ageSeconds: {
    type: new GraphQLNonNull(GraphQLFloat),
    description: 'How old the value is, in seconds: now − eventTimestamp at read time (with asOf: asOf − eventTimestamp).',
  },
});

/** Fields of some features, typed and described from their definitions. */
export const featureFields = (features: readonly Omit<FeatureSpec, 'column'>[]): Fields =>
  Object.fromEntries(features.map((f) => [camelCase(f.name), { type: graphqlTypeOf(f.type), description: featureDescription(f) }]));

/** An object type of a stored view's value (or a service's selection of it): freshness fields plus features. */
export const storedValueType = (name: string, description: string | undefined, features: readonly FeatureSpec[], relations: Fields = {}) =>
  new GraphQLObjectType({ name, description, fields: { ...freshnessFields(), ...featureFields(features), ...relations } });

export const maxAgeArg = { maxAge: { type: DurationScalar, description: MAX_AGE_DOC } };

const asKnownAtArg = {
  asKnownAt: {
    type: GraphQLBoolean,
    description:
      "With asOf: true reads only rows created (ingested) by then, what serving could have seen; false reads by event time alone. Default: the view's pointInTime.asKnownAt (docs/offline-stores.md).",
  },
};

/**
 * `DriverStats.driverId`: the join keys of the entity a value belongs to, so a subscription's changes say
 * whose they are (docs/subscriptions.md). Validation keeps feature and relation names off them.
 */
const keyFields = (v: ViewSpec): Fields<{ readonly [VALUE_KEY]?: readonly string[] }> =>
  Object.fromEntries(
    v.keys.map((k, i) => [
      camelCase(k.joinKey),
      {
        type: new GraphQLNonNull(GraphQLID),
        description: `The ${k.entity}'s ${k.joinKey} this value belongs to.`,
        resolve: (value: { readonly [VALUE_KEY]?: readonly string[] }) => value[VALUE_KEY]?.[i] ?? null,
      },
    ]),
  );

/** `Driver.driverStats(asOf, maxAge): DriverStats` together with the `DriverStats` type it returns (its key and relation fields). */
export const viewField = (v: ViewSpec, relations: Fields = {}): GraphQLFieldConfig<KeyParent, FeatureGraphContext> => ({
  type: storedValueType(pascalCase(v.name), v.def.description, v.features, { ...(keyFields(v) as Fields), ...relations }),
  description: v.def.description,
  args: { ...asOfArg, ...asKnownAtArg, ...maxAgeArg },
  resolve: viewFieldResolver(v),
  extensions: fieldInfo('view', v.name),
});
