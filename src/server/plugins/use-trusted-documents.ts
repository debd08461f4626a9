import { GraphQLError } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { byteLru } from '../byte-lru.js';
import { sha256 } from '../../registry/describe.js';
import { canonicalText, type TrustedDocuments } from '../trusted-documents.js';

export interface TrustedDocumentsOptions {
  readonly documents: TrustedDocuments;
  /**
   * Refuse documents that are not in the manifest (`serve --trusted-documents`). When false, persisted ids
   * are accepted and any document too. @default true
   */
  readonly only?: boolean;
  /**
   * Whether this request may still send an arbitrary document when `only` is on. The API-key plugin
   * supplies one that allows keys with the `adhoc` scope. @default () => false
   */
  readonly allowArbitraryOperations?: (request: Request) => boolean;
}

const refuse = (message: string, code: string, status: number) => new GraphQLError(message, { extensions: { code, http: { status } } });

interface PersistedParams extends GraphQLParams {
  documentId?: unknown;
}

/** The id a request names: `documentId` (body or URL) or Apollo's `extensions.persistedQuery.sha256Hash`. */
const idOf = (params: PersistedParams, request: Request): string | undefined => {
  if (typeof params.documentId === 'string') return params.documentId;
  const pq = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  if (typeof pq?.sha256Hash === 'string') return pq.sha256Hash;
  if (request.method === 'GET' && request.url.includes('documentId='))
    return new URL(request.url).searchParams.get('documentId') ?? undefined;
  return undefined;
};

/**
 * Trusted documents (persisted operations): a request names a document by id and the server runs its own
 * copy. With `only`, a document sent in full is run only when it is one of the trusted ones (so the typed
 * client that sends `print(doc)` works unchanged) or `allowArbitraryOperations` says yes. Runs in
 * `onParams`, before parsing: a refused document costs nothing. See docs/production.md.
 */
export const useTrustedDocuments = (options: TrustedDocumentsOptions): Plugin => {
  const { byId, texts, maxLength } = options.documents;
  const only = options.only ?? true;
  const allowArbitrary = options.allowArbitraryOperations ?? (() => false);
  // Texts already checked, so the hot path does not parse again. A text much longer than any trusted one
  // (a 560 KB alias document) is refused without parsing.
  const checked = byteLru<boolean>({ maxBytes: 4 * 1024 * 1024 });
  // Ids learnt from clients (Apollo's automatic persisted queries): a client whose id is unknown sends the
  // document with it once; when that document is a trusted one and the id is its sha256, the id is kept,
  // so its next requests carry the id alone. (Apollo Client hashes the document as its cache rewrote it,
  // in the order the client's source has it, which the manifest's normalised text does not keep.)
  const learnt = byteLru<string>({ maxBytes: 4 * 1024 * 1024 });
  const isTrustedText = (query: string) => {
    if (query.length > 2 * maxLength + 1024) return false;
    let hit = checked.get(query);
    if (hit === undefined) {
      const canonical = canonicalText(query);
      hit = canonical !== undefined && texts.has(canonical);
      checked.set(query, hit);
    }
    return hit;
  };
  return {
    onParams({ params, request, setParams }) {
      const p = params as PersistedParams;
      const id = idOf(p, request);
      if (id !== undefined) {
        const text = byId.get(id) ?? learnt.get(id);
        if (text !== undefined) {
          // A document sent with an id must be that id's document (Apollo's persisted-query protocol refuses
          // a mismatch too): running the id's copy instead would answer another operation than the one sent.
          if (typeof p.query === 'string' && p.query !== text && sha256(p.query) !== id && canonicalText(p.query) !== canonicalText(text))
            throw refuse(
              `the query sent is not persisted document ${JSON.stringify(id.slice(0, 80))}: send the id alone, or the document with its own id`,
              'PERSISTED_QUERY_HASH_MISMATCH',
              400,
            );
          const { documentId: _id, ...rest } = p;
          setParams({ ...rest, query: text });
          return;
        }
        // Apollo's link answers this by sending the full document with the hash (accepted below if trusted).
        if (typeof p.query !== 'string') throw refuse('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND', 404);
      }
      if (typeof p.query === 'string' && only && !isTrustedText(p.query) && !allowArbitrary(request))
        throw refuse(
          'this server runs trusted documents only: send a persisted id (documentId or extensions.persistedQuery.sha256Hash)',
          'PERSISTED_QUERY_ONLY',
          403,
        );
      if (id !== undefined && typeof p.query === 'string' && isTrustedText(p.query) && sha256(p.query) === id) learnt.set(id, p.query);
      if (p.documentId !== undefined) {
        const { documentId: _id, ...rest } = p;
        setParams(rest);
      }
    },
  };
};
