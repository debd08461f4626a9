import { describe, expect, it } from 'vitest';
import { shortestFloat32 } from '../../src/definitions/float32.js';
import { valueText } from '../../src/offline/training/text-format.js';
import { Float32 } from '../../src/definitions/value-types.js';

/** The oracle: every precision from 1 up, the first whose text reads back as the same float32. */
const bruteForce = (x: number): string => {
  const f = Math.fround(x);
  for (let p = 1; p <= 17; p++) {
    const s = Number(f.toPrecision(p));
    if (Math.fround(s) === f) return String(s);
  }
  return String(f);
};

/** A float32 from raw bits, so every exponent and mantissa shape is drawn, not only "nice" decimals. */
const fromBits = (bits: number): number => {
  const b = new DataView(new ArrayBuffer(4));
  b.setUint32(0, bits >>> 0);
  return b.getFloat32(0);
};

describe('shortestFloat32', () => {
  it('prints a float32 as its shortest round-tripping decimal', () => {
    expect(String(shortestFloat32(Math.fround(0.3646)))).toBe('0.3646');
    expect(JSON.stringify({ v: shortestFloat32(0.3646000027656555) })).toBe('{"v":0.3646}');
    expect(shortestFloat32(Math.fround(0.1))).toBe(0.1);
    expect(shortestFloat32(1)).toBe(1);
    expect(shortestFloat32(16777217)).toBe(16777216); // beyond float32's integer range: rounded first
    expect(String(shortestFloat32(Math.fround(3.4028234663852886e38)))).toBe('3.4028235e+38');
    expect(String(shortestFloat32(1.401298464324817e-45))).toBe('1e-45'); // smallest subnormal
  });

  it('keeps zero signs, infinities and NaN', () => {
    expect(Object.is(shortestFloat32(-0), -0)).toBe(true);
    expect(shortestFloat32(Infinity)).toBe(Infinity);
    expect(shortestFloat32(-Infinity)).toBe(-Infinity);
    expect(shortestFloat32(NaN)).toBeNaN();
  });

  it('agrees with a 1-to-17-digit search on 200,000 random float32 bit patterns and on every power of two', () => {
    for (let e = -149; e <= 127; e++) expect(String(shortestFloat32(2 ** e))).toBe(bruteForce(2 ** e));
    let seed = 42;
    const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0), seed);
    for (let i = 0; i < 200_000; i++) {
      const f = fromBits(rand());
      if (!Number.isFinite(f)) continue;
      const got = shortestFloat32(f);
      expect(Math.fround(got)).toBe(f);
      expect(String(got)).toBe(bruteForce(f));
    }
  });

  it('is what CSV prints for a Float32 feature', () => {
    for (const x of [0.3646, 0.1, 1e-7, 123456.789, -2.5, 0]) {
      expect(valueText(Float32, Math.fround(x))).toBe(String(shortestFloat32(x)));
    }
    expect(valueText(Float32, Math.fround(0.3646))).toBe('0.3646');
  });
});
