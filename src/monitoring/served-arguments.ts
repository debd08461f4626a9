import {
  getArgumentValues,
  isEnumType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  type FieldNode,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';

/**
 * The arguments of a logged service field, read the cheapest way that gives what execution used
 * (docs/monitoring.md#the-log-table): from the raw variables, from the coerced variables, or through
 * graphql-js for literals. What a field needs to choose is worked out once per document (`argumentPlanOf`).
 */
export interface ArgumentPlan {
  readonly field: FieldNode;
  readonly def: GraphQLField<unknown, unknown>;
  /** Whether the field is a service's plural root field (its key argument is a list). */
  readonly plural: boolean;
  /** Whether the field takes request arguments besides its keys. */
  readonly hasRequestArguments: boolean;
  /** Argument name → variable name, when every argument the field is given is a variable (what clients send). */
  readonly variables: readonly (readonly [string, string])[] | null;
}

const variablesOf = (field: FieldNode): [string, string][] | null => {
  const out: [string, string][] = [];
  for (const a of field.arguments ?? []) {
    if (a.value.kind !== Kind.VARIABLE) return null;
    out.push([a.name.value, a.value.name.value]);
  }
  return out;
};

export const argumentPlanOf = (
  field: FieldNode,
  def: GraphQLField<unknown, unknown>,
  plural: boolean,
  hasRequestArguments: boolean,
): ArgumentPlan => ({ field, def, plural, hasRequestArguments, variables: variablesOf(field) });

/** The arguments as the variables give them, when every argument is a variable whose value `usable` accepts; else null. */
const fromVariables = (
  plan: ArgumentPlan,
  variables: Readonly<Record<string, unknown>>,
  usable: (value: unknown, variable: string) => boolean,
): Record<string, unknown> | null => {
  if (!plan.variables) return null;
  const args: Record<string, unknown> = {};
  for (const [name, v] of plan.variables) {
    const value = variables[v];
    if (!usable(value, v)) return null;
    args[name] = value;
  }
  return args;
};

const isString = (x: unknown) => typeof x === 'string';

/**
 * The field's arguments straight from the request's raw variables, when coercion could not change them: the
 * field takes only its keys, every one a variable given as a string (a plural field's as a list of strings).
 * graphql-js's coercion, which checks every value against its type, is then skipped; null otherwise.
 */
export const rawArguments = (plan: ArgumentPlan, raw: Readonly<Record<string, unknown>>): Record<string, unknown> | null =>
  plan.hasRequestArguments
    ? null
    : fromVariables(plan, raw, plan.plural ? (value) => Array.isArray(value) && value.every(isString) : isString);

/**
 * The field's arguments from the request's coerced variables: straight from them when every argument is a
 * variable that has a value, else through graphql-js (literals, argument defaults).
 */
export const coercedArguments = (plan: ArgumentPlan, variables: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  fromVariables(plan, variables, (_, v) => Object.hasOwn(variables, v)) ??
  getArgumentValues(plan.def, plan.field, variables as Record<string, unknown>);

/**
 * A coerced input value back in its serialized form (Int64 as decimal text, Bytes as base64, Timestamp as
 * ISO 8601): what the client sent, and what the log's columns hold (docs/monitoring.md#the-log-table).
 */
export const serializerOf = (type: GraphQLInputType | undefined): ((v: unknown) => unknown) => {
  if (!type) return () => null;
  if (isNonNullType(type)) return serializerOf(type.ofType);
  if (isListType(type)) {
    const item = serializerOf(type.ofType);
    return (v) => (v === null || v === undefined ? null : Array.isArray(v) ? v.map(item) : [item(v)]);
  }
  if (isScalarType(type) || isEnumType(type))
    return (v) => {
      if (v === null || v === undefined) return null;
      try {
        return type.serialize(v);
      } catch {
        return null;
      }
    };
  return (v) => v ?? null;
};
