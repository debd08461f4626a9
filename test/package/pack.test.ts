import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const versionOf = (pkg: string) =>
  (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The package as a user gets it: `npm pack`, installed from the tarball into an empty directory (dependencies
 * from the local npm cache when there), then its command and its types used from there.
 */
describe('the packed tarball installed into an empty directory', () => {
  const work = mkdtempSync(join(tmpdir(), 'fg-pack-'));
  const app = join(work, 'app');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('installs, and gives a working npx featuregraph and typed imports', () => {
    // dist/ is current: the global setup built it. --ignore-scripts: no second build.
    const packed = JSON.parse(
      execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8' }),
    ) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed[0]?.files.map((f) => f.path) ?? [];
    expect(files).toContain('dist/src/index.js');
    expect(files).toContain('dist/src/index.d.ts');
    expect(files).toContain('bin/featuregraph.js');
    // No sources, tests or local state in the tarball.
    expect(files.filter((f) => /^(src|test|bench|\.featuregraph)\//.test(f))).toEqual([]);

    const tarball = join(work, packed[0]?.filename ?? '');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    const install = spawnSync(
      npm,
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        tarball,
        `typescript@${versionOf('typescript')}`,
        `@types/node@${versionOf('@types/node')}`,
      ],
      { cwd: app, encoding: 'utf8' },
    );
    expect(install.status, `${install.stdout}\n${install.stderr}`).toBe(0);
    expect(existsSync(join(app, 'node_modules/featuregraph/dist/src/index.js'))).toBe(true);
    expect(readdirSync(join(app, 'node_modules/featuregraph'))).not.toContain('src');

    const help = spawnSync(npm, ['exec', '--offline', '--', 'featuregraph', '--help'], { cwd: app, encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: featuregraph');
    expect(help.stdout).toMatch(/historical +Export a point-in-time/);

    // Types come from the package's .d.ts: a correct definition type-checks, a wrong one is an error.
    writeFileSync(
      join(app, 'features.ts'),
      `import { Float32, Int64, entity, featureView, postgresSource, repository } from 'featuregraph';

export const driver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64 });
export const driverStats = featureView({
  name: 'driver_stats',
  entities: [driver],
  features: { conv_rate: Float32 },
  source: postgresSource({ name: 'driver_hourly_stats', table: 'demo.driver_hourly_stats', timestampField: 'event_timestamp' }),
  ttl: '2d',
});
// @ts-expect-error ttl is a duration, not a boolean: without the package's types this line would not be an error
featureView({ name: 'bad', entities: [driver], features: { x: Float32 }, source: driverStats.source, ttl: true });
export default repository({ project: 'app', featureViews: [driverStats] });
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        files: ['features.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: app, encoding: 'utf8' });
    expect(tsc.status, tsc.stdout).toBe(0);

    // And the compiled CLI loads those TypeScript definitions (through tsx) from the installed package.
    const plan = spawnSync(
      npm,
      ['exec', '--offline', '--', 'featuregraph', '--definitions', 'features.ts', 'schema', '--out', 'schema.graphql'],
      {
        cwd: app,
        encoding: 'utf8',
      },
    );
    expect(plan.status, `${plan.stdout}\n${plan.stderr}`).toBe(0);
    expect(readFileSync(join(app, 'schema.graphql'), 'utf8')).toContain('driverStats');
  }, 600_000);
});
