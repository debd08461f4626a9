import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import type { Command } from 'commander';
import type { ResolvedRepository } from '../../definitions/resolve.js';
import { relationExists } from '../../sql/catalog.js';
import type { SqlClient } from '../../sql/client.js';
import { exportTrainingSet, formatOf, type TrainingSetFormat } from '../../offline/export.js';
import type { EntityInput } from '../../offline/training-set.js';
import { TrainingSetError } from '../../offline/training-set.js';
import { stderrProgress } from '../../offline/training/progress.js';
import { parseTimestamp } from '../../definitions/values.js';
import { fromLogEntities } from '../../monitoring/from-log.js';
import { noServedLogYet } from '../../monitoring/log-store.js';

interface HistoricalOptions {
  entities?: string;
  entitySql?: string;
  fromLog?: string;
  start?: string;
  end?: string;
  features?: string;
  service?: string;
  out: string;
  format?: string;
  now?: string;
  asKnownAt?: boolean;
  progress: boolean;
}

/** `featuregraph historical`: a point-in-time training set (Feast's get_historical_features) to CSV or Parquet. */
export const registerHistorical = (program: Command, open: () => Promise<{ sql: SqlClient; repo: ResolvedRepository }>): void => {
  program
    .command('historical')
    .description("Export a point-in-time correct training set: entity rows joined to feature values as of each row's event_timestamp")
    .option(
      '--entities <file>',
      'CSV file of entity rows: the join keys, event_timestamp, and the request arguments of selected on-demand views (other columns are passed through)',
    )
    .option('--entity-sql <query>', 'a SQL query returning the entity rows, instead of a file (its ORDER BY is the row order)')
    .option(
      '--from-log <service>',
      'entity rows from a served-feature log: keys, request arguments and serving time of each logged row (with --start/--end)',
    )
    .option('--start <timestamp>', 'with --from-log: first logging instant (inclusive; ISO or now-<duration>)')
    .option('--end <timestamp>', 'with --from-log: last logging instant (exclusive; ISO or now-<duration>, default now)')
    .option(
      '--features <refs>',
      'comma-separated view:feature references (on-demand views included: computed with their transform; aggregation views as view:output, e.g. quote_activity:quotes_5m); view.relation:view:feature reaches a feature through a relation, e.g. trip_facts.driver:driver_stats:conv_rate',
    )
    .option('--service <name>', 'a feature service, instead of --features')
    .requiredOption('--out <file>', 'output file: .csv or .parquet')
    .option('--format <format>', 'csv or parquet (default: from the --out extension)')
    .option('--now <timestamp>', 'clamp entity times after this instant (default: now)')
    .option(
      '--as-known-at',
      "every view reads only rows created at or before each entity row's time (default: each view's pointInTime.asKnownAt)",
    )
    .option('--no-as-known-at', 'every view reads rows by event time alone, whatever its pointInTime.asKnownAt')
    .option('--no-progress', 'do not report progress on stderr')
    .action(async (opts: HistoricalOptions) => {
      const fail = (message: string) => {
        process.stderr.write(`featuregraph: ${message}\n`);
        process.exitCode = 1;
      };
      if ([opts.entities, opts.entitySql, opts.fromLog].filter((x) => x !== undefined).length !== 1)
        return fail('give exactly one of --entities, --entity-sql or --from-log');
      // A logged service's own features are the natural default for "log, then train".
      if (opts.fromLog !== undefined && opts.features === undefined && opts.service === undefined) opts.service = opts.fromLog;
      if ((opts.features === undefined) === (opts.service === undefined)) return fail('give exactly one of --features or --service');
      if (opts.format !== undefined && opts.format !== 'csv' && opts.format !== 'parquet')
        return fail(`--format must be csv or parquet, got "${opts.format}"`);
      if (opts.entities !== undefined && !existsSync(opts.entities)) return fail(`--entities: no such file: ${opts.entities}`);
      // Only known extensions pick the format: `t.xlsx` must not silently become CSV.
      const ext = extname(opts.out).toLowerCase();
      if (opts.format === undefined && ext !== '.csv' && ext !== '.parquet')
        return fail(`--out ${opts.out}: unknown extension "${ext || '(none)'}"; use .csv or .parquet, or give --format csv|parquet`);
      const now = opts.now !== undefined ? parseTimestamp(opts.now) : new Date();
      if (!now) return fail(`--now: not a timestamp: ${opts.now}`);
      const features = opts.features
        ?.split(',')
        .map((f) => f.trim())
        .filter((f) => f.length > 0);
      // A signal ends the process through exit(), so the export's temporary file is removed.
      const onSignal = (sig: NodeJS.Signals) => process.exit(sig === 'SIGINT' ? 130 : 143);
      process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
      const { sql, repo } = await open();
      try {
        let entities: EntityInput;
        if (opts.fromLog !== undefined) {
          const e = fromLogEntities(repo, opts.fromLog, opts.start, opts.end);
          if ('error' in e) return fail(e.error);
          // The log table is created by the first logged request: before it, say so (as drift does).
          if (!(await relationExists(sql, e.relation))) return fail(noServedLogYet(opts.fromLog));
          entities = e.entities;
        } else entities = opts.entities !== undefined ? { csvFile: opts.entities } : { sql: opts.entitySql ?? '' };
        const started = performance.now();
        const { rows } = await exportTrainingSet(
          sql,
          repo,
          {
            entities,
            ...(features ? { features } : {}),
            ...(opts.service !== undefined ? { service: opts.service } : {}),
            now,
            ...(opts.asKnownAt !== undefined ? { asKnownAt: opts.asKnownAt } : {}),
          },
          opts.out,
          {
            format: (opts.format as TrainingSetFormat | undefined) ?? formatOf(opts.out),
            ...(opts.progress ? { progress: stderrProgress() } : {}),
          },
        );
        process.stderr.write(`wrote ${rows} rows to ${opts.out} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      } catch (err) {
        // The export is atomic: on failure no output (nor temporary file) is left, and an older --out is untouched.
        if (err instanceof TrainingSetError) return fail(err.message);
        throw err;
      } finally {
        await sql.close();
      }
    });
};
