import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureValue, ViewSpec } from '../../src/definitions/index.js';
import { compareRows, liveRecord, type OnlineRow, type OnlineStore } from '../../src/online/store.js';
import { tieKey } from '../../src/online/tie-key.js';
import { uniqueProject } from '../support/env.js';
import { compositeKey, edgeValues, row, semanticsViews, shuffled } from './semantics-views.js';

export interface OpenedStore {
  readonly store: OnlineStore;
  /** Remove what the test wrote (keys, tables) and release connections. */
  readonly teardown: () => Promise<void>;
}

/**
 * The online-store contract of docs/semantics.md, run against every OnlineStore implementation.
 * `open` gets a fresh project name and the views the suite uses; the suite calls `prepare` itself.
 */
export const describeOnlineStoreSemantics = (
  name: string,
  open: (project: string, views: readonly ViewSpec[]) => Promise<OpenedStore>,
): void => {
  describe(`online store semantics: ${name}`, () => {
    const project = uniqueProject('os');
    const views = semanticsViews(project);
    let opened: OpenedStore;
    let store: OnlineStore;
    let n = 0;
    // Each test uses its own keys, so tests never see each other's rows.
    const fresh = (tag: string) => `${tag}${++n}`;
    const readOne = async (view: ViewSpec, key: string, features = view.features.map((f) => f.name)) =>
      (await store.read([{ view, keys: [key], features }]))[0]![0]!;
    const greatest = (view: ViewSpec, rows: readonly OnlineRow[]) =>
      rows.reduce((a, b) => (compareRows({ ...b, tie: tieKey(view, b.values) }, { ...a, tie: tieKey(view, a.values) }) > 0 ? b : a));

    beforeAll(async () => {
      opened = await open(project, views.all);
      store = opened.store;
      await store.prepare(views.all);
    });
    afterAll(async () => {
      await opened?.teardown();
    });

    it('returns null for keys it never stored, keeping request order and duplicates', async () => {
      const k = fresh('1');
      await store.write(views.stats, [row(k, Date.now(), { conv_rate: 0.5, trips: 1, note: 'x' })]);
      const [res] = await store.read([{ view: views.stats, keys: ['999999999', k, '888888888', k], features: ['trips'] }]);
      expect(res).toHaveLength(4);
      expect(res![0]).toBeNull();
      expect(res![1]?.values).toEqual({ trips: 1 });
      expect(res![2]).toBeNull();
      expect(res![3]?.values).toEqual({ trips: 1 });
      expect(await store.read([{ view: views.stats, keys: [], features: ['trips'] }])).toEqual([[]]);
      expect(await store.read([])).toEqual([]);
    });

    it('keeps the newer row when an older one is written later, and reports written/skipped', async () => {
      const k = fresh('2');
      const t = Date.now();
      expect(await store.write(views.stats, [row(k, t, { conv_rate: 0.25, trips: 2, note: 'new' })])).toEqual({ written: 1, skipped: 0 });
      expect(await store.write(views.stats, [row(k, t - 60_000, { conv_rate: 0.75, trips: 1, note: 'old' })])).toEqual({
        written: 0,
        skipped: 1,
      });
      const rec = await readOne(views.stats, k);
      expect(rec?.values).toEqual({ conv_rate: 0.25, trips: 2, note: 'new' });
      expect(rec?.eventTs).toEqual(new Date(t));
      expect(await store.write(views.stats, [row(k, t + 1, { conv_rate: 0.5, trips: 3, note: null })])).toEqual({ written: 1, skipped: 0 });
      // The newer row replaces the whole value: a null feature is null, not the previous value.
      expect((await readOne(views.stats, k))?.values).toEqual({ conv_rate: 0.5, trips: 3, note: null });
    });

    it('ignores replays of rows it already holds', async () => {
      const ks = [fresh('3'), fresh('3'), fresh('3')];
      const t = Date.now();
      const rows = ks.map((k, i) => row(k, t - i, { conv_rate: i / 4, trips: i, note: `r${i}` }, t));
      expect(await store.write(views.stats, rows)).toEqual({ written: 3, skipped: 0 });
      expect(await store.write(views.stats, rows)).toEqual({ written: 0, skipped: 3 });
      const [res] = await store.read([{ view: views.stats, keys: ks, features: ['trips', 'note'] }]);
      expect(res!.map((r) => r?.values)).toEqual(rows.map((r) => ({ trips: r.values.trips, note: r.values.note })));
    });

    it('keeps the greatest row of one batch that holds several rows of a key', async () => {
      const k = fresh('4');
      const t = Date.now();
      const rows = [
        row(k, t - 2, { conv_rate: 0, trips: 1, note: 'a' }),
        row(k, t, { conv_rate: 0, trips: 3, note: 'c' }),
        row(k, t - 1, { conv_rate: 0, trips: 2, note: 'b' }),
      ];
      const s = await store.write(views.stats, rows);
      expect(s.written + s.skipped).toBe(3);
      expect(s.written).toBe(1);
      expect((await readOne(views.stats, k, ['trips']))?.values).toEqual({ trips: 3 });
    });

    it('lets the greatest of many concurrent, shuffled writes win', async () => {
      const keys = [fresh('5'), fresh('5'), fresh('5')];
      const base = Date.now() - 10_000;
      const rows = keys.flatMap((k) =>
        Array.from({ length: 40 }, (_, i) =>
          // Few distinct event times, so created times and payloads have to break ties too.
          row(k, base + (i % 5), { conv_rate: 0, trips: i, note: `n${i % 7}` }, i % 3 === 0 ? null : base + (i % 4)),
        ),
      );
      for (const seed of [1, 2, 3]) {
        const order = shuffled(rows, seed);
        // Single-row writes and small batches, all in flight at once.
        await Promise.all([
          ...order.slice(0, 60).map((r) => store.write(views.stats, [r])),
          ...[0, 1, 2, 3].map((j) => store.write(views.stats, order.slice(60 + j * 15, 75 + j * 15))),
        ]);
      }
      const [res] = await store.read([{ view: views.stats, keys, features: ['trips', 'note'] }]);
      keys.forEach((k, i) => {
        const want = greatest(
          views.stats,
          rows.filter((r) => r.key === k),
        );
        expect(res![i]?.values).toEqual({ trips: want.values.trips, note: want.values.note });
        expect(res![i]?.eventTs).toEqual(want.eventTs);
        expect(res![i]?.createdTs).toEqual(want.createdTs);
      });
    });

    it('breaks event-time ties by created time, in either write order; a missing created time loses', async () => {
      const t = Date.now();
      const none = row('', t, { conv_rate: 0, trips: 0, note: 'no created' });
      const early = row('', t, { conv_rate: 0, trips: 1, note: 'early' }, t - 5000);
      const late = row('', t, { conv_rate: 0, trips: 2, note: 'late' }, t - 1000);
      for (const order of [
        [none, early, late],
        [late, early, none],
        [early, none, late],
      ]) {
        const k = fresh('6');
        for (const r of order) await store.write(views.stats, [{ ...r, key: k }]);
        const rec = await readOne(views.stats, k, ['note']);
        expect(rec?.values).toEqual({ note: 'late' });
        expect(rec?.createdTs).toEqual(new Date(t - 1000));
      }
      // A newer event without a created time still replaces an older one that had it.
      const k = fresh('6');
      await store.write(views.stats, [{ ...late, key: k }]);
      await store.write(views.stats, [row(k, t + 1, { conv_rate: 0, trips: 3, note: 'newest' })]);
      const rec = await readOne(views.stats, k, ['note']);
      expect(rec?.values).toEqual({ note: 'newest' });
      expect(rec?.createdTs).toBeNull();
    });

    it('resolves full ties (same event and created time) to one row, whatever the order', async () => {
      const t = Date.now();
      const rows = ['b', 'a', 'c', 'ab', 'B', ''].map((note, i) => row('', t, { conv_rate: i % 2 ? 0.5 : 0.25, trips: 7, note }, t));
      const want = greatest(views.stats, rows);
      for (const seed of [1, 2, 3, 4]) {
        const k = fresh('7');
        for (const r of shuffled(rows, seed)) await store.write(views.stats, [{ ...r, key: k }]);
        expect((await readOne(views.stats, k))?.values).toEqual(want.values);
      }
    });

    it('orders full ties of text by UTF-8 bytes (code points), as COLLATE "C" does', async () => {
      // U+1F600 sorts after U+FFFD by code point (and UTF-8 bytes), though before it in UTF-16 code units.
      const t = Date.now();
      const rows = ['\uFFFD', '😀', 'é', 'z'].map((note) => row('', t, { conv_rate: 0, trips: 0, note }, null));
      const want = greatest(views.stats, rows);
      expect(want.values.note).toBe('😀');
      for (const seed of [1, 2]) {
        const k = fresh('8');
        for (const r of shuffled(rows, seed)) await store.write(views.stats, [{ ...r, key: k }]);
        expect((await readOne(views.stats, k, ['note']))?.values).toEqual({ note: '😀' });
      }
    });

    it('resolves ties arriving in separate writes, in every order, to the row the offline order picks', async () => {
      // The issue's own case: (qty=-1, price=16777216) beats (qty=null, price=30.03) offline, whatever the JSON bytes say.
      const t = Date.now();
      const cases: Record<string, FeatureValue>[][] = [
        [
          { i64: -1n, f32: Math.fround(16777216) },
          { i64: null, f32: Math.fround(30.03) },
        ],
        [{ i64: -2n }, { i64: -10n }, { i64: 9007199254740993n }, { i64: 9007199254740992n }],
        [{ f64: -0.5 }, { f64: 1e-300 }, { f64: -1e300 }, { f64: null }],
        [{ b: false }, { b: true }, { b: null }],
        [{ ts: new Date(-5) }, { ts: new Date(3) }],
        [{ by: new Uint8Array([0]) }, { by: new Uint8Array([0, 0]) }, { by: new Uint8Array([]) }],
        [{ j: { b: 1, aa: 2 } }, { j: [1, 2] }, { j: 1e21 }],
        [{ l_i64: [1n, 2n] }, { l_i64: [1n, null] }, { l_i64: [2n] }, { l_i64: [] }],
        [{ l_s: ['a', ''] }, { l_s: ['a'] }, { l_s: ['b'] }],
      ];
      for (const values of cases) {
        const rows = values.map((v) => row('', t, v, t));
        const want = greatest(views.allTypes, rows);
        // What the store holds for the winning row written alone: the expectation for every order.
        const alone = fresh('t');
        await store.write(views.allTypes, [{ ...want, key: alone }]);
        const expected = (await readOne(views.allTypes, alone))?.values;
        for (const order of [rows, [...rows].reverse(), shuffled(rows, 3), shuffled(rows, 5)]) {
          const k = fresh('t');
          for (const r of order) await store.write(views.allTypes, [{ ...r, key: k }]);
          expect(
            (await readOne(views.allTypes, k))?.values,
            JSON.stringify(values, (_, x) => (typeof x === 'bigint' ? `${x}n` : x)),
          ).toEqual(expected);
        }
      }
      // The first case by hand, so the expectation does not rest on tieKey alone.
      const k = fresh('t');
      await store.write(views.allTypes, [row(k, t, { i64: null, f32: Math.fround(30.03) }, t)]);
      await store.write(views.allTypes, [row(k, t, { i64: -1n, f32: Math.fround(16777216) }, t)]);
      await store.write(views.allTypes, [row(k, t, { i64: null, f32: Math.fround(30.03) }, t)]);
      expect((await readOne(views.allTypes, k, ['i64', 'f32']))?.values).toEqual({ i64: -1n, f32: 16777216 });
    });

    it('hides expired rows through liveRecord and never expires ttl 0', async () => {
      const now = Date.now();
      const [old, edge, young] = [fresh('9'), fresh('9'), fresh('9')];
      await store.write(views.stats, [
        row(old, now - 2 * 3600_000, { conv_rate: 0, trips: 1, note: null }),
        row(edge, now - 3600_000, { conv_rate: 0, trips: 2, note: null }),
        row(young, now - 60_000, { conv_rate: 0, trips: 3, note: null }),
      ]);
      const [res] = await store.read([{ view: views.stats, keys: [old, edge, young], features: ['trips'] }]);
      const live = res!.map((r) => liveRecord(r, views.stats.ttlSeconds, now));
      expect(live[0]).toBeNull();
      expect(live[1]?.values).toEqual({ trips: 2 });
      expect(live[2]?.values).toEqual({ trips: 3 });
      const ancient = fresh('c');
      await store.write(views.allTypes, [row(ancient, Date.UTC(2001, 0, 1), { i32: 42 })]);
      const rec = await readOne(views.allTypes, ancient, ['i32']);
      expect(liveRecord(rec, views.allTypes.ttlSeconds, now)?.values).toEqual({ i32: 42 });
    });

    it('returns only the selected features', async () => {
      const k = fresh('d');
      await store.write(views.allTypes, [row(k, Date.now(), edgeValues[0]!)]);
      for (const features of [['i64'], ['s', 'b'], ['l_ts', 'j', 'by'], []]) {
        const rec = await readOne(views.allTypes, k, features);
        expect(Object.keys(rec!.values).sort()).toEqual([...features].sort());
      }
    });

    it('round-trips every value type exactly (Int64 beyond 2^53, lists, Json, Bytes, Timestamp, null)', async () => {
      const keys = edgeValues.map(() => fresh('e'));
      const t = Date.now();
      await store.write(
        views.allTypes,
        edgeValues.map((v, i) => row(keys[i]!, t, v, t - 1)),
      );
      const [res] = await store.read([{ view: views.allTypes, keys, features: views.allTypes.features.map((f) => f.name) }]);
      res!.forEach((rec, i) => {
        expect(rec?.values).toEqual(edgeValues[i]);
        expect(rec?.eventTs).toEqual(new Date(t));
        expect(rec?.createdTs).toEqual(new Date(t - 1));
      });
      const v = res![0]!.values;
      expect(typeof v.i64).toBe('bigint');
      expect(v.by).toBeInstanceOf(Uint8Array);
      expect(v.ts).toBeInstanceOf(Date);
      expect((v.l_i64 as unknown[])[0]).toBe(9007199254740993n);
      // Missing features in a written row are stored as null.
      const k = fresh('e');
      await store.write(views.allTypes, [row(k, t, { s: 'only' })]);
      const rec = await readOne(views.allTypes, k);
      expect(rec?.values).toEqual(Object.fromEntries(views.allTypes.features.map((f) => [f.name, f.name === 's' ? 'only' : null])));
    });

    it('keeps composite keys apart, including parts that contain the separator', async () => {
      const t = Date.now();
      const id = fresh('');
      const keys = [compositeKey(id, 'C1'), compositeKey(id, 'C2'), compositeKey(`${id}|x`, 'y'), compositeKey(id, 'x|y')];
      await store.write(
        views.pair,
        keys.map((k, i) => row(k, t, { trips_together: i })),
      );
      const [res] = await store.read([{ view: views.pair, keys, features: ['trips_together'] }]);
      expect(res!.map((r) => r?.values.trips_together)).toEqual([0, 1, 2, 3]);
    });

    it('reads many views for many keys in one call, aligned with the requests', async () => {
      const t = Date.now();
      const ids = Array.from({ length: 30 }, () => fresh('f'));
      await store.write(
        views.stats,
        ids.map((k, i) => row(k, t, { conv_rate: 0.5, trips: i, note: `s${i}` })),
      );
      await store.write(
        views.allTypes,
        ids.filter((_, i) => i % 2 === 0).map((k, i) => row(k, t, { i32: i })),
      );
      await store.write(
        views.pair,
        ids.map((k, i) => row(compositeKey(k, 'c'), t, { trips_together: -i - 1 })),
      );
      const res = await store.read([
        { view: views.stats, keys: ids, features: ['trips'] },
        { view: views.allTypes, keys: ids, features: ['i32'] },
        { view: views.pair, keys: ids.map((k) => compositeKey(k, 'c')), features: ['trips_together'] },
        { view: views.stats, keys: [...ids].reverse(), features: ['note'] },
      ]);
      expect(res.map((r) => r.length)).toEqual([30, 30, 30, 30]);
      ids.forEach((_, i) => {
        expect(res[0]![i]?.values).toEqual({ trips: i });
        expect(res[1]![i]?.values ?? null).toEqual(i % 2 === 0 ? { i32: i / 2 } : null);
        expect(res[2]![i]?.values).toEqual({ trips_together: -i - 1 });
        expect(res[3]![i]?.values).toEqual({ note: `s${29 - i}` });
      });
    });
  });
};
