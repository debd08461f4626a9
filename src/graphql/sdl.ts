import type { ResolvedRepository, ViewSpec, OnDemandSpec, ServiceSpec } from '../definitions/resolve.js';
import type { Entity } from '../definitions/objects.js';
import type { ValueType } from '../definitions/value-types.js';
import { camelCase, pascalCase, pluralField } from '../definitions/naming.js';
import { registrySdl } from './registry-sdl.js';

/** GraphQL output type of a value type (features are nullable). */
export const graphqlType = (t: ValueType): string => {
  if (t.kind === 'list') return `[${graphqlType(t.of)}]`;
  switch (t.name) {
    case 'Bool':
      return 'Boolean';
    case 'Int32':
      return 'Int';
    case 'Int64':
      return 'Int64';
    case 'Float32':
    case 'Float64':
      return 'Float';
    case 'String':
      return 'String';
    case 'Bytes':
      return 'Bytes';
    case 'Timestamp':
      return 'DateTime';
    case 'Json':
      return 'JSON';
  }
};

const desc = (text: string | undefined, indent = ''): string =>
  text ? `${indent}"""\n${text.split('\n').map((l) => `${indent}${l.replace(/"""/g, '\\"""')}`).join('\n')}\n${indent}"""\n` : '';

const keyArgs = (entities: readonly Entity[]): string => entities.map((e) => `${camelCase(e.joinKey)}: ID!`).join(', ');

const AS_OF_DOC = '"The point-in-time value as of this instant, from the offline store; omit for the online value."';
const AS_KNOWN_AT_DOC =
  '"With asOf: true reads only rows created (ingested) by then, what serving could have seen; false reads by event time alone. Default: the view\'s pointInTime.asKnownAt."';

const viewType = (v: ViewSpec): string => {
  const fields = v.features.map((f) => `  ${camelCase(f.name)}: ${graphqlType(f.type)}`);
  return (
    desc(v.def.description) +
    `type ${pascalCase(v.name)} {\n` +
    `  "Event time of the row the values come from."\n  eventTimestamp: DateTime!\n` +
    fields.join('\n') +
    '\n}\n'
  );
};

const onDemandType = (o: OnDemandSpec): string =>
  desc(o.def.description) + `type ${pascalCase(o.name)} {\n${o.features.map((f) => `  ${camelCase(f.name)}: ${graphqlType(f.type)}`).join('\n')}\n}\n`;

const requestArgs = (o: OnDemandSpec): string => o.request.map((r) => `${camelCase(r.name)}: ${graphqlType(r.type)}!`).join(', ');

const pushInput = (v: ViewSpec): string => {
  const keys = v.keys.map((k) => `  ${camelCase(k.joinKey)}: ID!`);
  const feats = v.features.map((f) => `  ${camelCase(f.name)}: ${graphqlType(f.type).replace(/^\[(\w+)\]$/, '[$1]')}`);
  return (
    `"A row pushed to ${v.name}."\ninput ${pascalCase(v.name)}RowInput {\n` +
    [...keys, '  eventTimestamp: DateTime!', '  "Ingestion time; defaults to the time of the push."\n  createdTimestamp: DateTime', ...feats].join('\n') +
    '\n}\n'
  );
};

const serviceType = (s: ServiceSpec, repo: ResolvedRepository): string => {
  const fields = s.selections.map((sel) => `  ${camelCase(sel.view)}: ${pascalCase(s.name)}${pascalCase(sel.view)}`);
  const sub = s.selections.map((sel) => {
    const v = repo.views.find((x) => x.name === sel.view) ?? repo.onDemandViews.find((x) => x.name === sel.view);
    const types = new Map<string, ValueType>((v?.features ?? []).map((f) => [f.name, f.type]));
    const lines = sel.features.map((f) => `  ${camelCase(f)}: ${graphqlType(types.get(f) ?? { kind: 'scalar', name: 'Json' })}`);
    if (!sel.onDemand) lines.unshift('  eventTimestamp: DateTime!');
    return `"${sel.view} features of ${s.name}."\ntype ${pascalCase(s.name)}${pascalCase(sel.view)} {\n${lines.join('\n')}\n}\n`;
  });
  return desc(s.def.description) + `type ${pascalCase(s.name)} {\n${fields.join('\n')}\n}\n` + sub.join('');
};

/** The SDL of the generated schema (unsorted; `printSortedSdl` sorts it). */
export const buildSdl = (repo: ResolvedRepository): string => {
  const parts: string[] = [];
  const query: string[] = [];
  const mutation: string[] = [];
  const groupFields = new Map<string, string[]>();
  for (const g of repo.keyGroups) groupFields.set(g.name, g.entities.map((e) => `  ${camelCase(e.joinKey)}: ID!`));

  for (const v of repo.views) {
    parts.push(viewType(v));
    groupFields.get(v.keyName)?.push(`${desc(v.def.description, '  ')}  ${camelCase(v.name)}(${AS_OF_DOC} asOf: DateTime, ${AS_KNOWN_AT_DOC} asKnownAt: Boolean): ${pascalCase(v.name)}`);
    if (v.online) {
      parts.push(pushInput(v));
      mutation.push(
        `  "Push rows to ${v.name}: the whole batch is validated first; readable online immediately."\n  ${camelCase(`push_${v.name}`)}(rows: [${pascalCase(v.name)}RowInput!]!, to: PushTarget = ONLINE_AND_OFFLINE): PushResult!`,
      );
    }
  }
  for (const o of repo.onDemandViews) {
    parts.push(onDemandType(o));
    const args = [requestArgs(o), `${AS_OF_DOC} asOf: DateTime`].filter(Boolean).join(', ');
    groupFields.get(o.keyName)?.push(`${desc(o.def.description, '  ')}  ${camelCase(o.name)}(${args}): ${pascalCase(o.name)}`);
  }
  for (const g of repo.keyGroups) {
    const typeName = pascalCase(g.name);
    const e0 = g.entities[0];
    const doc = g.entities.length === 1 ? e0?.description : `The composite key ${g.entities.map((e) => e.name).join(' × ')}.`;
    parts.push(`${desc(doc)}type ${typeName} {\n${(groupFields.get(g.name) ?? []).join('\n')}\n}\n`);
    if (g.entities.length === 1 && e0) {
      query.push(`  "One ${e0.name} by ${e0.joinKey}; its views are null when unknown."\n  ${camelCase(g.name)}(${keyArgs(g.entities)}, ${AS_OF_DOC} asOf: DateTime): ${typeName}!`);
      query.push(
        `  "Several ${e0.name}s, in the order given (duplicates allowed)."\n  ${pluralField(g.name)}(${camelCase(e0.joinKey)}s: [ID!]!, ${AS_OF_DOC} asOf: DateTime): [${typeName}!]!`,
      );
    } else {
      parts.push(`input ${typeName}KeyInput {\n${g.entities.map((e) => `  ${camelCase(e.joinKey)}: ID!`).join('\n')}\n}\n`);
      query.push(`  ${camelCase(g.name)}(${keyArgs(g.entities)}, ${AS_OF_DOC} asOf: DateTime): ${typeName}!`);
      query.push(`  ${pluralField(g.name)}(keys: [${typeName}KeyInput!]!, ${AS_OF_DOC} asOf: DateTime): [${typeName}!]!`);
    }
  }
  for (const s of repo.services) {
    parts.push(serviceType(s, repo));
    const group = repo.keyGroups.find((g) => g.name === s.keyName);
    const entities = group?.entities ?? [];
    const reqArgs = new Map<string, string>();
    for (const sel of s.selections) {
      const o = repo.onDemandViews.find((x) => x.name === sel.view);
      for (const r of o?.request ?? []) reqArgs.set(camelCase(r.name), `${camelCase(r.name)}: ${graphqlType(r.type)}!`);
    }
    const extra = [...reqArgs.values(), `${AS_OF_DOC} asOf: DateTime`].join(', ');
    query.push(`${desc(s.def.description, '  ')}  ${camelCase(s.name)}(${keyArgs(entities)}, ${extra}): ${pascalCase(s.name)}!`);
    const pluralKeys =
      entities.length === 1 && entities[0] ? `${camelCase(entities[0].joinKey)}s: [ID!]!` : `keys: [${pascalCase(s.keyName)}KeyInput!]!`;
    query.push(`  ${pluralField(s.name)}(${pluralKeys}, ${extra}): [${pascalCase(s.name)}!]!`);
  }

  const reg = registrySdl();
  parts.push(reg.types);
  query.push(...reg.queryFields);
  parts.push(`type Query {\n${query.join('\n')}\n}\n`);
  if (mutation.length) parts.push(`type Mutation {\n${mutation.join('\n')}\n}\n`);
  parts.push(`"Where pushed rows go."
enum PushTarget {
  "The online store only."
  ONLINE
  "The offline push table only."
  OFFLINE
  "Both (the default)."
  ONLINE_AND_OFFLINE
}

"What a push wrote."
type PushResult {
  view: String!
  target: PushTarget!
  "Rows received."
  rows: Int!
  "Rows that became the online value (older rows are ignored)."
  onlineWritten: Int!
  "Rows appended to the offline push table."
  offlineWritten: Int!
}

${SCALARS_SDL}`);
  return parts.join('\n');
};

const SCALARS_SDL = `"An instant as ISO 8601 text with a time zone, e.g. \`2026-11-26T10:00:00Z\`."
scalar DateTime

"A signed 64-bit integer as a decimal string (exact beyond 2^53)."
scalar Int64

"Binary data as base64 text."
scalar Bytes

"Any JSON value."
scalar JSON
`;
