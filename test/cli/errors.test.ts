import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCliError } from '../../src/cli/errors.js';
import { runCli } from '../support/cli.js';

/** One command's exit code and combined output. */
const run = async (args: string[], dataDir: string, env: Record<string, string> = {}) => {
  const r = runCli(args, dataDir, env);
  return { code: await r.exited, out: r.output() };
};

describe('CLI errors are one clear line, never a stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fg-cli-errors-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a usage error (missing option, bad value, unknown option or command) is one line and a hint, not the help', async () => {
    const hint = 'hint: featuregraph --help lists the commands, featuregraph <command> --help their options';
    for (const [args, line] of [
      [['historical'], "featuregraph: required option '--out <file>' not specified"],
      [['bogus'], "featuregraph: unknown command 'bogus'"],
      [['list', '--wat'], "featuregraph: unknown option '--wat'"],
    ] as const) {
      const r = await run([...args], dir);
      expect({ args, code: r.code, out: r.out }).toEqual({ args, code: 1, out: `${line}\n${hint}\n` });
    }
  });

  it('historical with a missing entities file names the file', async () => {
    const r = await run(
      ['historical', '--entities', join(dir, 'missing.csv'), '--features', 'driver_stats:conv_rate', '--out', join(dir, 't.csv')],
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.out).toBe(`featuregraph: --entities: no such file: ${join(dir, 'missing.csv')}\n`);
  });

  it('historical into a directory that does not exist names that directory, not a temporary file', async () => {
    const rows = join(dir, 'rows-out.csv');
    writeFileSync(rows, 'driver_id,event_timestamp\n1001,2026-11-25T10:00:00Z\n');
    const out = join(dir, 'no-such-dir', 'train.csv');
    const r = await run(['historical', '--entities', rows, '--features', 'driver_stats:conv_rate', '--out', out], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`the output directory does not exist: ${join(dir, 'no-such-dir')}`);
    expect(r.out).not.toContain('.tmp');
  }, 120_000);

  it('historical with an unknown output extension refuses instead of writing CSV', async () => {
    const rows = join(dir, 'rows.csv');
    writeFileSync(rows, 'driver_id,event_timestamp\n1001,2026-11-25T10:00:00Z\n');
    const r = await run(['historical', '--entities', rows, '--features', 'driver_stats:conv_rate', '--out', join(dir, 't.xlsx')], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('unknown extension ".xlsx"; use .csv or .parquet, or give --format csv|parquet');
    expect(r.out.trim().split('\n')).toHaveLength(1);
  });

  it('a bad flag value and a missing definitions module print one line (and a hint), no stack', async () => {
    const bad = await run(['materialize', '--start', 'yesterday', '--end', 'now'], dir);
    expect(bad.code).toBe(1);
    expect(bad.out).toBe('featuregraph: --start must be ISO 8601 (e.g. 2026-11-26T00:00:00Z), "now" or "now-2d"; got "yesterday"\n');
    const missing = await run(['list'], dir, { FEATUREGRAPH_DEFINITIONS: join(dir, 'nope.ts') });
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(
      /^featuregraph: definitions module not found: \S+nope\.ts \(set FEATUREGRAPH_DEFINITIONS or --definitions\)\n$/,
    );
    expect(missing.out).not.toMatch(/\n\s+at /);
  });

  it('serve: a bad number names the flag and the value; a port in use is one line, not a WebSocket stack', async () => {
    for (const [args, message] of [
      [['--port', 'abc'], '--port must be a whole number from 0 to 65535, got "abc"'],
      [['--port', '99999'], '--port must be a whole number from 0 to 65535, got "99999"'],
      [['--workers', '0'], '--workers must be a whole number from 1 to 256, got "0"'],
      [['--max-keys', '-5'], '--max-keys must be a whole number from 1 to 1000000, got "-5"'],
      [['--max-connections', '0'], '--max-connections must be a whole number from 1 to 1000000, got "0"'],
      [['--rate-limit', '0'], '--rate-limit must be requests per second per API key, optionally :burst (e.g. 50 or 50:200), got "0"'],
    ] as const) {
      const r = await run(['serve', '--allow-anonymous', ...args], dir);
      expect(r.code).toBe(1);
      expect(r.out).toContain(message);
    }
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (busy.address() as AddressInfo).port;
      const r = await run(['serve', '--allow-anonymous', '--port', String(port)], dir);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`port ${port} is already in use`);
      expect(r.out).not.toMatch(/\n\s+at |WebSocket/);
    } finally {
      busy.close();
    }
  }, 60_000);

  it('--version prints the package version', async () => {
    const r = await run(['--version'], dir);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(
      (JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version,
    );
  });

  it('FEATUREGRAPH_DEBUG=1 adds the stack trace', async () => {
    const r = await run(['materialize', '--start', 'yesterday', '--end', 'now'], dir, { FEATUREGRAPH_DEBUG: '1' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^featuregraph: --start must be ISO 8601/);
    expect(r.out).toMatch(/\n\s+at parseCliTime/);
  });

  it('system errors get a plain message and, where there is one, a hint', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), {
      code: 'ECONNREFUSED',
      address: '127.0.0.1',
      port: 6390,
    });
    expect(formatCliError(refused, {})).toBe(
      'featuregraph: connection refused by 127.0.0.1:6390\nhint: is the server up? check DATABASE_URL / REDIS_URL, or unset them to use the embedded stores',
    );
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'x.csv'"), { code: 'ENOENT', path: 'x.csv' });
    expect(formatCliError(enoent, {})).toBe('featuregraph: no such file or directory: x.csv');
  });

  it("--help lists every command; a command's own help comes from its module", async () => {
    const r = await run(['--help'], dir);
    expect(r.code).toBe(0);
    for (const c of ['init', 'list', 'describe', 'plan', 'apply', 'materialize', 'historical', 'serve', 'lineage', 'demo'])
      expect(r.out).toMatch(new RegExp(`\\n  ${c} `));
    const sub = await run(['historical', '--help'], dir);
    expect(sub.out).toContain('--entities <file>');
  });
});
