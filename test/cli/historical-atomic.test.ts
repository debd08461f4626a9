import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '../support/services.js';
import { createPgClient } from '../../src/sql/pg.js';
import type { SqlClient } from '../../src/sql/client.js';
import { runCli } from '../support/cli.js';
import { DATABASE_URL, dropSchemas, uniqueProject } from '../support/env.js';
import { seedSmallSources } from '../support/fixture.js';

const DEFS = join(import.meta.dirname, 'fixtures/env-repository.ts');

describeWith('DATABASE_URL', 'historical writes its output atomically (real process, real Postgres)', () => {
  const schema = uniqueProject('hist');
  let admin: SqlClient;
  let dir: string;
  let tmp: string;
  let entities: string;
  const env = () => ({ FG_TEST_PROJECT: schema, FG_TEST_SCHEMA: schema, TMPDIR: tmp });
  const args = (out: string, file = entities) => [
    '--database-url',
    DATABASE_URL!,
    '--definitions',
    DEFS,
    'historical',
    '--entities',
    file,
    '--features',
    'driver_stats:conv_rate,driver_rating:rating',
    '--out',
    out,
    '--no-progress',
  ];

  beforeAll(async () => {
    admin = createPgClient(DATABASE_URL!);
    await seedSmallSources(admin, schema, 2000, new Date('2026-11-26T10:00:00Z'));
    dir = mkdtempSync(join(tmpdir(), 'fg-hist-out-'));
    tmp = mkdtempSync(join(tmpdir(), 'fg-hist-tmp-'));
    entities = join(dir, 'rows.csv');
    const lines = ['driver_id,event_timestamp'];
    for (let i = 0; i < 300_000; i++) lines.push(`${(i % 2000) + 1},2026-11-26T${String(9 + (i % 2)).padStart(2, '0')}:30:00Z`);
    writeFileSync(entities, `${lines.join('\n')}\n`);
  });
  afterAll(async () => {
    await dropSchemas(admin, schema);
    await admin.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  // tsx keeps its compile cache in TMPDIR; anything else there is ours.
  const leftovers = () => [
    ...readdirSync(dir).filter((f) => !['rows.csv', 'old.csv', 'small.csv'].includes(f)),
    ...readdirSync(tmp).filter((f) => !f.startsWith('tsx-')),
  ];

  it('a run whose Postgres backend is terminated mid-export leaves no output, no temporary files, and exit code 1', async () => {
    const out = join(dir, 'train.csv');
    const run = runCli(args(out), join(dir, 'unused-data-dir'), env());
    let killed = 0;
    const deadline = Date.now() + 120_000;
    // Terminate this run's backends only: they are the ones reading this test's own schema.
    while (killed === 0 && Date.now() < deadline && run.child.exitCode === null) {
      const r = await admin.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%' || $1 || '%'`,
        [schema],
      );
      killed = r.rows[0]!.n;
      if (!killed) await new Promise((res) => setTimeout(res, 20));
    }
    const code = await run.exited;
    expect(killed, run.output()).toBeGreaterThan(0);
    expect(code, run.output()).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(leftovers(), run.output()).toEqual([]);
  }, 240_000);

  it('a failed run leaves an older output untouched; a good run replaces it and leaves nothing else', async () => {
    const out = join(dir, 'old.csv');
    writeFileSync(out, 'previous training set\n');
    const bad = runCli([...args(out).slice(0, 9), '--features', 'driver_stats:nope', '--out', out], join(dir, 'unused-data-dir'), env());
    expect(await bad.exited).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('previous training set\n');
    const small = join(dir, 'small.csv');
    writeFileSync(small, 'driver_id,event_timestamp\n1,2026-11-26T09:30:00Z\n2,2026-11-26T10:30:00Z\n');
    const good = runCli(args(out, small), join(dir, 'unused-data-dir'), env());
    expect(await good.exited, good.output()).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('driver_id,event_timestamp,driver_stats__conv_rate,driver_rating__rating');
    expect(leftovers()).toEqual([]);
  }, 240_000);
});
