/**
 * The number with the shortest decimal text that reads back as the same float32 as `x`: `0.3646`, not
 * `0.3646000027656555` (the float32 nearest 0.3646 printed as a double). Printing the result with JavaScript's
 * own shortest-double formatting (`String`, `JSON.stringify`) therefore gives what Postgres prints for a
 * `real`; GraphQL, CSV and the catalog all print Float32 features through it (docs/catalog.md).
 *
 * Fast: a float32 has at most 9 significant digits, and any decimal of fewer than 6 digits that round-trips
 * is also what `toPrecision(6)` yields (it lies within half a float32 ulp, far below half a unit of the 6th
 * digit), so only precisions 6 to 9 are tried for normal numbers.
 */
const MIN_NORMAL = 2 ** -126;

export const shortestFloat32 = (x: number): number => {
  const f = Math.fround(x);
  if (f === 0 || !Number.isFinite(f)) return f;
  // Subnormals (below 2^-126) have fewer significant bits, so shorter decimals can round-trip: search from 1.
  for (let p = Math.abs(f) < MIN_NORMAL ? 1 : 6; p <= 9; p++) {
    const s = Number(f.toPrecision(p));
    if (Math.fround(s) === f) return s;
  }
  return f;
};
