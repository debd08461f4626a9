import { getOperationAST, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** A query compiled by graphql-jit, or `null`: this operation is left to Yoga (errors, mutations, …). */
export type CompiledOperation = CompiledQuery | null;

export interface CompiledOperationsOptions {
  /** Distinct (query, operationName) pairs kept; least recently used dropped first. Default 1000. */
  readonly max?: number;
}

/**
 * Parse, validate and compile each distinct operation once. Anything that does not parse, validate or
 * compile, and every operation that is not a query, is cached as `null` so Yoga serves it with its own
 * error messages and status codes: the compiled path only ever runs valid queries.
 */
export const compiledOperations = (schema: GraphQLSchema, opts: CompiledOperationsOptions = {}) => {
  const max = opts.max ?? 1000;
  const cache = new Map<string, CompiledOperation>();
  const compile = (query: string, operationName: string | undefined): CompiledOperation => {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch {
      return null;
    }
    if (validate(schema, document, specifiedRules).length > 0) return null;
    if (getOperationAST(document, operationName)?.operation !== 'query') return null;
    // Stack traces of field errors are never sent (Yoga masks them), so skip capturing them.
    const compiled = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true });
    return isCompiledQuery(compiled) ? compiled : null;
  };
  return (query: string, operationName: string | undefined): CompiledOperation => {
    const key = operationName ? `${operationName}\u0000${query}` : query;
    let hit = cache.get(key);
    if (hit !== undefined) {
      // Map keeps insertion order: re-inserting marks it most recently used.
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    hit = compile(query, operationName);
    cache.set(key, hit);
    if (cache.size > max) cache.delete(cache.keys().next().value as string);
    return hit;
  };
};
