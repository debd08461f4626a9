/** A Host header that names this machine: `localhost`, `127.x.x.x` or `[::1]`, with any port. */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

export const isLoopbackHost = (host: string | undefined): boolean => host !== undefined && LOOPBACK_HOST.test(host);

/**
 * Whether a browser page at `origin` may open a connection to a server addressed as `host` (WebSockets, which
 * CORS does not cover): its own origin (same host and port), or an origin the server lists for CORS. A request
 * without Origin is not from a page and is not judged here.
 */
export const originAllowed = (origin: string, host: string | undefined, listed: readonly string[]): boolean => {
  if (listed.includes('*') || listed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
};
