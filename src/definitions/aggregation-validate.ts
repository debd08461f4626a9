import type { AggregationView } from './aggregation.js';
import type { DefinitionProblem } from './errors.js';
import { parseDuration } from './duration.js';
import { isFeatureDef } from './feature.js';
import { IDENTIFIER, camelCase } from './naming.js';
import { isValueType, type ValueType } from './value-types.js';

const FNS = new Set(['count', 'sum', 'avg', 'min', 'max', 'last']);
/** Windows reach at most this far back: online state is kept for the longest window (docs/aggregations.md). */
export const MAX_WINDOW_SECONDS = 31 * 86_400;
/** Output names every aggregation type has besides its outputs. */
const RESERVED_OUTPUTS = new Set(['window_end', '__typename']);

const scalarName = (t: unknown): string | null =>
  isValueType(t) && (t as ValueType).kind === 'scalar' ? (t as { name: string }).name : null;

/**
 * The checks of docs/aggregations.md, "Defining": an event id field, windows of 1 s to 31 d, and per function
 * the field types it can aggregate exactly (sum and avg only Int32, so the online sum of tiles equals the
 * brute-force sum; min and max Int32, Float32 or Float64; last any scalar).
 */
export const aggregationProblems = (label: string, a: AggregationView): DefinitionProblem[] => {
  const problems: DefinitionProblem[] = [];
  const add = (message: string, field?: string) => problems.push({ object: label, message, ...(field ? { field } : {}) });
  const fields = (typeof a.fields === 'object' && a.fields !== null ? a.fields : {}) as AggregationView['fields'];
  const typeOf = (name: string) => {
    const d = fields[name];
    return d === undefined ? undefined : isFeatureDef(d) ? d.type : d;
  };
  if (typeof a.eventId !== 'string' || !(a.eventId in fields))
    add(`eventId must name one of the fields (${Object.keys(fields).join(', ') || 'none'})`, 'eventId');
  else if (!['String', 'Int32', 'Int64'].includes(scalarName(typeOf(a.eventId)) ?? ''))
    add('the event id field must be String, Int32 or Int64', a.eventId);
  const aggs = typeof a.aggregations === 'object' && a.aggregations !== null ? Object.entries(a.aggregations) : [];
  if (aggs.length === 0) add('must declare at least one aggregation', 'aggregations');
  const camel = new Map<string, string>();
  for (const [name, d] of aggs) {
    if (!IDENTIFIER.test(name)) add('aggregation name must be lower_snake_case', name);
    if (RESERVED_OUTPUTS.has(name)) add(`"${name}" is reserved`, name);
    const c = camelCase(name);
    if (camel.has(c)) add(`"${name}" and "${camel.get(c)}" both become GraphQL field "${c}"`, name);
    camel.set(c, name);
    if (typeof d !== 'object' || d === null || d.kind !== 'aggregation' || !FNS.has(d.fn)) {
      add('must be count(), sum(), avg(), min(), max() or last()', name);
      continue;
    }
    const w = parseDuration(d.window);
    if ('error' in w) add(`window ${w.error}`, name);
    else if (w.seconds < 1 || w.seconds > MAX_WINDOW_SECONDS) add(`window must be between 1 s and 31 d, got ${w.seconds} s`, name);
    if (d.fn === 'count') continue;
    const t = typeof d.field === 'string' ? typeOf(d.field) : undefined;
    if (t === undefined) {
      add(`${d.fn} reads unknown field ${JSON.stringify(d.field)}; fields are ${Object.keys(fields).join(', ')}`, name);
      continue;
    }
    const s = scalarName(t);
    if ((d.fn === 'sum' || d.fn === 'avg') && s !== 'Int32')
      add(`${d.fn} needs an Int32 field (exact online and offline), ${d.field} is ${s ?? 'a list'}`, name);
    if ((d.fn === 'min' || d.fn === 'max') && !['Int32', 'Float32', 'Float64'].includes(s ?? ''))
      add(`${d.fn} needs an Int32, Float32 or Float64 field, ${d.field} is ${s ?? 'a list'}`, name);
    if (d.fn === 'last' && s === null) add(`last needs a scalar field, ${d.field} is a list`, name);
  }
  return problems;
};
