import { getOperationAST, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createScopeCache, judgeDocument, type DocumentVerdict, type ScopeCache } from '../../auth/document-scopes.js';
import { fieldRules, type FieldRules } from '../../auth/field-rules.js';
import type { KeyLookup } from '../../auth/key-lookup.js';
import { guardSchema, type ForbiddenByContext } from '../../auth/schema-guard.js';
import { hasScope } from '../../auth/scopes.js';
import type { ResolvedRepository } from '../../definitions/resolve.js';
import { getPrincipal, setPrincipal, type Principal } from '../principal.js';

export interface ApiKeysOptions {
  /**
   * The active keys (see `openKeyLookup`: held in memory, re-read from the registry database). With
   * `isActive` and `watch`, a subscription ends when its key is revoked or its scopes change.
   */
  readonly keys: Pick<KeyLookup, 'find'> & Partial<Pick<KeyLookup, 'isActive' | 'watch'>>;
  /** The served repository: which fields belong to which view or service (docs/auth.md). */
  readonly repo: ResolvedRepository;
  /**
   * Path prefix of the REST push route; `POST <prefix><view>` needs `push:<view>`. Must match the push
   * route's. @default '/push/'
   */
  readonly pushPrefix?: string;
  /**
   * The verdict cache (forbidden fields per document and scope set). Pass one to share or observe it.
   * @default createScopeCache(cacheSize)
   */
  readonly scopeCache?: ScopeCache;
  /** Entries of the default verdict cache. @default 1000 */
  readonly cacheSize?: number;
  /** Realm named in `WWW-Authenticate`. @default 'featuregraph' */
  readonly realm?: string;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** A running subscription and how to end it. */
export interface LiveStream {
  readonly principal: Principal;
  stop(): void;
}

const isAsyncIterable = (x: unknown): x is AsyncIterable<ExecutionResult> =>
  typeof x === 'object' && x !== null && Symbol.asyncIterator in x;

/**
 * `source`, ended by `live`'s `stop` (its key was revoked, docs/auth.md): the subscriber gets one last result
 * with an UNAUTHENTICATED error, then the end of the stream; the source is closed.
 */
export const revocable = (
  source: AsyncIterable<ExecutionResult>,
  principal: Principal,
  live: Set<LiveStream>,
): AsyncIterableIterator<ExecutionResult> => {
  const it = source[Symbol.asyncIterator]();
  let ended = false;
  let revoke!: () => void;
  const revoked = new Promise<'revoked'>((resolve) => (revoke = () => resolve('revoked')));
  const entry: LiveStream = { principal, stop: () => revoke() };
  live.add(entry);
  const end = () => {
    ended = true;
    live.delete(entry);
  };
  const self: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]: () => self,
    async next() {
      if (ended) return { done: true, value: undefined };
      let r: IteratorResult<ExecutionResult> | 'revoked';
      try {
        r = await Promise.race([it.next(), revoked]);
      } catch (err) {
        // The stream failed (a slow subscriber, a store): its consumer may not call return() after a throw.
        end();
        throw err;
      }
      if (r === 'revoked') {
        end();
        Promise.resolve(it.return?.()).catch(() => undefined);
        const error = new GraphQLError('the API key of this subscription was revoked or its scopes changed', {
          extensions: { code: 'UNAUTHENTICATED' },
        });
        return { done: false, value: { errors: [error] } };
      }
      if (r.done) end();
      return r;
    },
    async return() {
      end();
      return (await it.return?.()) ?? { done: true, value: undefined };
    },
    async throw(e: unknown) {
      end();
      if (it.throw) return it.throw(e);
      throw e;
    },
  };
  return self;
};

type Presented = { secret: string } | { problem: string };

/** The key a request presents: `Authorization: Bearer <key>`, else `x-api-key`. */
const presentedKey = (request: Request): Presented | null => {
  const auth = request.headers.get('authorization');
  if (auth !== null) {
    const m = BEARER.exec(auth);
    return m?.[1] ? { secret: m[1] } : { problem: 'the Authorization header must be "Bearer <API key>"' };
  }
  const key = request.headers.get('x-api-key')?.trim();
  return key ? { secret: key } : null;
};

