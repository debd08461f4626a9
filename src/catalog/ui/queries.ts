/**
 * Every GraphQL document the catalog sends, in one place. The catalog asks the schema which fields exist
 * (introspection) and selects every scalar field of the registry types it knows, so fields added later
 * (feature descriptions, units, freshness objectives, drift) appear without a change here (docs/catalog.md).
 */

export const INTROSPECTION = `query CatalogSchema {
  __schema {
    queryType { name }
    types {
      name
      kind
      fields {
        name
        args { name type { kind name ofType { kind name } } }
        type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
      }
    }
  }
}`;

interface TypeRef {
  kind: string;
  name: string | null;
  ofType?: TypeRef | null;
}

interface IntrospectedField {
  name: string;
  args: { name: string; type: TypeRef }[];
  type: TypeRef;
}

export interface IntrospectionData {
  __schema: { queryType: { name: string }; types: { name: string; kind: string; fields: IntrospectedField[] | null }[] };
}

/** A field as the catalog needs it: its named type, kind, whether it is a list, and its arguments. */
export interface FieldShape {
  readonly name: string;
  readonly typeName: string;
  readonly kind: string;
  readonly list: boolean;
  readonly args: readonly { name: string; typeName: string; required: boolean }[];
}

export interface SchemaIndex {
  readonly types: ReadonlyMap<string, ReadonlyMap<string, FieldShape>>;
  readonly query: ReadonlyMap<string, FieldShape>;
}

const unwrap = (t: TypeRef): { name: string; kind: string; list: boolean } => {
  let list = false;
  let cur: TypeRef | null | undefined = t;
  while (cur && (cur.kind === 'NON_NULL' || cur.kind === 'LIST')) {
    if (cur.kind === 'LIST') list = true;
    cur = cur.ofType;
  }
  return { name: cur?.name ?? '', kind: cur?.kind ?? 'SCALAR', list };
};

export const indexSchema = (data: IntrospectionData): SchemaIndex => {
  const types = new Map<string, Map<string, FieldShape>>();
  for (const t of data.__schema.types) {
    if (!t.fields) continue;
    const fields = new Map<string, FieldShape>();
    for (const f of t.fields) {
      const u = unwrap(f.type);
      const args = f.args.map((a) => ({ name: a.name, typeName: unwrap(a.type).name, required: a.type.kind === 'NON_NULL' }));
      fields.set(f.name, { name: f.name, typeName: u.name, kind: u.kind, list: u.list, args });
    }
    types.set(t.name, fields);
  }
  return { types, query: types.get(data.__schema.queryType.name) ?? new Map() };
};

/**
 * A selection set of every field of `typeName` that needs no argument: scalars and enums directly, objects
 * recursively down to `depth` levels.
 */
export const selectAll = (schema: SchemaIndex, typeName: string, depth = 3): string => {
  const fields = schema.types.get(typeName);
  if (!fields) return '';
  const parts: string[] = [];
  for (const f of fields.values()) {
    if (f.name.startsWith('__') || f.args.some((a) => a.required)) continue;
    if (f.kind === 'SCALAR' || f.kind === 'ENUM') parts.push(f.name);
    else if (f.kind === 'OBJECT' && depth > 1) {
      const sub = selectAll(schema, f.typeName, depth - 1);
      if (sub) parts.push(`${f.name} ${sub}`);
    }
  }
  return parts.length ? `{ ${parts.join(' ')} }` : '';
};

/** The registry root fields the catalog lists; those the schema lacks are left out of the query. */
export const REGISTRY_ROOTS = ['entities', 'featureViews', 'onDemandViews', 'featureServices', 'registryHistory'] as const;
export type RegistryRoot = (typeof REGISTRY_ROOTS)[number];

/** One query for the whole registry (it is small: a few hundred objects at most). */
export const registryQuery = (schema: SchemaIndex): string => {
  const parts = REGISTRY_ROOTS.flatMap((root) => {
    const f = schema.query.get(root);
    if (!f || f.args.some((a) => a.required)) return [];
    const sel = f.kind === 'OBJECT' ? selectAll(schema, f.typeName) : '';
    return [`  ${root} ${sel}`];
  });
  return `query CatalogRegistry {\n${parts.join('\n')}\n}`;
};

/** The drift root field, when the schema has one; the catalog hides its drift panel otherwise. */
export const DRIFT_FIELD = 'featureDrift';

/**
 * The drift query of one feature: `featureDrift(view:, feature:)` with every field of its result. Arguments are
 * matched by name (`view`/`featureView`, `feature`/`name`), so the query follows the schema.
 */
export const driftQuery = (
  schema: SchemaIndex,
): { query: string; vars: (view: string, feature: string) => Record<string, string> } | null => {
  const f = schema.query.get(DRIFT_FIELD);
  if (!f) return null;
  const viewArg = f.args.find((a) => a.name === 'view' || a.name === 'featureView');
  const featureArg = f.args.find((a) => a.name === 'feature' || a.name === 'name');
  if (f.args.some((a) => a.required && a !== viewArg && a !== featureArg)) return null;
  const decl = [viewArg, featureArg].filter((a) => a !== undefined).map((a) => `$${a.name}: ${a.typeName}${a.required ? '!' : ''}`);
  const args = [viewArg, featureArg].filter((a) => a !== undefined).map((a) => `${a.name}: $${a.name}`);
  const sel = f.kind === 'OBJECT' ? selectAll(schema, f.typeName) : '';
  return {
    query: `query CatalogDrift${decl.length ? `(${decl.join(', ')})` : ''} {\n  ${DRIFT_FIELD}${args.length ? `(${args.join(', ')})` : ''} ${sel}\n}`,
    vars: (view, feature) => ({ ...(viewArg ? { [viewArg.name]: view } : {}), ...(featureArg ? { [featureArg.name]: feature } : {}) }),
  };
};
