import type {
  AggregationViewSpecJson,
  FeatureServiceSpecJson,
  FeatureViewSpecJson,
  ObjectChange,
  OnDemandViewSpecJson,
  RegistryObject,
  SourceSpecJson,
  Tags,
  ViewFreshness,
} from '../../registry/types.js';

/** One registry version that added or changed an object. */
export interface ObjectHistory {
  readonly version: number;
  readonly appliedAt: Date;
  readonly appliedBy: string;
  readonly action: ObjectChange['action'];
  readonly fields: readonly string[];
}

const SECTIONS = [
  ['entity', 'Entities'],
  ['feature_view', 'Feature views'],
  ['on_demand_view', 'On-demand views'],
  ['aggregation_view', 'Aggregation views'],
  ['feature_service', 'Feature services'],
] as const;

/** Seconds in the largest whole unit: 2592000 → 30d, 3600 → 1h; 0 → no expiry. */
export const ttlText = (s: number): string => {
  if (s === 0) return 'none (never expires)';
  for (const [unit, n] of [
    ['w', 604_800],
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const)
    if (s % n === 0) return `${s / n}${unit}`;
  return `${s}s`;
};

const tagsText = (t: Tags) =>
  Object.entries(t)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

const sourceText = (s: SourceSpecJson): string =>
  s.type === 'push'
    ? `push source ${s.name}`
    : s.type === 'file'
      ? `parquet files ${s.path} (${s.name}), event time ${s.timestampField}` +
        (s.createdTimestampColumn ? `, created ${s.createdTimestampColumn}` : '')
      : `postgres ${s.table ? `table ${s.table}` : `query ${s.query ?? ''}`} (${s.name}), event time ${s.timestampField}` +
        (s.createdTimestampColumn ? `, created ${s.createdTimestampColumn}` : '');

const summary = (o: RegistryObject): string => {
  const spec = o.spec;
  switch (spec.kind) {
    case 'entity':
      return `join key ${spec.joinKey} (${spec.valueType})`;
    case 'feature_view':
      return `${spec.features.length} features, ttl ${ttlText(spec.ttlSeconds)}, ${spec.online ? 'online' : 'offline only'}, entities ${spec.entities.join(', ')}`;
    case 'on_demand_view':
      return `${spec.features.length} features from ${Object.values(spec.inputs).join(', ')} + request ${spec.request.map((r) => r.name).join(', ')}`;
    case 'aggregation_view':
      return `${spec.aggregations.length} outputs over windows ${[...new Set(spec.aggregations.map((a) => ttlText(a.windowSeconds)))].join(', ')}, entities ${spec.entities.join(', ')}`;
    case 'feature_service':
      return `${spec.features.reduce((n, s) => n + s.features.length, 0)} features from ${spec.features.map((s) => s.view).join(', ')}`;
    default:
      return '';
  }
};

/** `featuregraph list`: the objects by kind, one line each with the registry version that last changed it. */
export const listLines = (project: string, objects: readonly RegistryObject[]): string[] => {
  const lines = [`project ${project}, registry version ${objects[0]?.registryVersion ?? '-'}`];
  for (const [kind, title] of SECTIONS) {
    const of = objects.filter((o) => o.kind === kind);
    lines.push('', `${title} (${of.length})`);
    for (const o of of) lines.push(`  ${o.name.padEnd(24)} v${o.version}  ${summary(o)}${o.owner ? `  owner ${o.owner}` : ''}`);
  }
  return lines;
};

const when = (d: Date | null) => (d ? d.toISOString() : 'never');

const metaLines = (o: RegistryObject): string[] => [
  ...(o.description ? [`  description: ${o.description}`] : []),
  `  owner: ${o.owner ?? '-'}`,
  `  tags: ${tagsText(o.tags) || '-'}`,
];

const featureLines = (features: readonly { name: string; type: string }[]): string[] =>
  features.map((f) => `    ${f.name.padEnd(24)} ${f.type}`);

const viewLines = (spec: FeatureViewSpecJson, freshness: ViewFreshness | null): string[] => [
  `  entities: ${spec.entities.join(', ')}`,
  `  ttl: ${ttlText(spec.ttlSeconds)}`,
  `  online: ${spec.online ? 'yes' : 'no (offline only)'}`,
  `  source: ${sourceText(spec.source)}`,
  `  features (${spec.features.length}):`,
  ...featureLines(spec.features),
  ...(freshness
    ? [
        '  freshness:',
        `    watermark: ${when(freshness.watermark)}`,
        `    last materialized: ${when(freshness.lastMaterializedAt)}` +
          (freshness.lastRangeStart && freshness.lastRangeEnd
            ? ` (${freshness.lastRangeStart.toISOString()} .. ${freshness.lastRangeEnd.toISOString()}, ${freshness.lastRowCount ?? 0} rows)`
            : ''),
      ]
    : []),
];

const onDemandLines = (spec: OnDemandViewSpecJson): string[] => [
  `  inputs: ${Object.entries(spec.inputs)
    .map(([alias, view]) => `${alias} = ${view}`)
    .join(', ')}`,
  '  request:',
  ...featureLines(spec.request),
  `  features (${spec.features.length}):`,
  ...featureLines(spec.features),
];

const aggregationLines = (spec: AggregationViewSpecJson): string[] => [
  `  entities: ${spec.entities.join(', ')}`,
  `  source: ${sourceText(spec.source)}`,
  `  event id: ${spec.eventId}`,
  `  fields (${spec.fields.length}):`,
  ...featureLines(spec.fields),
  `  outputs (${spec.aggregations.length}), each over (t − window, t] (docs/aggregations.md):`,
  ...spec.aggregations.map((a) => `    ${a.name.padEnd(24)} ${a.fn}(${a.field ?? ''}) over ${ttlText(a.windowSeconds)}`),
];

/** A service's features with the type each has in its view (looked up among the applied objects). */
const serviceLines = (spec: FeatureServiceSpecJson, objects: readonly RegistryObject[]): string[] => {
  const typeOf = (view: string, feature: string): string => {
    const o = objects.find((x) => x.name === view && (x.kind === 'feature_view' || x.kind === 'on_demand_view'));
    const features = o && (o.spec.kind === 'feature_view' || o.spec.kind === 'on_demand_view') ? o.spec.features : [];
    return features.find((f) => f.name === feature)?.type ?? '?';
  };
  return [
    `  features (${spec.features.reduce((n, s) => n + s.features.length, 0)}):`,
    ...spec.features.flatMap((s) => s.features.map((f) => `    ${`${s.view}:${f}`.padEnd(40)} ${typeOf(s.view, f)}`)),
  ];
};

/** `featuregraph describe <name>`: everything the registry knows about one view or service. */
export const describeLines = (
  o: RegistryObject,
  history: readonly ObjectHistory[],
  freshness: ViewFreshness | null,
  objects: readonly RegistryObject[],
): string[] => {
  const label = {
    feature_view: 'feature view',
    on_demand_view: 'on-demand view',
    aggregation_view: 'aggregation view',
    feature_service: 'feature service',
  } as const;
  const body =
    o.spec.kind === 'feature_view'
      ? viewLines(o.spec, freshness)
      : o.spec.kind === 'on_demand_view'
        ? onDemandLines(o.spec)
        : o.spec.kind === 'aggregation_view'
          ? aggregationLines(o.spec)
          : o.spec.kind === 'feature_service'
            ? serviceLines(o.spec, objects)
            : [];
  return [
    `${label[o.kind as keyof typeof label] ?? o.kind} ${o.name} (v${o.version}, registry version ${o.registryVersion}, hash ${o.hash.slice(0, 12)})`,
    ...metaLines(o),
    ...body,
    '  versions:',
    ...history.map(
      (h) =>
        `    v${h.version} ${h.appliedAt.toISOString()} by ${h.appliedBy}: ${h.action === 'add' ? 'added' : h.action === 'remove' ? 'removed' : `changed ${h.fields.join(', ')}`}`,
    ),
  ];
};
