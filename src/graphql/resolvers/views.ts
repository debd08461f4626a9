import type { GraphQLResolveInfo } from 'graphql';
import type { OnDemandSpec, ResolvedRepository, ViewSpec } from '../../definitions/resolve.js';
import { camelCase } from '../../definitions/naming.js';
import type { FeatureValue } from '../../definitions/values.js';
import { shortestFloat32 } from '../../definitions/float32.js';
import type { ValueType } from '../../definitions/value-types.js';
import { OnDemandTransformError, runTransform } from '../../definitions/transform.js';
import type { OnlineRecord } from '../../online/store.js';
import { READ_AS_OF, VALUE_KEY, type FeatureGraphContext, type KeyParent } from '../context.js';
import { badInput, fgError } from '../errors.js';
import { selectedFieldNames } from '../selection.js';

/** A record as a GraphQL object of the view type: its timestamps and age plus camelCase features. */
const toObject = (
  fields: readonly (readonly [string, string, ValueOut?])[],
  rec: OnlineRecord,
  ageSeconds: number,
  asOf: Date | undefined,
  parts: readonly string[],
): Record<string, unknown> => {
  const o: Record<string, unknown> = { eventTimestamp: rec.eventTs, createdTimestamp: rec.createdTs, ageSeconds };
  if (asOf) (o as { [READ_AS_OF]?: Date })[READ_AS_OF] = asOf;
  (o as { [VALUE_KEY]?: readonly string[] })[VALUE_KEY] = parts;
  for (const [name, field, out] of fields) o[field] = out ? out(rec.values[name]) : (rec.values[name] ?? null);
  return o;
};

/** How a feature's value is served, when it is not served as it is. */
type ValueOut = (v: FeatureValue | undefined) => FeatureValue;
const finite = (v: FeatureValue | undefined): FeatureValue => (typeof v === 'number' && !Number.isFinite(v) ? null : (v ?? null));
/**
 * Floats: NaN and ±Infinity (possible only from a source table or a transform) are served as null, as the online
 * store keeps them, since GraphQL's Float cannot carry them (docs/semantics.md, "Values GraphQL cannot carry");
 * a Float32 as its shortest float32 decimal (`0.3646`, not `0.3646000027656555`; docs/catalog.md).
 */
const valueOut = (t: ValueType): ValueOut | undefined => {
  const name = t.kind === 'list' ? t.of.name : t.name;
  if (name !== 'Float32' && name !== 'Float64') return undefined;
  const one: ValueOut =
    t.kind === 'list' || name === 'Float64'
      ? finite
      : (v) => (typeof v === 'number' ? (Number.isFinite(v) ? shortestFloat32(v) : null) : (v ?? null));
  return t.kind === 'list' ? (v) => (Array.isArray(v) ? (v as FeatureValue[]).map(one) : (v ?? null)) : one;
};

/**
 * `Driver.driverStats(asOf, maxAge)`: online, or point-in-time with asOf (its own, else the root's). The age
 * is measured from the event time to now, or to asOf for a point-in-time read; a value older than maxAge
 * (seconds, 0 = no limit) is null with a STALE error carrying its age (docs/graphql.md, "Freshness").
 */
export const viewFieldResolver = (view: ViewSpec) => {
  const fields = view.features.map((f) => [f.name, camelCase(f.name), valueOut(f.type)] as const);
  // A relation field (`driver`) needs the feature holding the key (`driver_id`) even when that is not selected.
  const wanted = view.features.map(
    (f) => [f.name, [camelCase(f.name), ...(f.references ? [camelCase(f.references.relation)] : [])]] as const,
  );
  // The selected feature list per selection set; one shared array, so DataLoader keys and batches reuse it.
  const featureLists = new WeakMap<ReadonlySet<string>, string[]>();
  return async (
    parent: KeyParent,
    args: { asOf?: Date | null; asKnownAt?: boolean | null; maxAge?: number | null },
    ctx: FeatureGraphContext,
    info: GraphQLResolveInfo,
  ) => {
    const selected = selectedFieldNames(info);
    let features = featureLists.get(selected);
    if (!features)
      featureLists.set(selected, (features = wanted.filter(([, fs]) => fs.some((f) => selected.has(f))).map(([name]) => name)));
    const asOf = args.asOf ?? parent.asOf;
    if (!asOf && !view.online)
      throw badInput(`${view.name} is not served online (online: false); ask for it with asOf`, { view: view.name });
    const asKnownAt = args.asKnownAt ?? undefined;
    if (asKnownAt !== undefined && !asOf)
      throw badInput(`asKnownAt applies to point-in-time reads of ${view.name}; give asOf too`, { view: view.name });
    const rec = await ctx.loaders.load({
      view,
      key: parent.key,
      parts: parent.parts,
      features,
      ...(asOf ? { asOf } : {}),
      ...(asKnownAt !== undefined ? { asKnownAt } : {}),
    });
    if (!rec) return null;
    // An asOf in the future reads as of now (offline/point-in-time.ts), so its age is measured from now too.
    const now = ctx.rt.now();
    const ageSeconds = ((asOf && asOf.getTime() < now ? asOf.getTime() : now) - rec.eventTs.getTime()) / 1000;
    const maxAge = args.maxAge;
    if (maxAge && ageSeconds > maxAge)
      throw fgError(`${view.name}: the value is ${ageSeconds} s old, older than maxAge (${maxAge} s)`, 'STALE', {
        view: view.name,
        ageSeconds,
        maxAgeSeconds: maxAge,
      });
    return toObject(fields, rec, ageSeconds, asOf ?? undefined, parent.parts);
  };
};

