import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../codegen.js';

describe('generated code', () => {
  it('matches what codegen.ts generates from the checked-in schema and operations', async () => {
    const outputs = (await generate({ ...config, silent: true }, false)) as { filename: string; content: string }[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const o of outputs) expect(readFileSync(o.filename, 'utf8'), `${o.filename} is stale: run npm run codegen`).toBe(o.content);
  });
});
