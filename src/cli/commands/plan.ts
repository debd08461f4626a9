import type { Command } from 'commander';
import { DefinitionError } from '../../definitions/errors.js';
import type { Repository } from '../../definitions/objects.js';
import { formatPlan } from '../../registry/format.js';
import { planRepository } from '../../registry/plan.js';
import type { SqlClient } from '../../sql/client.js';

/** What plan and apply need: the SQL store (registry + sources), the raw definitions and the project. */
export type OpenRegistryTarget = () => Promise<{ sql: SqlClient; repo: Repository; project: string }>;

/**
 * Definition errors are expected user input, not crashes: print the whole list and exit 1.
 * Anything else propagates to the CLI's own error handling.
 */
export const reportDefinitionErrors = async (run: () => Promise<void>): Promise<void> => {
  try {
    await run();
  } catch (err) {
    if (!(err instanceof DefinitionError)) throw err;
    console.error(err.message);
    process.exitCode = 1;
  }
};

/** `featuregraph plan`: what `apply` would add, change or remove; writes nothing. */
export const registerPlan = (program: Command, open: OpenRegistryTarget): void => {
  program
    .command('plan')
    .description('Validate the definitions (and their source tables) and show what apply would add, change or remove')
    .option('--json', 'print the plan as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { sql, repo, project } = await open();
      try {
        await reportDefinitionErrors(async () => {
          const plan = await planRepository(sql, repo, { project });
          console.log(opts.json ? JSON.stringify(plan, null, 2) : formatPlan(plan));
        });
      } finally {
        await sql.close();
      }
    });
};
