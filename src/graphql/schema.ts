import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { createSchema } from 'graphql-yoga';
import type { ResolvedRepository } from '../definitions/resolve.js';
import { buildSdl } from './sdl.js';
import { buildResolvers } from './resolvers/index.js';
import type { FeatureGraphContext } from './context.js';
import { DRIFT_SDL, driftResolvers } from './drift-field.js';

/** The executable schema generated from a repository. */
export const buildSchema = (repo: ResolvedRepository): GraphQLSchema =>
  createSchema<FeatureGraphContext>({ typeDefs: [buildSdl(repo), DRIFT_SDL], resolvers: [buildResolvers(repo), driftResolvers(repo)] as never });

/** The SDL as checked in at schema/featuregraph.graphql: lexicographically sorted, with descriptions. */
export const printSortedSdl = (schema: GraphQLSchema): string => `${printSchema(lexicographicSortSchema(schema))}\n`;
