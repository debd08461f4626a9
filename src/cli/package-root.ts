import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's root and version: the nearest directory above this module with featuregraph's package.json. */
export const packageInfo = (): { root: string; version: string } => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (dir !== dirname(dir)) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      const p = JSON.parse(readFileSync(pj, 'utf8')) as { name?: string; version?: string };
      if (p.name === 'featuregraph') return { root: dir, version: p.version ?? '0.0.0' };
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the featuregraph package root');
};
