import { Command, CommanderError } from 'commander';
import { DefinitionError } from '../definitions/errors.js';
import type { Repository } from '../definitions/objects.js';
import { loadDefinitions } from '../definitions/load.js';
import { loadRepository } from '../feature-store.js';
import { openSql, type SqlClient } from '../sql/index.js';
import { configFrom } from './context.js';
import { registerApply } from './commands/apply.js';
import { registerDemo } from './commands/demo.js';
import { registerDrift } from './commands/drift.js';
import { registerHistorical } from './commands/historical.js';
import { registerLineage } from './commands/lineage.js';
import { registerMaterialize } from './commands/materialize.js';
import { registerPlan } from './commands/plan.js';
import { registerSchema } from './commands/schema.js';
import { registerServe } from './commands/serve.js';

const program = new Command('featuregraph')
  .description('A feature store served over GraphQL: define features once, serve them online, point-in-time and on demand.')
  .option('--definitions <module>', 'module exporting the repository (env FEATUREGRAPH_DEFINITIONS, default schema/index.ts)')
  .option('--project <name>', 'project name (env FEATUREGRAPH_PROJECT, default: the repository\'s)')
  .option('--database-url <url>', 'Postgres offline store and registry (env DATABASE_URL; default: embedded PGlite)')
  .option('--redis-url <url>', 'Redis online store (env REDIS_URL; default: a table in the SQL database)')
  .option('--redis-cluster-nodes <host:port,...>', 'Redis Cluster seeds (env REDIS_CLUSTER_NODES)')
  .option('--data-dir <dir>', 'embedded database directory (env FEATUREGRAPH_DATA_DIR, default .featuregraph)')
  .showHelpAfterError();

/** The raw definitions and the SQL store, for plan/apply: they validate (with source checks) themselves. */
const openDefinitionsAndSql = async (cmd: Command): Promise<{ sql: SqlClient; repo: Repository; project: string }> => {
  const config = configFrom(cmd);
  const repo = await loadDefinitions(config.definitions);
  const sql = await openSql({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir });
  return { sql, repo, project: config.project ?? repo.project ?? 'default' };
};

registerSchema(program);
registerPlan(program, () => openDefinitionsAndSql(program));
registerApply(program, () => openDefinitionsAndSql(program));
registerMaterialize(program);
registerLineage(program, () => openDefinitionsAndSql(program));
registerServe(program);
registerDemo(program);
const openRepoAndSql = async () => {
  const config = configFrom(program);
  const { repo } = await loadRepository(config);
  const sql = await openSql({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir });
  return { sql, repo };
};
registerHistorical(program, openRepoAndSql);
registerDrift(program, openRepoAndSql);

program.exitOverride();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof DefinitionError) console.error(err.message);
  else console.error(`featuregraph: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
