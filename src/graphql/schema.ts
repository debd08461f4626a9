import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

export { buildSchema } from './build/index.js';

/** The SDL as checked in at schema/featuregraph.graphql: lexicographically sorted, with descriptions. */
export const printSortedSdl = (schema: GraphQLSchema): string => `${printSchema(lexicographicSortSchema(schema))}\n`;
