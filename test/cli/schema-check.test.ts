import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import demo from '../../schema/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { buildSchema, printSortedSdl } from '../../src/graphql/schema.js';
import { runCli } from '../support/cli.js';

const CHECKED_IN = join(import.meta.dirname, '../../schema/featuregraph.graphql');

describe('featuregraph schema --check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fg-schema-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the checked-in SDL is the one printed from the built schema', () => {
    expect(readFileSync(CHECKED_IN, 'utf8')).toBe(printSortedSdl(buildSchema(resolveRepository(demo))));
  });

  it('passes on the checked-in SDL and fails (exit 1) on a stale copy', async () => {
    const ok = runCli(['schema', '--check', '--out', CHECKED_IN], dir);
    expect(await ok.exited, ok.output()).toBe(0);
    const stale = join(dir, 'stale.graphql');
    writeFileSync(stale, readFileSync(CHECKED_IN, 'utf8').replace('  ageSeconds: Float!\n', ''));
    const bad = runCli(['schema', '--check', '--out', stale], dir);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('is out of date with the definitions');
    const missing = runCli(['schema', '--check', '--out', join(dir, 'none.graphql')], dir);
    expect(await missing.exited).toBe(1);
    expect(missing.output()).toContain('does not exist yet: run `featuregraph schema` to write it');
  }, 60_000);
});
