import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../../src/sql/client.js';
import { runChunkPipeline, type ChunkRange } from '../../src/offline/postgres/training/chunk-pipeline.js';
import { sqlBackends } from '../support/env.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Six chunks of ten rows; chunk i's collect takes `delays[i]` ms, so later chunks often finish first. */
const pipeline = (delays: readonly number[], failAt: number | null, emitted: number[], backends: Set<number>) => ({
  concurrency: 3,
  prepare: async () => undefined,
  load: async (tx: SqlClient, index: number) => {
    const { rows } = await tx.query<{ pid: number }>(`SELECT ${tx.dialect === 'postgres' ? 'pg_backend_pid()' : '1'} AS pid`);
    backends.add(Number(rows[0]?.pid));
    return index < delays.length ? { lo: index * 10 + 1, hi: index * 10 + 10 } : null;
  },
  collect: async (_tx: SqlClient, range: ChunkRange) => {
    await sleep(delays[range.index] ?? 0);
    if (range.index === failAt) throw new Error(`chunk ${range.index} failed`);
    return range.index;
  },
  emit: async (range: ChunkRange, collected: number) => {
    expect(collected).toBe(range.index);
    emitted.push(range.index);
  },
});

describe.each(sqlBackends)('training-set chunk pipeline on $name', ({ open }) => {
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await open();
  });
  afterAll(async () => {
    await sql.close();
  });

  it('emits chunks in order however their collection interleaves, on several connections where there are several', async () => {
    const emitted: number[] = [];
    const backends = new Set<number>();
    await runChunkPipeline(sql, pipeline([60, 5, 30, 1, 40, 2], null, emitted, backends));
    expect(emitted).toEqual([0, 1, 2, 3, 4, 5]);
    if (sql.dialect === 'postgres') expect(backends.size).toBe(3);
  });

  it('emits nothing after a chunk that fails, even chunks collected before it', async () => {
    const emitted: number[] = [];
    const err = await runChunkPipeline(sql, pipeline([5, 5, 80, 1, 1, 1], 2, emitted, new Set())).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe('chunk 2 failed');
    expect(emitted).toEqual([0, 1]);
    // The connections were rolled back and returned: the client still works.
    expect((await sql.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
  });
});
