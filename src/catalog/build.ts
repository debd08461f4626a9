import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./ui/main.ts', import.meta.url));
export const BUNDLE_PATH = fileURLToPath(new URL('./catalog.js', import.meta.url));

/**
 * Bundle the catalog's browser code (src/catalog/ui/, plain TypeScript and DOM) into the one script the page
 * loads. The bundle is committed, so `npm install && npm start` needs no build step and the published package
 * carries it; a test fails when it is older than its sources (`npm run build:catalog` rewrites it).
 */
export const bundleCatalog = async (): Promise<string> => {
  const out = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
  });
  return `// Built from src/catalog/ui/ by \`npm run build:catalog\`; do not edit.\n${out.outputFiles[0]!.text}`;
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await bundleCatalog();
  const old = await readFile(BUNDLE_PATH, 'utf8').catch(() => '');
  if (old !== text) await writeFile(BUNDLE_PATH, text);
  console.log(`${BUNDLE_PATH}: ${text.length} bytes${old === text ? ' (unchanged)' : ''}`);
}
