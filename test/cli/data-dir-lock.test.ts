import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const DEFS = join(import.meta.dirname, 'fixtures/push-repository.ts');

describe('an embedded data dir is opened by one process at a time (real processes)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-lock-'));
  const cli = (args: string[], env: Record<string, string> = {}) =>
    runCli(['--definitions', DEFS, ...args], dataDir, { FG_TEST_PROJECT: 'locktest', ...env });
  const kill: (() => void)[] = [];
  afterAll(() => {
    for (const k of kill) k();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a second process gets an error naming the running one; a busy port stops demo before any data; a stale lock is taken over', async () => {
    const apply = cli(['apply']);
    expect(await apply.exited, apply.output()).toBe(0);
    const server = cli(['serve', '--allow-anonymous'], { PORT: '0' });
    kill.push(() => server.child.kill('SIGKILL'));
    const deadline = Date.now() + 90_000;
    while (!/at http:\/\/localhost:(\d+)\/graphql/.test(server.output())) {
      if (Date.now() > deadline || server.child.exitCode !== null) throw new Error(`server did not start:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const port = /at http:\/\/localhost:(\d+)\/graphql/.exec(server.output())![1]!;

    const writer = cli(['materialize-incremental']);
    expect(await writer.exited).toBe(1);
    expect(writer.output()).toMatch(
      new RegExp(`in use by process ${server.child.pid} \\(\`featuregraph [^\`]*serve[^\`]*\`, serving on port ${port}`),
    );
    expect(writer.output()).toMatch(/DATABASE_URL/);

    const reader = cli(['historical', '--entity-sql', 'SELECT 1', '--features', 'risk:score', '--out', join(dataDir, 'x.csv')]);
    expect(await reader.exited).toBe(1);
    expect(reader.output()).toMatch(/for reads too/);
    expect(reader.output()).toMatch(new RegExp(`http://localhost:${port}/graphql, with asOf`));

    const started = Date.now();
    const demo = cli(['demo'], { PORT: port });
    expect(await demo.exited).toBe(1);
    expect(demo.output()).toMatch(new RegExp(`port ${port} is already in use.*nothing was changed`));
    expect(demo.output()).not.toMatch(/data|apply/i);
    expect(Date.now() - started).toBeLessThan(30_000);

    // The server still answers: nobody touched its database.
    expect((await fetch(`http://localhost:${port}/ready`)).status).toBe(200);

    server.child.kill('SIGKILL'); // leaves its lock file behind
    await server.exited;
    const after = cli(['apply']);
    expect(await after.exited, after.output()).toBe(0);
  }, 240_000);
});
