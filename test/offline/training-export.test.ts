import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedRepository } from '../../src/definitions/resolve.js';
import type { SqlClient } from '../../src/sql/client.js';
import { exportTrainingSet } from '../../src/offline/export.js';
import { getHistoricalFeatures, TrainingSetError } from '../../src/offline/training-set.js';
import { registerHistorical } from '../../src/cli/commands/historical.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import { countingClient } from './counting-client.js';
import { NOW, randomRows, rng, testRepository, writeSource } from './random-sources.js';

const csv = (dir: string, name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

describe.each(sqlBackends)('training-set input and export on $name', ({ open }) => {
  let sql: SqlClient;
  let schema: string;
  let repo: ResolvedRepository;
  let dir: string;

  beforeAll(async () => {
    sql = await open();
    schema = uniqueProject('trn');
    repo = testRepository(schema);
    dir = mkdtempSync(join(tmpdir(), 'fg-train-'));
    await sql.query(`CREATE SCHEMA "${schema}"`);
    const r = rng(7);
    for (const v of repo.views)
      await writeSource(
        sql,
        v,
        randomRows(
          r,
          v,
          60,
          v.keys.length === 1
            ? [['1'], ['2']]
            : [
                ['1', 'g1'],
                ['2', 'g2'],
              ],
        ),
      );
  });
  afterAll(async () => {
    await dropSchemas(sql, schema);
    await sql.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const refuses = async (entitiesFile: string, features: string[], ...fragments: string[]) => {
    const counted = countingClient(sql);
    const err = await getHistoricalFeatures(counted, repo, { entities: { csvFile: entitiesFile }, features, now: NOW }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TrainingSetError);
    for (const f of fragments) expect((err as Error).message).toContain(f);
    expect(counted.statements, 'no query may run before validation').toEqual([]);
  };

  it('refuses an entity file without a key column before any query, naming the line and column', async () => {
    await refuses(csv(dir, 'nokey.csv', 'event_timestamp\n2024-01-01T01:00:00Z\n'), ['single:a'], 'line 1', '"ent_id"');
  });

  it('refuses an unparsable timestamp, naming the line and column', async () => {
    await refuses(
      csv(dir, 'badts.csv', 'ent_id,event_timestamp\n1,2024-01-01T01:00:00Z\n2,yesterday\n'),
      ['single:a'],
      'line 3',
      '"event_timestamp"',
      'yesterday',
    );
  });

  it('refuses a wrong-typed key, naming the line and column', async () => {
    await refuses(
      csv(
        dir,
        'badkey.csv',
        'ent_id,grp_id,event_timestamp\n1,g1,2024-01-01T01:00:00Z\n1,g1,2024-01-01T01:00:00Z\nabc,g1,2024-01-01T01:00:00Z\n',
      ),
      ['pair:x'],
      'line 4',
      '"ent_id"',
      'Int64',
    );
  });

  it('refuses unknown feature references, listing the valid ones', async () => {
    await refuses(
      csv(dir, 'ok.csv', 'ent_id,event_timestamp\n1,2024-01-01T01:00:00Z\n'),
      ['single:a', 'single:nope', 'ghost:x'],
      '"single:nope"',
      '"ghost:x"',
      'single:a, single:b',
      'pair:y',
    );
  });

  it('refuses an entity query without a key column, naming it', async () => {
    await expect(
      getHistoricalFeatures(sql, repo, { entities: { sql: `SELECT now() AS event_timestamp` }, features: ['single:a'] }),
    ).rejects.toThrow(/missing column "ent_id"/);
  });

  it('exports CSV in input order with duplicates, typed view__feature columns and pass-through columns', async () => {
    const rows = [
      'ent_id,event_timestamp,label',
      '2,2024-01-01T01:40:00Z,a',
      '1,2024-01-01T00:30:00Z,b',
      '2,2024-01-01T01:40:00Z,c',
      '2,2024-01-01T01:40:00Z,c',
      '7,2024-01-01T02:00:00.5Z,d',
    ];
    const file = csv(dir, 'entities.csv', `${rows.join('\n')}\n`);
    const features = ['single:b', 'forever:n', 'single:c'];
    const want = await getHistoricalFeatures(sql, repo, { entities: { csvFile: file }, features, now: NOW });
    const out = join(dir, 'train.csv');
    const progress: string[] = [];
    await exportTrainingSet(sql, repo, { entities: { csvFile: file }, features, now: NOW }, out, {
      progress: (e) => progress.push(`${e.phase} ${e.done}/${e.total}`),
    });
    const got = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    expect(Object.keys(got[0] ?? {})).toEqual(['ent_id', 'event_timestamp', 'label', 'single__b', 'single__c', 'forever__n']);
    expect(got.map((g) => g.label)).toEqual(['a', 'b', 'c', 'c', 'd']);
    expect(got[2]).toEqual(got[3]);
    expect(got[4]?.event_timestamp).toBe('2024-01-01T02:00:00.500Z');
    got.forEach((g, i) => {
      const w = want.rows[i] ?? {};
      expect(g.single__b).toBe(w.single__b === null ? '' : String(Number((w.single__b as number).toPrecision(7))));
      expect(g.forever__n).toBe(w.forever__n === null ? '' : String(w.forever__n));
      expect(g.single__c).toBe(w.single__c ?? '');
    });
    expect(progress).toContain('write 5/5');
  });

  it('parses and validates a file once, keeping its rows in a temporary file it removes, quoted newlines included', async () => {
    const rows = [
      'ent_id,event_timestamp,label',
      '2,2024-01-01T01:40:00Z,"two\nlines, and a comma"',
      '1,2024-01-01T00:30:00Z,"say ""hi"""',
      '1,2024-01-01T00:31:00Z,',
    ];
    const file = csv(dir, 'quoted.csv', `${rows.join('\r\n')}\r\n`);
    const spillRoot = mkdtempSync(join(tmpdir(), 'fg-spill-'));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = spillRoot;
    let seenDuringRun: string[] = [];
    try {
      const out = await getHistoricalFeatures(
        sql,
        repo,
        { entities: { csvFile: file }, features: ['single:a'], now: NOW },
        {
          progress: (e) => {
            if (e.phase === 'write') seenDuringRun = readdirSync(spillRoot);
          },
        },
      );
      expect(out.rows.map((r) => r.label)).toEqual(['two\nlines, and a comma', 'say "hi"', '']);
      expect(out.rows.map((r) => r.ent_id)).toEqual([2n, 1n, 1n]);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
    expect(seenDuringRun.filter((f) => f.startsWith('featuregraph-entities-'))).toHaveLength(1);
    expect(readdirSync(spillRoot), 'the temporary file is removed').toEqual([]);
    rmSync(spillRoot, { recursive: true, force: true });
  });

  it('exports typed Parquet', async () => {
    const file = csv(
      dir,
      'entities-pq.csv',
      'ent_id,grp_id,event_timestamp\n1,g1,2024-01-01T02:00:00Z\n2,g2,2024-01-01T03:00:00Z\n9,g1,2024-01-01T03:00:00Z\n',
    );
    const features = ['pair:x', 'pair:y', 'single:a', 'forever:flag'];
    const want = await getHistoricalFeatures(sql, repo, { entities: { csvFile: file }, features, now: NOW });
    const out = join(dir, 'train.parquet');
    await exportTrainingSet(sql, repo, { entities: { csvFile: file }, features, now: NOW }, out);
    const got = await parquetReadObjects({ file: await asyncBufferFromFile(out) });
    expect(got).toHaveLength(3);
    got.forEach((g, i) => {
      const w = want.rows[i] ?? {};
      expect(g.ent_id).toBe(w.ent_id);
      expect(typeof g.ent_id).toBe('bigint');
      expect(g.grp_id).toBe(w.grp_id);
      expect(new Date(g.event_timestamp as Date).getTime()).toBe((w.event_timestamp as Date).getTime());
      expect(g.pair__x ?? null).toEqual(w.pair__x);
      expect(g.pair__y ?? null).toEqual(w.pair__y);
      expect(g.single__a ?? null).toEqual(w.single__a);
      expect(g.forever__flag ?? null).toEqual(w.forever__flag);
    });
  });

  it('the historical command writes the file, and reports bad input as an error without writing it', async () => {
    const file = csv(dir, 'cli.csv', 'ent_id,event_timestamp\n1,2024-01-01T02:00:00Z\n1,2024-01-01T02:00:00Z\n');
    const program = new Command().exitOverride();
    // The command closes the client it is given; hand it a wrapper whose close is a no-op.
    const shared: SqlClient = {
      ...sql,
      query: sql.query.bind(sql),
      transaction: sql.transaction.bind(sql),
      cursor: sql.cursor.bind(sql),
      close: async () => undefined,
    };
    registerHistorical(program, async () => ({ sql: shared, repo }));
    const out = join(dir, 'cli-out.csv');
    await program.parseAsync(
      ['historical', '--entities', file, '--features', 'single:a,forever:n', '--out', out, '--now', NOW.toISOString(), '--no-progress'],
      { from: 'user' },
    );
    const got = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    expect(got).toHaveLength(2);
    expect(Object.keys(got[0] ?? {})).toEqual(['ent_id', 'event_timestamp', 'single__a', 'forever__n']);
    const bad = join(dir, 'cli-bad-out.csv');
    const before = process.exitCode;
    await program.parseAsync(['historical', '--entities', file, '--features', 'single:zzz', '--out', bad, '--no-progress'], {
      from: 'user',
    });
    expect(process.exitCode).toBe(1);
    process.exitCode = before;
    expect(existsSync(bad)).toBe(false);
  });
});
