import type { ViewSpec } from '../definitions/resolve.js';
import { freshnessReport, newestValueAt } from '../monitoring/freshness.js';
import type { FeatureGraphContext } from './context.js';

/** `FeatureViewInfo.freshness`: registry state plus the view's freshness objective (docs/monitoring.md#freshness-objectives). */
export const freshnessInfo = async (ctx: FeatureGraphContext, v: ViewSpec) => {
  const f = await ctx.rt.registry.freshness(v.name);
  const now = new Date(ctx.rt.now());
  const state = {
    view: v.name,
    watermark: f.watermark,
    lastMaterializedAt: f.lastMaterializedAt,
    lastRangeStart: null,
    lastRangeEnd: f.lastRangeEnd ?? null,
    lastRowCount: f.lastRowCount ?? null,
  };
  const newest = v.online ? await newestValueAt(ctx.rt.offline, v, state, now) : null;
  const r = freshnessReport(v, state, newest, now);
  return {
    watermark: f.watermark,
    lastMaterializedAt: f.lastMaterializedAt,
    objectiveSeconds: r.objectiveSeconds,
    newestValueAt: r.newestValueAt,
    newestValueAgeSeconds: r.newestValueAgeSeconds,
    lastMaterializationAgeSeconds: r.lastMaterializationAgeSeconds,
    breached: r.breached,
  };
};
