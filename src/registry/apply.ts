import { userInfo } from 'node:os';
import { DefinitionError, type DefinitionProblem } from '../definitions/errors.js';
import type { Repository } from '../definitions/objects.js';
import type { SqlClient } from '../sql/client.js';
import { assertValidRepository } from './check.js';
import { describeRepository } from './describe.js';
import { planObjects } from './plan.js';
import { listObjects } from './read.js';
import { createOnlineTable, createSourceIndex, ensurePushTable } from './store-tables.js';
import { createRegistryTables, lockRegistry, registryTable } from './tables.js';
import { eventsTable, eventsTableDdl } from '../online/sql-events.js';
import type { ApplyResult, DescribedObject } from './types.js';

export interface ApplyOptions {
  /** Overrides the repository's project. */
  readonly project?: string;
  /** Recorded with the version; defaults to the OS user. */
  readonly appliedBy?: string;
  /** Create the recommended `(join keys, event_timestamp DESC)` index on postgres source tables. */
  readonly createSourceIndexes?: boolean;
  /** Create the SQL online store's tables for online views. */
  readonly onlineTables?: boolean;
}

const defaultUser = (): string => {
  try {
    return process.env.USER ?? userInfo().username;
  } catch {
    return 'unknown';
  }
};

const insertVersion = async (
  tx: SqlClient,
  project: string,
  version: number,
  appliedBy: string,
  hash: string,
  changes: ApplyResult['plan']['changes'],
  objects: readonly DescribedObject[],
  previousVersions: ReadonlyMap<string, number>,
): Promise<void> => {
  await tx.query(
    `INSERT INTO ${registryTable(project, 'registry_versions')} (version, applied_by, repository_hash, changes) VALUES ($1, $2, $3, $4::jsonb)`,
    [version, appliedBy, hash, JSON.stringify(changes)],
  );
  const changed = new Set(changes.map((c) => `${c.kind}:${c.name}`));
  for (const o of objects) {
    const key = `${o.kind}:${o.name}`;
    // An object keeps the version where its hash last changed.
    const objectVersion = changed.has(key) ? version : (previousVersions.get(key) ?? version);
    await tx.query(
      `INSERT INTO ${registryTable(project, 'registry_objects')} (registry_version, kind, name, content_hash, object_version, spec)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
      [version, o.kind, o.name, o.hash, objectVersion, JSON.stringify(o.spec)],
    );
  }
};

/**
 * Validate the definitions (statically and against the source tables) and apply them in one
 * transaction: registry tables, push tables, online tables and source indexes when asked, and a
 * new registry version when anything changed. A failure anywhere rolls all of it back.
 */
export const applyRepository = async (sql: SqlClient, repo: Repository, options: ApplyOptions = {}): Promise<ApplyResult> => {
  const resolved = await assertValidRepository(sql, repo, options.project !== undefined ? { project: options.project } : {});
  const project = resolved.project;
  const objects = describeRepository(repo);
  const appliedBy = options.appliedBy ?? defaultUser();
  return sql.transaction(async (tx) => {
    await lockRegistry(tx, project);
    await createRegistryTables(tx, project);
    const plan = await planObjects(tx, project, objects);

    const problems: DefinitionProblem[] = [];
    const pushTables: string[] = [];
    const pushed = [
      ...resolved.views.map((v) => ({ v, eventId: undefined })),
      ...resolved.aggregationViews.map((a) => ({ v: a.events, eventId: a.eventId })),
    ].filter((x) => x.v.source.kind === 'push');
    for (const { v, eventId } of pushed) {
      problems.push(...(await ensurePushTable(tx, project, v, eventId)));
      pushTables.push(`${v.source.table ?? v.name}`);
    }
    if (problems.length > 0) throw new DefinitionError(problems);

    const onlineTables: string[] = [];
    if (options.onlineTables) {
      for (const v of resolved.views.filter((x) => x.online)) onlineTables.push(await createOnlineTable(tx, project, v));
      for (const a of resolved.aggregationViews) {
        for (const ddl of eventsTableDdl(project, a)) await tx.query(ddl);
        onlineTables.push(eventsTable(project, a.name));
      }
    }

    const sourceIndexes = new Set<string>();
    if (options.createSourceIndexes)
      for (const v of resolved.views) {
        const idx = await createSourceIndex(tx, v);
        if (idx) sourceIndexes.add(idx);
      }

    const previous = plan.currentVersion;
    const created = plan.hasChanges || previous === null;
    const version = created ? (previous ?? 0) + 1 : previous;
    if (created) {
      const stored = previous === null ? [] : await listObjects(tx, project, { version: previous });
      const previousVersions = new Map(stored.map((o) => [`${o.kind}:${o.name}`, o.version]));
      await insertVersion(tx, project, version, appliedBy, plan.repositoryHash, plan.changes, objects, previousVersions);
    }
    return { project, version, previousVersion: previous, created, plan, sourceIndexes: [...sourceIndexes], pushTables, onlineTables };
  });
};
