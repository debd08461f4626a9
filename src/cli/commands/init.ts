import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import type { GlobalFlags } from '../context.js';
import { packageInfo } from '../package-root.js';
import { STARTER_DEFINITIONS, STARTER_GITIGNORE, STARTER_SEED, starterPackageJson, starterReadme } from './init-template.js';

/** This package's root (see package-root.ts). */
const packageRoot = (): string => {
  try {
    return packageInfo().root;
  } catch {
    throw new CliError('cannot find the featuregraph package root');
  }
};

const resolvable = (fromDir: string): boolean => {
  try {
    createRequire(join(fromDir, 'package.json')).resolve('featuregraph/package.json');
    return true;
  } catch {
    return false;
  }
};

/** The seed's statements, each ending in `;` at the end of a line (comments dropped). */
const statements = (sqlText: string): string[] =>
  sqlText
    .split('\n')
    .filter((l) => !l.startsWith('--'))
    .join('\n')
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean);

/** `featuregraph init [dir]`: a starter repository that `plan`, `apply`, `materialize` and `serve` work in. */
export const registerInit = (program: Command) =>
  program
    .command('init')
    .description('Create a starter repository: one entity, one view, a SQL seed loaded into the store, and a README')
    .argument('[dir]', 'directory to create (or an empty one)', '.')
    .option('--no-seed', 'write seed.sql but do not load it')
    .option('--no-link', 'do not link node_modules/featuregraph to this installation when the directory cannot resolve it')
    .action(async (dirArg: string, opts: { seed: boolean; link: boolean }, cmd: Command) => {
      const dir = resolve(dirArg);
      const name =
        basename(dir)
          .toLowerCase()
          .replace(/[^a-z0-9-]+/g, '-') || 'features';
      if (existsSync(dir) && readdirSync(dir).some((f) => !f.startsWith('.')))
        throw new CliError(`${dirArg} is not empty`, 'give a new or empty directory: featuregraph init my-features');
      mkdirSync(join(dir, 'schema'), { recursive: true });
      const root = packageRoot();
      const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
      writeFileSync(join(dir, 'schema/index.ts'), STARTER_DEFINITIONS);
      writeFileSync(join(dir, 'seed.sql'), STARTER_SEED);
      writeFileSync(join(dir, 'README.md'), starterReadme(name));
      writeFileSync(join(dir, 'package.json'), starterPackageJson(name, version));
      writeFileSync(join(dir, '.gitignore'), STARTER_GITIGNORE);
      console.log(`created ${dirArg}: schema/index.ts, seed.sql, README.md, package.json`);

      // The definitions import 'featuregraph': until `npm install` runs there, point it at this installation.
      if (opts.link && !resolvable(dir)) {
        mkdirSync(join(dir, 'node_modules'), { recursive: true });
        symlinkSync(root, join(dir, 'node_modules/featuregraph'), 'dir');
        // And its command, as npm links a dependency's bin: `npx featuregraph` and the npm scripts find it there.
        mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
        symlinkSync('../featuregraph/bin/featuregraph.js', join(dir, 'node_modules/.bin/featuregraph'));
        console.log(`linked node_modules/featuregraph to ${root} (npm install replaces it with the registry's)`);
      }

      if (!opts.seed) return;
      const flags = cmd.optsWithGlobals<GlobalFlags>();
      const databaseUrl = flags.databaseUrl ?? process.env.DATABASE_URL;
      // The embedded store of the new repository, where its commands will look (cwd-relative .featuregraph).
      const dataDir = resolve(flags.dataDir ?? process.env.FEATUREGRAPH_DATA_DIR ?? join(dir, '.featuregraph'));
      const { openSql } = await import('../../sql/index.js');
      const sql = await openSql({ ...(databaseUrl ? { databaseUrl } : {}), dataDir });
      try {
        for (const s of statements(STARTER_SEED)) await sql.query(s);
        console.log(`loaded seed.sql into ${sql.description}`);
      } finally {
        await sql.close();
      }
      console.log(
        `\nnext:\n  cd ${dirArg}\n  npx featuregraph apply && npx featuregraph materialize --start now-7d --end now && npx featuregraph serve --allow-anonymous`,
      );
    });