type Authenticated = { principal: Principal } | { message: string; invalid: boolean };

const authenticate = (keys: ApiKeysOptions['keys'], request: Request): Authenticated | Promise<Authenticated> => {
  const known = getPrincipal(request);
  if (known) return { principal: known };
  const presented = presentedKey(request);
  if (!presented) return { message: 'an API key is required: send "Authorization: Bearer <key>" or "x-api-key: <key>"', invalid: false };
  if ('problem' in presented) return { message: presented.problem, invalid: true };
  const found = (p: Principal | undefined): Authenticated => {
    if (!p) return { message: 'the API key is not valid (unknown or revoked)', invalid: true };
    setPrincipal(request, p);
    return { principal: p };
  };
  const p = keys.find(presented.secret);
  return p instanceof Promise ? p.then(found) : found(p);
};

/**
 * How a WebSocket connection is authenticated when it opens (`connection_init`, graphql-ws.ts): the headers its
 * `connectionParams` carry, looked up as a request's are. A principal, or why there is none.
 */
export type ConnectionAuthenticator = (
  headers: Readonly<Record<string, string>>,
) => Promise<{ principal: Principal } | { message: string }>;

const connectionAuthenticators = new WeakMap<Plugin, ConnectionAuthenticator>();

/** The connection authenticator of an API-key plugin (createApp finds it among its plugins), else undefined. */
export const connectionAuthenticatorOf = (plugin: Plugin): ConnectionAuthenticator | undefined => connectionAuthenticators.get(plugin);

/**
 * The principal of the key a request presents, or undefined (no key, unknown or revoked): for endpoints answered
 * before this plugin's onRequest runs, such as /metrics (the metrics plugin comes earlier in the list).
 */
export const principalOf = async (keys: ApiKeysOptions['keys'], request: Request): Promise<Principal | undefined> => {
  const a = await authenticate(keys, request);
  return 'principal' in a ? a.principal : undefined;
};

/**
 * API keys with scopes (docs/auth.md). A GraphQL request without a valid key is answered 401 before its
 * document is parsed; `POST /push/<view>` needs `push:<view>` (403 otherwise). Field by field, a key
 * lacking the scope of a view or service gets that field null with a FORBIDDEN error while the rest
 * resolves; a mutation with a forbidden push is refused whole, writing nothing. Which fields a key may
 * not resolve is worked out once per (document, scope set) and cached; each guarded field then checks
 * one Set. Put it first in the plugin list: the principal it sets is what later policies read.
 */
