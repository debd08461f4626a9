import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isInputType,
  isListType,
  isObjectType,
  Kind,
  typeFromAST,
  valueFromAST,
  type DocumentNode,
  type ExecutionArgs,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface KeyLimitsOptions {
  /** Entity keys one request may read (`driver(...)` is 1, `drivers(driverIds: [100 ids])` is 100). @default 1000 */
  readonly maxKeys?: number;
  /**
   * Lookups one request may cost: for every view (object field) selected at any depth, the keys that reach it —
   * a root field's keys, through relations one key per parent. @default 10000
   */
  readonly maxLookups?: number;
}

/** A root field whose keys depend on the request's variables. */
interface VariableRoot {
  /** The product of its literal list arguments' lengths (1 without any). */
  readonly fixed: number;
  /** The variables given to its list arguments, with the keys each counts when the request leaves it out. */
  readonly variables: readonly { readonly name: string; readonly absent: number }[];
  /** Lookups per key: the views reached below it, at least 1. */
  readonly perKey: number;
}

/** What a document's operation costs, worked out once per document, schema and operation name. */
interface OperationPlan {
  /** Keys and lookups of the root fields without variables in their list arguments. */
  readonly keys: number;
  readonly lookups: number;
  readonly variableRoots: readonly VariableRoot[];
}

const limitError = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

/** Keys a list argument's value stands for: its length (at least 1), or 1 for a single value (made a list of one). */
const lengthOf = (value: unknown): number => (Array.isArray(value) ? Math.max(1, value.length) : 1);

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

/**
 * The fields of some selection sets by response key, fragments and inline fragments flattened, as execution
 * collects them: fields of one response key are merged (one resolution), a fragment is expanded once.
 */
const collect = (
  sets: readonly SelectionSetNode[],
  fragments: Fragments,
  into = new Map<string, FieldNode[]>(),
  visited = new Set<string>(),
): Map<string, FieldNode[]> => {
  for (const set of sets)
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const key = s.alias?.value ?? s.name.value;
        const nodes = into.get(key);
        if (nodes) nodes.push(s);
        else into.set(key, [s]);
      } else if (s.kind === Kind.INLINE_FRAGMENT) collect([s.selectionSet], fragments, into, visited);
      else if (!visited.has(s.name.value)) {
        visited.add(s.name.value);
        const f = fragments.get(s.name.value);
        if (f) collect([f.selectionSet], fragments, into, visited);
      }
    }
  return into;
};

const subSelections = (nodes: readonly FieldNode[]): SelectionSetNode[] => {
  const sets: SelectionSetNode[] = [];
  for (const n of nodes) if (n.selectionSet) sets.push(n.selectionSet);
  return sets;
};

/**
 * Lookups per key of `type` made by a selection: every object-typed field (a view, an aggregation, an
 * on-demand view, a service's view) is one lookup per key that reaches it, and what is selected below it
 * counts too. A relation (`TripFacts.driver`, relation-field.ts) is no lookup itself — it resolves to one
 * entity per parent, from a key its view already read — so the views below it cost one lookup per parent.
 */
const lookupsPerKey = (type: GraphQLObjectType, sets: readonly SelectionSetNode[], fragments: Fragments): number => {
  let n = 0;
  for (const nodes of collect(sets, fragments).values()) {
    const field = type.getFields()[nodes[0]!.name.value];
    if (!field) continue;
    const target = getNamedType(field.type);
    if (!isObjectType(target)) continue;
    const below = lookupsPerKey(target, subSelections(nodes), fragments);
    n += field.extensions.featuregraph?.kind === 'relation' ? below : 1 + below;
  }
  return n;
};

