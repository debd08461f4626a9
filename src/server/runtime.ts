import { assertValidRepository } from '../registry/index.js';
import type { FeatureStore } from '../feature-store.js';
import { sqlRegistryInfo } from '../graphql/registry-info.js';
import type { ServingRuntime } from '../graphql/runtime.js';

/**
 * Check the definitions against the stores (every problem listed) and build what the resolvers serve from.
 * The online store's tables are created if missing, so a fresh database serves nulls rather than errors.
 */
export const servingRuntime = async (fs: FeatureStore): Promise<ServingRuntime> => {
  const repo = await assertValidRepository(fs.sql, fs.definitions, { project: fs.project, offline: fs.offline });
  await fs.online.prepare(
    repo.views.filter((v) => v.online),
    repo.aggregationViews,
  );
  return { repo, online: fs.online, offline: fs.offline, registry: sqlRegistryInfo(fs.sql, fs.project), now: Date.now };
};
