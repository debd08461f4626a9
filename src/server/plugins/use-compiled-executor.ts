import {
  BREAK,
  GraphQLError,
  getOperationAST,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type Source,
} from 'graphql';
import { createRequire } from 'node:module';
import type { CompiledQuery } from 'graphql-jit';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import { byteLru } from '../byte-lru.js';

export interface CompiledExecutorOptions {
  /**
   * Estimated bytes of compiled documents kept (the document text and the generated code, counted twice
   * for UTF-16); least recently used dropped first. @default 32 MiB
   */
  readonly maxBytes?: number;
  /** Counts the operations this executor ran (tests use it to prove which executor answered). */
  readonly onCompiledExecution?: () => void;
}

type Compiled = CompiledQuery | null;

/**
 * graphql-jit's errors carry `locations` but no AST nodes, and Yoga rebuilds errors from nodes or
 * source positions when it sends them: give them the positions their locations stand for.
 */
const withPositions = (e: GraphQLError, source: Source | undefined): GraphQLError => {
  if (e.nodes || !e.locations?.length || !source) return e;
  const lineStarts = [0];
  for (let i = 0; i < source.body.length; i++) if (source.body.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const positions = e.locations.map((l) => (lineStarts[l.line - 1] ?? 0) + l.column - 1);
  return new GraphQLError(e.message, {
    source,
    positions,
    ...(e.path ? { path: e.path } : {}),
    ...(e.originalError ? { originalError: e.originalError } : {}),
    ...(e.extensions ? { extensions: e.extensions } : {}),
  });
};

// graphql-js puts `errors` before `data`; keep responses identical whichever executor ran.
const inGraphQLJsOrder = (r: ExecutionResult, source: Source | undefined): ExecutionResult =>
  r.errors
    ? { errors: r.errors.map((e) => withPositions(e, source)), data: r.data, ...(r.extensions ? { extensions: r.extensions } : {}) }
    : r;

/**
 * graphql-jit as the executor of the one pipeline, as `@envelop/graphql-jit` does it: `onExecute` swaps in a
 * compiled function, so parsing, validation, limits and every other policy have already run. A document
 * only reaches here after it passed validation and the limits, so a rejected document is never compiled or
 * cached. Mutations and subscriptions keep graphql-js's `execute` (see docs/production.md).
 */
const hasIncrementalDirective = (doc: DocumentNode): boolean => {
  let found = false;
  visit(doc, {
    Directive(node) {
      if (node.name.value === 'defer' || node.name.value === 'stream') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
};

export const useCompiledExecutor = (opts: CompiledExecutorOptions = {}): Plugin => {
  // Required when a server sets up its pipeline, not when the package loads: CLI commands that never serve
  // do not pay for it (docs/architecture.md, "The package").
  const { compileQuery, isCompiledQuery } = createRequire(import.meta.url)('graphql-jit') as typeof import('graphql-jit');
  const cache = byteLru<Compiled>({ maxBytes: opts.maxBytes ?? 32 * 1024 * 1024 });
  const compile = (args: ExecutionArgs): Compiled => {
    const op = getOperationAST(args.document, args.operationName);
    if (op?.operation !== 'query') return null;
    // graphql-jit has no incremental delivery: @defer/@stream documents run on graphql-js (docs/graphql.md).
    if (hasIncrementalDirective(args.document)) return null;
    // Stack traces of field errors are never sent (errors are masked), so skip capturing them.
    const compiled = compileQuery(args.schema, args.document, args.operationName ?? undefined, { disablingCapturingStackErrors: true });
    return isCompiledQuery(compiled) ? compiled : null;
  };
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const query = (args.contextValue as Partial<YogaInitialContext>).params?.query;
      if (typeof query !== 'string') return;
      const key = args.operationName ? `${args.operationName}\u0000${query}` : query;
      let compiled = cache.get(key);
      if (compiled === undefined) {
        compiled = compile(args);
        const code = compiled ? compiled.query.toString().length : 0;
        cache.set(key, compiled, (key.length + code) * 2);
      }
      if (!compiled) return;
      const run = compiled;
      setExecuteFn((a: ExecutionArgs) => {
        opts.onCompiledExecution?.();
        const out = run.query(a.rootValue, a.contextValue, a.variableValues ?? {}) as ExecutionResult | Promise<ExecutionResult>;
        // No data at all: the variables did not coerce and nothing ran. graphql-js words those errors with the
        // scalars' own messages (and Yoga answers 400), so let it answer.
        if (!(out instanceof Promise) && out.data === undefined) return executeFn(a);
        const source = a.document.loc?.source;
        return out instanceof Promise ? out.then((r) => inGraphQLJsOrder(r, source)) : inGraphQLJsOrder(out, source);
      });
    },
  };
};
