import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

import { extendSchema, parse } from 'graphql';
import type { ResolvedRepository } from '../definitions/resolve.js';
import { buildSchema as buildDefinitionSchema } from './build/index.js';
import { DRIFT_SDL, driftResolvers } from './drift-field.js';

/**
 * The executable schema generated from a repository (one walk, build/), plus `Query.featureDrift` over the
 * served-feature log (docs/monitoring.md), which does not depend on the definitions' shapes.
 */
export const buildSchema = (repo: ResolvedRepository): GraphQLSchema => {
  const schema = extendSchema(buildDefinitionSchema(repo), parse(DRIFT_SDL));
  const drift = schema.getQueryType()?.getFields().featureDrift;
  if (drift) drift.resolve = driftResolvers(repo).Query.featureDrift as typeof drift.resolve;
  return schema;
};

/** The SDL as checked in at schema/featuregraph.graphql: lexicographically sorted, with descriptions. */
export const printSortedSdl = (schema: GraphQLSchema): string => `${printSchema(lexicographicSortSchema(schema))}\n`;
