import { describe, expect, it } from 'vitest';
import { mergeTile, parseEvent, parseTile, type AggState } from '../../src/online/aggregation/state.js';

const state = (k: number): AggState => ({ n: 0, stats: Array.from({ length: k }, () => ({ s: 0, c: 0, mn: null, mx: null })), last: null });

describe('aggregation tile parsing (src/online/aggregation/state.ts)', () => {
  it('reads every number as Number() would, empty fields as the stored nulls', () => {
    const big = '12345678901234567'; // 17 digits: past the integer fast path
    const tile = `3,1700000000123,,00ff,-12,2,-7,-5,1.5e+20,${big},,,["a,b",{"x":[1,2]}]`;
    const t = parseTile(tile, 2);
    expect(t.n).toBe(3);
    expect(t.last).toEqual({ ts: 1700000000123, cr: null, tie: '00ff', json: '["a,b",{"x":[1,2]}]' });
    expect(t.stats).toEqual([
      { s: -12, c: 2, mn: -7, mx: -5 },
      { s: 1.5e20, c: Number(big), mn: null, mx: null },
    ]);
  });

  it('treats a lone sign or a non-number as Number() does (NaN), not as a number', () => {
    const t = parseTile('-,5,x,ab,[]', 0);
    expect(t.n).toBeNaN();
    expect(t.last.ts).toBe(5);
    expect(t.last.cr).toBeNaN();
  });

  it('refuses a record with too few fields, naming it', () => {
    expect(() => parseTile('1,2,3', 1)).toThrow(/malformed aggregation record: 1,2,3/);
    expect(() => parseEvent('17,')).toThrow(/malformed aggregation record/);
  });

  it('merges one parsed tile into several windows without changing it', () => {
    const t = parseTile('2,100,7,aa,10,2,4,6,[1]', 1);
    const a = state(1);
    const b = state(1);
    mergeTile(a, t);
    mergeTile(a, parseTile('1,200,,bb,-3,1,-3,-3,[2]', 1));
    mergeTile(b, t);
    expect(a).toMatchObject({ n: 3, stats: [{ s: 7, c: 3, mn: -3, mx: 6 }], last: { ts: 200, tie: 'bb' } });
    expect(b).toMatchObject({ n: 2, stats: [{ s: 10, c: 2, mn: 4, mx: 6 }], last: { ts: 100, cr: 7, tie: 'aa' } });
    expect(t.stats[0]).toEqual({ s: 10, c: 2, mn: 4, mx: 6 });
  });

  it('reads a raw event: times, created time, tie key and its fields', () => {
    expect(parseEvent('1700000000000,1700000000005,0a0b,["x",2.5,null]')).toEqual({
      ts: 1700000000000,
      cr: 1700000000005,
      tie: '0a0b',
      values: ['x', 2.5, null],
    });
  });
});
