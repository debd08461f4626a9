import type { CORSOptions } from 'graphql-yoga';

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
    if (!allowed.has(origin)) return false;
    return { origin: [origin], credentials: true, exposedHeaders: ['x-request-id'], maxAge: 600 };
  };
};
