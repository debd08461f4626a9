import { hasScope as principalHasScope } from '../auth/scopes.js';

/**
 * Who a request acts for. An authentication plugin (API keys) sets it early in the pipeline; later policies
 * (trusted documents, introspection, rate limits) read it. Keyed by the Fetch `Request` object, which every
 * hook of one request sees, so nothing leaks between requests and nothing needs cleaning up.
 */
export interface Principal {
  /** A stable name (the key's name), used in logs and as the rate-limit bucket. */
  readonly name: string;
  /** Granted scopes, e.g. `read:*`, `push:location_risk`, `admin`, `adhoc` (see docs/production.md). */
  readonly scopes: readonly string[];
}

const principals = new WeakMap<Request, Principal>();

export const getPrincipal = (request: Request): Principal | undefined => principals.get(request);

export const setPrincipal = (request: Request, principal: Principal): void => {
  principals.set(request, principal);
};

/** True when the request's principal holds `scope`, exactly or through a wildcard (docs/auth.md). */
export const hasScope = (request: Request, scope: string): boolean => principalHasScope(principals.get(request), scope);