/**
 * A view's value object from an online record, as `Driver.driverStats` returns it: what a subscription
 * delivers for each change (docs/subscriptions.md), so both have the same shape and Float32 form.
 */
export const viewValueObject = (view: ViewSpec) => {
  const fields = view.features.map((f) => [f.name, camelCase(f.name), valueOut(f.type)] as const);
  return (rec: OnlineRecord, parts: readonly string[], now: number) =>
    toObject(fields, rec, (now - rec.eventTs.getTime()) / 1000, undefined, parts);
};

/**
 * An on-demand view field: reads its input views, and its aggregation inputs (docs/aggregations.md, "In
 * on-demand views"), through the same loaders (so a sibling selection of the same view costs no second read), runs the transform once per (entity, arguments, asOf) per request,
 * and checks the output's types. A failure fails this field only, naming the view.
 */
export const onDemandFieldResolver = (o: OnDemandSpec, repo: ResolvedRepository) => {
  const inputs = o.inputs.flatMap((i) => (i.kind === 'view' ? [{ alias: i.alias, view: repo.views.find((v) => v.name === i.view)! }] : []));
  // Aggregation outputs as inputs (docs/aggregations.md, "In on-demand views"): online at the read's now, or as of asOf.
  const aggregations = o.inputs.flatMap((i) =>
    i.kind === 'aggregation' ? [{ alias: i.alias, spec: repo.aggregationViews.find((a) => a.name === i.view)! }] : [],
  );
  const outFields = o.features.map((f) => [f.name, camelCase(f.name), valueOut(f.type)] as const);
  return async (parent: KeyParent, args: Record<string, unknown>, ctx: FeatureGraphContext) => {
    const asOf = (args.asOf as Date | null | undefined) ?? parent.asOf;
    const offlineOnly = inputs.find((i) => !i.view.online);
    if (!asOf && offlineOnly)
      throw badInput(`${o.name} reads ${offlineOnly.view.name}, which is not served online (online: false); ask for it with asOf`, {
        view: o.name,
      });
    const request: Record<string, FeatureValue> = {};
    for (const r of o.request) request[r.name] = (args[camelCase(r.name)] ?? parent.request?.[camelCase(r.name)] ?? null) as FeatureValue;
    const memoKey = JSON.stringify([o.name, parent.key, asOf?.getTime() ?? null, o.request.map((r) => String(request[r.name]))]);
    let result = ctx.loaders.onDemand.get(memoKey);
    if (!result) {
      result = (async () => {
        // Views and aggregation views are asked for in the same tick: one online read (docs/aggregations.md).
        const [recs, windows] = await Promise.all([
          Promise.all(
            inputs.map((i) =>
              ctx.loaders.load({
                view: i.view,
                key: parent.key,
                parts: parent.parts,
                features: i.view.features.map((f) => f.name),
                ...(asOf ? { asOf } : {}),
              }),
            ),
          ),
          Promise.all(
            aggregations.map((a) =>
              ctx.loaders.loadAggregation({ aggregation: a.spec, key: parent.key, parts: parent.parts, ...(asOf ? { asOf } : {}) }),
            ),
          ),
        ]);
        const rows = Object.fromEntries([
          ...inputs.map((i, j) => [i.alias, recs[j]?.values ?? null]),
          ...aggregations.map((a, j) => [a.alias, windows[j]?.values ?? null]),
        ]);
        try {
          return runTransform(o, rows, request);
        } catch (err) {
          if (!(err instanceof OnDemandTransformError)) throw err;
          throw fgError(err.message, 'ON_DEMAND_TRANSFORM_FAILED', { view: o.name, ...(err.feature ? { feature: err.feature } : {}) });
        }
      })();
      ctx.loaders.onDemand.set(memoKey, result);
    }
    const values = (await result) as Record<string, FeatureValue>;
    return Object.fromEntries(outFields.map(([name, field, out]) => [field, out ? out(values[name]) : (values[name] ?? null)]));
  };
};
