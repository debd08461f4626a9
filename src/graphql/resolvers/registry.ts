import type { Entity } from '../../definitions/objects.js';
import type { AggregationSpec } from '../../definitions/aggregation-spec.js';
import type {
  OfflineSourceSpec,
  ResolvedRepository,
  ServiceSpec,
  TypedFeature,
  ViewSpec,
  OnDemandSpec,
} from '../../definitions/resolve.js';
import { camelCase } from '../../definitions/naming.js';
import { typeLabel } from '../../definitions/value-types.js';
import type { FeatureGraphContext } from '../context.js';
import { freshnessInfo } from '../freshness-info.js';

const tags = (t: Readonly<Record<string, string>> | undefined) => Object.entries(t ?? {}).map(([key, value]) => ({ key, value }));
const featureInfo = (fs: readonly (TypedFeature & { references?: { entity: string; relation: string } })[]) =>
  fs.map((f) => ({
    name: f.name,
    field: camelCase(f.name),
    valueType: typeLabel(f.type),
    description: f.description ?? null,
    unit: f.unit ?? null,
    range: f.range ? { min: f.range[0], max: f.range[1] } : null,
    references: f.references?.entity ?? null,
    relationField: f.references ? camelCase(f.references.relation) : null,
  }));

const sourceInfo = (s: OfflineSourceSpec, v: ViewSpec) => ({
  name: s.sourceName,
  kind: s.kind,
  table: s.table,
  query: v.def.source.kind === 'postgresSource' ? (v.def.source.query ?? null) : null,
  eventTimestampColumn: s.eventTimestampColumn,
  createdTimestampColumn: s.createdTimestampColumn,
  description: v.def.source.description ?? null,
});

// Values are awaited here rather than left as resolver functions on the objects: a compiled executor
// (graphql-jit) reads properties and does not call them.
const versioned = async (
  ctx: FeatureGraphContext,
  kind: Parameters<FeatureGraphContext['rt']['registry']['objectVersion']>[0],
  name: string,
) => {
  const v = await ctx.rt.registry.objectVersion(kind, name);
  return { version: v?.version ?? null, hash: v?.hash ?? null };
};

const entityInfo = async (e: Entity, ctx: FeatureGraphContext) => ({
  name: e.name,
  joinKey: e.joinKey,
  valueType: typeLabel(e.valueType),
  description: e.description ?? null,
  owner: e.owner ?? null,
  tags: tags(e.tags),
  ...(await versioned(ctx, 'entity', e.name)),
});

const viewInfo = async (v: ViewSpec, ctx: FeatureGraphContext) => ({
  name: v.name,
  description: v.def.description ?? null,
  owner: v.def.owner ?? null,
  tags: tags(v.def.tags),
  entities: v.entityNames,
  features: featureInfo(v.features),
  ttlSeconds: v.ttlSeconds,
  online: v.online,
  source: sourceInfo(v.source, v),
  freshness: await freshnessInfo(ctx, v),
  ...(await versioned(ctx, 'featureView', v.name)),
});

const onDemandInfo = async (o: OnDemandSpec, ctx: FeatureGraphContext) => ({
  name: o.name,
  description: o.def.description ?? null,
  owner: o.def.owner ?? null,
  tags: tags(o.def.tags),
  inputs: o.inputs.map((i) => i.view),
  requestArguments: featureInfo(o.request),
  features: featureInfo(o.features),
  ...(await versioned(ctx, 'onDemandView', o.name)),
});

const aggregationInfo = async (a: AggregationSpec, ctx: FeatureGraphContext) => ({
  name: a.name,
  description: a.def.description ?? null,
  owner: a.def.owner ?? null,
  tags: tags(a.def.tags),
  entities: a.entityNames,
  eventId: a.eventId,
  fields: featureInfo(a.events.features),
  outputs: a.outputs.map((o) => ({
    name: o.name,
    field: camelCase(o.name),
    function: o.fn,
    eventField: o.field,
    windowSeconds: o.windowSeconds,
    valueType: typeLabel(o.type),
    description: o.description ?? null,
  })),
  source: sourceInfo(a.events.source, a.events),
  ...(await versioned(ctx, 'aggregationView', a.name)),
});

const serviceInfo = async (s: ServiceSpec, repo: ResolvedRepository, ctx: FeatureGraphContext) => ({
  name: s.name,
  description: s.def.description ?? null,
  owner: s.def.owner ?? null,
  tags: tags(s.def.tags),
  ...(await versioned(ctx, 'featureService', s.name)),
  features: (
    await Promise.all(
      s.selections.map(async (sel) => ({
        sel,
        viewVersion: (await versioned(ctx, sel.onDemand ? 'onDemandView' : 'featureView', sel.view)).version,
      })),
    )
  ).flatMap(({ sel, viewVersion }) => {
    const v = repo.views.find((x) => x.name === sel.view);
    const o = repo.onDemandViews.find((x) => x.name === sel.view);
    return sel.features.map((feature) => {
      const declared = (v?.features ?? o?.features ?? []).find((f) => f.name === feature);
      return {
        view: sel.view,
        feature,
        description: declared?.description ?? null,
        unit: declared?.unit ?? null,
        onDemand: sel.onDemand,
        viewVersion,
        source: v ? sourceInfo(v.source, v) : null,
        inputs: o ? o.inputs.map((i) => i.view) : [],
        ttlSeconds: v?.ttlSeconds ?? null,
        owner: (v?.def.owner ?? o?.def.owner) || null,
      };
    });
  }),
});

/** Root fields over the registry: definitions as served, plus versions, hashes, history and freshness. */
export const registryResolvers = (repo: ResolvedRepository) => ({
  featureViews: (_: unknown, __: unknown, ctx: FeatureGraphContext) => Promise.all(repo.views.map((v) => viewInfo(v, ctx))),
  featureView: (_: unknown, args: { name: string }, ctx: FeatureGraphContext) => {
    const v = repo.views.find((x) => x.name === args.name);
    return v ? viewInfo(v, ctx) : null;
  },
  onDemandViews: (_: unknown, __: unknown, ctx: FeatureGraphContext) => Promise.all(repo.onDemandViews.map((o) => onDemandInfo(o, ctx))),
  aggregationViews: (_: unknown, __: unknown, ctx: FeatureGraphContext) =>
    Promise.all(repo.aggregationViews.map((a) => aggregationInfo(a, ctx))),
  entities: (_: unknown, __: unknown, ctx: FeatureGraphContext) => Promise.all(repo.entities.map((e) => entityInfo(e, ctx))),
  featureServices: (_: unknown, __: unknown, ctx: FeatureGraphContext) => Promise.all(repo.services.map((s) => serviceInfo(s, repo, ctx))),
  featureService: (_: unknown, args: { name: string }, ctx: FeatureGraphContext) => {
    const s = repo.services.find((x) => x.name === args.name);
    return s ? serviceInfo(s, repo, ctx) : null;
  },
  registryHistory: (_: unknown, __: unknown, ctx: FeatureGraphContext) => ctx.rt.registry.history(),
});
