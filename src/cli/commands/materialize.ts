import type { Command } from 'commander';
import { materializeViews } from '../../materialize/index.js';
import { openFor, parseCliTime } from '../context.js';
import { fmtInt, progressPrinter, rate } from '../progress.js';

const progress = () => {
  const p = progressPrinter();
  return ({ view, rows, written, done, elapsedMs }: { view: string; rows: number; written: number; done: boolean; elapsedMs: number }) => {
    const line = `${view}: ${fmtInt(rows)} keys read, ${fmtInt(written)} written (${rate(rows, elapsedMs)})`;
    if (done) p.done(`${line}, done in ${(elapsedMs / 1000).toFixed(1)}s`);
    else p.update(line);
  };
};

const viewList = (v?: string) => v?.split(',').map((s) => s.trim()).filter(Boolean);

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
        const results = await materializeViews(fs, { start, end, views: viewList(opts.views), onProgress: progress() });
        console.log(`materialized ${results.length} view(s) into ${fs.online.description}`);
      } finally {
        await fs.close();
      }
    });

  program
    .command('materialize-incremental')
    .description('Materialize each view from its watermark (ingestion time when the source has a created timestamp) to --end')
    .option('--end <time>', 'ISO 8601 time, "now" or "now-1h"', 'now')
    .option('--views <names>', 'comma-separated feature views (default: every online view)')
    .action(async (opts: { end: string; views?: string }, cmd: Command) => {
      const end = parseCliTime(opts.end, '--end');
      const fs = await openFor(cmd);
      try {
        const results = await materializeViews(fs, { end, incremental: true, views: viewList(opts.views), onProgress: progress() });
        console.log(`materialized ${results.length} view(s) incrementally into ${fs.online.description}`);
      } finally {
        await fs.close();
      }
    });
};
