import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { buildSchema, printSortedSdl } from '../../graphql/schema.js';
import { loadRepository } from '../../feature-store.js';
import { configFrom } from '../context.js';

/** `featuregraph schema [--check] [--out file]`: write or check the sorted SDL. */
export const registerSchema = (program: Command) =>
  program
    .command('schema')
    .description('Write the generated GraphQL SDL (sorted) to schema/featuregraph.graphql, or check it is current')
    .option('--check', 'fail (exit 1) when the checked-in SDL differs from the definitions')
    .option('--out <file>', 'where the SDL lives', 'schema/featuregraph.graphql')
    .action(async (opts: { check?: boolean; out: string }, cmd: Command) => {
      const { repo } = await loadRepository(configFrom(cmd));
      const sdl = printSortedSdl(buildSchema(repo));
      const file = resolve(opts.out);
      if (opts.check) {
        let current: string | null = null;
        try {
          current = readFileSync(file, 'utf8');
        } catch {
          current = null;
        }
        if (current === null) {
          console.error(`${opts.out} does not exist yet: run \`featuregraph schema\` to write it, and commit it.`);
          process.exitCode = 1;
          return;
        }
        if (current !== sdl) {
          console.error(`${opts.out} is out of date with the definitions: run \`featuregraph schema\` and commit the result.`);
          process.exitCode = 1;
          return;
        }
        console.log(`${opts.out} is up to date.`);
        return;
      }
      writeFileSync(file, sdl);
      console.log(`wrote ${opts.out} (${sdl.split('\n').length} lines)`);
    });
