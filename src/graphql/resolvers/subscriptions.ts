import type { Entity } from '../../definitions/objects.js';
import type { ViewSpec } from '../../definitions/resolve.js';
import type { OnlineChange } from '../../online/changes.js';
import { liveRecord } from '../../online/store.js';
import type { FeatureGraphContext, KeyParent } from '../context.js';
import { createLoaders } from '../loaders.js';
import { fgError, storeUnavailable } from '../errors.js';
import { keyRootResolvers } from './keys.js';
import { viewValueObject } from './views.js';

/** Changes one subscription may have waiting for a slow client before it is ended (docs/subscriptions.md). */
export const MAX_QUEUED_CHANGES = 10_000;

type Key = { readonly eventTs: Date; readonly createdTs: Date | null };
const older = (a: Key, b: Key): boolean => {
  const e = a.eventTs.getTime() - b.eventTs.getTime();
  if (e !== 0) return e < 0;
  return (a.createdTs?.getTime() ?? Number.NEGATIVE_INFINITY) < (b.createdTs?.getTime() ?? Number.NEGATIVE_INFINITY);
};

/**
 * The changes of some keys of a view as an async iterator of value objects (the shape `Driver.driverStats`
 * returns). It resolves once the store's change feed listens, so every change written after the subscription
 * started (for an SSE client: after the response headers) is delivered, per key in the order the values
 * became current. A change already past the view's ttl is not delivered (a query would read null). A client
 * that falls MAX_QUEUED_CHANGES behind gets a SLOW_SUBSCRIBER error and the stream ends.
 */
export const openChangeStream = async (
  ctx: FeatureGraphContext,
  view: ViewSpec,
  parents: readonly KeyParent[],
): Promise<AsyncIterableIterator<Record<string, unknown>>> => {
  const feed = ctx.rt.online.changes;
  if (!feed)
    throw fgError(`the online store announces no changes: ${view.name} cannot be subscribed to`, 'BAD_USER_INPUT', { view: view.name });
  const partsOf = new Map(parents.map((p) => [p.key, p.parts]));
  const last = new Map<string, Key>();
  const toValue = viewValueObject(view);
  const queue: OnlineChange[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  let failure: Error | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const started = feed.listen(
    view,
    (change) => {
      if (done || !partsOf.has(change.key)) return;
      const prev = last.get(change.key);
      if (prev && older(change.record, prev)) return;
      last.set(change.key, change.record);
      if (queue.length >= MAX_QUEUED_CHANGES) {
        failure = fgError(`this subscription fell ${MAX_QUEUED_CHANGES} changes behind; subscribe again`, 'SLOW_SUBSCRIBER', {
          view: view.name,
        });
        done = true;
        queue.length = 0;
      } else queue.push(change);
      notify();
    },
    () => {
      done = true;
      notify();
    },
  );
  let stop: () => void;
  try {
    stop = await started;
  } catch (err) {
    // The store's change feed could not listen (Redis down): what the query path says, the driver's error for the log.
    throw storeUnavailable(
      `the online store could not start a subscription to ${view.name}: it is unavailable`,
      'ONLINE_STORE_UNAVAILABLE',
      err,
      {
        view: view.name,
      },
    );
  }
  const finish = () => {
    if (!done) done = true;
    queue.length = 0;
    stop();
    notify();
  };
  const iterator: AsyncIterableIterator<Record<string, unknown>> = {
    async next(): Promise<IteratorResult<Record<string, unknown>>> {
      for (;;) {
        const change = queue.shift();
        if (change) {
          const now = ctx.rt.now();
          if (!liveRecord(change.record, view.ttlSeconds, now)) continue;
          return { value: toValue(change.record, partsOf.get(change.key)!, now), done: false };
        }
        if (failure) {
          const f = failure;
          failure = null;
          stop();
          throw f;
        }
        if (done) {
          stop();
          return { value: undefined, done: true };
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    async return() {
      finish();
      return { value: undefined, done: true };
    },
    async throw(err?: unknown) {
      finish();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
};

/**
 * `Subscription.driverStatsChanged(driverIds:)` (or `keys:` for a composite key): subscribe parses the keys
 * like `Query.drivers` does; each change is then resolved as the view's value, with fresh DataLoaders so a
 * relation below it reads the store as of that change, not a cached earlier read.
 */
export const changedResolvers = (view: ViewSpec, entities: readonly Entity[]) => {
  const roots = keyRootResolvers(entities);
  return {
    subscribe: async (_: unknown, args: Record<string, unknown>, ctx: FeatureGraphContext) => {
      const parents = roots.many(_, args) as KeyParent[];
      return openChangeStream(ctx, view, parents);
    },
    resolve: (value: Record<string, unknown>, _args: unknown, ctx: FeatureGraphContext) => {
      (ctx as { loaders: FeatureGraphContext['loaders'] }).loaders = createLoaders(
        ctx.rt,
        ctx.loaders.observer,
        ctx.loaders.offlineTimeLimitMs,
      );
      return value;
    },
  };
};
