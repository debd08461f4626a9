/**
 * The registry as the catalog reads it. Objects keep every field the server sent (the query selects all
 * that exist); the typed accessors below read the ones the catalog lays out by name.
 */
export type Obj = Readonly<Record<string, unknown>>;

export const str = (o: Obj | null | undefined, k: string): string | null => {
  const v = o?.[k];
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
};
export const num = (o: Obj | null | undefined, k: string): number | null => {
  const v = o?.[k];
  return typeof v === 'number' ? v : null;
};
export const objs = (o: Obj | null | undefined, k: string): Obj[] => {
  const v = o?.[k];
  return Array.isArray(v) ? v.filter((x): x is Obj => typeof x === 'object' && x !== null) : [];
};
export const obj = (o: Obj | null | undefined, k: string): Obj | null => {
  const v = o?.[k];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null;
};
export const strs = (o: Obj | null | undefined, k: string): string[] => {
  const v = o?.[k];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

export interface Registry {
  readonly entities: Obj[];
  readonly featureViews: Obj[];
  readonly onDemandViews: Obj[];
  readonly featureServices: Obj[];
  readonly registryHistory: Obj[];
}

export type Kind = 'entity' | 'view' | 'onDemand' | 'service';

/** A feature the user ticked: enough to write its GraphQL selection and its training-set reference. */
export interface SelectedFeature {
  readonly view: string;
  readonly feature: string;
  /** Its GraphQL field name. */
  readonly field: string;
  readonly entities: readonly string[];
  /** Request arguments of its on-demand view (empty for stored features). */
  readonly request: readonly { readonly name: string; readonly field: string; readonly valueType: string }[];
}

export const registryOf = (data: Obj): Registry => ({
  entities: objs(data, 'entities'),
  featureViews: objs(data, 'featureViews'),
  onDemandViews: objs(data, 'onDemandViews'),
  featureServices: objs(data, 'featureServices'),
  registryHistory: objs(data, 'registryHistory'),
});

/** The feature services that serve a view's features, or only its feature `feature` when given. */
export const servicesServing = (reg: Registry, view: string, feature?: string): Obj[] =>
  reg.featureServices.filter((s) =>
    objs(s, 'features').some((f) => str(f, 'view') === view && (feature === undefined || str(f, 'feature') === feature)),
  );

/** The entities of an on-demand view: those of the views it reads. */
export const onDemandEntities = (reg: Registry, od: Obj): string[] => {
  const first = strs(od, 'inputs')[0];
  const v = reg.featureViews.find((x) => str(x, 'name') === first);
  return strs(od, 'entities').length ? strs(od, 'entities') : strs(v, 'entities');
};

export const selectedOf = (reg: Registry, view: string, feature: string): SelectedFeature | null => {
  const v = reg.featureViews.find((x) => str(x, 'name') === view);
  const od = v ? null : reg.onDemandViews.find((x) => str(x, 'name') === view);
  const owner = v ?? od;
  const f = objs(owner, 'features').find((x) => str(x, 'name') === feature);
  if (!owner || !f) return null;
  return {
    view,
    feature,
    field: str(f, 'field') ?? feature,
    entities: v ? strs(v, 'entities') : onDemandEntities(reg, owner),
    request: objs(od, 'requestArguments').map((r) => ({
      name: str(r, 'name') ?? '',
      field: str(r, 'field') ?? '',
      valueType: str(r, 'valueType') ?? 'String',
    })),
  };
};
