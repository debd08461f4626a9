import { createHash } from 'node:crypto';
import { parseDuration } from '../definitions/duration.js';
import type { Entity, FeatureSchema, FeatureService, FeatureView, OnDemandView, Repository, Source } from '../definitions/objects.js';
import { typeLabel } from '../definitions/value-types.js';
import { featureMeta, featureReference, featureType } from '../definitions/feature.js';
import type { AggregationView } from '../definitions/aggregation.js';
import type {
  AggregationViewSpecJson,
  DescribedObject,
  EntitySpecJson,
  FeatureServiceSpecJson,
  FeatureViewSpecJson,
  ObjectKind,
  ObjectSpecJson,
  OnDemandViewSpecJson,
  SourceSpecJson,
  Tags,
} from './types.js';
import { OBJECT_KINDS } from './types.js';

/** JSON with object keys sorted, so equal descriptions hash equally whatever the key order. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const meta = (o: { name: string; description?: string; owner?: string; tags?: Tags }) => ({
  name: o.name,
  description: o.description ?? null,
  owner: o.owner ?? null,
  tags: { ...(o.tags ?? {}) },
});

// Description, unit, range and a referenced entity only when given, so a plain `conv_rate: Float32` hashes as it always did.
const reference = (name: string, f: FeatureSchema[string]) => {
  const ref = featureReference(name, f);
  return ref ? { references: ref.entity.name, relation: ref.relation } : {};
};
const schema = (s: FeatureSchema) =>
  Object.entries(s).map(([name, f]) => ({ name, type: typeLabel(featureType(f)), ...featureMeta(f), ...reference(name, f) }));

const entitySpec = (e: Entity): EntitySpecJson => ({ kind: 'entity', ...meta(e), joinKey: e.joinKey, valueType: typeLabel(e.valueType) });

const sourceSpec = (s: Source): SourceSpecJson =>
  s.kind === 'pushSource'
    ? { kind: 'source', type: 'push', ...meta(s) }
    : s.kind === 'fileSource'
      ? {
          kind: 'source',
          type: 'file',
          ...meta(s),
          path: s.path,
          timestampField: s.timestampField,
          createdTimestampColumn: s.createdTimestampColumn ?? null,
          fieldMapping: { ...(s.fieldMapping ?? {}) },
        }
      : {
          kind: 'source',
          type: 'postgres',
          ...meta(s),
          table: s.table ?? null,
          query: s.query ?? null,
          timestampField: s.timestampField,
          createdTimestampColumn: s.createdTimestampColumn ?? null,
          fieldMapping: { ...(s.fieldMapping ?? {}) },
        };

const viewSpec = (v: FeatureView): FeatureViewSpecJson => {
  const ttl = parseDuration(v.ttl);
  return {
    kind: 'feature_view',
    ...meta(v),
    entities: v.entities.map((e) => e.name),
    features: schema(v.features),
    // Seconds, not the written form: '1d' and '24h' are the same view.
    ttlSeconds: 'seconds' in ttl ? ttl.seconds : 0,
    online: v.online !== false,
    ...(v.pointInTime?.asKnownAt === true ? { asKnownAt: true as const } : {}),
    source: sourceSpec(v.source),
  };
};

const onDemandSpec = (o: OnDemandView): OnDemandViewSpecJson => ({
  kind: 'on_demand_view',
  ...meta(o),
  inputs: Object.fromEntries(Object.entries(o.sources).map(([alias, v]) => [alias, v.name])),
  request: schema(o.request),
  features: schema(o.features),
  transform: String(o.transform),
});

const serviceSpec = (s: FeatureService): FeatureServiceSpecJson => ({
  kind: 'feature_service',
  ...meta(s),
  features: s.features.map((sel) => ({ view: sel.view.name, features: [...sel.features] })),
});

const aggregationSpec = (a: AggregationView): AggregationViewSpecJson => ({
  kind: 'aggregation_view',
  ...meta(a),
  entities: a.entities.map((e) => e.name),
  eventId: a.eventId,
  fields: schema(a.fields),
  aggregations: Object.entries(a.aggregations).map(([name, d]) => {
    const w = parseDuration(d.window);
    return { name, fn: d.fn, field: d.field ?? null, windowSeconds: 'seconds' in w ? w.seconds : 0 };
  }),
  source: sourceSpec(a.source),
});

const described = (spec: ObjectSpecJson): DescribedObject => ({
  kind: spec.kind,
  name: spec.name,
  hash: sha256(canonicalJson(spec)),
  spec,
});

const kindOrder = (k: ObjectKind): number => OBJECT_KINDS.indexOf(k);

/** Order objects are listed and stored in: by kind (entities first), then by name. */
export const compareObjects = (a: { kind: ObjectKind; name: string }, b: { kind: ObjectKind; name: string }): number =>
  kindOrder(a.kind) - kindOrder(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Every object of a (validated) repository with its JSON description and content hash. */
export const describeRepository = (repo: Repository): DescribedObject[] =>
  [
    ...repo.entities.map(entitySpec),
    ...repo.sources.map(sourceSpec),
    ...repo.featureViews.map(viewSpec),
    ...repo.onDemandViews.map(onDemandSpec),
    ...repo.featureServices.map(serviceSpec),
    ...(repo.aggregationViews ?? []).map(aggregationSpec),
  ]
    .map(described)
    .sort(compareObjects);

/** One hash for a whole set of objects: changes when any object is added, removed or changed. */
export const repositoryHash = (objects: readonly { kind: ObjectKind; name: string; hash: string }[]): string =>
  sha256(
    [...objects]
      .sort(compareObjects)
      .map((o) => `${o.kind}:${o.name}:${o.hash}`)
      .join('\n'),
  );
