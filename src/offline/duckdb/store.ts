import { formatProblem } from '../../definitions/errors.js';
import type { ViewSpec } from '../../definitions/resolve.js';
import { OfflineStoreError, type OfflineStore } from '../store.js';
import { openDuckDb, type DuckDb, type DuckDbOptions } from './connection.js';
import { duckLatestRows } from './latest-rows.js';
import { duckNativeCsvExport } from './native-export.js';
import { duckPointInTime } from './point-in-time.js';
import { sourceSelect, tsLiteral } from './relation.js';
import { checkFileSources } from './source-checks.js';
import { duckTrainingSet } from './training-set.js';

/**
 * The file offline store: views over Parquet files (a file, a glob or a directory), read by an embedded,
 * in-memory DuckDB (docs/offline-stores.md). DuckDB starts on first use, so a repository without file
 * sources never loads it. Files are read-only: it keeps no push tables (no `pushes`; online/push.ts refuses offline pushes to them).
 */
export const createDuckDbOfflineStore = (options: DuckDbOptions = {}): OfflineStore => {
  let db: Promise<DuckDb> | null = null;
  const open = () => (db ??= openDuckDb(options));
  /**
   * `work` over `views`; when it fails, the views' source checks say why if they can (a missing file or
   * column, a column of the wrong type: the view, source and column named), instead of DuckDB's binder error.
   */
  const explain = async (views: readonly ViewSpec[], err: unknown): Promise<unknown> => {
    // DuckDB's own advice ("SET memory_limit …") names settings a user of featuregraph does not run.
    if (/Out of Memory Error/i.test(err instanceof Error ? err.message : String(err)))
      return new OfflineStoreError(
        `DuckDB ran out of memory under its ${options.memoryLimit ?? '80MB'} limit reading ${views.map((v) => `feature view "${v.name}"`).join(', ')}: ` +
          'set FEATUREGRAPH_DUCKDB_MEMORY_LIMIT (for example 1GB; DuckDbOptions.memoryLimit in code) or request fewer entity rows at once (docs/offline-stores.md, "Memory")',
        { cause: err },
      );
    const problems = await checkFileSources(await open(), views).catch(() => []);
    return problems.length === 0 ? err : new OfflineStoreError(problems.map(formatProblem).join('; '), { cause: err });
  };
  const explained = async <T>(views: readonly ViewSpec[], work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw await explain(views, err);
    }
  };
  return {
    engine: 'duckdb',
    description: 'embedded DuckDB over Parquet files',
    serves: (view: ViewSpec) => view.source.kind === 'file',
    pointInTime: async (view, requests, features, opts) =>
      explained([view], async () => duckPointInTime(await open(), view, requests, features, opts)),
    async *latestRows(view, window, batchSize) {
      try {
        yield* duckLatestRows(await open(), view, window, batchSize);
      } catch (err) {
        throw await explain([view], err);
      }
    },
    // Aggregation views read push or Postgres sources only (validated), never files (docs/aggregations.md).
    async aggregate(spec) {
      throw new OfflineStoreError(`${spec.name}: aggregation views over Parquet files are not supported`);
    },
    // biome-ignore lint/correctness/useYield: nothing to stream, see aggregate
    async *events(spec) {
      throw new OfflineStoreError(`${spec.name}: aggregation views over Parquet files are not supported`);
    },
    // Files carry created times stamped by whoever wrote them; this process's clock is the best there is.
    clock: async () => new Date(),
    async newestEventTime(view, upTo) {
      try {
        const r = await (await open()).with((c) =>
          c.runAndReadAll(`SELECT epoch_ms(max(fg_ts)) FROM (${sourceSelect(view)}) s WHERE fg_ts <= ${tsLiteral(upTo)}`),
        );
        const m = r.getRows()[0]?.[0];
        return m === null || m === undefined ? null : new Date(Number(m));
      } catch (err) {
        // No files (yet): nothing to materialize. Anything else is a problem of the files, named if it can be.
        if (/No files found/i.test(err instanceof Error ? err.message : String(err))) return null;
        throw await explain([view], err);
      }
    },
    checkSources: async (views) =>
      checkFileSources(
        await open(),
        views.filter((v) => v.source.kind === 'file'),
      ),
    trainingSet: async (plan, request, sink, opts) =>
      explained(
        plan.views.map((v) => v.view),
        async () => duckTrainingSet(await open(), plan, request, sink, opts),
      ),
    exportCsv: async (plan, request, out) =>
      explained(
        plan.views.map((v) => v.view),
        async () => duckNativeCsvExport(await open(), plan, request, out),
      ),
    async ping() {
      await (await open()).with((c) => c.run('SELECT 1'));
    },
    async close() {
      if (db) (await db).close();
    },
  };
};
