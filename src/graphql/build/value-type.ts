import { GraphQLBoolean, GraphQLFloat, GraphQLInt, GraphQLList, GraphQLString, type GraphQLScalarType } from 'graphql';
import type { ScalarType, ValueType } from '../../definitions/value-types.js';
import { BytesScalar, DateTimeScalar, Int64Scalar, JsonScalar } from '../scalars.js';

const SCALARS: Record<ScalarType['name'], GraphQLScalarType> = {
  Bool: GraphQLBoolean,
  Int32: GraphQLInt,
  Int64: Int64Scalar,
  Float32: GraphQLFloat,
  Float64: GraphQLFloat,
  String: GraphQLString,
  Bytes: BytesScalar,
  Timestamp: DateTimeScalar,
  Json: JsonScalar,
};

/** The GraphQL type of a feature value (nullable; list elements nullable too), for output and input alike. */
export const graphqlTypeOf = (t: ValueType): GraphQLScalarType | GraphQLList<GraphQLScalarType> =>
  t.kind === 'list' ? new GraphQLList(SCALARS[t.of.name]) : SCALARS[t.name];
