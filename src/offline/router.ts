import type { DefinitionProblem } from '../definitions/errors.js';
import type { ViewSpec } from '../definitions/resolve.js';
import type { OfflineStore } from './store.js';
import { TrainingSetError } from './training/errors.js';
import { mergeParts, splitPlan } from './training/merge.js';
import { outputColumns } from './training/output-columns.js';

/**
 * One offline store over several engines (docs/offline-stores.md): each view goes to the first engine that
 * `serves` it. A training set whose views live on several engines is joined by each engine for its own
 * views, side by side, and zipped in entity row order. The first engine's clock is the store's.
 */
export const routeOfflineStores = (engines: readonly OfflineStore[]): OfflineStore => {
  if (engines.length === 0) throw new Error('routeOfflineStores needs at least one engine');
  const indexOf = (view: ViewSpec): number => {
    const i = engines.findIndex((e) => e.serves(view));
    if (i < 0) throw new TrainingSetError('UNSUPPORTED', `no offline engine reads the ${view.source.kind} source of view "${view.name}"`);
    return i;
  };
  const engineFor = (view: ViewSpec) => engines[indexOf(view)] as OfflineStore;
  return {
    engine: engines.map((e) => e.engine).join('+'),
    description: engines.map((e) => e.description).join(' + '),
    ...(engines.find((e) => e.sqlDatabase) ? { sqlDatabase: engines.find((e) => e.sqlDatabase)?.sqlDatabase } : {}),
    // Only one engine keeps push tables today (Postgres/PGlite); pushes to views of others are refused before.
    ...(engines.find((e) => e.pushes) ? { pushes: engines.find((e) => e.pushes)?.pushes } : {}),
    serves: (view) => engines.some((e) => e.serves(view)),
    pointInTime: (view, requests, features, options) => engineFor(view).pointInTime(view, requests, features, options),
    latestRows: (view, window, batchSize) => engineFor(view).latestRows(view, window, batchSize),
    aggregate: (spec, requests, options) => engineFor(spec.events).aggregate(spec, requests, options),
    events: (spec, from, end, batchSize) => engineFor(spec.events).events(spec, from, end, batchSize),
    clock: () => (engines[0] as OfflineStore).clock(),
    newestEventTime: (view, upTo) => engineFor(view).newestEventTime(view, upTo),
    async checkSources(views) {
      const problems: DefinitionProblem[] = [];
      for (const [i, e] of engines.entries()) {
        const mine = views.filter((v) => engines.findIndex((x) => x.serves(v)) === i);
        if (mine.length > 0) problems.push(...(await e.checkSources(mine)));
      }
      return problems;
    },
    async trainingSet(plan, request, sink, options) {
      const parts = splitPlan(plan, (v) => indexOf(plan.views[v]!.view));
      if (parts.size <= 1) {
        const [only] = [...parts.keys()];
        return (engines[only ?? 0] as OfflineStore).trainingSet(plan, request, sink, options);
      }
      // Progress comes from the first engine only: the others run over the same rows, side by side.
      const { progress: _progress, ...quiet } = options;
      return mergeParts(
        plan,
        [...parts].map(([e, part], k) => ({
          part,
          run: (s) => (engines[e] as OfflineStore).trainingSet(part.plan, request, s, k === 0 ? options : quiet),
        })),
        (extras) => outputColumns(plan, extras),
        sink,
      );
    },
    async exportCsv(plan, request, out) {
      const parts = splitPlan(plan, (v) => indexOf(plan.views[v]!.view));
      const [only, ...more] = [...parts.keys()];
      const engine = engines[only ?? 0] as OfflineStore;
      return more.length === 0 && engine.exportCsv ? engine.exportCsv(plan, request, out) : null;
    },
    async ping() {
      await Promise.all(engines.map((e) => e.ping()));
    },
    async close() {
      await Promise.all(engines.map((e) => e.close()));
    },
  };
};
