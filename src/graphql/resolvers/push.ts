import type { ViewSpec } from '../../definitions/resolve.js';
import { PUSH_CREATED_TS, PUSH_EVENT_TS } from '../../definitions/resolve.js';
import { camelCase } from '../../definitions/naming.js';
import { PushValidationError, pushRows, type PushTarget } from '../../online/push.js';
import type { FeatureGraphContext } from '../context.js';
import { fgError, storeUnavailable } from '../errors.js';

/** `Mutation.pushDriverStats(rows, to)`: GraphQL field names back to definition names, then the shared push path. */
export const pushResolver = (view: ViewSpec) => {
  const names = new Map<string, string>([
    ...view.keys.map((k) => [camelCase(k.joinKey), k.joinKey] as const),
    ...view.features.map((f) => [camelCase(f.name), f.name] as const),
    ['eventTimestamp', PUSH_EVENT_TS],
    ['createdTimestamp', PUSH_CREATED_TS],
  ]);
  return async (_: unknown, args: { rows: Record<string, unknown>[]; to: PushTarget }, ctx: FeatureGraphContext) => {
    const rows = args.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [names.get(k) ?? k, v])));
    try {
      return await pushRows({ sql: ctx.rt.offline, online: ctx.rt.online, project: ctx.rt.repo.project }, view, rows, args.to);
    } catch (err) {
      if (err instanceof PushValidationError)
        throw fgError(err.message, 'PUSH_REJECTED', {
          view: view.name,
          problems: err.problems.map((p) => ({ ...p, field: camelCase(p.field) || p.field })),
        });
      throw storeUnavailable(`push to ${view.name} failed, the batch may be partly written offline but not online`, 'ONLINE_STORE_UNAVAILABLE', err, {
        view: view.name,
      });
    }
  };
};
