import {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLOutputType,
} from 'graphql';
import type { ResolvedRepository } from '../../definitions/resolve.js';
import { registryResolvers } from '../resolvers/registry.js';
import { DateTimeScalar } from '../scalars.js';
import { fieldInfo } from './extensions.js';
import type { Fields } from './parts.js';

/** The registry's metadata and lineage types: fixed, the same for every repository. */
const nn = <T extends GraphQLOutputType>(t: T) => new GraphQLNonNull(t);
const list = <T extends GraphQLOutputType>(t: T) => nn(new GraphQLList(nn(t)));
const str = (description: string) => ({ type: GraphQLString, description });
const reqStr = (description: string) => ({ type: nn(GraphQLString), description });
const version = { type: GraphQLInt, description: 'Registry version in which this object last changed; null before the first apply.' };
const hash = { type: GraphQLString, description: 'Content hash of the applied definition; null before the first apply.' };
const owner = str('Who owns it (team or address), from the definition.');
const description = str('What it is, from the definition.');

const Tag = new GraphQLObjectType({
  name: 'Tag',
  description: 'A tag of a definition.',
  fields: { key: reqStr('Tag name.'), value: reqStr('Tag value.') },
});
const tags = { type: list(Tag), description: 'Tags from the definition.' };

const EntityInfo = new GraphQLObjectType({
  name: 'EntityInfo',
  description: 'An entity: what features are keyed by.',
  fields: {
    name: reqStr('Definition name, e.g. `driver`.'),
    joinKey: reqStr('Its join key column, e.g. `driver_id`.'),
    valueType: reqStr('Value type of the join key (Int32, Int64 or String).'),
    description,
    owner,
    tags,
    version,
    hash,
  },
});

const FeatureRange = new GraphQLObjectType({
  name: 'FeatureRange',
  description: 'The expected range of a numeric feature, from its definition (documentation; not enforced).',
  fields: {
    min: { type: nn(GraphQLFloat), description: 'Smallest expected value.' },
    max: { type: nn(GraphQLFloat), description: 'Largest expected value.' },
  },
});

const FeatureInfo = new GraphQLObjectType({
  name: 'FeatureInfo',
  description: 'A feature (or request argument), its type and what its definition says about it.',
  fields: {
    name: reqStr('Definition name, e.g. `conv_rate`.'),
    field: reqStr('Its GraphQL field name.'),
    valueType: reqStr('Value type, e.g. `Float32` or `List<Int64>`.'),
    description: str('What the value means, from the definition.'),
    unit: str('Unit of the value, from the definition.'),
    range: { type: FeatureRange, description: 'Expected range of a numeric value, from the definition.' },
    references: str('The entity whose join key this feature holds (a relation); null when it references none.'),
    relationField: str("The GraphQL field of the view's type that walks to that entity, e.g. `driver`; null without a relation."),
  },
});

const SourceInfo = new GraphQLObjectType({
  name: 'SourceInfo',
  description: "Where a view's offline rows come from.",
  fields: {
    name: reqStr('Definition name of the source.'),
    kind: reqStr('postgres or push.'),
    table: str('The table (for push sources, the push table); null for a query source.'),
    query: str('The SELECT of a query source; null for a table.'),
    eventTimestampColumn: reqStr('Column holding the event time.'),
    createdTimestampColumn: str('Column holding the ingestion time; null when the source has none.'),
    description,
  },
});

const Freshness = new GraphQLObjectType({
  name: 'Freshness',
  description: "How current a view's online values are.",
  fields: {
    watermark: { type: DateTimeScalar, description: 'Incremental materialization has copied every row up to this time.' },
    lastMaterializedAt: { type: DateTimeScalar, description: 'When the view was last materialized.' },
    objectiveSeconds: { type: GraphQLInt, description: 'The declared freshness objective in seconds; null when the view declares none.' },
    newestValueAt: { type: DateTimeScalar, description: 'Event time of the newest materialized or pushed value.' },
    newestValueAgeSeconds: { type: GraphQLFloat, description: 'Age of that value in seconds.' },
    lastMaterializationAgeSeconds: { type: GraphQLFloat, description: 'Seconds since the last materialization.' },
    breached: { type: nn(GraphQLBoolean), description: 'The objective is declared and the newest value is older (or there is none).' },
  },
});

const FeatureViewInfo = new GraphQLObjectType({
  name: 'FeatureViewInfo',
  description: 'A feature view.',
  fields: {
    name: reqStr('Definition name, e.g. `driver_stats`.'),
    description,
    owner,
    tags,
    entities: { type: list(GraphQLString), description: 'Names of the entities whose join keys key the view, in order.' },
    features: { type: list(FeatureInfo), description: 'Its features, in definition order.' },
    ttlSeconds: { type: nn(GraphQLInt), description: 'Time to live in seconds; 0 means values never expire.' },
    online: { type: nn(GraphQLBoolean), description: 'Whether it is served online (else only with asOf).' },
    source: { type: nn(SourceInfo), description: 'Where its offline rows come from.' },
    version,
    hash,
    freshness: { type: nn(Freshness), description: 'Materialization watermark and time.' },
  },
});

