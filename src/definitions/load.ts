import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Repository } from './objects.js';

/** Import the definitions module: its default export, or an export named `repository`, made with `repository()`. */
export const loadDefinitions = async (path: string): Promise<Repository> => {
  if (!existsSync(path)) throw new Error(`definitions module not found: ${path} (set FEATUREGRAPH_DEFINITIONS or --definitions)`);
  const mod = (await import(pathToFileURL(path).href)) as { default?: unknown; repository?: unknown };
  const repo = (mod.default ?? mod.repository) as Repository | undefined;
  if (!repo || repo.kind !== 'repository')
    throw new Error(`${path} must export (default, or as "repository") the result of repository({ ... })`);
  return repo;
};
