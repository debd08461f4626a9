import { monitoringSql } from '../monitoring/log-store.js';
import type { ResolvedRepository } from '../definitions/resolve.js';
import { checkMinRows, computeDrift, driftRecords, DriftInputError, parseCurrent, parseReference } from '../monitoring/drift.js';
import { createSqlLogStore, noServedLogYet } from '../monitoring/log-store.js';
import type { FeatureGraphContext } from './context.js';
import { badInput, fgError, storeUnavailable } from './errors.js';

/** `Query.featureDrift`: the drift report of `featuregraph drift` over the served-feature log (docs/monitoring.md#psi). */
export const DRIFT_SDL = `"One bin of a drift comparison."
type DriftBin {
  "A numeric bin index (bin i holds edges[i-1] <= x < edges[i]), v:<value>, other, or null."
  bin: String!
  "Rows of the reference in this bin."
  reference: Int!
  "Rows of the current window in this bin."
  current: Int!
}

"Drift of one feature between the reference and the current window."
type FeatureDrift {
  "The view the feature belongs to."
  view: String!
  "The feature's definition name."
  feature: String!
  "numeric (reference deciles), categorical (reference values + other) or unsupported (no PSI)."
  kind: String!
  "Population stability index; null when a side has no rows."
  psi: Float
  "PSI above this means drifted (the feature's, else the view's, else 0.2)."
  threshold: Float!
  "psi > threshold, judged only when both sides have at least minRows rows."
  drifted: Boolean!
  "Rows each side needs before the feature is judged (the argument, else the view's drift.minRows, else 100)."
  minRows: Int!
  "Both sides have at least minRows rows; when false, psi is shown but drifted stays false."
  enoughRows: Boolean!
  "Logged values in the reference."
  referenceCount: Int!
  "Logged values in the current window."
  currentCount: Int!
  "Share of nulls in the reference."
  referenceNullRate: Float
  "Share of nulls in the current window."
  currentNullRate: Float
  "Current minus reference null rate."
  nullRateChange: Float
  "Lower edges of the numeric bins."
  edges: [Float!]!
  "Counts per bin, reference and current."
  bins: [DriftBin!]!
}

"A drift report of a feature service's served-feature log."
type DriftReport {
  "The feature service."
  service: String!
  "The reference window, as given."
  reference: String!
  "The current window, as given."
  current: String!
  "Whether any feature drifted."
  drifted: Boolean!
  "One entry per feature of the service."
  features: [FeatureDrift!]!
}

extend type Query {
  "PSI of each feature of a logging feature service: reference and current are time windows such as now-2d..now-1d."
  featureDrift(
    "A feature service that declares logging."
    service: String!
    "The reference time window, e.g. now-2d..now-1d."
    reference: String!
    "The current time window, e.g. now-1d..now."
    current: String!
    "Rows each side needs before a feature is judged; overrides every view's drift.minRows (default 100)."
    minRows: Int
  ): DriftReport!
}
`;

export const driftResolvers = (repo: ResolvedRepository) => ({
  Query: {
    featureDrift: async (
      _: unknown,
      args: { service: string; reference: string; current: string; minRows?: number | null },
      ctx: FeatureGraphContext,
    ) => {
      if (!repo.services.some((s) => s.name === args.service))
        throw badInput(`unknown feature service "${args.service}"; services are: ${repo.services.map((s) => s.name).join(', ')}`, {
          argument: 'service',
        });
      let reference: ReturnType<typeof parseReference>;
      let current: ReturnType<typeof parseCurrent>;
      let minRows: number | undefined;
      try {
        if (args.minRows !== undefined && args.minRows !== null) minRows = checkMinRows(args.minRows, 'minRows');
        // Files are never read on behalf of a GraphQL caller: only time windows.
        reference = parseReference(args.reference, { allowFiles: false, now: ctx.rt.now() });
        current = parseCurrent(args.current, ctx.rt.now());
      } catch (err) {
        if (err instanceof DriftInputError) throw badInput(err.message);
        throw err;
      }
      const store = createSqlLogStore(monitoringSql(ctx.rt.offline));
      try {
        const report = await computeDrift(store, repo, args.service, reference, current, minRows === undefined ? {} : { minRows });
        await store.recordDrift(repo.project, driftRecords(report));
        return report;
      } catch (err) {
        if (err instanceof DriftInputError) throw badInput(err.message);
        // The log table is missing until the first logged request: that is not an outage.
        if (/does not exist/.test((err as Error).message))
          throw fgError(noServedLogYet(args.service), 'NOT_FOUND', { service: args.service });
        // The driver's error goes to the server log with the request id (errorCause), not to the caller.
        throw storeUnavailable(`the served-feature log of ${args.service} could not be read`, 'OFFLINE_STORE_UNAVAILABLE', err, {
          service: args.service,
        });
      }
    },
  },
});
