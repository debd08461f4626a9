import type { ViewSpec } from '../../definitions/resolve.js';
import { PUSH_CREATED_TS, PUSH_EVENT_TS } from '../../definitions/resolve.js';
import { camelCase } from '../../definitions/naming.js';
import { IdempotencyKeyReusedError, PushStoreError, PushValidationError, pushRows, type PushTarget } from '../../online/push.js';
import type { FeatureGraphContext } from '../context.js';
import type { AggregationSpec } from '../../definitions/aggregation-spec.js';
import { fgError, storeUnavailable } from '../errors.js';

/** `Mutation.pushDriverStats(rows, to)`: GraphQL field names back to definition names, then the shared push path. */
export const pushResolver = (view: ViewSpec, aggregation?: AggregationSpec) => {
  const names = new Map<string, string>([
    ...view.keys.map((k) => [camelCase(k.joinKey), k.joinKey] as const),
    ...view.features.map((f) => [camelCase(f.name), f.name] as const),
    ['eventTimestamp', PUSH_EVENT_TS],
    ['createdTimestamp', PUSH_CREATED_TS],
  ]);
  return async (
    _: unknown,
    args: { rows: Record<string, unknown>[]; to: PushTarget; idempotencyKey?: string | null },
    ctx: FeatureGraphContext,
  ) => {
    const rows = args.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [names.get(k) ?? k, v])));
    try {
      return await pushRows({ offline: ctx.rt.offline, online: ctx.rt.online, project: ctx.rt.repo.project }, view, rows, args.to, {
        idempotencyKey: args.idempotencyKey ?? undefined,
        ...(aggregation ? { aggregation } : {}),
      });
    } catch (err) {
      // Categorised by origin (docs/writes.md): bad input is never reported as a store outage.
      if (err instanceof PushValidationError)
        throw fgError(err.message, 'BAD_USER_INPUT', {
          view: view.name,
          problems: err.problems.map((p) => ({ ...p, field: camelCase(p.field) || p.field })),
          problemCount: err.problemCount,
        });
      if (err instanceof IdempotencyKeyReusedError) throw fgError(err.message, 'BAD_USER_INPUT', { view: view.name });
      if (err instanceof PushStoreError && (err.code === 'ONLINE_STORE_UNAVAILABLE' || err.code === 'OFFLINE_STORE_UNAVAILABLE'))
        throw storeUnavailable(err.message, err.code, err.cause ?? err, { view: view.name, offlineCommitted: err.offlineCommitted });
      if (err instanceof PushStoreError && err.code === 'BAD_USER_INPUT')
        throw fgError(err.message, err.code, { view: view.name, offlineCommitted: err.offlineCommitted });
      throw err; // unexpected: masked by the server, logged whole
    }
  };
};
