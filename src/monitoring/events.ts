import { EventEmitter } from 'node:events';

/** What stores and writers report to monitoring in this process (docs/monitoring.md#metrics). */
export interface MonitoringEvents {
  /** A push batch: accepted rows were written, rejected rows failed validation (nothing of that batch written). */
  push: [{ view: string; accepted: number; rejected: number }];
  /** A view's materialization run finished. */
  materialized: [{ view: string; rows: number; elapsedMs: number }];
  /** A push the store failed (not bad input): logged with its request id. */
  pushFailed: [{ view: string; requestId: string; err: unknown }];
}

/** One hub per process: writers emit without knowing whether metrics are on. */
export const monitoringEvents = new EventEmitter<MonitoringEvents>();
monitoringEvents.setMaxListeners(100);
