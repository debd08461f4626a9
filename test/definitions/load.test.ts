import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');

const DEFINITIONS = `import { entity, featureView, postgresSource, repository, Float32, Int64 } from 'featuregraph';
const driver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64 });
export default repository({ project: 'loadts', featureViews: [featureView({ name: 'cjs_stats', entities: [driver], ttl: '1d',
  features: { conv_rate: Float32 }, source: postgresSource({ name: 'src', table: 'x.src', timestampField: 'event_ts' }) })] });
`;

/** A project directory whose package.json says `type` (or nothing), with the definitions as `features.ts`. */
const project = (root: string, type: 'module' | 'commonjs' | null): string => {
  const dir = join(root, type ?? 'untyped');
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules/featuregraph'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, ...(type ? { type } : {}) }));
  writeFileSync(join(dir, 'features.ts'), DEFINITIONS);
  return dir;
};

describe('--definitions features.ts with no build step (README)', () => {
  const root = mkdtempSync(join(tmpdir(), 'fg-load-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  for (const type of ['module', 'commonjs', null] as const)
    it(`loads in a package whose type is ${type ?? 'not given'}`, async () => {
      const dir = project(root, type);
      const out = join(dir, 'schema.graphql');
      const run = runCli(['--definitions', join(dir, 'features.ts'), 'schema', '--out', out], join(dir, 'data'));
      expect(await run.exited, run.output()).toBe(0);
      expect(readFileSync(out, 'utf8')).toContain('cjsStats');
    }, 60_000);
});
