import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const waitFor = async (pred: () => boolean, ms: number, what: string, output: () => string) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('featuregraph init, list, describe and plan on the starter repository', () => {
  const root = mkdtempSync(join(tmpdir(), 'fg-init-'));
  const dir = join(root, 'my-features');
  const dataDir = join(dir, '.featuregraph');
  const env = { FEATUREGRAPH_DEFINITIONS: join(dir, 'schema/index.ts'), PORT: '0' };
  const run = async (...args: string[]) => {
    const r = runCli(args, dataDir, env);
    return { code: await r.exited, out: r.output() };
  };
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it('init writes the starter and loads its seed; init into a non-empty directory is refused', async () => {
    const init = await run('init', dir);
    expect(init.code, init.out).toBe(0);
    for (const f of ['schema/index.ts', 'seed.sql', 'README.md', 'package.json', 'node_modules/featuregraph/package.json'])
      expect(existsSync(join(dir, f)), f).toBe(true);
    expect(init.out).toContain('loaded seed.sql into embedded PGlite');
    // Its command is linked as npm links a dependency's bin, so `npx featuregraph …` and npm scripts run there.
    const bin = spawnSync(join(dir, 'node_modules/.bin/featuregraph'), ['--help'], { cwd: dir, encoding: 'utf8' });
    expect(bin.status, bin.stderr).toBe(0);
    expect(bin.stdout).toContain('Usage: featuregraph');
    const again = await run('init', dir);
    expect(again.code).toBe(1);
    expect(again.out).toBe(`featuregraph: ${dir} is not empty\nhint: give a new or empty directory: featuregraph init my-features\n`);
  }, 240_000);

  it('apply, materialize, list and describe work in it', async () => {
    const apply = await run('apply');
    expect(apply.code, apply.out).toBe(0);
    expect(apply.out).toContain('Applied: project starter is now at registry version 1.');
    expect((await run('materialize', '--start', 'now-7d', '--end', 'now')).code).toBe(0);
    const list = await run('list');
    expect(list.out).toMatch(/Entities \(1\)\n {2}account +v1 {2}join key account_id \(Int64\)/);
    expect(list.out).toMatch(/Feature views \(1\)\n {2}account_activity +v1 {2}2 features, ttl 2d, online/);
    const describe = await run('describe', 'account_activity');
    expect(describe.code, describe.out).toBe(0);
    expect(describe.out).toContain('  owner: you@example.com');
    expect(describe.out).toContain('  ttl: 2d');
    expect(describe.out).toContain('  source: postgres table starter.account_activity (account_activity_daily)');
    expect(describe.out).toMatch(/ {4}sessions_7d +Int32\n {4}avg_session_minutes +Float32/);
    expect(describe.out).toMatch(/last materialized: \S+Z \(.*, 20 rows\)/);
    expect(describe.out).toMatch(/v1 \S+ by \S+: added/);
    const unknown = await run('describe', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain(
      'featuregraph: no feature view, on-demand view, aggregation view or feature service "nope" in project starter\nhint: known: account_activity',
    );
  }, 240_000);

  it('plan shows each changed value old → new', async () => {
    const file = join(dir, 'schema/index.ts');
    const { readFileSync } = await import('node:fs');
    writeFileSync(file, readFileSync(file, 'utf8').replace("ttl: '2d'", "ttl: '3d'").replace("team: 'starter'", "team: 'growth'"));
    const plan = await run('plan');
    expect(plan.code, plan.out).toBe(0);
    expect(plan.out).toContain('~ feature view account_activity (tags, ttlSeconds)');
    expect(plan.out).toContain('    tags.team: "starter" → "growth"');
    expect(plan.out).toContain('    ttlSeconds: 172800 → 259200');
  }, 240_000);

  it('serve answers a query for a seeded account', async () => {
    const server = runCli(['serve', '--allow-anonymous'], dataDir, env);
    children.push(server.child);
    await waitFor(() => /serving project "starter" at (\S+)/.test(server.output()), 60_000, 'the server', server.output);
    const url = /at (http:\/\/\S+\/graphql)/.exec(server.output())?.[1] ?? '';
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ account(accountId: "1") { accountActivity { sessions7d avgSessionMinutes eventTimestamp } } }' }),
    });
    const body = (await res.json()) as { data?: { account: { accountActivity: Record<string, unknown> | null } } };
    expect(body.data?.account.accountActivity).toMatchObject({ sessions7d: 7, avgSessionMinutes: expect.any(Number) });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 240_000);
});