export const useApiKeys = (opts: ApiKeysOptions): Plugin => {
  const prefix = opts.pushPrefix ?? '/push/';
  const realm = opts.realm ?? 'featuregraph';
  const cache = opts.scopeCache ?? createScopeCache(opts.cacheSize ?? 1000);
  const pushable = new Set([
    ...opts.repo.views.filter((v) => v.online).map((v) => v.name),
    ...opts.repo.aggregationViews.map((a) => a.name),
  ]);
  const verdicts: ForbiddenByContext = new WeakMap();
  const guarded = new WeakSet<GraphQLSchema>();
  let rules: FieldRules = new Map();

  // A request's authentication, worked out once: onRequest does it (so the rate limit after it knows who
  // calls) and onParams reuses it, even a refusal (an unknown key waits for a re-read of the keys; twice
  // would double that wait).
  const judged = new WeakMap<Request, Authenticated>();
  const authenticateOnce = (request: Request): Authenticated | Promise<Authenticated> => {
    const known = judged.get(request);
    if (known) return known;
    const keep = (a: Authenticated) => {
      judged.set(request, a);
      return a;
    };
    const a = authenticate(opts.keys, request);
    return a instanceof Promise ? a.then(keep) : keep(a);
  };

  // Subscriptions end when their key is revoked: checked after every re-read of the keys.
  const live = new Set<LiveStream>();
  const { isActive, watch } = opts.keys;
  const unwatch =
    isActive && watch
      ? watch(() => {
          for (const stream of live) if (!isActive(stream.principal)) stream.stop();
        })
      : undefined;

  const challenge = (invalid: boolean) => `Bearer realm="${realm}"${invalid ? ', error="invalid_token"' : ''}`;

  const verdictFor = (schema: GraphQLSchema, document: DocumentNode, contextValue: unknown): DocumentVerdict => {
    const request = (contextValue as { request?: Request } | null)?.request;
    // No principal means the request skipped onParams: judged as a key with no scopes (fail closed).
    const principal = request ? getPrincipal(request) : undefined;
    const verdict = cache.get(document, principal, () => judgeDocument(schema, document, rules, principal));
    if (typeof contextValue === 'object' && contextValue !== null) verdicts.set(contextValue, verdict.forbidden);
    return verdict;
  };
  const refusal = (verdict: DocumentVerdict, document: DocumentNode, operationName?: string | null): ExecutionResult | null => {
    if (verdict.refused.size === 0) return null;
    const op = getOperationAST(document, operationName);
    const errors = op ? verdict.refused.get(op) : undefined;
    return errors ? { data: null, errors } : null;
  };

  const plugin: Plugin = {
    onDispose() {
      unwatch?.();
    },
    onSchemaChange({ schema, replaceSchema }) {
      if (guarded.has(schema)) return;
      rules = fieldRules(opts.repo, schema);
      const safe = guardSchema(schema, rules, verdicts);
      guarded.add(safe);
      replaceSchema(safe);
    },
    onRequest({ request, url, endResponse, fetchAPI }) {
      // A CORS preflight carries no credentials and writes nothing: CORS answers it, not authentication.
      if (request.method === 'OPTIONS') return;
      if (!url.pathname.startsWith(prefix)) {
        // Known from here on, so the policies of onRequest after this one (the rate limit) see who calls. A
        // GraphQL request without a valid key is answered in onParams, as a GraphQL error.
        const a = authenticateOnce(request);
        return a instanceof Promise ? a.then(() => undefined) : undefined;
      }
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        endResponse(new fetchAPI.Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } }));
      const decide = (a: Authenticated) => {
        if (!('principal' in a))
          return json(401, { error: a.message, code: 'UNAUTHENTICATED' }, { 'www-authenticate': challenge(a.invalid) });
        let view: string;
        try {
          view = decodeURIComponent(url.pathname.slice(prefix.length));
        } catch {
          return; // not a view name: the push route answers it, and writes nothing
        }
        if (pushable.has(view) && !hasScope(a.principal, `push:${view}`))
          json(403, {
            error: `this API key may not push to feature view ${view}: it needs the scope push:${view}`,
            code: 'FORBIDDEN',
            view,
            scope: `push:${view}`,
          });
      };
      const a = authenticateOnce(request);
      return a instanceof Promise ? a.then(decide) : decide(a);
    },
    onParams({ request }) {
      const fail = (a: Authenticated) => {
        if ('principal' in a) return;
        // Thrown rather than set as the result, so no later onParams hook (trusted documents) answers instead.
        throw new GraphQLError(a.message, {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': challenge(a.invalid) } } },
        });
      };
      const a = authenticateOnce(request);
      return a instanceof Promise ? a.then(fail) : fail(a);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const verdict = verdictFor(args.schema, args.document, args.contextValue);
      const refused = refusal(verdict, args.document, args.operationName);
      if (refused) setResultAndStopExecution(refused);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const verdict = verdictFor(args.schema, args.document, args.contextValue);
      const refused = refusal(verdict, args.document, args.operationName);
      if (refused) return setResultAndStopExecution(refused);
      const request = (args.contextValue as { request?: Request } | null)?.request;
      const principal = request ? getPrincipal(request) : undefined;
      if (!principal || !isActive) return;
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(revocable(result, principal, live));
        },
      };
    },
  };
  // The same lookup for a WebSocket's connectionParams (Authorization: Bearer, else x-api-key).
  connectionAuthenticators.set(plugin, async (headers) => {
    const a = await authenticate(opts.keys, new Request('http://localhost/graphql', { headers }));
    return 'principal' in a ? { principal: a.principal } : { message: a.message };
  });
  return plugin;
};
