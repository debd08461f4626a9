/**
 * Every GraphQL document the catalog sends, in one place. The catalog asks the schema which fields exist
 * (introspection) and selects every scalar field of the registry types it knows, so fields added later
 * (feature descriptions, units, freshness objectives, drift) appear without a change here (docs/catalog.md).
 */
import type { Obj } from './model.js';

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

/** The windows the catalog compares when the drift field takes them: the day before against the day before that. */
export const DRIFT_WINDOWS = { reference: 'now-2d..now-1d', current: 'now-1d..now' } as const;

/** How the catalog asks for one feature's drift (docs/catalog.md, "Drift"). */
export interface DriftQuery {
  readonly query: string;
  /**
   * Asked per feature service with time windows — featuregraph's own `featureDrift(service:, reference:, current:)`
   * over the served-feature log — rather than per view and feature.
   */
  readonly perService: boolean;
  vars(view: string, feature: string, service?: string): Record<string, string>;
  /** The feature's drift result in the response's data, or null. */
  pick(data: Obj, view: string, feature: string): Obj | null;
}

/**
 * The drift query of one feature, following the schema, with every field of its result:
 * - `featureDrift(view:, feature:)` (arguments matched by name: `view`/`featureView`, `feature`/`name`);
 * - or featuregraph's own `featureDrift(service:, reference:, current:)`, whose report lists every feature of the
 *   service: asked for the windows DRIFT_WINDOWS, the feature's entry picked from `features` by view and name.
 * Null (the catalog hides drift) when the field is missing or wants other arguments.
 */
export const driftQuery = (schema: SchemaIndex): DriftQuery | null => {
  const f = schema.query.get(DRIFT_FIELD);
  if (!f) return null;
  const arg = (...names: string[]) => f.args.find((a) => names.includes(a.name));
  const decl = (args: readonly { name: string; typeName: string; required: boolean }[]) =>
    args.map((a) => `$${a.name}: ${a.typeName}${a.required ? '!' : ''}`).join(', ');
  const call = (args: readonly { name: string }[]) => args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const sel = f.kind === 'OBJECT' ? selectAll(schema, f.typeName) : '';
  const [service, reference, current] = [arg('service'), arg('reference'), arg('current')];
  if (service && reference && current) {
    const used = [service, reference, current];
    if (f.args.some((a) => a.required && !used.includes(a))) return null;
    return {
      query: `query CatalogDrift(${decl(used)}) {\n  ${DRIFT_FIELD}(${call(used)}) ${sel}\n}`,
      perService: true,
      vars: (_view, _feature, svc) => ({
        [service.name]: svc ?? '',
        [reference.name]: DRIFT_WINDOWS.reference,
        [current.name]: DRIFT_WINDOWS.current,
      }),
      pick: (data, view, feature) => {
        const report = data[DRIFT_FIELD] as Obj | null | undefined;
        const features = Array.isArray(report?.features) ? (report.features as Obj[]) : [];
        const one = features.find((x) => x.feature === feature && (x.view === undefined || x.view === view));
        return one ? { ...one, reference: DRIFT_WINDOWS.reference, current: DRIFT_WINDOWS.current } : null;
      },
    };
  }
  const viewArg = arg('view', 'featureView');
  const featureArg = arg('feature', 'name');
  if (f.args.some((a) => a.required && a !== viewArg && a !== featureArg)) return null;
  const used = [viewArg, featureArg].filter((a) => a !== undefined);
  return {
    query: `query CatalogDrift${used.length ? `(${decl(used)})` : ''} {\n  ${DRIFT_FIELD}${used.length ? `(${call(used)})` : ''} ${sel}\n}`,
    perService: false,
    vars: (view, feature) => ({ ...(viewArg ? { [viewArg.name]: view } : {}), ...(featureArg ? { [featureArg.name]: feature } : {}) }),
    pick: (data) => (data[DRIFT_FIELD] ?? null) as Obj | null,
  };
};
