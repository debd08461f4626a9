/** featuregraph's public API: the CLI and the server are thin shells over it. */
export * from './definitions/index.js';
export { loadConfig, type Config } from './config.js';
export { openFeatureStore, loadRepository, type FeatureStore } from './feature-store.js';
export { applyRepository, planRepository, getLineage, listHistory } from './registry/index.js';
export { materializeViews, type MarkerOutcome, type MaterializeViewsOptions } from './materialize/index.js';
export { pointInTimeLookup } from './offline/postgres/point-in-time.js';
export {
  openOfflineStore,
  createPostgresOfflineStore,
  createDuckDbOfflineStore,
  routeOfflineStores,
  type OfflineStore,
} from './offline/index.js';
export { streamTrainingSet, getHistoricalFeatures } from './offline/training-set.js';
export { exportTrainingSet } from './offline/export.js';
export { createSqlOnlineStore } from './online/sql.js';
export { createRedisOnlineStore } from './online/redis.js';
export type { OnlineStore, OnlineRow, OnlineRecord } from './online/store.js';
export { pushRows, validatePushRows, PushValidationError, type PushTarget } from './online/push.js';
export { buildSchema, printSortedSdl } from './graphql/schema.js';
export { createApp } from './server/app.js';
export { servingRuntime } from './server/runtime.js';
export { listen } from './server/serve.js';
export type { SqlClient } from './sql/client.js';
export { createPgClient, createPgliteClient, openSql } from './sql/index.js';
