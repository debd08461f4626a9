import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');

/** Newest modification time of the files the build compiles. */
const newestSource = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }, 0);

/**
 * Before the suites: the CLI tests run the compiled command (bin → dist), so build when dist is older than
 * src (`npm test` has just built it; a direct `npx vitest run` may not have). After them: print which suites
 * were skipped for want of a service, and how to enable them.
 */
export default function setup(): () => void {
  const built = join(root, 'dist/.tsbuildinfo');
  const sources = Math.max(newestSource(join(root, 'src')), statSync(join(root, 'schema/demo-data.ts')).mtimeMs);
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    process.stdout.write('building dist/ (tsc -p tsconfig.build.json) for the CLI tests…\n');
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
      stdio: 'inherit',
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'fg-skips-'));
  const file = join(dir, 'skips.ndjson');
  process.env.FEATUREGRAPH_TEST_SKIPS = file;
  return () => {
    const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    rmSync(dir, { recursive: true, force: true });
    const skips = [...new Set(lines)].map((l) => JSON.parse(l) as { suite: string; service: string; enable: string });
    if (!skips.length) {
      process.stdout.write('\nservices: no suite was skipped for want of Redis, Postgres or redis-server\n');
      return;
    }
    const byService = new Map<string, { enable: string; suites: Set<string> }>();
    for (const s of skips) {
      const entry = byService.get(s.service) ?? { enable: s.enable, suites: new Set<string>() };
      entry.suites.add(s.suite);
      byService.set(s.service, entry);
    }
    const out = ['', `skipped for want of a service (${new Set(skips.map((s) => s.suite)).size} suites):`];
    for (const [service, { enable, suites }] of byService) {
      out.push(`  ${service} — ${enable}:`);
      for (const s of [...suites].sort()) out.push(`    - ${s}`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
  };
}
