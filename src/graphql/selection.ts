import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Names of the fields selected under the current field, through fragments. @skip/@include are ignored:
 * reading a feature that ends up skipped costs little, missing one would be wrong.
 */
export const selectedFieldNames = (info: GraphQLResolveInfo): ReadonlySet<string> => {
  // A field met once in the document (the usual case) selects the same names on every call: the document is
  // cached per query text, so its nodes are too, and a batch of 100 entities walks the selection once.
  const only = info.fieldNodes.length === 1 ? info.fieldNodes[0] : undefined;
  const cached = only && memo.get(only);
  if (cached) return cached;
  const names = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) names.add(sel.name.value);
      else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet);
      else walk(info.fragments[sel.name.value]?.selectionSet);
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet);
  if (only) memo.set(only, names);
  return names;
};

const memo = new WeakMap<FieldNode, ReadonlySet<string>>();
