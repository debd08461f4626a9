import { DefinitionError, type DefinitionProblem } from '../definitions/errors.js';
import type { Repository } from '../definitions/objects.js';
import { resolveRepository, type ResolvedRepository } from '../definitions/resolve.js';
import { validateRepository } from '../definitions/validate.js';
import { openOfflineStore } from '../offline/index.js';
import type { OfflineStore } from '../offline/store.js';
import type { SqlClient } from '../sql/client.js';
import { sampleRunOnDemandViews } from './sample-run.js';

export interface CheckOptions {
  readonly project?: string;
  /** Also check source tables, files and columns against the offline store (default true). */
  readonly checkSources?: boolean;
  /** The offline store whose sources are checked (default: the SQL client's, with DuckDB for Parquet files). */
  readonly offline?: OfflineStore;
}

/**
 * Static validation, a sample run of on-demand transforms and source checks together,
 * so one run reports every problem.
 * Source checks still run when static checks fail, as long as the repository resolves.
 */
export const checkRepository = async (
  sql: SqlClient,
  repo: Repository,
  options: CheckOptions = {},
): Promise<{ problems: DefinitionProblem[]; resolved: ResolvedRepository | null }> => {
  const problems = validateRepository(repo, options.project);
  problems.push(...sampleRunOnDemandViews(repo));
  let resolved: ResolvedRepository | null = null;
  try {
    resolved = resolveRepository(repo, options.project);
  } catch {
    // Malformed enough not to resolve; the static problems already say why.
  }
  if (resolved && options.checkSources !== false) {
    // A source that failed static checks (say, a query that is not a SELECT) is not sent to the database.
    const bad = new Set(problems.filter((p) => p.object.startsWith('source ')).map((p) => p.object));
    const views = [
      ...resolved.views,
      ...resolved.aggregationViews.filter((a) => a.events.source.kind !== 'push').map((a) => a.events),
    ].filter((v) => !bad.has(`source ${JSON.stringify(v.source.sourceName)}`));
    const offline = options.offline ?? openOfflineStore(sql);
    try {
      problems.push(...(await offline.checkSources(views)));
    } finally {
      if (!options.offline) await offline.close();
    }
  }
  return { problems, resolved: problems.length === 0 ? resolved : null };
};

/** Check a repository and throw a `DefinitionError` listing every problem; returns the resolved repository. */
export const assertValidRepository = async (sql: SqlClient, repo: Repository, options: CheckOptions = {}): Promise<ResolvedRepository> => {
  const { problems, resolved } = await checkRepository(sql, repo, options);
  if (problems.length > 0 || !resolved) throw new DefinitionError(problems);
  return resolved;
};
