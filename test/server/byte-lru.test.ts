import { describe, expect, it } from 'vitest';
import { byteLru } from '../../src/server/byte-lru.js';

describe('byteLru', () => {
  it('stays within its byte budget, dropping the entries least recently inserted or used', () => {
    const c = byteLru<number>({ maxBytes: 1000 });
    for (let i = 0; i < 100; i++) c.set(`k${i}`, i, 100);
    expect(c.bytes).toBeLessThanOrEqual(1000);
    expect(c.size).toBe(10);
    expect(c.get('k0')).toBeUndefined();
    expect(c.get('k99')).toBe(99);
  });

  it('keeps an entry that is read between inserts, however many other entries pass through', () => {
    const c = byteLru<number>({ maxBytes: 1000 });
    c.set('hot', -1, 100);
    for (let i = 0; i < 1000; i++) {
      c.set(`k${i}`, i, 100);
      expect(c.get('hot')).toBe(-1);
    }
    expect(c.bytes).toBeLessThanOrEqual(1000);
  });

  it('does not keep an entry over a quarter of the budget, and counts a replaced entry once', () => {
    const c = byteLru<string>({ maxBytes: 1000 });
    c.set('big', 'x', 251);
    expect(c.get('big')).toBeUndefined();
    c.set('a', 'first', 200);
    c.set('a', 'second', 100);
    expect([c.get('a'), c.bytes, c.size]).toEqual(['second', 100, 1]);
  });

  it('bounds entries too when asked', () => {
    const c = byteLru<number>({ maxBytes: 1e9, maxEntries: 3 });
    for (let i = 0; i < 10; i++) c.set(`k${i}`, i);
    expect(c.size).toBe(3);
  });
});
