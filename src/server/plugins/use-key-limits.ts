import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  Kind,
  valueFromAST,
  type ExecutionArgs,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface KeyLimitsOptions {
  /** Entity keys one request may read (`driver(...)` is 1, `drivers(driverIds: [100 ids])` is 100). @default 1000 */
  readonly maxKeys?: number;
  /** Lookups one request may cost: each root field's keys times the object fields (views) selected under it. @default 10000 */
  readonly maxLookups?: number;
}

interface Count {
  keys: number;
  lookups: number;
}

const limitError = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

/** Object-typed fields selected directly under a selection set (fragments flattened): the views read per key. */
const objectFields = (
  type: GraphQLObjectType,
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): number => {
  let n = 0;
  for (const s of set?.selections ?? []) {
    if (s.kind === Kind.FIELD) {
      const f = type.getFields()[s.name.value];
      if (f && isObjectType(getNamedType(f.type))) n++;
    } else if (s.kind === Kind.INLINE_FRAGMENT) n += objectFields(type, s.selectionSet, fragments, seen);
    else if (!seen.has(s.name.value)) {
      seen.add(s.name.value);
      n += objectFields(type, fragments[s.name.value]?.selectionSet, fragments, seen);
    }
  }
  return n;
};

/**
 * A cost that counts list arguments: a root field's keys are the lengths of its list arguments (literal or
 * variable), or 1. Checked with the request's variables, before execution (and before a document is compiled),
 * so `drivers(driverIds: $ids)` with 100,000 ids is refused with a 400 before any store is read.
 */
export const useKeyLimits = (options: KeyLimitsOptions = {}): Plugin => {
  const maxKeys = options.maxKeys ?? 1000;
  const maxLookups = options.maxLookups ?? 10_000;
  // Queries and subscriptions: `driverStatsChanged(driverIds:)` watches as many keys as it lists (docs/subscriptions.md).
  const check = (a: unknown) => {
    const args = a as ExecutionArgs;
    const op = args.document.definitions.find(
      (d) => d.kind === Kind.OPERATION_DEFINITION && (args.operationName == null || d.name?.value === args.operationName),
    );
    if (op?.kind !== Kind.OPERATION_DEFINITION || op.operation === 'mutation') return;
    const root = op.operation === 'query' ? args.schema.getQueryType() : args.schema.getSubscriptionType();
    if (!root) return;
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of args.document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    const vars = (args.variableValues ?? {}) as Record<string, unknown>;
    const count: Count = { keys: 0, lookups: 0 };
    const visit = (set: SelectionSetNode | undefined, seen: Set<string>) => {
      for (const s of set?.selections ?? []) {
        if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet, seen);
        else if (s.kind === Kind.FRAGMENT_SPREAD) {
          if (!seen.has(s.name.value)) visit(fragments[s.name.value]?.selectionSet, new Set(seen).add(s.name.value));
        } else {
          const field = root.getFields()[s.name.value];
          if (!field) continue;
          let keys = 1;
          for (const a of s.arguments ?? []) {
            const def = field.args.find((x) => x.name === a.name.value);
            if (!def || !isListType(getNullableType(def.type))) continue;
            const value = a.value.kind === Kind.VARIABLE ? vars[a.value.name.value] : valueFromAST(a.value, def.type, vars);
            if (Array.isArray(value)) keys *= Math.max(1, value.length);
          }
          const type = getNamedType(field.type);
          const views = isObjectType(type) ? Math.max(1, objectFields(type, s.selectionSet, fragments)) : 1;
          count.keys += keys;
          count.lookups += keys * views;
        }
      }
    };
    visit(op.selectionSet, new Set());
    if (count.keys > maxKeys) throw limitError(`this request reads ${count.keys} entity keys; at most ${maxKeys} are allowed per request`);
    if (count.lookups > maxLookups)
      throw limitError(`this request costs ${count.lookups} lookups (keys × views); at most ${maxLookups} are allowed per request`);
  };
  return {
    onExecute({ args }) {
      check(args);
    },
    onSubscribe({ args }) {
      check(args);
    },
  };
};
