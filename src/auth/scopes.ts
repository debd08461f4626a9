import type { ResolvedRepository } from '../definitions/resolve.js';
import type { Principal } from '../server/principal.js';

/**
 * Scopes of an API key (docs/auth.md):
 * - `read:<view or service>` — a feature view's or on-demand view's field under its entity, or a feature
 *   service's features through the service's root fields;
 * - `push:<view>` — the view's push mutation and `POST /push/<view>`;
 * - `admin` — registry metadata fields (and introspection in production);
 * - `adhoc` — arbitrary documents when the server only runs trusted documents.
 * In a name, `*` matches any run of characters: `read:*`, `push:*`, `read:driver_*`.
 */
export const SCOPE_SYNTAX = 'read:<view or service>, push:<view>, admin, adhoc (with * wildcards, e.g. read:* or push:driver_*)';

const SCOPE = /^(?:admin|adhoc|(read|push):([a-z0-9_*]+))$/;

const patterns = new Map<string, RegExp>();

/** Whether granted scope `granted` (possibly with `*`) covers `wanted` (a concrete scope). */
export const scopeCovers = (granted: string, wanted: string): boolean => {
  if (granted === wanted) return true;
  if (!granted.includes('*')) return false;
  let re = patterns.get(granted);
  if (!re) {
    // Only [a-z0-9_:*] reach here from a parsed key, but escape anyway: the text is data, not a regex.
    re = new RegExp(
      `^${granted
        .split('*')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[a-z0-9_]*')}$`,
    );
    patterns.set(granted, re);
  }
  return re.test(wanted);
};

/** Whether `principal` holds `scope`; no principal holds nothing. */
export const hasScope = (principal: Principal | undefined, scope: string): boolean => {
  if (!principal) return false;
  for (const g of principal.scopes) if (scopeCovers(g, scope)) return true;
  return false;
};

/** Thrown by parseScopes: every problem, each naming the scope and, for unknown names, the valid ones. */
export class ScopeError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ScopeError';
  }
}

/** What `read:` and `push:` can name in a repository. */
export const scopeTargets = (repo: ResolvedRepository): { read: string[]; push: string[] } => ({
  read: [
    ...repo.views.map((v) => v.name),
    ...repo.onDemandViews.map((o) => o.name),
    ...repo.aggregationViews.map((a) => a.name),
    ...repo.services.map((s) => s.name),
  ].sort(),
  push: [...repo.views.filter((v) => v.online).map((v) => v.name), ...repo.aggregationViews.map((a) => a.name)].sort(),
});

/**
 * Parse a comma- or space-separated scope list and check its names against the repository: a name must
 * exist, and a wildcard must match something (a typo would otherwise grant nothing, silently).
 * Duplicates are dropped; the order given is kept.
 */
export const parseScopes = (text: string, repo: ResolvedRepository): string[] => {
  const items = text.split(/[\s,]+/).filter(Boolean);
  const problems: string[] = [];
  if (items.length === 0) problems.push(`no scopes given; use ${SCOPE_SYNTAX}`);
  const targets = scopeTargets(repo);
  for (const item of items) {
    const m = SCOPE.exec(item);
    if (!m) {
      problems.push(`unknown scope "${item}": scopes are ${SCOPE_SYNTAX}`);
      continue;
    }
    const [, verb, name] = m;
    if (!verb || !name || name === '*') continue;
    const valid = verb === 'read' ? targets.read : targets.push;
    if (valid.some((t) => scopeCovers(name, t))) continue;
    const what = verb === 'read' ? 'feature view, on-demand view or feature service' : 'pushable (online) feature view';
    const matching = name.includes('*') ? `matches no ${what}` : `is not a ${what}`;
    problems.push(`"${item}": ${JSON.stringify(name)} ${matching}; valid ${verb} names: ${valid.join(', ') || '(none)'}`);
  }
  if (problems.length) throw new ScopeError(problems);
  return [...new Set(items)];
};
