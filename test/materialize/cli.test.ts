import { runCli } from '../support/cli.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteClient } from '../../src/sql/pglite.js';
import { seedSmallSources } from '../support/fixture.js';

const DEFINITIONS = join(import.meta.dirname, 'fixtures/cli-repository.ts');

/** Run the command on the embedded default (its own data dir), with stdout and stderr together. */
const featuregraph = async (dataDir: string, ...args: string[]): Promise<{ code: number | null; out: string }> => {
  const run = runCli(args, dataDir, { FEATUREGRAPH_DEFINITIONS: DEFINITIONS });
  return { code: await run.exited, out: run.output() };
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
