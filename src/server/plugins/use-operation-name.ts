import { GraphQLError, getOperationAST, Kind, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Operation names listed in a message, at most. */
const LISTED = 20;

/** Why no operation of `document` can be executed for `operationName`. */
const unresolved = (document: DocumentNode, operationName: string | undefined): string => {
  const names: string[] = [];
  let anonymous = 0;
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    if (d.name) names.push(JSON.stringify(d.name.value));
    else anonymous++;
  }
  const count = names.length + anonymous;
  const listed = [
    ...names.slice(0, LISTED),
    ...(names.length > LISTED ? [`${names.length - LISTED} more`] : []),
    ...(anonymous ? [anonymous === 1 ? 'an anonymous one' : `${anonymous} anonymous ones`] : []),
  ].join(', ');
  if (count === 0) return 'the document has no operation to execute (only fragments)';
  if (operationName !== undefined) return `unknown operation ${JSON.stringify(operationName)}: the document's operations are ${listed}`;
  return `the document has ${count} operations (${listed}): send operationName naming the one to execute`;
};

/**
 * A request whose document has no operation for its `operationName` (a name it does not define, or several
 * operations and no name) is refused with 400 `OPERATION_RESOLUTION_FAILURE` naming the operation asked for and
 * listing the document's operations. Yoga's own check (usePreventMutationViaGET, run after every plugin here)
 * says only "Could not determine what operation to execute." The error is thrown after parsing, as Yoga's is,
 * not put in place of the parse result: it is about this request's name, and Yoga would cache a parse result
 * that is an error for the document itself.
 */
export const useOperationName = (): Plugin => ({
  onParse() {
    return ({ result, context }) => {
      const ctx = context as { request?: unknown; params?: { operationName?: string | null } };
      // Only for requests (Yoga's check is skipped without one), and only for a parsed document.
      if (!ctx.request || !result || result instanceof Error) return;
      const operationName = ctx.params?.operationName ?? undefined;
      if (getOperationAST(result as DocumentNode, operationName) !== null) return;
      throw new GraphQLError(unresolved(result as DocumentNode, operationName), {
        extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } },
      });
    };
  },
});
