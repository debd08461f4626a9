const LOOPBACK_NAME = String.raw`localhost|127(?:\.\d{1,3}){3}`;
/** A Host header that names this machine: `localhost`, `127.x.x.x` or `[::1]`, with any port. */
const LOOPBACK_HOST = new RegExp(String.raw`^(?:${LOOPBACK_NAME}|\[::1\])(?::\d{1,5})?$`, 'i');
/** An address to listen on that is this machine only: `localhost`, `127.x.x.x` or `::1`. */
const LOOPBACK_ADDRESS = new RegExp(`^(?:${LOOPBACK_NAME}|::1)$`, 'i');

export const isLoopbackHost = (host: string | undefined): boolean => host !== undefined && LOOPBACK_HOST.test(host);
export const isLoopbackAddress = (address: string | undefined): boolean => address !== undefined && LOOPBACK_ADDRESS.test(address);

/** Why a request to another Host is refused by a server that takes loopback hosts only. */
export const LOOPBACK_ONLY = 'this server answers only requests to localhost, 127.0.0.1 or [::1]';

/**
 * Whether a browser page at `origin` may open a connection to a server addressed as `host` (WebSockets, which
 * CORS does not cover): its own origin (same host and port), or an origin the server lists for CORS. A request
 * without Origin is not from a page and is not judged here.
 */
export const originAllowed = (origin: string, host: string | undefined, listed: readonly string[]): boolean => {
  if (listed.includes('*') || listed.includes(origin.toLowerCase())) return true;
  try {
    return host !== undefined && new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
};
