import type { ResolvedRepository } from '../definitions/resolve.js';
import type { OnlineStore } from '../online/store.js';
import type { OfflineStore } from '../offline/store.js';
import type { RegistryInfo } from './registry-info.js';

/** What the resolvers serve from: built once per server, shared by every request. */
export interface ServingRuntime {
  readonly repo: ResolvedRepository;
  readonly online: OnlineStore;
  /** The offline store (point-in-time reads, offline pushes), whatever its engines. */
  readonly offline: OfflineStore;
  /** Registry metadata: versions, hashes, history, freshness. */
  readonly registry: RegistryInfo;
  /** Clock, injectable for tests. */
  readonly now: () => number;
}
