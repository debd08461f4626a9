import type { Command } from 'commander';
import type { ResolvedRepository } from '../../definitions/resolve.js';
import type { SqlClient } from '../../sql/client.js';
import {
  checkMinRows,
  computeDrift,
  driftRecords,
  DriftInputError,
  formatDriftTable,
  parseCurrent,
  parseReference,
} from '../../monitoring/drift.js';
import { createSqlLogStore, noServedLogYet } from '../../monitoring/log-store.js';
import { formatCliError } from '../errors.js';

interface DriftOptions {
  service: string;
  reference: string;
  current: string;
  format: string;
  minRows?: string;
}

/** `featuregraph drift`: PSI per feature of a service's served-feature log (docs/monitoring.md#psi); exits 1 when any drifted. */
export const registerDrift = (program: Command, open: () => Promise<{ sql: SqlClient; repo: ResolvedRepository }>): void => {
  program
    .command('drift')
    .description('Compare the served-feature log of a service against a reference: PSI per feature; exits 1 when any feature drifted')
    .requiredOption('--service <name>', 'a feature service that declares logging')
    .requiredOption('--reference <window|file>', 'a time window (now-2d..now-1d, or ISO..ISO) of the log, or a training set CSV file')
    .requiredOption('--current <window>', 'a time window of the log, e.g. now-1d..now')
    .option('--format <format>', 'table or json', 'table')
    .option('--min-rows <n>', "rows each side needs before a feature is judged (default: the view's drift.minRows, else 100)")
    .action(async (opts: DriftOptions) => {
      const fail = (message: string) => {
        process.stderr.write(`featuregraph: ${message}\n`);
        process.exitCode = 2;
      };
      if (opts.format !== 'table' && opts.format !== 'json') return fail(`--format must be table or json, got "${opts.format}"`);
      const { sql, repo } = await open();
      try {
        if (!repo.services.some((s) => s.name === opts.service))
          return fail(`unknown feature service "${opts.service}"; services are: ${repo.services.map((s) => s.name).join(', ')}`);
        const reference = parseReference(opts.reference, { allowFiles: true });
        const current = parseCurrent(opts.current);
        if (opts.minRows !== undefined && !/^\d+$/.test(opts.minRows))
          return fail(`--min-rows must be a whole number of at least 1, got "${opts.minRows}"`);
        const minRows = opts.minRows === undefined ? undefined : checkMinRows(Number(opts.minRows), '--min-rows');
        const store = createSqlLogStore(sql);
        const report = await computeDrift(store, repo, opts.service, reference, current, minRows === undefined ? {} : { minRows });
        await store.recordDrift(repo.project, driftRecords(report));
        process.stdout.write(opts.format === 'json' ? `${JSON.stringify(report)}\n` : `${formatDriftTable(report)}\n`);
        process.exitCode = report.drifted ? 1 : 0;
      } catch (err) {
        if (err instanceof DriftInputError) return fail(err.message);
        if (/does not exist/.test((err as Error).message)) return fail(noServedLogYet(opts.service));
        // Not drift (1) and not the caller's input (2): the log could not be read. A cron tells them apart.
        process.stderr.write(`${formatCliError(err)}\n`);
        process.exitCode = 3;
      } finally {
        await sql.close();
      }
    });
};
