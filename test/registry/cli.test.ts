import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Int32, entity, featureView, pushSource, repository, type Repository } from '../../src/definitions/index.js';
import { registerApply } from '../../src/cli/commands/apply.js';
import { registerPlan } from '../../src/cli/commands/plan.js';
import { dropSchemas, sqlBackends } from '../support/env.js';
import { demoRepository, withView, useRegistryDb } from './fixtures.js';

describe.each(sqlBackends)('plan and apply commands on $name', ({ open }) => {
  const db = useRegistryDb(open, 'cli');
  afterEach(async () => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
    await dropSchemas(db.sql, `fg_${db.project}`, db.src);
  });

  /** Run one CLI invocation; the commands close their client, so they get one whose close is a no-op. */
  const run = async (repo: Repository, ...args: string[]): Promise<{ out: string; err: string }> => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    const program = new Command('featuregraph').exitOverride();
    const target = async () => ({ sql: { ...db.sql, close: async () => undefined }, repo, project: db.project });
    registerPlan(program, target);
    registerApply(program, target);
    await program.parseAsync(args, { from: 'user' });
    vi.restoreAllMocks();
    return { out: out.join('\n'), err: err.join('\n') };
  };

  it('plan prints additions, apply prints the new version, a second apply says nothing changed', async () => {
    await db.setup();
    const repo = demoRepository(db.src);
    const plan = await run(repo, 'plan');
    expect(plan.out).toContain('+ feature view driver_stats');
    expect(plan.out).toContain('+ feature service pricing_v1');
    const applied = await run(repo, 'apply', '--create-source-indexes', '--online-tables', '--applied-by', 'ci');
    expect(applied.out).toContain(`Applied: project ${db.project} is now at registry version 1.`);
    expect(applied.out).toMatch(/source index src_\w+\.fg_driver_hourly_stats_driver_id_event_timestamp_idx ready/);
    expect(applied.out).toContain(`online table "fg_${db.project}"."online_driver_stats" ready`);
    expect((await run(repo, 'apply')).out).toContain(`No changes: project ${db.project} stays at registry version 1.`);

    const changed = demoRepository(db.src, {
      views: { credit_score: (v) => withView(v, { ttl: '1d', owner: 'risk@example.com' }) },
      without: ['driver_stats', 'driver'],
    });
    const plan2 = await run(changed, 'plan');
    expect(plan2.out).toContain('~ feature view credit_score (owner, ttlSeconds)');
    expect(plan2.out).toContain('- entity driver');
    expect(plan2.out).toContain('- feature view driver_stats');
    expect((await run(changed, 'apply', '--no-online-tables')).out).toContain('registry version 2');
    expect(process.exitCode).toBeUndefined();
  });

  it('definition errors are printed as the full list and exit with code 1', async () => {
    await db.setup(async () => undefined);
    const e = entity({ name: 'thing', joinKey: 'thing_id', valueType: Int32 });
    const repo = repository({
      featureViews: [
        featureView({ name: 'Bad', entities: [e], features: { x: Int32 }, source: pushSource({ name: 'p' }), ttl: '1d' }),
        featureView({
          name: 'also_bad',
          entities: [e],
          features: { created_timestamp: Int32 },
          source: pushSource({ name: 'q' }),
          ttl: '1d',
        }),
      ],
    });
    for (const cmd of ['plan', 'apply']) {
      const { out, err } = await run(repo, cmd);
      expect(out).toBe('');
      expect(err).toContain('2 problems in the feature definitions');
      expect(err).toContain('feature view "Bad"');
      expect(err).toContain('feature view "also_bad", field "created_timestamp"');
      expect(process.exitCode).toBe(1);
      process.exitCode = undefined;
    }
  });
});
