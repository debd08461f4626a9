import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Repository } from './objects.js';

/**
 * Import a definitions module. The compiled CLI runs on plain Node, which cannot import TypeScript: a `.ts`
 * module that Node refuses is imported again through tsx (`tsImport`, scoped to that one import), loaded only
 * then, so JavaScript definitions (and runners that load TypeScript themselves, like vitest) never pay for it.
 * In a package that is not `"type": "module"` tsx runs a `.ts` file as CommonJS: its exports then arrive as the
 * namespace's `default` (module.exports), which is unwrapped here.
 */
const importModule = async (path: string): Promise<Record<string, unknown>> => {
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    if (!/\.[cm]?ts$/.test(path) || (err as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    const { tsImport } = await import('tsx/esm/api');
    const mod = (await tsImport(url, import.meta.url)) as Record<string, unknown>;
    const exported = mod.default as Record<string, unknown> | undefined;
    const commonJs =
      exported !== null && typeof exported === 'object' && !('kind' in exported) && ('default' in exported || 'repository' in exported);
    return commonJs ? exported : mod;
  }
};

/** Import the definitions module: its default export, or an export named `repository`, made with `repository()`. */
export const loadDefinitions = async (path: string): Promise<Repository> => {
  if (!existsSync(path)) throw new Error(`definitions module not found: ${path} (set FEATUREGRAPH_DEFINITIONS or --definitions)`);
  const mod = await importModule(path);
  const repo = (mod.default ?? mod.repository) as Repository | undefined;
  if (repo?.kind !== 'repository') throw new Error(`${path} must export (default, or as "repository") the result of repository({ ... })`);
  return repo;
};
