import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { csvRows } from '../../src/offline/training/entity-input.js';
import { rng } from './random-sources.js';

const dir = mkdtempSync(join(tmpdir(), 'fg-entity-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What csv-parse makes of a file with the options entity files have always been read with. */
const reference = (text: string) => {
  let header: string[] = [];
  try {
    const recs = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      columns: (h: string[]) => (header = h.map((c) => c.trim())),
    }) as {
      record: Record<string, string>;
      info: { lines: number };
    }[];
    return { header, rows: recs.map((r) => ({ values: r.record, line: r.info.lines })) };
  } catch (err) {
    return { error: (err as Error).message };
  }
};

const read = async (text: string) => {
  const file = join(dir, 'e.csv');
  writeFileSync(file, text);
  const input = csvRows(file);
  const rows: { values: Record<string, unknown>; line: number }[] = [];
  try {
    for await (const b of input.rows()) b.values.forEach((v, i) => rows.push({ values: { ...v }, line: b.line(i) }));
  } catch (err) {
    return { error: (err as Error).message };
  }
  return { header: [...input.columns()], rows };
};

describe('entity CSV files', () => {
  it('are read exactly as csv-parse reads them, simple or not', async () => {
    const { next: r, pick } = rng(11);
    const simple = ['1', '22', 'abc', ' x ', '', 'é', '2024-01-01T00:00:00Z'];
    const awkward = ['"q"', '"a,b"', '"x\ny"', 'a"b', '\r', '"', '""'];
    const kinds = { simple: 0, quoted: 0, error: 0 };
    for (let n = 0; n < 400; n++) {
      const cols = 1 + Math.floor(r() * 3);
      const header = Array.from({ length: cols }, (_, i) => (r() < 0.2 ? ` c${i} ` : `c${i}`));
      const lines = [header.join(',')];
      const rows = Math.floor(r() * 2500);
      for (let i = 0; i < rows; i++) {
        if (r() < 0.02) lines.push('');
        const width = r() < 0.0002 ? cols + 1 : cols;
        lines.push(Array.from({ length: width }, () => (r() < 0.0001 ? pick(awkward) : pick(simple))).join(','));
      }
      let text = (r() < 0.2 ? '\ufeff' : '') + lines.join('\n') + (r() < 0.5 ? '\n' : '');
      if (r() < 0.1) text = `\n${text}\n\n`;
      const want = reference(text);
      expect(await read(text), `case ${n}`).toEqual(want);
      kinds['error' in want ? 'error' : /["\r]/.test(text) ? 'quoted' : 'simple']++;
    }
    // Each way through is taken: the simple reader alone, the switch to csv-parse, and csv-parse's errors.
    expect(kinds.simple).toBeGreaterThan(100);
    expect(kinds.quoted).toBeGreaterThan(20);
    expect(kinds.error).toBeGreaterThan(20);
  });

  it('give a malformed line the error csv-parse gives it, after the simple lines before it', async () => {
    const text = `id,event_timestamp\n${Array.from({ length: 3000 }, (_, i) => `${i},2024-01-01T00:00:00Z`).join('\n')}\n7,2024,extra\n`;
    const got = await read(text);
    expect(got).toEqual(reference(text));
    expect('error' in got && got.error).toMatch(/line 3002/);
  });
});
