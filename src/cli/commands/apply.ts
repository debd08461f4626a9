import type { Command } from 'commander';
import { applyRepository } from '../../registry/apply.js';
import { formatApply } from '../../registry/format.js';
import { reportDefinitionErrors, type OpenRegistryTarget } from './plan.js';

interface ApplyFlags {
  createSourceIndexes?: boolean;
  onlineTables?: boolean;
  appliedBy?: string;
  json?: boolean;
  redisUrl?: string;
  redisClusterNodes?: string;
}

/** `featuregraph apply`: validate, then record a registry version and create what the stores need, in one transaction. */
export const registerApply = (program: Command, open: OpenRegistryTarget): void => {
  program
    .command('apply')
    .description(
      'Validate the definitions and their source tables, record a new registry version if anything changed, create push and online tables',
    )
    .option('--create-source-indexes', 'create the recommended (join keys, event_timestamp DESC) index on each postgres source table')
    .option('--online-tables', 'create the SQL online store tables (default: when no Redis is configured)')
    .option('--no-online-tables', 'do not create the SQL online store tables')
    .option('--applied-by <name>', 'who applies, recorded in the history (default: the OS user)')
    .option('--json', 'print the result as JSON')
    .action(async (_opts: ApplyFlags, cmd: Command) => {
      const flags = cmd.optsWithGlobals<ApplyFlags>();
      // The SQL online store is the default only without Redis; then its tables belong to apply.
      const redisConfigured = Boolean(
        flags.redisUrl ?? flags.redisClusterNodes ?? process.env.REDIS_URL ?? process.env.REDIS_CLUSTER_NODES,
      );
      const explicit = cmd.getOptionValueSource('onlineTables') === 'cli';
      const onlineTables = explicit ? flags.onlineTables !== false : !redisConfigured;
      const { sql, repo, project } = await open();
      try {
        await reportDefinitionErrors(async () => {
          const result = await applyRepository(sql, repo, {
            project,
            onlineTables,
            createSourceIndexes: flags.createSourceIndexes === true,
            ...(flags.appliedBy ? { appliedBy: flags.appliedBy } : {}),
          });
          console.log(flags.json ? JSON.stringify(result, null, 2) : formatApply(result));
        });
      } finally {
        await sql.close();
      }
    });
};
