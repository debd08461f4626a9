import type { OutputColumn } from './query.js';

/**
 * The type a pass-through column (a label, a weight) keeps in a typed output: the narrowest one every
 * non-empty value of the column parses as, seen while the entity rows are validated; else text. CSV is text
 * either way; Parquet gets INT64, DOUBLE or BOOLEAN columns instead of strings.
 */
export type PassThroughType = 'Int64' | 'Float64' | 'Bool' | 'String';

const INT = /^-?(0|[1-9]\d{0,18})$/;
const FLOAT = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const BOOL = /^(true|false)$/i;
const INT64_MAX = 2n ** 63n - 1n;

const kindOf = (text: string): PassThroughType => {
  if (INT.test(text)) {
    const n = BigInt(text);
    return n <= INT64_MAX && n >= -INT64_MAX - 1n ? 'Int64' : 'Float64';
  }
  if (FLOAT.test(text) && Number.isFinite(Number(text))) return 'Float64';
  return BOOL.test(text) ? 'Bool' : 'String';
};

/** Int64 widens to Float64; any other mix is text. */
const join = (a: PassThroughType | undefined, b: PassThroughType): PassThroughType => {
  if (a === undefined || a === b) return b;
  if ((a === 'Int64' && b === 'Float64') || (a === 'Float64' && b === 'Int64')) return 'Float64';
  return 'String';
};

export class PassThroughTypes {
  readonly #types = new Map<string, PassThroughType>();

  /** One value of column `name` (null and empty are missing values: they do not narrow anything). */
  observe(name: string, text: string | null): void {
    if (text === null || text === '') return;
    const current = this.#types.get(name);
    if (current !== 'String') this.#types.set(name, join(current, kindOf(text)));
  }

  /** The type of a column; one with no value at all stays text. */
  typeOf(name: string): PassThroughType {
    return this.#types.get(name) ?? 'String';
  }

  /** The output columns with each pass-through column's type attached. */
  annotate(columns: readonly OutputColumn[]): OutputColumn[] {
    return columns.map((c) => (c.kind === 'extra' ? { ...c, passThroughType: this.typeOf(c.name) } : c));
  }
}

/** A pass-through value as its typed column holds it (the input text when it does not parse, which cannot happen
 * for a column whose type was inferred from all of its values). */
export const passThroughValue = (type: PassThroughType, text: string): string | number | bigint | boolean => {
  switch (type) {
    case 'Int64':
      return BigInt(text);
    case 'Float64':
      return Number(text);
    case 'Bool':
      return text.toLowerCase() === 'true';
    default:
      return text;
  }
};
