import type { ValueType } from '../../definitions/value-types.js';
import { coerceInput, describeValue, type FeatureValue } from '../../definitions/values.js';
import { valueText } from './text-format.js';

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * An on-demand request argument from an entity row column: a value of its type, or why not. Text (a CSV
 * cell, or an entity query's column read as text) is parsed as the type says; a number parses to the same
 * double GraphQL gives for the same literal. Request arguments are non-null, as in GraphQL.
 */
export const requestValue = (t: ValueType, v: unknown): { value: FeatureValue } | { error: string } => {
  if (v === null || v === undefined || v === '') return { error: 'missing (a request argument may not be empty)' };
  let raw: unknown = v;
  if (typeof v === 'string' && !(t.kind === 'scalar' && t.name === 'String')) {
    if (t.kind === 'list' || t.name === 'Json') {
      try {
        raw = JSON.parse(v) as unknown;
      } catch {
        return { error: `expected JSON, got ${describeValue(v)}` };
      }
    } else if (t.name === 'Int32' || t.name === 'Float32' || t.name === 'Float64') {
      if (!NUMBER.test(v)) return { error: `expected ${t.name}, got ${describeValue(v)}` };
      raw = Number(v);
    } else if (t.name === 'Bool') {
      const b = v.trim().toLowerCase();
      if (b !== 'true' && b !== 'false') return { error: `expected Bool (true or false), got ${describeValue(v)}` };
      raw = b === 'true';
    }
  }
  return coerceInput(t, raw);
};

/** The exact text a request value is kept as in the entity table; `requestValue` reads it back to the same value. */
export const requestText = (t: ValueType, v: FeatureValue): string => valueText(t, v);
