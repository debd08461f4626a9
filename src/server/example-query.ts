import type { ResolvedRepository } from '../definitions/resolve.js';
import type { Entity } from '../definitions/objects.js';
import type { ValueType } from '../definitions/value-types.js';
import { camelCase, pascalCase } from '../definitions/naming.js';

/** Sample join-key values per entity name, e.g. `{ driver: '1001' }`; an entity without one gets `"1"`. */
export type SampleKeys = Readonly<Record<string, string>>;

/** One GraphiQL tab (the shape of GraphiQL's `defaultTabs`). */
export interface ExampleTab {
  readonly query: string;
  readonly variables?: string;
}

const HOUR_MS = 3_600_000;

const keyValue = (e: Entity, keys: SampleKeys): string => JSON.stringify(keys[e.name] ?? '1');
const keyArgs = (entities: readonly Entity[], keys: SampleKeys): string =>
  entities.map((e) => `${camelCase(e.joinKey)}: ${keyValue(e, keys)}`).join(', ');

/** A literal of a value type for push and request-argument examples. */
const sampleLiteral = (t: ValueType, now: Date): string => {
  if (t.kind === 'list') return '[]';
  switch (t.name) {
    case 'Bool':
      return 'true';
    case 'Int32':
      return '7';
    case 'Int64':
      return '"7"';
    case 'Float32':
    case 'Float64':
      return '0.42';
    case 'Timestamp':
      return JSON.stringify(now.toISOString());
    case 'Bytes':
      return '"AA=="';
    case 'Json':
      return '{}';
    default:
      return '"example"';
  }
};

/** An instant inside the demo's data window (a day ago, on the hour), so an asOf example finds rows. */
export const exampleAsOf = (now: Date = new Date()): string =>
  new Date(Math.floor((now.getTime() - 24 * HOUR_MS) / HOUR_MS) * HOUR_MS).toISOString();

const firstGroup = (repo: ResolvedRepository) =>
  repo.keyGroups.find((g) => g.entities.length === 1 && repo.views.some((v) => v.keyName === g.name));

const entityQuery = (repo: ResolvedRepository, keys: SampleKeys, asOf: string | null, name: string): string | null => {
  const group = firstGroup(repo);
  const e = group?.entities[0];
  if (!group || !e) return null;
  const views = repo.views.filter((v) => v.keyName === group.name && (v.online || asOf));
  const body = views
    .map(
      (v) => `    ${camelCase(v.name)} {\n${v.features.map((f) => `      ${camelCase(f.name)}`).join('\n')}\n      eventTimestamp\n    }`,
    )
    .join('\n');
  return `query ${name} {\n  ${camelCase(group.name)}(${camelCase(e.joinKey)}: ${keyValue(e, keys)}${asOf ? `, asOf: "${asOf}"` : ''}) {\n${body}\n  }\n}\n`;
};

/** A ready-to-run GraphiQL query for the first entity and its views (online values). */
export const exampleQuery = (repo: ResolvedRepository, sampleKey?: string, now: Date = new Date()): string => {
  const e = firstGroup(repo)?.entities[0];
  const body = entityQuery(repo, e && sampleKey ? { [e.name]: sampleKey } : {}, null, 'OnlineFeatures');
  if (!body) return REGISTRY_QUERY;
  return `# featuregraph: online feature values, batched per request.\n# Add asOf: "${exampleAsOf(now)}" to a field for the point-in-time value.\n${body}`;
};

const serviceQuery = (repo: ResolvedRepository, keys: SampleKeys): string | null => {
  const s = repo.services[0];
  const group = s && repo.keyGroups.find((g) => g.name === s.keyName);
  if (!s || !group) return null;
  const request = new Map<string, string>();
  for (const sel of s.selections)
    for (const r of repo.onDemandViews.find((o) => o.name === sel.view)?.request ?? [])
      request.set(camelCase(r.name), /lat/i.test(r.name) ? '52.52' : /lon/i.test(r.name) ? '13.4' : sampleLiteral(r.type, new Date()));
  const args = [keyArgs(group.entities, keys), ...[...request].map(([n, v]) => `${n}: ${v}`)].join(', ');
  const body = s.selections
    .map((sel) => `    ${camelCase(sel.view)} {\n${sel.features.map((f) => `      ${camelCase(f)}`).join('\n')}\n    }`)
    .join('\n');
  return `# The features of the ${s.name} service in one call (what its model consumes).\nquery ${pascalCase(s.name)} {\n  ${camelCase(s.name)}(${args}) {\n${body}\n  }\n}\n`;
};

const pushMutation = (repo: ResolvedRepository, keys: SampleKeys, now: Date): string | null => {
  const v = repo.views.find((x) => x.online && x.source.kind === 'push') ?? repo.views.find((x) => x.online);
  if (!v) return null;
  const fields = [
    ...v.keys.map((k) => `${camelCase(k.joinKey)}: ${JSON.stringify(keys[k.entity] ?? '1')}`),
    `eventTimestamp: "${new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString()}"`,
    ...v.features.map((f) => `${camelCase(f.name)}: ${sampleLiteral(f.type, now)}`),
  ];
  return (
    `# Push a row to ${v.name}: validated as a batch, readable online at once.\n` +
    `mutation ${pascalCase(`push_${v.name}`)} {\n  ${camelCase(`push_${v.name}`)}(rows: [{ ${fields.join(', ')} }], to: ONLINE) {\n    view\n    rows\n    onlineWritten\n  }\n}\n`
  );
};

const REGISTRY_QUERY = `# Registry metadata: definitions, owners, versions, freshness and lineage.
query RegistryMetadata {
  featureViews {
    name
    description
    owner
    tags { key value }
    entities
    ttlSeconds
    version
    features { name valueType }
    source { name kind table }
    freshness { watermark lastMaterializedAt }
  }
  featureServices {
    name
    features { view feature viewVersion onDemand inputs }
  }
  registryHistory { version appliedAt }
}
`;

/**
 * GraphiQL's example tabs: online values, a point-in-time read inside the data window, the first feature
 * service, a push and the registry metadata. Tabs that do not apply to the repository are left out.
 */
export const exampleTabs = (repo: ResolvedRepository, opts: { sampleKeys?: SampleKeys; query?: string; now?: Date } = {}): ExampleTab[] => {
  const now = opts.now ?? new Date();
  const keys = opts.sampleKeys ?? {};
  const e = firstGroup(repo)?.entities[0];
  const asOf = exampleAsOf(now);
  const pit = entityQuery(repo, keys, asOf, 'PointInTime');
  return [
    opts.query ?? exampleQuery(repo, e ? keys[e.name] : undefined, now),
    pit && `# The point-in-time value as of ${asOf}, from the offline store (no future leaks in).\n${pit}`,
    serviceQuery(repo, keys),
    pushMutation(repo, keys, now),
    REGISTRY_QUERY,
  ]
    .filter((q): q is string => typeof q === 'string')
    .map((query) => ({ query }));
};
