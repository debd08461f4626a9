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
  /** A value older than the request's maxAge: the field is null (docs/graphql.md, "Freshness"). */
  | 'STALE'
  /** A subscription whose client fell too far behind its changes; it ends (docs/subscriptions.md). */
  | 'SLOW_SUBSCRIBER'
  | 'INTERNAL';

export const fgError = (message: string, code: ErrorCode, extra: Record<string, unknown> = {}): GraphQLError =>
  new GraphQLError(message, { extensions: { code, ...extra } });

export const badInput = (message: string, extra: Record<string, unknown> = {}) => fgError(message, 'BAD_USER_INPUT', extra);

/** The internal error behind a store error: logged by the server with the request id, never sent to the caller. */
const causes = new WeakMap<GraphQLError, unknown>();
export const errorCause = (err: GraphQLError): unknown => causes.get(err);

/**
 * A store failure for the caller: what failed and the code, never the driver's message (it carries host:port
 * or SQL text). The driver's error stays reachable through `errorCause` for the server log.
 */
export const storeUnavailable = (
  message: string,
  code: 'ONLINE_STORE_UNAVAILABLE' | 'OFFLINE_STORE_UNAVAILABLE',
  cause: unknown,
  extra: Record<string, unknown> = {},
): GraphQLError => {
  const err = fgError(message, code, extra);
  causes.set(err, cause);
  return err;
};
