import type { SqlClient } from '../sql/client.js';
import { getViewFreshness, listHistory, listObjects, type ObjectKind } from '../registry/index.js';
/** Registry facts the metadata resolvers show next to the definitions. */
export interface ObjectVersion {
  readonly version: number;
  readonly hash: string;
}

export type RegistryKind = 'entity' | 'source' | 'featureView' | 'onDemandView' | 'aggregationView' | 'featureService';

export interface RegistryInfo {
  /** Version (the registry version where its hash last changed) and hash of an applied object; null if never applied. */
  objectVersion(kind: RegistryKind, name: string): Promise<ObjectVersion | null>;
  /** Every applied version, newest first. */
  history(): Promise<{ version: number; hash: string; appliedAt: Date; appliedBy: string | null }[]>;
  freshness(
    view: string,
  ): Promise<{ watermark: Date | null; lastMaterializedAt: Date | null; lastRangeEnd?: Date | null; lastRowCount?: number | null }>;
}

/** For a schema served straight from definitions that were never applied. */
export const unappliedRegistry: RegistryInfo = {
  objectVersion: async () => null,
  history: async () => [],
  freshness: async () => ({ watermark: null, lastMaterializedAt: null }),
};

const KIND_NAMES: Record<RegistryKind, ObjectKind> = {
  entity: 'entity',
  source: 'source',
  featureView: 'feature_view',
  onDemandView: 'on_demand_view',
  aggregationView: 'aggregation_view',
  featureService: 'feature_service',
};

/**
 * Registry facts read from the SQL registry. Object versions are loaded once per schema build and
 * refreshed at most every few seconds, so metadata queries do not hit the database per field.
 */
export const sqlRegistryInfo = (sql: SqlClient, project: string, maxAgeMs = 5000): RegistryInfo => {
  let cache: { at: number; objects: Promise<Map<string, ObjectVersion>> } | null = null;
  const objects = () => {
    if (!cache || Date.now() - cache.at > maxAgeMs)
      cache = {
        at: Date.now(),
        objects: listObjects(sql, project).then(
          (os) => new Map(os.map((o) => [`${o.kind}:${o.name}`, { version: o.version, hash: o.hash }])),
        ),
      };
    return cache.objects;
  };
  return {
    objectVersion: async (kind, name) => (await objects()).get(`${KIND_NAMES[kind]}:${name}`) ?? null,
    history: async () =>
      (await listHistory(sql, project)).map((v) => ({
        version: v.version,
        hash: v.repositoryHash,
        appliedAt: v.appliedAt,
        appliedBy: v.appliedBy,
      })),
    freshness: async (view) => {
      const f = await getViewFreshness(sql, project, view);
      return {
        watermark: f.watermark,
        lastMaterializedAt: f.lastMaterializedAt,
        lastRangeEnd: f.lastRangeEnd,
        lastRowCount: f.lastRowCount,
      };
    },
  };
};
