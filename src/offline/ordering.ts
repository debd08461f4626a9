import { quoteIdent, type ViewSpec } from '../definitions/resolve.js';

/**
 * The deterministic "greatest row" order of docs/semantics.md, newest first, for a source relation aliased `alias`:
 * event time, then created time (rows without one sort last), then — for rows that still tie — the feature
 * values in declaration order, each descending with nulls last (text compared bytewise, COLLATE "C").
 * Materialization and every point-in-time query use this one order.
 */
export const latestFirstOrder = (view: ViewSpec, alias: string): string => {
  const col = (c: string) => `${alias}.${quoteIdent(c)}`;
  const parts = [`${col(view.source.eventTimestampColumn)} DESC`];
  if (view.source.createdTimestampColumn) parts.push(`${col(view.source.createdTimestampColumn)} DESC NULLS LAST`);
  for (const f of view.features) {
    const t = f.type;
    const text = t.kind === 'scalar' && t.name === 'String';
    const asText = t.kind === 'list' || (t.kind === 'scalar' && (t.name === 'Json' || t.name === 'Bytes'));
    parts.push(`${asText ? `${col(f.column)}::text COLLATE "C"` : text ? `${col(f.column)} COLLATE "C"` : col(f.column)} DESC NULLS LAST`);
  }
  return parts.join(', ');
};
