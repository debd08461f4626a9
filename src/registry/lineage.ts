import { projectSchema } from '../definitions/resolve.js';
import type { SqlClient } from '../sql/client.js';
import { listObjects } from './read.js';
import type {
  FeatureViewSpecJson,
  LineageFeature,
  LineageSource,
  LineageView,
  OnDemandViewSpecJson,
  RegistryObject,
  ServiceLineage,
} from './types.js';

type Stored<S> = RegistryObject & { readonly spec: S };

const sourceOf = (project: string, view: FeatureViewSpecJson): LineageSource =>
  view.source.type === 'push'
    ? { name: view.source.name, type: 'push', table: `${projectSchema(project)}.push_${view.name}`, query: null }
    : view.source.type === 'file'
      ? { name: view.source.name, type: 'file', table: null, query: null, path: view.source.path }
      : { name: view.source.name, type: 'postgres', table: view.source.table, query: view.source.query };

const viewLineage = (project: string, v: Stored<FeatureViewSpecJson>): LineageView => ({
  view: v.name,
  viewVersion: v.version,
  source: sourceOf(project, v.spec),
  ttlSeconds: v.spec.ttlSeconds,
  owner: v.owner,
});

/**
 * Which model input came from where: a feature service's version and, per feature, its view
 * (with the view's version), source, ttl and owner; on-demand features list the views they read.
 * Reads the current registry version unless `version` is given; null for an unknown service.
 */
export const getLineage = async (sql: SqlClient, project: string, service: string, version?: number): Promise<ServiceLineage | null> => {
  const objects = await listObjects(sql, project, version !== undefined ? { version } : {});
  const svc = objects.find((o) => o.kind === 'feature_service' && o.name === service);
  if (!svc || svc.spec.kind !== 'feature_service') return null;
  const views = new Map<string, Stored<FeatureViewSpecJson>>();
  const onDemand = new Map<string, Stored<OnDemandViewSpecJson>>();
  for (const o of objects) {
    if (o.spec.kind === 'feature_view') views.set(o.name, { ...o, spec: o.spec });
    else if (o.spec.kind === 'on_demand_view') onDemand.set(o.name, { ...o, spec: o.spec });
  }
  const features: LineageFeature[] = [];
  for (const sel of svc.spec.features) {
    const fv = views.get(sel.view);
    const od = onDemand.get(sel.view);
    for (const feature of sel.features) {
      const declared = (fv?.spec.features ?? od?.spec.features ?? []).find((f) => f.name === feature);
      const about = { description: declared?.description ?? null, unit: declared?.unit ?? null };
      if (fv) {
        const l = viewLineage(project, fv);
        features.push({
          feature,
          ...about,
          view: l.view,
          viewKind: 'feature_view',
          viewVersion: l.viewVersion,
          source: l.source,
          ttlSeconds: l.ttlSeconds,
          owner: l.owner,
          inputs: [],
        });
      } else if (od) {
        const inputs = Object.values(od.spec.inputs)
          .map((name) => views.get(name))
          .filter((v): v is Stored<FeatureViewSpecJson> => v !== undefined)
          .map((v) => viewLineage(project, v));
        features.push({
          feature,
          ...about,
          view: od.name,
          viewKind: 'on_demand_view',
          viewVersion: od.version,
          source: null,
          ttlSeconds: null,
          owner: od.owner,
          inputs,
        });
      }
    }
  }
  return {
    project,
    service,
    serviceVersion: svc.version,
    registryVersion: svc.registryVersion,
    hash: svc.hash,
    description: svc.description,
    owner: svc.owner,
    features,
  };
};
