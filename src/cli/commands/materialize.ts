import type { Command } from 'commander';
import { durationSeconds, type Duration } from '../../definitions/duration.js';
import {
  DEFAULT_OVERLAP_SECONDS,
  materializeViews,
  type MarkerOutcome,
  type MaterializeProgress,
  type ViewRun,
} from '../../materialize/index.js';
import { openFor, parseCliTime } from '../context.js';
import { fmtInt, progressPrinter, rate } from '../progress.js';

/**
 * Progress on stderr: keys read (one latest row per key), rows that became the online value, the rate and
 * the elapsed time, so a long run shows it is moving and how fast.
 */
const progress = () => {
  const p = progressPrinter();
  return ({ view, rows, written, done, elapsedMs }: MaterializeProgress) => {
    const secs = `${(elapsedMs / 1000).toFixed(1)}s`;
    if (!done && rows === 0) return p.update(`${view}: reading the source (the first batch waits for the per-key sort)…`, true);
    const line = `${view}: ${fmtInt(rows)} keys read, ${fmtInt(written)} written (${rate(rows, elapsedMs)})`;
    if (done) p.done(`${line}, done in ${secs}`);
    else p.update(`${line}, ${secs}`);
  };
};

/**
 * A partial, windowed or incremental run onto a store without a marker leaves it absent (docs/writes.md):
 * the store holds no complete materialization, and says so rather than let `serve` trust it.
 */
const markerNote = (outcome: MarkerOutcome | undefined): string[] =>
  outcome === 'absent'
    ? [
        'the online store has no complete materialization (no marker): this run did not rebuild every view in full, so `serve` ' +
          're-materializes everything on start and answers ONLINE_STORE_EMPTY meanwhile; run a full ' +
          '`featuregraph materialize --start 1970-01-01 --end now` to mark it',
      ]
    : [];

const summary = (runs: readonly ViewRun[]) =>
  runs.filter((r) => r.upToDate).map((r) => `${r.view}: up to date (--end is before its watermark), nothing to do`);

const parseOverlap = (v: string): number => {
  try {
    return durationSeconds((/^\d+$/.test(v) ? Number(v) : v) as Duration);
  } catch (err) {
    throw new Error(`--overlap ${(err as Error).message}`);
  }
};

const viewList = (v?: string) =>
  v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** `featuregraph materialize --start --end [--views]` and `materialize-incremental [--end] [--views]`. */
export const registerMaterialize = (program: Command) => {
  program
    .command('materialize')
    .description('Copy the latest row per key with start <= event time <= end into the online store (idempotent)')
    .requiredOption('--start <time>', 'ISO 8601 time, "now" or "now-7d"')
    .requiredOption('--end <time>', 'ISO 8601 time, "now" or "now-1h"')
    .option('--views <names>', 'comma-separated feature views (default: every online view)')
    .action(async (opts: { start: string; end: string; views?: string }, cmd: Command) => {
      const start = parseCliTime(opts.start, '--start');
      const end = parseCliTime(opts.end, '--end');
      if (start > end) throw new Error(`--start (${start.toISOString()}) is after --end (${end.toISOString()})`);
      const fs = await openFor(cmd);
      try {
        let marker: MarkerOutcome | undefined;
        const results = await materializeViews(fs, {
          start,
          end,
          views: viewList(opts.views),
          onProgress: progress(),
          onMarker: (o) => (marker = o),
        });
        console.log(`materialized ${results.length} view(s) into ${fs.online.description}`);
        for (const line of markerNote(marker)) console.log(line);
      } finally {
        await fs.close();
      }
    });

  program
    .command('materialize-incremental')
    .description('Materialize each view from its watermark (ingestion time when the source has a created timestamp) to --end')
    .option('--end <time>', 'ISO 8601 time, "now" or "now-1h"', 'now')
    .option('--views <names>', 'comma-separated feature views (default: every online view)')
    .option(
      '--overlap <duration>',
      `re-read this far before the watermark, for late commits and clock skew (e.g. 10m; default ${DEFAULT_OVERLAP_SECONDS / 60}m)`,
    )
    .action(async (opts: { end: string; views?: string; overlap?: string }, cmd: Command) => {
      const end = parseCliTime(opts.end, '--end');
      const overlapSeconds = opts.overlap === undefined ? undefined : parseOverlap(opts.overlap);
      const fs = await openFor(cmd);
      try {
        let marker: MarkerOutcome | undefined;
        const results = await materializeViews(fs, {
          end,
          incremental: true,
          views: viewList(opts.views),
          onProgress: progress(),
          onMarker: (o) => (marker = o),
          ...(overlapSeconds === undefined ? {} : { overlapSeconds }),
        });
        for (const line of summary(results)) console.log(line);
        console.log(`materialized ${results.length} view(s) incrementally into ${fs.online.description}`);
        for (const line of markerNote(marker)) console.log(line);
      } finally {
        await fs.close();
      }
    });
};
