import type { Plugin } from 'graphql-yoga';
import { requestIdOf } from '../../monitoring/logger.js';
import { hasPlainRefusals, refusalResponse } from '../error-log.js';
import { getPrincipal } from '../principal.js';

export interface RateLimitOptions {
  /** Sustained requests per second per caller. */
  readonly perSecond: number;
  /** Requests a caller may send at once above the sustained rate. @default perSecond */
  readonly burst?: number;
  /**
   * The bucket a request counts against; `undefined` is not limited. @default the principal's name (set
   * by the API-key plugin), so anonymous requests are not limited by this plugin.
   */
  readonly identify?: (request: Request) => string | undefined;
  /** Paths limited (prefix match). @default ['/graphql', '/push/'] */
  readonly paths?: readonly string[];
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per caller: 429 with `Retry-After` (seconds until a token is back) once a caller's burst is
 * spent. Buckets live in this process; with `--workers N` each worker keeps its own (see docs/production.md).
 */
export const useRateLimit = (options: RateLimitOptions): Plugin => {
  const rate = options.perSecond;
  const burst = options.burst ?? rate;
  const identify = options.identify ?? ((r: Request) => getPrincipal(r)?.name);
  const paths = options.paths ?? ['/graphql', '/push/'];
  const buckets = new Map<string, Bucket>();
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (!paths.some((p) => url.pathname.startsWith(p))) return;
      const who = identify(request);
      if (who === undefined) return;
      const now = performance.now();
      const b = buckets.get(who) ?? { tokens: burst, at: now };
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
      b.at = now;
      buckets.set(who, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return;
      }
      const retry = Math.max(1, Math.ceil((1 - b.tokens) / rate));
      // In the shape of the route refused (GraphQL's, or /push's `{ error, code, requestId }`), with the request id.
      endResponse(
        refusalResponse(fetchAPI.Response, {
          status: 429,
          message: `rate limit of ${rate} requests per second exceeded for ${who}`,
          code: 'RATE_LIMITED',
          requestId: requestIdOf(request),
          plain: hasPlainRefusals(url.pathname),
          headers: { 'retry-after': String(retry) },
        }),
      );
    },
  };
};
