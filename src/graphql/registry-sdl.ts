/** GraphQL types of the registry metadata and lineage (fixed, not generated per repository). */
export const registrySdl = (): { types: string; queryFields: string[] } => ({
  queryFields: [
    '  "Every feature view, with its definition, version and freshness."\n  featureViews: [FeatureViewInfo!]!',
    '  "One feature view by its definition name (e.g. `driver_stats`)."\n  featureView(name: String!): FeatureViewInfo',
    '  "Every on-demand view."\n  onDemandViews: [OnDemandViewInfo!]!',
    '  "Every entity."\n  entities: [EntityInfo!]!',
    '  "Every feature service, with the lineage of each of its features."\n  featureServices: [FeatureServiceInfo!]!',
    '  "One feature service by name, with the lineage of each of its features."\n  featureService(name: String!): FeatureServiceInfo',
    '  "Every applied registry version, newest first."\n  registryHistory: [RegistryVersion!]!',
  ],
  types: `"A tag of a definition."
type Tag {
  key: String!
  value: String!
}

"An entity: what features are keyed by."
type EntityInfo {
  name: String!
  joinKey: String!
  valueType: String!
  description: String
  owner: String
  tags: [Tag!]!
  "Registry version in which this entity last changed; null before the first apply."
  version: Int
  hash: String
}

"A feature (or request argument) and its type."
type FeatureInfo {
  name: String!
  "Its GraphQL field name."
  field: String!
  valueType: String!
}

"Where a view's offline rows come from."
type SourceInfo {
  name: String!
  "postgres or push."
  kind: String!
  "The table (for push sources, the push table); null for a query source."
  table: String
  query: String
  eventTimestampColumn: String!
  createdTimestampColumn: String
  description: String
}

"How current a view's online values are."
type Freshness {
  "Incremental materialization has copied every row up to this time."
  watermark: DateTime
  "When the view was last materialized."
  lastMaterializedAt: DateTime
  "The declared freshness objective in seconds; null when the view declares none."
  objectiveSeconds: Int
  "Event time of the newest materialized or pushed value."
  newestValueAt: DateTime
  "Age of that value in seconds."
  newestValueAgeSeconds: Float
  "Seconds since the last materialization."
  lastMaterializationAgeSeconds: Float
  "The objective is declared and the newest value is older (or there is none)."
  breached: Boolean!
}

"A feature view."
type FeatureViewInfo {
  name: String!
  description: String
  owner: String
  tags: [Tag!]!
  entities: [String!]!
  features: [FeatureInfo!]!
  "Time to live in seconds; 0 means values never expire."
  ttlSeconds: Int!
  online: Boolean!
  source: SourceInfo!
  version: Int
  hash: String
  freshness: Freshness!
}

"An on-demand view: features computed at request time."
type OnDemandViewInfo {
  name: String!
  description: String
  owner: String
  tags: [Tag!]!
  "The feature views its transform reads."
  inputs: [String!]!
  requestArguments: [FeatureInfo!]!
  features: [FeatureInfo!]!
  version: Int
  hash: String
}

"One feature of a feature service and where it comes from."
type FeatureServiceFeature {
  view: String!
  feature: String!
  onDemand: Boolean!
  "Registry version of the view."
  viewVersion: Int
  "The view's source; null for on-demand features."
  source: SourceInfo
  "The on-demand view's input views; empty for stored features."
  inputs: [String!]!
  ttlSeconds: Int
  owner: String
}

"A feature service: the features one model consumes."
type FeatureServiceInfo {
  name: String!
  description: String
  owner: String
  tags: [Tag!]!
  version: Int
  hash: String
  features: [FeatureServiceFeature!]!
}

"One applied registry version."
type RegistryVersion {
  version: Int!
  hash: String!
  appliedAt: DateTime!
  appliedBy: String
}
`,
});
