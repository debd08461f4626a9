import type { SqlClient } from '../../../sql/client.js';

/** A range of entity rows (by ordinal, inclusive) loaded on one worker's connection. */
export interface ChunkRange {
  readonly index: number;
  readonly lo: number;
  readonly hi: number;
}

export interface ChunkPipeline<T> {
  /** Connections working at once (1 on PGlite, which has one). */
  readonly concurrency: number;
  /** Per worker, first thing in its transaction after the snapshot is set: session settings, the entity table. */
  prepare(tx: SqlClient): Promise<void>;
  /**
   * Load the next chunk of entity rows on this worker's connection; null once the input is exhausted.
   * Calls are serialised, so chunks are loaded in input order.
   */
  load(tx: SqlClient, index: number): Promise<{ lo: number; hi: number } | null>;
  /**
   * Compute a chunk's result on this worker's connection as soon as it is loaded. Workers collect side by
   * side, so every connection's statement runs, and streams out, while the others do: none waits for its turn.
   */
  collect(tx: SqlClient, range: ChunkRange): Promise<T>;
  /** Hand a collected chunk on; called strictly in chunk order. */
  emit(range: ChunkRange, collected: T): Promise<void>;
}

/**
 * Run a training set chunk by chunk on `concurrency` connections, each in one long transaction, all on
 * ONE snapshot (the first exports it, the others import it), so every chunk sees the same source rows, as
 * one statement would. A worker loads a chunk and collects its result at once; collected chunks are emitted
 * in chunk order. A worker holds at most one collected chunk while it waits for its turn, so memory stays
 * bounded by `concurrency` chunks.
 */
export const runChunkPipeline = async <T>(sql: SqlClient, p: ChunkPipeline<T>): Promise<void> => {
  let loadLock: Promise<unknown> = Promise.resolve();
  let nextIndex = 0;
  let lastTurn: Promise<void> = Promise.resolve();
  let fail!: (err: unknown) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);

  const claim = (tx: SqlClient) => {
    const run = loadLock.then(async () => {
      const index = nextIndex;
      const r = await p.load(tx, index);
      if (!r) return null;
      nextIndex++;
      const turn = lastTurn;
      let release!: () => void;
      lastTurn = new Promise<void>((resolve) => (release = resolve));
      return { range: { index, ...r }, turn, release };
    });
    loadLock = run.catch(() => undefined);
    return run;
  };

  const work = async (tx: SqlClient) => {
    await p.prepare(tx);
    for (;;) {
      const c = await claim(tx);
      if (!c) return;
      try {
        // Collected to its end even if another worker fails meanwhile: the connection must be free to roll back.
        const collected = await p.collect(tx, c.range);
        await Promise.race([c.turn, failed]);
        await p.emit(c.range, collected);
      } catch (err) {
        // Fail before the turn passes on: no later chunk may be emitted after a gap.
        fail(err);
        throw err;
      }
      c.release();
    }
  };

  const repeatable = `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`;
  if (sql.dialect !== 'postgres') {
    // PGlite runs one transaction at a time, so nothing else writes between the chunks' statements.
    await sql.transaction(work);
    return;
  }
  if (p.concurrency <= 1) {
    await sql.transaction(async (tx) => {
      await tx.query(repeatable);
      await work(tx);
    });
    return;
  }
  let exported!: (id: string) => void;
  const snapshot = new Promise<string>((resolve) => (exported = resolve));
  let imports = 0;
  let allImported!: () => void;
  const imported = new Promise<void>((resolve) => (allImported = resolve));
  const guard = async (fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      fail(err);
      throw err;
    }
  };
  const first = sql.transaction((tx) =>
    guard(async () => {
      await tx.query(repeatable);
      const { rows } = await tx.query<{ id: string }>(`SELECT pg_export_snapshot() AS id`);
      exported(rows[0]?.id ?? '');
      try {
        await work(tx);
      } finally {
        // The exported snapshot lives as long as this transaction: keep it until every worker has imported it.
        await Promise.race([imported, failed]).catch(() => undefined);
      }
    }),
  );
  const others = Array.from({ length: p.concurrency - 1 }, () =>
    sql.transaction((tx) =>
      guard(async () => {
        const id = await Promise.race([snapshot, failed]);
        await tx.query(repeatable);
        await tx.query(`SET TRANSACTION SNAPSHOT '${id.replace(/'/g, "''")}'`);
        if (++imports === p.concurrency - 1) allImported();
        await work(tx);
      }),
    ),
  );
  const results = await Promise.allSettled([first, ...others]);
  const bad = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (bad) throw bad.reason;
};
