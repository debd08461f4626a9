import type { CORSOptions, Plugin } from 'graphql-yoga';

/**
 * CORS for the listed origins only. No origins: CORS off (browsers on other sites cannot read responses).
 * `*` allows any origin but never with credentials (the Fetch standard forbids the pair, and echoing the
 * origin with credentials would let any site act with a user's cookies). See docs/production.md.
 */
export const corsOptions = (origins: readonly string[]): false | ((request: Request) => CORSOptions | false) => {
  if (origins.length === 0) return false;
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return (request) => {
    const origin = request.headers.get('origin');
    if (!origin) return false;
    if (any) return { origin: '*', credentials: false, exposedHeaders: ['x-request-id'] };
    // Scheme and host compare case-insensitively (checkOrigins lists them in lower case).
    if (!allowed.has(origin.toLowerCase())) return false;
    return { origin: [origin], credentials: true, exposedHeaders: ['x-request-id'], maxAge: 600 };
  };
};

/**
 * The origins as browsers send them in `Origin` (`scheme://host[:port]`), checked once at start-up: `what` names
 * the setting in the error. One trailing slash is dropped (`https://app.example.com/`); a path, query or
 * fragment, a value without a scheme, and `null` (the origin of sandboxed iframes and `file:` pages, which
 * with credentials would admit any of them) are refused rather than never matching or matching too much.
 */
export const checkOrigins = (origins: readonly string[], what: string): string[] =>
  origins.map((given) => {
    const o = given.replace(/\/$/, '');
    if (o === '*') return o;
    if (o.toLowerCase() === 'null')
      throw new Error(
        `${what}: "null" is not allowed (sandboxed iframes and file: pages send it; with credentials any of them could read responses)`,
      );
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#\s@]+$/i.test(o))
      throw new Error(
        `${what}: "${given}" is not an origin: write scheme://host[:port], as browsers send it, with no path (e.g. https://app.example.com)`,
      );
    return o.toLowerCase();
  });

/**
 * `Vary: Origin` on every response while CORS allows listed origins: the CORS headers then depend on the
 * request's Origin, and a shared cache must not give one origin's answer to another (or to a request without one).
 */
export const useVaryOrigin = (origins: readonly string[]): Plugin | false =>
  origins.length > 0 &&
  !origins.includes('*') && {
    onResponse({ response }) {
      response.headers.append('vary', 'Origin');
    },
  };
