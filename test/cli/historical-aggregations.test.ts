import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { openOfflineStore } from '../../src/offline/index.js';
import { pushRows } from '../../src/online/push.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import { applyRepository } from '../../src/registry/index.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import { trainingRepository } from '../aggregations/fixture.js';
import { runCli } from '../support/cli.js';
import { uniqueProject } from '../support/env.js';

const DEFS = join(import.meta.dirname, 'fixtures/aggregation-repository.ts');

/**
 * `featuregraph historical` with aggregation outputs and an on-demand view over them (docs/aggregations.md,
 * "In training sets"), end to end on the embedded PGlite: windows `(t − w, t]` per entity row, an event
 * exactly on a window's start left out, a replay counted once.
 */
describe('historical: aggregation outputs, from the command line', () => {
  const project = uniqueProject('aggcli');
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fg-aggcli-'));
    const sql = await createPgliteClient(join(dir, 'pglite'));
    const defs = trainingRepository(project);
    await applyRepository(sql, defs, { project, onlineTables: true });
    const repo = resolveRepository(defs, project);
    const spec = repo.aggregationViews[0]!;
    const deps = { offline: openOfflineStore(sql), online: createSqlOnlineStore(sql, project), project };
    const ev = (id: string, ts: string, amount: number, channel: string) => ({
      customer_id: 'C1',
      event_timestamp: ts,
      created_timestamp: '2025-01-01T10:10:00Z',
      request_id: id,
      amount,
      score: null,
      channel,
    });
    await pushRows(
      deps,
      spec.events,
      [
        ev('r1', '2025-01-01T10:00:00Z', 5, 'web'),
        ev('r2', '2025-01-01T10:03:00Z', 7, 'app'),
        ev('r2', '2025-01-01T10:03:00Z', 7, 'app'), // a replay: counted once
        ev('r3', '2025-01-01T09:58:00Z', 1, 'phone'),
      ],
      'OFFLINE',
      { aggregation: spec },
    );
    await pushRows(
      deps,
      repo.views.find((v) => v.name === 'customer_profile')!,
      [{ customer_id: 'C1', event_timestamp: '2025-01-01T09:00:00Z', tier: 'gold', credit_limit: 100 }],
      'OFFLINE',
    );
    await sql.close();
    writeFileSync(
      join(dir, 'rows.csv'),
      'customer_id,event_timestamp,budget\nC1,2025-01-01T10:05:00Z,10\nC1,2025-01-01T10:03:00Z,20\nC2,2025-01-01T10:05:00Z,10\nC1,2025-01-01T12:00:00Z,10\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const historical = async (features: string, out: string) => {
    const run = runCli(
      ['--definitions', DEFS, 'historical', '--entities', join(dir, 'rows.csv'), '--features', features, '--out', out, '--no-progress'],
      dir,
      { FG_TEST_PROJECT: project },
    );
    return { code: await run.exited, output: run.output() };
  };

  it('writes one column per output, named view__output, each over the windows ending at its row’s time', async () => {
    const out = join(dir, 'train.csv');
    const run = await historical(
      'customer_profile:tier,quote_stats:quotes_5m,quote_stats:quotes_1h,quote_stats:amount_sum_1h,quote_stats:last_channel_5m,quote_pressure:label,quote_pressure:over_budget',
      out,
    );
    expect(run.code, run.output).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toEqual([
      'customer_id,event_timestamp,budget,customer_profile__tier,quote_stats__quotes_5m,quote_stats__quotes_1h,quote_stats__amount_sum_1h,quote_stats__last_channel_5m,quote_pressure__label,quote_pressure__over_budget',
      // (10:00, 10:05]: r2 only (r1 is exactly 5 minutes old); the hour holds all three; 7 + 5 + 1.
      'C1,2025-01-01T10:05:00.000Z,10,gold,1,3,13,app,gold/app,true',
      // (09:58, 10:03]: r1 and r2 (r3 is exactly on the start); r2 at 10:03 is in (the end is closed).
      'C1,2025-01-01T10:03:00.000Z,20,gold,2,3,13,app,gold/app,false',
      // No events: count and sum 0, last empty (null).
      'C2,2025-01-01T10:05:00.000Z,10,,0,0,0,,none/none,false',
      // Two hours on: every window of C1 is empty, and its profile (ttl 2h) has expired.
      'C1,2025-01-01T12:00:00.000Z,10,,0,0,0,,none/none,false',
    ]);
  }, 120_000);

  it('list and describe show the aggregation view, its windows and outputs', async () => {
    const cli = async (...args: string[]) => {
      const run = runCli(['--definitions', DEFS, ...args], dir, { FG_TEST_PROJECT: project });
      return { code: await run.exited, output: run.output() };
    };
    const list = await cli('list');
    expect(list.code, list.output).toBe(0);
    expect(list.output).toMatch(/Aggregation views \(1\)\n\s+quote_stats\s+v1\s+\d+ outputs over windows 5m, 1h/);
    const described = await cli('describe', 'quote_stats');
    expect(described.code, described.output).toBe(0);
    expect(described.output).toMatch(/^aggregation view quote_stats \(v1/m);
    expect(described.output).toMatch(/event id: request_id/);
    expect(described.output).toMatch(/quotes_5m\s+count\(\) over 5m/);
  }, 120_000);

  it('an unknown output fails naming the view and the output, and writes nothing', async () => {
    const out = join(dir, 'bad.csv');
    const run = await historical('quote_stats:quotes_7m', out);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/aggregation view "quote_stats" has no output "quotes_7m"; its outputs: quotes_5m/);
    expect(() => readFileSync(out)).toThrow();
  }, 120_000);
});
