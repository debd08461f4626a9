import type { DuckDBConnection } from '@duckdb/node-api';
import { Float32, Float64 } from '../../definitions/value-types.js';
import { valueText } from '../training/text-format.js';

/**
 * Floats as text exactly as the CSV sink writes them (text-format.ts), for the native CSV export
 * (docs/offline-stores.md, "Native CSV"), at the cost of a cast for nearly every value.
 *
 * DuckDB's own text of a float (`CAST(x AS VARCHAR)`) has JavaScript's digits and layout for the values most
 * features hold, and differs only where the exact binary value is a short decimal (DuckDB may print it in
 * full, or break an exact tie the other way: `3261382.75` for JavaScript's `3261382.8`), for integers
 * (`16777216.0`), below 1e-4 (`1.5e-05`), for zeros, infinities and NaN. Those are recognised without looking
 * at the text: a value whose exact decimal could be that short is a multiple of 2^-14 (Float32) or 2^-21
 * (Float64) once it is at least 1e-4. Such values — rare in real features — go to a function that runs the
 * CSV sink's own formatting in JavaScript (DuckDB calls it with only those rows), so both paths print them
 * with the same code.
 */
export const floatText = (col: string, float32: boolean): string => {
  const d = `CAST(${col} AS DOUBLE)`;
  const scale = float32 ? 16384 : 2097152;
  const plain = `isfinite(${col}) AND abs(${d}) >= 1e-4 AND ${d} * ${scale} <> trunc(${d} * ${scale})`;
  return `CASE WHEN ${col} IS NULL THEN NULL WHEN ${plain} THEN CAST(${col} AS VARCHAR) ELSE ${float32 ? FLOAT32_TEXT : FLOAT64_TEXT}(${col}) END`;
};

const FLOAT32_TEXT = 'fg_float32_text';
const FLOAT64_TEXT = 'fg_float64_text';

/** Register the JavaScript formatting `floatText` falls back to on a connection. */
export const registerFloatText = async (c: DuckDBConnection): Promise<void> => {
  // Loaded already (the connection exists); imported here so that this module does not load DuckDB.
  const { DOUBLE, DuckDBScalarFunction, FLOAT, VARCHAR } = await import('@duckdb/node-api');
  for (const [name, duckType, type] of [
    [FLOAT32_TEXT, FLOAT, Float32],
    [FLOAT64_TEXT, DOUBLE, Float64],
  ] as const)
    c.registerScalarFunction(
      DuckDBScalarFunction.create({
        name,
        returnType: VARCHAR,
        parameterTypes: [duckType],
        mainFunction: (_info, input, output) => {
          const v = input.getColumnVector(0);
          for (let r = 0; r < input.rowCount; r++) {
            const x = v.getItem(r) as number | null;
            output.setItem(r, x === null ? null : valueText(type, x));
          }
          output.flush();
        },
      }),
    );
};
