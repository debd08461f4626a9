export * from './types.js';
export { describeRepository, repositoryHash, canonicalJson } from './describe.js';
export { diffObjects } from './diff.js';
export { checkRepository, assertValidRepository, type CheckOptions } from './check.js';
export { planRepository } from './plan.js';
export { applyRepository, type ApplyOptions } from './apply.js';
export { getCurrentVersion, listHistory, listObjects, getObject, type ListObjectsOptions } from './read.js';
export {
  getWatermark,
  setWatermark,
  recordMaterialization,
  getFreshness,
  getViewFreshness,
  type MaterializationRun,
} from './watermarks.js';
export { getLineage } from './lineage.js';
export { formatPlan, formatApply, formatLineage, formatLineageMermaid } from './format.js';
export { registryTable, registryExists } from './tables.js';
export { sourceIndex, pushIndexName } from './store-tables.js';
export { sampleRunOnDemandViews } from './sample-run.js';
