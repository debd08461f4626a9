import {
  GraphQLError,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Principal } from '../server/principal.js';
import { forbiddenError, type FieldRules } from './field-rules.js';
import { hasScope } from './scopes.js';

/** What one principal may run of one document. */
export interface DocumentVerdict {
  /** Coordinates (`Driver.driverStats`) in the document the principal may not resolve: null + FORBIDDEN. */
  readonly forbidden: ReadonlySet<string>;
  /**
   * Mutation and subscription operations with a forbidden root field, and their errors: refused whole,
   * since a mutation's fields run one after another and an allowed push before a forbidden one would
   * otherwise write while the response reports `data: null`.
   */
  readonly refused: ReadonlyMap<OperationDefinitionNode, readonly GraphQLError[]>;
}

const rootFields = (set: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen = new Set<string>()) => {
  const out: { name: string; alias: string }[] = [];
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) out.push({ name: s.name.value, alias: s.alias?.value ?? s.name.value });
    else if (s.kind === Kind.INLINE_FRAGMENT) out.push(...rootFields(s.selectionSet, fragments, seen));
    else if (!seen.has(s.name.value)) {
      seen.add(s.name.value);
      const f = fragments.get(s.name.value);
      if (f) out.push(...rootFields(f.selectionSet, fragments, seen));
    }
  }
  return out;
};

/** Walk a (validated) document once and judge every guarded field in it against the principal's scopes. */
export const judgeDocument = (
  schema: GraphQLSchema,
  document: DocumentNode,
  rules: FieldRules,
  principal: Principal | undefined,
): DocumentVerdict => {
  const forbidden = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent) return;
        const coord = `${parent.name}.${node.name.value}`;
        const rule = rules.get(coord);
        if (rule && !rule.anyOf.some((s) => hasScope(principal, s))) forbidden.add(coord);
      },
    }),
  );
  const refused = new Map<OperationDefinitionNode, GraphQLError[]>();
  if (forbidden.size) {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    for (const d of document.definitions) {
      if (d.kind !== Kind.OPERATION_DEFINITION || d.operation === 'query') continue;
      const root = d.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
      const errors = rootFields(d.selectionSet, fragments).flatMap(({ name, alias }) => {
        const rule = rules.get(`${root?.name}.${name}`);
        if (!rule || !forbidden.has(`${root?.name}.${name}`)) return [];
        const e = forbiddenError(rule);
        return [new GraphQLError(e.message, { path: [alias], extensions: e.extensions })];
      });
      if (errors.length) refused.set(d, errors);
    }
  }
  return { forbidden, refused };
};

/** A bounded cache of verdicts per (document, scopes). */
export interface ScopeCache {
  /** The cached verdict of `document` for `principal`, computing it with `judge` on a miss. */
  get(document: DocumentNode, principal: Principal | undefined, judge: () => DocumentVerdict): DocumentVerdict;
  /** How many verdicts were computed (misses) — for tests and metrics. */
  readonly computations: number;
  readonly size: number;
}

/**
 * Verdicts keyed by document identity (Yoga's parse cache hands out the same DocumentNode for the same
 * text) and by the principal's scope set (two keys with the same scopes share entries; a key whose scopes
 * change gets new ones). Least recently used entries go first beyond `max`.
 */
export const createScopeCache = (max = 1000): ScopeCache => {
  const docIds = new WeakMap<DocumentNode, number>();
  const scopeKeys = new WeakMap<Principal, string>();
  const entries = new Map<string, DocumentVerdict>();
  let nextDoc = 0;
  let computations = 0;
  return {
    get(document, principal, judge) {
      let doc = docIds.get(document);
      if (doc === undefined) docIds.set(document, (doc = nextDoc++));
      let scopes = principal ? scopeKeys.get(principal) : '';
      if (scopes === undefined && principal) scopeKeys.set(principal, (scopes = JSON.stringify([...principal.scopes].sort())));
      const key = `${doc}\u0000${scopes}`;
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      computations++;
      const verdict = judge();
      entries.set(key, verdict);
      if (entries.size > max) entries.delete(entries.keys().next().value as string);
      return verdict;
    },
    get computations() {
      return computations;
    },
    get size() {
      return entries.size;
    },
  };
};
