import { existsSync } from 'node:fs';

/**
 * The compiled JavaScript of a bench file (`bench/x.ts` → `dist/bench/x.js`), built by `npm run build:bench`,
 * which every `bench:*` script that starts servers runs first. Servers and load generators run compiled, as
 * users run featuregraph (the published dist/ code): tsx's on-the-fly transform wraps every closure in a
 * naming helper, a few percent of server CPU that no user pays.
 */
export const compiled = (file: string): string => {
  const js = file.replace(/^(\.\/)?bench\//, 'dist/bench/').replace(/\.ts$/, '.js');
  if (!existsSync(js)) throw new Error(`${js} is missing: run \`npm run build:bench\` first (the bench:* scripts do)`);
  return js;
};
