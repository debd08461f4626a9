import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import type { FeatureStore } from '../feature-store.js';

/** Global flags, each overriding its environment variable. */
export interface GlobalFlags {
  definitions?: string;
  project?: string;
  databaseUrl?: string;
  redisUrl?: string;
  redisClusterNodes?: string;
  dataDir?: string;
}

export const configFrom = (cmd: Command, extra: { port?: number } = {}): Config => {
  const f = cmd.optsWithGlobals<GlobalFlags>();
  return loadConfig({
    definitions: f.definitions,
    project: f.project,
    databaseUrl: f.databaseUrl,
    redisUrl: f.redisUrl,
    redisClusterNodes: f.redisClusterNodes
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    dataDir: f.dataDir,
    port: extra.port,
  });
};

/** Open the feature store for a command; the caller closes it. Imported lazily: it loads every store client. */
export const openFor = async (cmd: Command, extra: { port?: number } = {}): Promise<FeatureStore> =>
  (await import('../feature-store.js')).openFeatureStore(configFrom(cmd, extra));

/** Parse a CLI time: ISO 8601, `now`, or `now-2d` style offsets. */
export const parseCliTime = (v: string, flag: string): Date => {
  const rel = /^now(?:-(\d+)([smhdw]))?$/.exec(v.trim());
  if (rel) {
    const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[rel[2] as 's' | 'm' | 'h' | 'd' | 'w'] ?? 0;
    return new Date(Date.now() - Number(rel[1] ?? 0) * unit * 1000);
  }
  const d = new Date(v);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(v))
    throw new Error(`${flag} must be ISO 8601 (e.g. 2026-11-26T00:00:00Z), "now" or "now-2d"; got "${v}"`);
  return d;
};
