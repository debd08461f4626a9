import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('store URLs that are not URLs of their store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fg-urls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [flag, value, says] of [
    [
      '--database-url',
      'notaurl',
      '--database-url must be a postgres:// or postgresql:// URL such as postgres://user@host:5432/db, got something that is not a URL',
    ],
    [
      '--database-url',
      'mysql://u:secret@h/db',
      '--database-url must be a postgres:// or postgresql:// URL such as postgres://user@host:5432/db, got a mysql:// URL',
    ],
    [
      '--redis-url',
      'localhost:6379',
      '--redis-url must be a redis:// or rediss:// URL such as redis://host:6379, got something that is not a URL',
    ],
  ] as const)
    it(`${flag} ${value}: one line naming the option and what it must be, the value not repeated, exit 1`, async () => {
      const run = runCli([flag, value, 'list'], join(dir, 'data'));
      expect(await run.exited).toBe(1);
      expect(run.output().trim()).toBe(`featuregraph: ${says}`);
      expect(run.output()).not.toContain('secret');
    }, 30_000);
});
