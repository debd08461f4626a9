import { camelCase } from '../../definitions/naming.js';
import type { SelectedFeature } from './model.js';

/** GraphQL input type of a request argument's value type. */
const argType = (valueType: string): string =>
  ({
    Bool: 'Boolean',
    Int32: 'Int',
    Int64: 'Int64',
    Float32: 'Float',
    Float64: 'Float',
    Timestamp: 'DateTime',
    Json: 'JSON',
    Bytes: 'Bytes',
  })[valueType] ?? 'String';

/**
 * A GraphQL query reading the selected features online, one root field per entity (or composite key), with
 * the keys and request arguments as variables. Views and features keep the order they were picked in.
 */
export const graphqlQueryFor = (selected: readonly SelectedFeature[], joinKeys: ReadonlyMap<string, string>): string => {
  if (selected.length === 0) return '';
  const vars = new Map<string, string>();
  const groups = new Map<string, Map<string, Set<string>>>();
  const groupArgs = new Map<string, string[]>();
  for (const s of selected) {
    const keyName = s.entities.join('_');
    const args = s.entities.map((e) => camelCase(joinKeys.get(e) ?? `${e}_id`));
    for (const a of args) vars.set(a, 'ID!');
    groupArgs.set(keyName, args);
    const views = groups.get(keyName) ?? groups.set(keyName, new Map()).get(keyName)!;
    const viewField = camelCase(s.view) + (s.request.length ? `(${s.request.map((r) => `${r.field}: $${r.field}`).join(', ')})` : '');
    for (const r of s.request) vars.set(r.field, `${argType(r.valueType)}!`);
    (views.get(viewField) ?? views.set(viewField, new Set()).get(viewField)!).add(s.field);
  }
  const decl = [...vars].map(([n, t]) => `$${n}: ${t}`).join(', ');
  const body = [...groups]
    .map(([keyName, views]) => {
      const args = (groupArgs.get(keyName) ?? []).map((a) => `${a}: $${a}`).join(', ');
      const inner = [...views].map(([vf, fields]) => `    ${vf} {\n${[...fields].map((f) => `      ${f}`).join('\n')}\n    }`).join('\n');
      return `  ${camelCase(keyName)}(${args}) {\n${inner}\n  }`;
    })
    .join('\n');
  return `query SelectedFeatures(${decl}) {\n${body}\n}\n`;
};

/**
 * The `featuregraph historical` command building a training set of the selected features, with the columns
 * its entity file needs (join keys, event_timestamp, request arguments).
 */
export const trainingCommandFor = (selected: readonly SelectedFeature[], joinKeys: ReadonlyMap<string, string>): string => {
  if (selected.length === 0) return '';
  const columns = new Set<string>();
  for (const s of selected) for (const e of s.entities) columns.add(joinKeys.get(e) ?? `${e}_id`);
  columns.add('event_timestamp');
  for (const s of selected) for (const r of s.request) columns.add(r.name);
  const refs = [...new Set(selected.map((s) => `${s.view}:${s.feature}`))].join(',');
  return `# entities.csv columns: ${[...columns].join(',')}\nnpx featuregraph historical --entities entities.csv --features ${refs} --out training.parquet\n`;
};
