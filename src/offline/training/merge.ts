import type { FeatureValue } from '../../definitions/values.js';
import type { OnDemandSelection, TrainingPlan } from './feature-refs.js';
import { TrainingSetError } from './errors.js';
import type { OutputColumn } from './output-columns.js';
import type { TrainingBatch, TrainingSetSink } from './types.js';

/** One engine's share of a training plan: its views (with their plan positions) and the on-demand views over them. */
export interface PlanPart {
  readonly plan: TrainingPlan;
  /** Plan view index of each of this part's views. */
  readonly views: readonly number[];
}

/**
 * Split a plan by the engine that serves each view. Every part keeps all join keys and request columns, so
 * each engine validates and passes through the same entity rows; an on-demand view goes with the engine of
 * its inputs (inputs on two engines are refused: the transform runs where its inputs are joined).
 */
export const splitPlan = (plan: TrainingPlan, engineOf: (viewIndex: number) => number): Map<number, PlanPart> => {
  const parts = new Map<number, { views: number[]; onDemand: OnDemandSelection[] }>();
  plan.views.forEach((_, v) => {
    const e = engineOf(v);
    const p = parts.get(e) ?? { views: [], onDemand: [] };
    parts.set(e, p);
    p.views.push(v);
  });
  for (const o of plan.onDemand) {
    const engines = new Set(o.inputs.map((i) => engineOf(i.view)));
    if (engines.size > 1)
      throw new TrainingSetError(
        'UNSUPPORTED',
        `on-demand view "${o.spec.name}" reads views of two offline engines (Postgres and files); its inputs must share one`,
      );
    const e = [...engines][0] as number;
    const p = parts.get(e) as { views: number[]; onDemand: OnDemandSelection[] };
    p.onDemand.push({ ...o, inputs: o.inputs.map((i) => ({ alias: i.alias, view: p.views.indexOf(i.view) })) });
  }
  return new Map(
    [...parts].map(([e, p]) => [e, { views: p.views, plan: { ...plan, views: p.views.map((v) => plan.views[v]!), onDemand: p.onDemand } }]),
  );
};

