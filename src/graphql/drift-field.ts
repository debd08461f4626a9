import type { ResolvedRepository } from '../definitions/resolve.js';
import { computeDrift, driftRecords, DriftInputError, parseCurrent, parseReference } from '../monitoring/drift.js';
import { createSqlLogStore } from '../monitoring/log-store.js';
import type { FeatureGraphContext } from './context.js';
import { badInput, fgError } from './errors.js';

/** `Query.featureDrift`: the drift report of `featuregraph drift` over the served-feature log (docs/monitoring.md#psi). */
export const DRIFT_SDL = `"One bin of a drift comparison."
type DriftBin {
  "A numeric bin index (bin i holds edges[i-1] <= x < edges[i]), v:<value>, other, or null."
  bin: String!
  reference: Int!
  current: Int!
}

"Drift of one feature between the reference and the current window."
type FeatureDrift {
  view: String!
  feature: String!
  "numeric (reference deciles), categorical (reference values + other) or unsupported (no PSI)."
  kind: String!
  "Population stability index; null when a side has no rows."
  psi: Float
  threshold: Float!
  "psi > threshold."
  drifted: Boolean!
  referenceCount: Int!
  currentCount: Int!
  referenceNullRate: Float
  currentNullRate: Float
  "Current minus reference null rate."
  nullRateChange: Float
  "Lower edges of the numeric bins."
  edges: [Float!]!
  bins: [DriftBin!]!
}

"A drift report of a feature service's served-feature log."
type DriftReport {
  service: String!
  reference: String!
  current: String!
  "Whether any feature drifted."
  drifted: Boolean!
  features: [FeatureDrift!]!
}

extend type Query {
  "PSI of each feature of a logging feature service: reference and current are time windows such as now-2d..now-1d."
  featureDrift(service: String!, reference: String!, current: String!): DriftReport!
}
`;

export const driftResolvers = (repo: ResolvedRepository) => ({
  Query: {
    featureDrift: async (_: unknown, args: { service: string; reference: string; current: string }, ctx: FeatureGraphContext) => {
      if (!repo.services.some((s) => s.name === args.service))
        throw badInput(`unknown feature service "${args.service}"; services are: ${repo.services.map((s) => s.name).join(', ')}`, { argument: 'service' });
      let reference;
      let current;
      try {
        // Files are never read on behalf of a GraphQL caller: only time windows.
        reference = parseReference(args.reference, { allowFiles: false, now: ctx.rt.now() });
        current = parseCurrent(args.current, ctx.rt.now());
      } catch (err) {
        if (err instanceof DriftInputError) throw badInput(err.message);
        throw err;
      }
      const store = createSqlLogStore(ctx.rt.offline);
      try {
        const report = await computeDrift(store, repo, args.service, reference, current);
        await store.recordDrift(repo.project, driftRecords(report));
        return report;
      } catch (err) {
        if (err instanceof DriftInputError) throw badInput(err.message);
        // The log table is missing until the first logged request: that is not an outage.
        if (/does not exist/.test((err as Error).message))
          throw fgError(`${args.service} has no served-feature log yet (does it declare logging, and was it served?)`, 'NOT_FOUND', { service: args.service });
        throw fgError(`the served-feature log of ${args.service} could not be read`, 'OFFLINE_STORE_UNAVAILABLE', { service: args.service });
      }
    },
  },
});
