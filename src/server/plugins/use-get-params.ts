import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const notJson = (name: string) =>
  new GraphQLError(`the ${name} query parameter is not valid JSON`, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

/**
 * A GET request whose `variables` or `extensions` parameter is not JSON is the caller's error: 400
 * `BAD_USER_INPUT` naming the parameter (docs/production.md, "Errors"). Yoga's GET parser lets the SyntaxError
 * through, which every error path then masks as a 500. Only GET requests are touched: the JSON POST parser is
 * useJsonMediaType's (the node front takes a request only when it is picked).
 */
export const useGetParams = (): Plugin => ({
  onRequestParse({ request, url, requestParser, setRequestParser }) {
    if (request.method !== 'GET' || !requestParser) return;
    for (const name of ['variables', 'extensions']) {
      const raw = url.searchParams.get(name);
      if (raw === null) continue;
      try {
        JSON.parse(raw);
      } catch {
        const err = notJson(name);
        setRequestParser(() => Promise.reject(err));
        return;
      }
    }
  },
});
