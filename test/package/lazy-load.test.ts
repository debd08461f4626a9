import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../../dist/src/index.js', import.meta.url));

/**
 * The package's main entry, which every CLI command loads through the user's definitions, loads no server
 * library until an app is created or a server listens (docs/architecture.md, "The package"). Run on the build
 * (`npm test` builds first).
 */
describe('the main entry', () => {
  it('loads neither Yoga, whatwg-node nor graphql-jit when imported', () => {
    const script = `import(${JSON.stringify(entry)}).then(() => {
      const loaded = Object.keys(require.cache).filter((p) => /graphql-yoga|@whatwg-node|graphql-jit/.test(p));
      console.log(JSON.stringify(loaded));
    });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual([]);
  });
});
