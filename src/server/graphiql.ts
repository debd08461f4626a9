import type { GraphiQLOptions } from 'graphql-yoga';
import type { ResolvedRepository } from '../definitions/resolve.js';
import { exampleTabs, type SampleKeys } from './example-query.js';

const pages = new Map<string, Promise<string>>();

/**
 * GraphiQL with its scripts and styles in the page, from the `@graphql-yoga/render-graphiql` package, instead
 * of Yoga's default page that loads them from a CDN: the explorer works on machines without internet access.
 * The page is large (about 9 MB), so the package is loaded on the first request and each page rendered once.
 */
export const renderOfflineGraphiQL = (opts: GraphiQLOptions): Promise<string> => {
  const key = JSON.stringify(opts);
  let page = pages.get(key);
  if (!page) {
    // Options are per app (title, example query); a few pages at most.
    if (pages.size >= 8) pages.clear();
    page = import('@graphql-yoga/render-graphiql').then((m) => m.renderGraphiQL(opts));
    page.catch(() => pages.delete(key));
    pages.set(key, page);
  }
  return page;
};

/**
 * GraphiQL's options for a repository: its example tabs (online, asOf inside the data window, a feature service,
 * a push, registry metadata) and the first of them as the default query. `query` replaces the first tab.
 */
export const graphiqlOptions = (
  repo: ResolvedRepository,
  opts: { query?: string; sampleKeys?: SampleKeys; now?: Date } = {},
): GraphiQLOptions => {
  const tabs = exampleTabs(repo, opts);
  return { title: 'featuregraph', ...(tabs[0] ? { defaultQuery: tabs[0].query } : {}), defaultTabs: tabs };
};
