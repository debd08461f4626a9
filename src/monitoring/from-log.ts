import type { ResolvedRepository } from '../definitions/resolve.js';
import type { EntityInput } from '../offline/training-set.js';
import { logEntityRowsSql } from './log-store.js';
import { logTableOf } from './log-table.js';
import { parseTimeWindow } from './time-window.js';

/**
 * Training-set entity rows from a served-feature log (`historical --from-log`; docs/monitoring.md#log-then-train):
 * every logged row of `service` with `start <= logged_at < end`, its join keys, request arguments, and the
 * serving time as `event_timestamp`, so each training row sees the features as of when it was served.
 */
export const fromLogEntities = (
  repo: ResolvedRepository,
  service: string,
  start: string | undefined,
  end: string | undefined,
  now = Date.now(),
): { entities: EntityInput; relation: string } | { error: string } => {
  const s = repo.services.find((x) => x.name === service);
  if (!s) return { error: `unknown feature service "${service}"; services are: ${repo.services.map((x) => x.name).join(', ')}` };
  if (start === undefined) return { error: '--from-log needs --start' };
  let w: ReturnType<typeof parseTimeWindow>;
  try {
    w = parseTimeWindow(`${start}..${end ?? 'now'}`, now);
  } catch (err) {
    return { error: (err as Error).message.replace(/^time window "[^"]*": /, '--start/--end: ') };
  }
  if (!w) return { error: '--start/--end must be timestamps' };
  const table = logTableOf(repo, s);
  return { entities: { sql: logEntityRowsSql(table, w) }, relation: table.relation };
};
