import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteClient } from '../../src/sql/pglite.js';
import { seedSmallSources } from '../support/fixture.js';

const BIN = join(import.meta.dirname, '../../bin/featuregraph.js');
const DEFINITIONS = join(import.meta.dirname, 'fixtures/cli-repository.ts');

/** Run the command on the embedded default (its own data dir), with stdout and stderr together. */
const featuregraph = (dataDir: string, ...args: string[]): Promise<{ code: number | null; out: string }> => {
  const env: NodeJS.ProcessEnv = { ...process.env, FEATUREGRAPH_DATA_DIR: dataDir, FEATUREGRAPH_DEFINITIONS: DEFINITIONS };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.REDIS_CLUSTER_NODES;
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
};

describe('the materialize-incremental command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-mat-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('materializes from the watermark with progress, then finds nothing new; an unknown view is an error listing the valid ones', async () => {
    const sql = await createPgliteClient(join(dataDir, 'pglite'));
    await seedSmallSources(sql, 'mcli_src', 50, new Date(Date.now() - 10 * 60_000));
    await sql.close();

    const first = await featuregraph(dataDir, 'materialize-incremental', '--views', 'driver_stats,customer_profile');
    expect(first.out).toMatch(/driver_stats: 50 keys read, 50 written \([\d,]+\/s\), done in [\d.]+s/);
    expect(first.out).toMatch(/customer_profile: 2 keys read, 2 written/);
    expect(first.out).toContain('materialized 2 view(s) incrementally');
    expect(first.code).toBe(0);

    const again = await featuregraph(dataDir, 'materialize-incremental', '--views', 'driver_stats', '--overlap', '0');
    expect(again.out).toMatch(/driver_stats: 0 keys read, 0 written/);
    expect(again.code).toBe(0);

    const bad = await featuregraph(dataDir, 'materialize-incremental', '--views', 'driver_stats,nope');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/featuregraph: unknown or offline-only view\(s\): nope; online views are: driver_stats, .*customer_profile/);
  }, 120_000);
});
