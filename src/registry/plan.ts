import type { Repository } from '../definitions/objects.js';
import type { SqlClient } from '../sql/client.js';
import { assertValidRepository, type CheckOptions } from './check.js';
import { describeRepository, repositoryHash } from './describe.js';
import { diffObjects } from './diff.js';
import { getCurrentVersion, listObjects } from './read.js';
import type { DescribedObject, Plan } from './types.js';

/** Compare described objects with what the registry currently holds. */
export const planObjects = async (sql: SqlClient, project: string, next: readonly DescribedObject[]): Promise<Plan> => {
  const current = await getCurrentVersion(sql, project);
  const stored = current ? await listObjects(sql, project, { version: current.version }) : [];
  const { changes, unchanged } = diffObjects(stored, next);
  return {
    project,
    currentVersion: current?.version ?? null,
    changes,
    unchanged,
    hasChanges: changes.length > 0,
    repositoryHash: repositoryHash(next),
  };
};

/**
 * What `applyRepository` would add, change (and which fields) and remove. Runs the same
 * checks as apply and throws `DefinitionError` with every problem; writes nothing.
 */
export const planRepository = async (sql: SqlClient, repo: Repository, options: CheckOptions = {}): Promise<Plan> => {
  const resolved = await assertValidRepository(sql, repo, options);
  return planObjects(sql, resolved.project, describeRepository(repo));
};
