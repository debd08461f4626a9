import { GraphQLError } from 'graphql';

/** Error codes featuregraph puts in `extensions.code`. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'ONLINE_STORE_UNAVAILABLE'
  | 'ONLINE_STORE_EMPTY'
  | 'OFFLINE_STORE_UNAVAILABLE'
  | 'ON_DEMAND_TRANSFORM_FAILED'
  | 'PUSH_REJECTED'
  | 'NOT_FOUND'
  | 'INTERNAL';

export const fgError = (message: string, code: ErrorCode, extra: Record<string, unknown> = {}): GraphQLError =>
  new GraphQLError(message, { extensions: { code, ...extra } });

export const badInput = (message: string, extra: Record<string, unknown> = {}) => fgError(message, 'BAD_USER_INPUT', extra);
