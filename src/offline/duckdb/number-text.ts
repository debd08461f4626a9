/**
 * Floats as text exactly as the CSV sink writes them (text-format.ts: JavaScript's Number#toString of the
 * shortest round-trip digits; for Float32 the shortest decimal that reads back as the same float32), in
 * DuckDB SQL, for the native CSV export. DuckDB prints the same shortest digits in its own layout (`1.5e-05`,
 * `16777216.0`, `1e+20`); these projections take the digits `d` (no leading or trailing zeros) and the
 * decimal point's position `n` from its text and lay them out by ECMAScript's Number::toString rules.
 *
 * They are stacked projections, each naming its results once: the same steps as nested macros re-expand
 * every argument at every use and cost about 60x more.
 */

/** The projection layers (innermost first) and the final text expression, for a float column `c`. */
export const numberTextLayers = (c: string, float32: boolean): { layers: string[][]; text: string } => {
  const s = `${c}__s`;
  const all = `${c}__a`;
  const int = `${c}__i`;
  const exp = `${c}__e`;
  const d = `${c}__d`;
  const n = `${c}__n`;
  const cand = `${c}__c`;
  const ok = `${c}__ok`;
  const layers: string[][] = [
    [`CAST(abs(${c}) AS VARCHAR) AS ${s}`],
    [
      `split_part(split_part(${s}, 'e', 1), '.', 1) AS ${int}`,
      `split_part(split_part(${s}, 'e', 1), '.', 1) || split_part(split_part(${s}, 'e', 1), '.', 2) AS ${all}`,
      `coalesce(TRY_CAST(split_part(${s}, 'e', 2) AS INTEGER), 0) AS ${exp}`,
    ],
    [`rtrim(ltrim(${all}, '0'), '0') AS ${d}`, `length(${int}) + ${exp} - (length(${all}) - length(ltrim(${all}, '0'))) AS ${n}`],
  ];
  let digits = d;
  let point = n;
  if (float32) {
    // DuckDB may print a float32 that is exactly a decimal ending in 5 (474.078125) with that digit, where
    // JavaScript's search stops one digit earlier because rounding it half up reads back too (474.07813);
    // and it prints large float32 integers in full (327672384 for 327672400). Rounding half up at each
    // shorter length, from 1 up as float32Text tries them, finds JavaScript's digits: the first that reads
    // back (string → double → float, as Number() then Math.fround do).
    const tries = Array.from({ length: 9 }, (_, i) => i + 1);
    const candOf = (p: number) => `CAST(TRY_CAST(${d}[1:${p}] AS BIGINT) + CASE WHEN ${d}[${p + 1}:${p + 1}] >= '5' THEN 1 ELSE 0 END AS VARCHAR)`;
    layers.push(tries.map((p) => `CASE WHEN length(${d}) > ${p} THEN ${candOf(p)} ELSE ${d} END AS ${cand}${p}`));
    layers.push(
      tries.map((p) => `length(${d}) > ${p} AND CAST(TRY_CAST(${cand}${p} || 'e' || CAST(${n} - ${p} AS VARCHAR) AS DOUBLE) AS FLOAT) = abs(${c}) AS ${ok}${p}`),
    );
    // The candidate may have carried into one more digit (9.99 → 10.0).
    const pick = (what: (p: number) => string, otherwise: string) => `CASE ${tries.map((p) => `WHEN ${ok}${p} THEN ${what(p)}`).join(' ')} ELSE ${otherwise} END`;
    layers.push([`${pick((p) => `rtrim(${cand}${p}, '0')`, d)} AS ${c}__dd`, `${pick((p) => `${n} - ${p} + length(${cand}${p})`, n)} AS ${c}__nn`]);
    digits = `${c}__dd`;
    point = `${c}__nn`;
  }
  const text =
    `CASE WHEN ${c} IS NULL THEN NULL WHEN ${c} = 0 THEN '0' WHEN isnan(${c}) THEN 'NaN' ` +
    `WHEN isinf(${c}) THEN CASE WHEN ${c} > 0 THEN 'Infinity' ELSE '-Infinity' END ELSE ` +
    `CASE WHEN ${c} < 0 THEN '-' ELSE '' END || CASE ` +
    `WHEN length(${digits}) <= ${point} AND ${point} <= 21 THEN ${digits} || repeat('0', ${point} - length(${digits})) ` +
    `WHEN 0 < ${point} AND ${point} <= 21 THEN ${digits}[1:${point}] || '.' || ${digits}[${point} + 1:] ` +
    `WHEN -6 < ${point} AND ${point} <= 0 THEN '0.' || repeat('0', -${point}) || ${digits} ` +
    `ELSE ${digits}[1:1] || CASE WHEN length(${digits}) > 1 THEN '.' || ${digits}[2:] ELSE '' END || 'e' || ` +
    `CASE WHEN ${point} - 1 >= 0 THEN '+' ELSE '-' END || CAST(abs(${point} - 1) AS VARCHAR) END END`;
  return { layers, text };
};

/** Wrap `inner` (which has the float columns) in the layers of every float column; `texts` lays them out. */
export const withNumberText = (inner: string, columns: readonly { readonly col: string; readonly float32: boolean }[]) => {
  let sql = inner;
  const texts = new Map<string, string>();
  const all = columns.map((c) => ({ ...c, ...numberTextLayers(c.col, c.float32) }));
  const depth = Math.max(0, ...all.map((c) => c.layers.length));
  for (let i = 0; i < depth; i++) {
    const items = all.flatMap((c) => c.layers[i] ?? []);
    if (items.length > 0) sql = `SELECT *, ${items.join(', ')} FROM (${sql})`;
  }
  for (const c of all) texts.set(c.col, c.text);
  return { sql, texts };
};
