import { GraphQLNonNull, GraphQLObjectType, type GraphQLFieldConfig, type GraphQLFieldConfigArgumentMap } from 'graphql';
import { camelCase, pascalCase } from '../../definitions/naming.js';
import type { OnDemandSpec, ResolvedRepository, TypedFeature } from '../../definitions/resolve.js';
import type { FeatureGraphContext, KeyParent } from '../context.js';
import { onDemandFieldResolver } from '../resolvers/views.js';
import { asOfArg } from './entity-type.js';
import { featureDescription } from './describe.js';
import { fieldInfo } from './extensions.js';
import { featureFields } from './view-type.js';
import { graphqlTypeOf } from './value-type.js';

/** Required arguments of an on-demand view's request arguments (`userLat: Float!`), described from the definition. */
export const requestArgs = (request: readonly TypedFeature[]): GraphQLFieldConfigArgumentMap =>
  Object.fromEntries(
    request.map((r) => [camelCase(r.name), { type: new GraphQLNonNull(graphqlTypeOf(r.type)), description: featureDescription(r) }]),
  );

/** `Customer.accidentProximity(userLat, userLon, asOf): AccidentProximity` together with its type. */
export const onDemandField = (o: OnDemandSpec, repo: ResolvedRepository): GraphQLFieldConfig<KeyParent, FeatureGraphContext> => ({
  type: new GraphQLObjectType({ name: pascalCase(o.name), description: o.def.description, fields: featureFields(o.features) }),
  description: o.def.description,
  args: { ...requestArgs(o.request), ...asOfArg },
  resolve: onDemandFieldResolver(o, repo),
  extensions: fieldInfo('onDemand', o.name),
});
