import type { DocumentNode, GraphQLError, GraphQLSchema, ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Validation results kept per document: one per schema and rule set (introspection policy, limits). */
const PER_DOCUMENT = 8;

interface Entry {
  readonly schema: GraphQLSchema;
  readonly names: readonly string[];
  readonly result: readonly (GraphQLError | Error)[];
}

const sameRules = (names: readonly string[], rules: readonly ValidationRule[]): boolean => {
  if (names.length !== rules.length) return false;
  for (let i = 0; i < rules.length; i++) if (rules[i]!.name !== names[i]) return false;
  return true;
};

/**
 * Validation results cached per parsed document (documents come from the byte-bounded document cache, so a
 * repeated query is the same object), schema and rule set, as Yoga's own validation cache keys them (rules by
 * name: graphql-armor adds new anonymous rule functions on every request). Yoga's cache joins every rule name
 * into a string and looks it up in an LRU on each request; this compares the names with the cached ones. Put
 * it after every plugin that adds validation rules (createApp puts it last), so it sees the final rule set.
 * See docs/production.md, "Limits".
 */
export const useValidationCache = (): Plugin => {
  const byDocument = new WeakMap<DocumentNode, Entry[]>();
  return {
    onValidate({ params: { schema, documentAST, rules }, setResult }) {
      const list = byDocument.get(documentAST);
      const current: readonly ValidationRule[] = rules ?? [];
      const hit = list?.find((e) => e.schema === schema && sameRules(e.names, current));
      if (hit) {
        setResult(hit.result);
        return;
      }
      const names = current.map((r) => r.name);
      return ({ result }) => {
        if (!result) return;
        let entries = byDocument.get(documentAST);
        if (!entries) byDocument.set(documentAST, (entries = []));
        if (entries.length >= PER_DOCUMENT) entries.shift();
        entries.push({ schema, names, result });
      };
    },
  };
};
