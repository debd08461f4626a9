/** Helpers of the materialization benchmark: memory sampling and cleanup. */
import type { Redis } from 'ioredis';
import { projectSchema } from '../src/definitions/resolve.js';
import type { SqlClient } from '../src/sql/client.js';

/**
 * Sample this process's RSS every 50 ms until stopped; returns the peak in MB. Also the peak V8 heap in use:
 * RSS depends on when the GC runs, the live heap shows what the run actually holds.
 */
export const peakRss = (): { peak: () => number; heap: () => number; stop: () => number } => {
  let peak = process.memoryUsage.rss();
  let heap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
    heap = Math.max(heap, process.memoryUsage().heapUsed);
  }, 50);
  return {
    heap: () => Math.round(heap / 1024 / 1024),
    peak: () => Math.round(Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024),
    stop: () => {
      clearInterval(timer);
      return Math.round(Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024);
    },
  };
};

/** Delete every key matching `pattern` (SCAN + UNLINK in pipelines). */
export const scanDelete = async (redis: Redis, pattern: string): Promise<number> => {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
    cursor = next;
    if (keys.length > 0) n += (await redis.unlink(...keys)) ?? 0;
  } while (cursor !== '0');
  return n;
};

/** Drop the source schema and the project schema (registry state written by the run). */
export const dropBench = async (sql: SqlClient, schema: string, project: string) => {
  await sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await sql.query(`DROP SCHEMA IF EXISTS "${projectSchema(project)}" CASCADE`);
};
