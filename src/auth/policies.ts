import { getPrincipal } from '../server/principal.js';
import { hasScope } from './scopes.js';

/**
 * Caller-dependent policies for the serving pipeline (docs/auth.md). Both read the principal the API key
 * plugin set, so they must run after it; a request without one (anonymous serving) is refused.
 */

/** Introspection in production: `admin` keys only. */
export const allowIntrospection = (request: Request): boolean => hasScope(getPrincipal(request), 'admin');

/** Documents outside the trusted set, when trusted documents are enforced: `adhoc` keys only. */
export const allowArbitraryOperations = (request: Request): boolean => hasScope(getPrincipal(request), 'adhoc');