const OnDemandViewInfo = new GraphQLObjectType({
  name: 'OnDemandViewInfo',
  description: 'An on-demand view: features computed at request time.',
  fields: {
    name: reqStr('Definition name, e.g. `accident_proximity`.'),
    description,
    owner,
    tags,
    inputs: { type: list(GraphQLString), description: 'The feature views and aggregation views its transform reads.' },
    requestArguments: { type: list(FeatureInfo), description: 'Arguments the caller passes with each request.' },
    features: { type: list(FeatureInfo), description: 'Its output features.' },
    version,
    hash,
  },
});

const AggregationOutputInfo = new GraphQLObjectType({
  name: 'AggregationOutputInfo',
  description: 'One output of an aggregation view: a function of its events over a window (t − window, t].',
  fields: {
    name: reqStr('Definition name, e.g. `quotes_5m`.'),
    field: reqStr('Its GraphQL field name, e.g. `quotes5m`.'),
    function: reqStr('count, sum, avg, min, max or last.'),
    eventField: str('The event field it reads; null for count.'),
    windowSeconds: { type: nn(GraphQLInt), description: 'The window in seconds.' },
    valueType: reqStr('Its value type, e.g. `Int32`.'),
    description: str('What the value means, from the definition.'),
  },
});

const AggregationViewInfo = new GraphQLObjectType({
  name: 'AggregationViewInfo',
  description: 'An aggregation view: windowed aggregations of raw events (docs/aggregations.md).',
  fields: {
    name: reqStr('Definition name, e.g. `quote_activity`.'),
    description,
    owner,
    tags,
    entities: { type: list(GraphQLString), description: 'Names of the entities whose join keys key the view, in order.' },
    eventId: reqStr('The event field that identifies an event (a replay counts once).'),
    fields: { type: list(FeatureInfo), description: 'The fields of its raw events.' },
    outputs: { type: list(AggregationOutputInfo), description: 'Its outputs, in definition order.' },
    source: { type: nn(SourceInfo), description: 'Where its raw events come from.' },
    version,
    hash,
  },
});

const FeatureServiceFeature = new GraphQLObjectType({
  name: 'FeatureServiceFeature',
  description: 'One feature of a feature service and where it comes from.',
  fields: {
    view: reqStr('The view (or on-demand view) it belongs to.'),
    feature: reqStr('Definition name of the feature.'),
    description: str('What the value means, from the feature definition.'),
    unit: str('Unit of the value, from the feature definition.'),
    onDemand: { type: nn(GraphQLBoolean), description: 'Whether it is computed at request time.' },
    viewVersion: { type: GraphQLInt, description: 'Registry version of the view.' },
    source: { type: SourceInfo, description: "The view's source; null for on-demand features." },
    inputs: { type: list(GraphQLString), description: "The on-demand view's input views; empty for stored features." },
    ttlSeconds: { type: GraphQLInt, description: "The view's time to live in seconds; null for on-demand features." },
    owner: str("The view's owner."),
  },
});

const FeatureServiceInfo = new GraphQLObjectType({
  name: 'FeatureServiceInfo',
  description: 'A feature service: the features one model consumes.',
  fields: {
    name: reqStr('Definition name, e.g. `pricing_v1`.'),
    description,
    owner,
    tags,
    version,
    hash,
    features: { type: list(FeatureServiceFeature), description: 'Its features with their lineage, in selection order.' },
  },
});

const RegistryVersion = new GraphQLObjectType({
  name: 'RegistryVersion',
  description: 'One applied registry version.',
  fields: {
    version: { type: nn(GraphQLInt), description: 'Version number, increasing with each apply that changed something.' },
    hash: reqStr('Content hash of the whole repository at this version.'),
    appliedAt: { type: nn(DateTimeScalar), description: 'When it was applied.' },
    appliedBy: str('Who applied it, when known.'),
  },
});

const nameArg = (what: string) => ({ name: { type: nn(GraphQLString), description: `Definition name of the ${what}.` } });

/** Root fields over the registry, each with its resolver: definitions as served, versions, history, freshness. */
export const registryRootFields = (repo: ResolvedRepository): Fields => {
  const r = registryResolvers(repo);
  const fields: Fields = {
    featureViews: {
      type: list(FeatureViewInfo),
      description: 'Every feature view, with its definition, version and freshness.',
      resolve: r.featureViews,
    },
    featureView: {
      type: FeatureViewInfo,
      description: 'One feature view by its definition name (e.g. `driver_stats`).',
      args: nameArg('feature view'),
      resolve: r.featureView,
    },
    onDemandViews: { type: list(OnDemandViewInfo), description: 'Every on-demand view.', resolve: r.onDemandViews },
    aggregationViews: { type: list(AggregationViewInfo), description: 'Every aggregation view.', resolve: r.aggregationViews },
    entities: { type: list(EntityInfo), description: 'Every entity.', resolve: r.entities },
    featureServices: {
      type: list(FeatureServiceInfo),
      description: 'Every feature service, with the lineage of each of its features.',
      resolve: r.featureServices,
    },
    featureService: {
      type: FeatureServiceInfo,
      description: 'One feature service by name, with the lineage of each of its features.',
      args: nameArg('feature service'),
      resolve: r.featureService,
    },
    registryHistory: {
      type: list(RegistryVersion),
      description: 'Every applied registry version, newest first.',
      resolve: r.registryHistory,
    },
  };
  for (const [name, f] of Object.entries(fields)) fields[name] = { ...f, extensions: fieldInfo('registry', name) };
  return fields;
};