/** The plan of an operation; null when the cap does not apply (mutations: pushes, docs/writes.md). */
const planOf = (schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): OperationPlan | null => {
  const op = document.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION && (operationName == null || d.name?.value === operationName),
  );
  if (op?.kind !== Kind.OPERATION_DEFINITION || op.operation === 'mutation') return null;
  const root = op.operation === 'query' ? schema.getQueryType() : schema.getSubscriptionType();
  if (!root) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  // What a variable counts when the request leaves it out: its default value (as execution coerces it), else 1.
  const absent = new Map<string, number>();
  for (const v of op.variableDefinitions ?? []) {
    const d = v.defaultValue;
    if (!d) continue;
    const type = typeFromAST(schema, v.type);
    const value = type && isInputType(type) ? valueFromAST(d, type) : undefined;
    absent.set(v.variable.name.value, value !== undefined ? lengthOf(value) : d.kind === Kind.LIST ? Math.max(1, d.values.length) : 1);
  }
  let keys = 0;
  let lookups = 0;
  const variableRoots: VariableRoot[] = [];
  for (const nodes of collect([op.selectionSet], fragments).values()) {
    const node = nodes[0]!;
    const field = root.getFields()[node.name.value];
    if (!field) continue;
    // Fields merged under one response key have the same arguments (validation): the first one's count.
    let fixed = 1;
    const variables: { name: string; absent: number }[] = [];
    for (const a of node.arguments ?? []) {
      const def = field.args.find((x) => x.name === a.name.value);
      if (!def || !isListType(getNullableType(def.type))) continue;
      if (a.value.kind === Kind.VARIABLE) variables.push({ name: a.value.name.value, absent: absent.get(a.value.name.value) ?? 1 });
      else if (a.value.kind === Kind.LIST) fixed *= Math.max(1, a.value.values.length);
    }
    const type = getNamedType(field.type);
    const perKey = isObjectType(type) ? Math.max(1, lookupsPerKey(type, subSelections(nodes), fragments)) : 1;
    if (variables.length > 0) variableRoots.push({ fixed, variables, perKey });
    else {
      keys += fixed;
      lookups += fixed * perKey;
    }
  }
  return { keys, lookups, variableRoots };
};

/**
 * A cost that counts list arguments: a root field's keys are the lengths of its list arguments (literal, or
 * a variable: the request's value, else the variable's default), or 1; its lookups are its keys times the
 * views selected below it at any depth (through relations). Checked with the request's variables, before
 * execution (and before a document is compiled), so `drivers(driverIds: $ids)` with 100,000 ids is refused
 * with a 400 before any store is read. Everything but the variables' lengths is worked out once per document.
 */
export const useKeyLimits = (options: KeyLimitsOptions = {}): Plugin => {
  const maxKeys = options.maxKeys ?? 1000;
  const maxLookups = options.maxLookups ?? 10_000;
  const cache = new WeakMap<DocumentNode, { schema: GraphQLSchema; byOperation: Map<string, OperationPlan | null> }>();
  // Queries and subscriptions: `driverStatsChanged(driverIds:)` watches as many keys as it lists (docs/subscriptions.md).
  const check = (a: unknown) => {
    const args = a as ExecutionArgs;
    let c = cache.get(args.document);
    if (!c || c.schema !== args.schema) cache.set(args.document, (c = { schema: args.schema, byOperation: new Map() }));
    const name = args.operationName ?? '';
    let plan = c.byOperation.get(name);
    if (plan === undefined) c.byOperation.set(name, (plan = planOf(args.schema, args.document, args.operationName)));
    if (!plan) return;
    let { keys, lookups } = plan;
    if (plan.variableRoots.length > 0) {
      // The request's own variables are raw JSON: a variable it leaves out takes its default, as execution does
      // (own properties only: `$constructor` left out is not Object's).
      const vars = (args.variableValues ?? {}) as Record<string, unknown>;
      for (const r of plan.variableRoots) {
        let k = r.fixed;
        for (const v of r.variables) {
          const value = Object.hasOwn(vars, v.name) ? vars[v.name] : undefined;
          k *= value === undefined ? v.absent : lengthOf(value);
        }
        keys += k;
        lookups += k * r.perKey;
      }
    }
    if (keys > maxKeys) throw limitError(`this request reads ${keys} entity keys; at most ${maxKeys} are allowed per request`);
    if (lookups > maxLookups)
      throw limitError(`this request costs ${lookups} lookups (keys × views); at most ${maxLookups} are allowed per request`);
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
