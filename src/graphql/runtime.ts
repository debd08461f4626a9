import type { ResolvedRepository } from '../definitions/resolve.js';
import type { OnlineStore } from '../online/store.js';
import type { SqlClient } from '../sql/client.js';
import type { RegistryInfo } from './registry-info.js';

/** What the resolvers serve from: built once per server, shared by every request. */
export interface ServingRuntime {
  readonly repo: ResolvedRepository;
  readonly online: OnlineStore;
  /** The offline store (point-in-time reads, offline pushes). */
  readonly offline: SqlClient;
  /** Registry metadata: versions, hashes, history, freshness. */
  readonly registry: RegistryInfo;
  /** Clock, injectable for tests. */
  readonly now: () => number;
}