/** A sink an engine writes to, read back by the merger a batch at a time: the engine waits until it is read. */
const channel = () => {
  let columns: readonly OutputColumn[] = [];
  let total = 0;
  let started!: () => void;
  const ready = new Promise<void>((resolve) => (started = resolve));
  const queue: TrainingBatch[] = [];
  let wake: (() => void) | null = null;
  let drained: (() => void) | null = null;
  let ended = false;
  let aborted = false;
  let error: unknown = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const sink: TrainingSetSink = {
    start(c, _views, n) {
      columns = c;
      total = n;
      started();
    },
    async write(b) {
      if (aborted) throw new Error('training set: stopped');
      queue.push(b);
      notify();
      // Back-pressure: at most one batch waits per engine.
      while (queue.length > 1 && !aborted) await new Promise<void>((resolve) => (drained = resolve));
      if (aborted) throw new Error('training set: stopped');
    },
  };
  return {
    sink,
    ready,
    columns: () => columns,
    failure: () => error,
    /** Stop the engine writing to it (the merge failed). */
    abort() {
      aborted = true;
      drained?.();
      drained = null;
    },
    total: () => total,
    end(err?: unknown) {
      ended = true;
      if (err !== undefined) error = err;
      started();
      notify();
    },
    /** The next batch, or null at the end. */
    async next(): Promise<TrainingBatch | null> {
      for (;;) {
        if (error) throw error;
        const b = queue.shift();
        if (b) {
          drained?.();
          drained = null;
          return b;
        }
        if (ended) return null;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
};

/**
 * Run each engine's part side by side and zip their rows (both in entity row order) into one stream:
 * the columns of `final` order, taken by name from the part that has them.
 */
export const mergeParts = async (
  plan: TrainingPlan,
  parts: readonly { readonly part: PlanPart; run(sink: TrainingSetSink): Promise<{ rows: number }> }[],
  finalColumns: (extras: readonly string[]) => OutputColumn[],
  sink: TrainingSetSink,
): Promise<{ rows: number }> => {
  const chans = parts.map(() => channel());
  const runs = parts.map((p, i) =>
    p.run(chans[i]!.sink).then(
      (r) => (chans[i]!.end(), r),
      (err: unknown) => {
        chans[i]!.end(err);
        throw err;
      },
    ),
  );
  runs.forEach((r) => r.catch(() => undefined));
  try {
    return await zip(plan, parts, chans, runs, finalColumns, sink);
  } catch (err) {
    for (const c of chans) c.abort();
    await Promise.allSettled(runs);
    // An engine's own error explains more than the merge's.
    throw chans.map((c) => c.failure()).find((e) => e) ?? err;
  }
};

type Channel = ReturnType<typeof channel>;

const zip = async (
  plan: TrainingPlan,
  parts: readonly { readonly part: PlanPart }[],
  chans: readonly Channel[],
  runs: readonly Promise<{ rows: number }>[],
  finalColumns: (extras: readonly string[]) => OutputColumn[],
  sink: TrainingSetSink,
): Promise<{ rows: number }> => {
  await Promise.all(chans.map((c) => c.ready));
  const failure = chans.map((c) => c.failure()).find((e) => e);
  if (failure) throw failure;
  const first = chans[0]!.columns();
  const extras = first.filter((c) => c.kind === 'extra' || c.kind === 'request').map((c) => c.name);
  // Every engine read the same validated rows: the first one's pass-through types hold for all (typed sinks).
  const columns = finalColumns(extras).map((c) => {
    const t = c.passThroughType ?? first.find((x) => x.name === c.name)?.passThroughType;
    return t ? { ...c, passThroughType: t } : c;
  });
  const where = columns.map((c) => {
    for (let p = 0; p < chans.length; p++) {
      const j = chans[p]!.columns().findIndex((x) => x.name === c.name);
      if (j >= 0) return { p, j };
    }
    throw new Error(`training set: no engine produced column ${c.name}`);
  });
  const viewAt = plan.views.map((_, v) => {
    const p = parts.findIndex((x) => x.part.views.includes(v));
    return { p, j: parts[p]!.part.views.indexOf(v) };
  });
  await sink.start(
    columns,
    plan.views.map((v) => v.view.name),
    chans[0]!.total(),
  );
  const heads: { b: TrainingBatch | null; at: number }[] = chans.map(() => ({ b: null, at: 0 }));
  let rows = 0;
  for (;;) {
    for (let p = 0; p < chans.length; p++) {
      const h = heads[p]!;
      if (!h.b || h.at >= h.b.length) {
        h.b = await chans[p]!.next();
        h.at = 0;
      }
    }
    const ended = heads.filter((h) => h.b === null).length;
    if (ended === heads.length) break;
    if (ended > 0) throw new Error('training set: the engines returned different numbers of rows');
    const n = Math.min(...heads.map((h) => (h.b as TrainingBatch).length - h.at));
    const off = heads.map((h) => h.at);
    const bs = heads.map((h) => h.b as TrainingBatch);
    const value = (r: number, c: number): FeatureValue => {
      const w = where[c];
      if (!w || r < 0 || r >= n) throw new RangeError(`no row ${r} / column ${c} in this batch`);
      return bs[w.p]!.value(off[w.p]! + r, w.j);
    };
    await sink.write({
      length: n,
      value,
      row: (r) => columns.map((_, c) => value(r, c)),
      eventTs: (r, v) => {
        const w = viewAt[v];
        if (!w) throw new RangeError(`no view ${v}`);
        return bs[w.p]!.eventTs(off[w.p]! + r, w.j);
      },
    });
    heads.forEach((h) => (h.at += n));
    rows += n;
  }
  await Promise.all(runs);
  return { rows };
};
