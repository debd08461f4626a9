import { Command, CommanderError } from 'commander';
import type { Repository } from '../definitions/objects.js';
import type { ResolvedRepository } from '../definitions/resolve.js';
import type { SqlClient } from '../sql/index.js';
import { configFrom } from './context.js';
import { formatCliError } from './errors.js';
import { packageInfo } from './package-root.js';

const program = new Command('featuregraph')
  .description('A feature store served over GraphQL: define features once, serve them online, point-in-time and on demand.')
  .option('--definitions <module>', 'module exporting the repository (env FEATUREGRAPH_DEFINITIONS, default schema/index.ts)')
  .option('--project <name>', "project name (env FEATUREGRAPH_PROJECT, default: the repository's)")
  .option('--database-url <url>', 'Postgres offline store and registry (env DATABASE_URL; default: embedded PGlite)')
  .option('--redis-url <url>', 'Redis online store (env REDIS_URL; default: a table in the SQL database)')
  .option('--redis-cluster-nodes <host:port,...>', 'Redis Cluster seeds (env REDIS_CLUSTER_NODES)')
  .option('--data-dir <dir>', 'embedded database directory (env FEATUREGRAPH_DATA_DIR, default .featuregraph)')
  .version(packageInfo().version, '-V, --version', 'print the version')
  // A usage error is one line with the command's name, as every other failure (README, "CLI"), and a hint
  // instead of the whole help; subcommands inherit both.
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'featuregraph: ')) })
  .showHelpAfterError('hint: featuregraph --help lists the commands, featuregraph <command> --help their options');

/** The raw definitions and the SQL store, for plan/apply: they validate (with source checks) themselves. */
const openDefinitionsAndSql = async (): Promise<{ sql: SqlClient; repo: Repository; project: string }> => {
  const config = configFrom(program);
  const [{ loadDefinitions }, { openSql }] = await Promise.all([import('../definitions/load.js'), import('../sql/index.js')]);
  const repo = await loadDefinitions(config.definitions);
  const sql = await openSql({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir });
  return { sql, repo, project: config.project ?? repo.project ?? 'default' };
};

/** The validated definitions and the SQL store, for historical. */
const openResolvedAndSql = async (): Promise<{ sql: SqlClient; repo: ResolvedRepository }> => {
  const config = configFrom(program);
  const [{ loadRepository }, { openSql }] = await Promise.all([import('../feature-store.js'), import('../sql/index.js')]);
  const { repo } = await loadRepository(config);
  const sql = await openSql({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir });
  return { sql, repo };
};

/**
 * Every command with its one-line summary and how to register it. A command's module (and with it graphql,
 * pg, PGlite, ioredis…) is imported only when that command runs, so `--help` starts in a few tens of ms.
 */
const COMMANDS: Record<string, { summary: string; register: () => Promise<unknown> }> = {
  init: {
    summary: 'Create a starter repository: one entity, one view, a seed and a README',
    register: async () => (await import('./commands/init.js')).registerInit(program),
  },
  list: {
    summary: 'List the entities, feature views, on-demand views and feature services',
    register: async () => (await import('./commands/list.js')).registerList(program, openDefinitionsAndSql),
  },
  describe: {
    summary: 'Describe a feature view or feature service: features, types, ttl, owner, tags, source, versions, freshness',
    register: async () => (await import('./commands/list.js')).registerDescribe(program, openDefinitionsAndSql),
  },
  schema: {
    summary: 'Write the generated GraphQL SDL (sorted) to schema/featuregraph.graphql, or check it is current',
    register: async () => (await import('./commands/schema.js')).registerSchema(program),
  },
  plan: {
    summary: 'Show what apply would add, change (old → new) or remove',
    register: async () => (await import('./commands/plan.js')).registerPlan(program, openDefinitionsAndSql),
  },
  apply: {
    summary: 'Validate the definitions and record a new registry version; create push and online tables',
    register: async () => (await import('./commands/apply.js')).registerApply(program, openDefinitionsAndSql),
  },
  materialize: {
    summary: 'Copy the latest row per key with start <= event time <= end into the online store',
    register: async () => (await import('./commands/materialize.js')).registerMaterialize(program),
  },
  'materialize-incremental': {
    summary: 'Materialize each view from its watermark to --end',
    register: async () => (await import('./commands/materialize.js')).registerMaterialize(program),
  },
  lineage: {
    summary: 'Show where every feature of a feature service comes from',
    register: async () => (await import('./commands/lineage.js')).registerLineage(program, openDefinitionsAndSql),
  },
  serve: {
    summary: 'Serve the GraphQL API (GraphiQL at /graphql, /health, /ready)',
    register: async () => (await import('./commands/serve.js')).registerServe(program),
  },
  demo: {
    summary: 'Generate the demo data, apply, materialize and serve (what `npm start` runs)',
    register: async () => (await import('./commands/demo.js')).registerDemo(program),
  },
  keys: {
    summary: 'Create, list and revoke API keys (stored hashed in the registry database; docs/auth.md)',
    register: async () => (await import('./commands/keys.js')).registerKeys(program, openResolvedAndSql),
  },
  drift: {
    summary: "Compare a feature service's served-feature log against a reference: PSI per feature; exits 1 when any drifted",
    register: async () => (await import('./commands/drift.js')).registerDrift(program, openResolvedAndSql),
  },
  historical: {
    summary: "Export a point-in-time correct training set (entity rows joined as of each row's event_timestamp)",
    register: async () => (await import('./commands/historical.js')).registerHistorical(program, openResolvedAndSql),
  },
};

/** Global options that take a value: their value is not the command name. */
const VALUE_OPTIONS = new Set(['--definitions', '--project', '--database-url', '--redis-url', '--redis-cluster-nodes', '--data-dir']);

/** The command named on the command line (the first argument that is neither an option nor its value). */
const commandName = (args: readonly string[]): string | undefined => {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
};

const fail = (err: unknown): never => {
  console.error(formatCliError(err));
  process.exit(1);
};
// Errors that escape a command (a server's socket, a stream without a listener) get the same one line.
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

program.exitOverride();
try {
  const args = process.argv.slice(2);
  let name = commandName(args);
  if (name === 'help') name = args[args.indexOf('help') + 1];
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command) await command.register();
  // Without a known command only the summaries are needed (help, or commander's "unknown command").
  else for (const [n, c] of Object.entries(COMMANDS)) program.command(n).description(c.summary);
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError)
    // `drift` keeps 1 for "drifted" (docs/monitoring.md): a usage error there is bad input, 2.
    process.exit(commandName(process.argv.slice(2)) === 'drift' && err.exitCode === 1 ? 2 : err.exitCode);
  fail(err);
}
