import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, describe, expect, it } from 'vitest';
import type { FeatureValue } from '../../src/definitions/values.js';
import {
  Bool,
  Bytes,
  Float32,
  Float64,
  Int32,
  Int64,
  Json,
  List,
  String as Str,
  Timestamp,
  type ValueType,
} from '../../src/definitions/value-types.js';
import { csvSink } from '../../src/offline/training/csv-sink.js';
import type { OutputColumn } from '../../src/offline/training/output-columns.js';
import { valueText } from '../../src/offline/training/text-format.js';
import { rng } from './random-sources.js';

const dir = mkdtempSync(join(tmpdir(), 'fg-csv-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the CSV sink', () => {
  it('writes what csv-stringify writes for the same value texts, awkward text included (and # quoted, as DuckDB does)', async () => {
    const { next, pick } = rng(5);
    const texts = ['', 'a', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', 'crlf\r\n', '"', ',', ' ', 'é', '\u0000x', '=1+2', '#x', 'a#b'];
    const types: [string, ValueType, () => FeatureValue][] = [
      ['s, "name"', Str, () => pick(texts)],
      ['i64', Int64, () => BigInt(Math.floor((next() - 0.5) * 2 ** 62))],
      ['i32', Int32, () => Math.floor((next() - 0.5) * 2 ** 31)],
      ['f32', Float32, () => Math.fround((next() - 0.5) * 10 ** Math.floor(next() * 40 - 20))],
      [
        'f64',
        Float64,
        () => pick([0, -0, Number.NaN, Infinity, -Infinity, 1e21, 1e-7, (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20)]),
      ],
      ['ts', Timestamp, () => new Date(Math.floor((next() - 0.3) * 4e12))],
      ['b', Bool, () => next() < 0.5],
      ['bytes', Bytes, () => new Uint8Array([1, 2, 250, Math.floor(next() * 256)])],
      ['json', Json, () => pick<FeatureValue>([{ a: 'x,y' }, ['"q"'], 'plain', 3, { n: 'line\nbreak' }])],
      ['list', List(Str), () => [pick(texts), pick(texts)]],
    ];
    const columns: OutputColumn[] = types.map(([name, type]) => ({ name, kind: 'feature', type, sqlAlias: name }));
    const rows = Array.from({ length: 3000 }, () => types.map(([, , gen]) => (next() < 0.1 ? null : gen())));
    const file = join(dir, 'out.csv');
    const sink = csvSink(file);
    await sink.start(columns, [], rows.length);
    for (let from = 0; from < rows.length; from += 700) {
      const part = rows.slice(from, from + 700);
      await sink.write({ length: part.length, value: (r, c) => part[r]?.[c] ?? null, row: (r) => part[r] ?? [], eventTs: () => null });
    }
    await sink.close();
    const want = stringify([columns.map((c) => c.name), ...rows.map((r) => r.map((v, i) => valueText(types[i]?.[1] as ValueType, v)))], {
      quoted_match: /#/,
    });
    expect(readFileSync(file, 'utf8')).toBe(want);
  });
});
