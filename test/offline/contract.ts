import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedRepository, ViewSpec } from '../../src/definitions/resolve.js';
import type { FeatureValue } from '../../src/definitions/values.js';
import type { OfflineStore } from '../../src/offline/store.js';
import { planTrainingSet } from '../../src/offline/training/feature-refs.js';
import { getHistoricalFeatures } from '../../src/offline/training-set.js';
import { bruteForce, bruteForceLatest, type SourceRow } from './brute-force.js';
import { BASE, MIN, NOW, randomAsOf, randomRows, rng } from './random-sources.js';

/** An engine under test: its store and repository over sources holding `rows` (by view name). */
export interface ContractEngine {
  readonly name: string;
  /** The engine the store must report (proves which engine answered). */
  readonly engine: string;
  open(
    rows: (repo: ResolvedRepository) => Map<string, SourceRow[]>,
  ): Promise<{ store: OfflineStore; repo: ResolvedRepository; close(): Promise<void> }>;
}

const SEED = Number(process.env.ORACLE_SEED ?? 20240101);
export const ENT_KEYS = ['1', '2', '3', '4', '99']; // 99 never has rows
export const GRP_KEYS = ['g1', 'g2', 'g3']; // g3 never has rows

const keyPool = (v: ViewSpec): string[][] =>
  v.keys.length === 1 ? ENT_KEYS.slice(0, 4).map((k) => [k]) : ENT_KEYS.slice(0, 3).flatMap((e) => GRP_KEYS.slice(0, 2).map((g) => [e, g]));

/** The same random sources for every engine: one seed. */
export const contractRows = (repo: ResolvedRepository): Map<string, SourceRow[]> => {
  const r = rng(SEED);
  return new Map(repo.views.map((v) => [v.name, randomRows(r, v, 160, keyPool(v))]));
};

const expectRecord = (
  got: { eventTs: Date; createdTs: Date | null; values: Readonly<Record<string, FeatureValue>> } | null,
  want: SourceRow | null,
  view: ViewSpec,
  where: string,
) => {
  if (!want) return expect(got, where).toBeNull();
  expect(got, where).not.toBeNull();
  expect(got?.eventTs.getTime(), where).toBe(want.eventTs.getTime());
  expect(got?.createdTs?.getTime() ?? null, where).toBe(want.createdTs?.getTime() ?? null);
  expect(got?.values, where).toEqual(Object.fromEntries(view.features.map((f, i) => [f.name, want.values[i] ?? null])));
};

/**
 * The offline store contract (docs/offline-stores.md), checked against a brute-force model of the README's
 * semantics on random adversarial sources (ties on event and created time, ttl edges, composite keys, late
 * rows, nulls, as-known-at): point-in-time reads, training sets and materialization reads.
 */
export const offlineContract = (engines: readonly ContractEngine[]) =>
  describe.each(engines)('offline store contract on $name', (engine) => {
    let store: OfflineStore;
    let repo: ResolvedRepository;
    let sources: Map<string, SourceRow[]>;
    let close: () => Promise<void>;
    const r = rng(SEED + 1);
    const view = (name: string) => repo.views.find((v) => v.name === name) as ViewSpec;

    beforeAll(async () => {
      ({ store, repo, close } = await engine.open((resolved) => (sources = contractRows(resolved))));
    });
    afterAll(async () => close?.());

    it('is the engine it claims to be and serves every view', () => {
      expect(store.engine).toBe(engine.engine);
      for (const v of repo.views) expect(store.serves(v), v.name).toBe(true);
    });

    it('finds no problem with its sources', async () => {
      expect(await store.checkSources(repo.views)).toEqual([]);
    });

    for (const mode of ['view default', 'as known at', 'event time'] as const)
      it(`point-in-time reads match the brute-force definition (${mode})`, async () => {
        const override = mode === 'as known at' ? true : mode === 'event time' ? false : undefined;
        for (const v of repo.views) {
          const requests = Array.from({ length: 400 }, () => ({
            keys: v.keys.length === 1 ? [r.pick(ENT_KEYS)] : [r.pick(ENT_KEYS), r.pick(GRP_KEYS)],
            asOf: randomAsOf(r),
          }));
          requests.push(requests[0] as (typeof requests)[number]);
          const got = await store.pointInTime(
            v,
            requests,
            v.features.map((f) => f.name),
            { now: NOW, ...(override !== undefined ? { asKnownAt: override } : {}) },
          );
          expect(got).toHaveLength(requests.length);
          const knownAt = override ?? v.asKnownAt;
          let found = 0;
          let differs = 0;
          requests.forEach((q, i) => {
            const want = bruteForce(sources.get(v.name) ?? [], q.keys, q.asOf, v.ttlSeconds, NOW, knownAt);
            if (want) found++;
            const other = bruteForce(sources.get(v.name) ?? [], q.keys, q.asOf, v.ttlSeconds, NOW, !knownAt);
            if (other !== want) differs++;
            expectRecord(got[i] ?? null, want, v, `${v.name} ${q.keys.join('|')} @ ${q.asOf.toISOString()} asKnownAt=${knownAt}`);
          });
          expect(found).toBeGreaterThan(50);
          expect(found).toBeLessThan(requests.length);
          // Late rows must make the two settings disagree somewhere, or the test would prove nothing.
          if (v.source.createdTimestampColumn) expect(differs, v.name).toBeGreaterThan(0);
        }
      });

    it('reads keys at the bounds of their integer type (no value there), not an error', async () => {
      for (const v of repo.views) {
        const bounds = (t: string) =>
          t === 'Int64' ? ['-9223372036854775808', '9223372036854775807'] : t === 'Int32' ? ['-2147483648', '2147483647'] : ['x'];
        const keys = bounds(v.keys[0]!.type.name).map((k) => [k, ...v.keys.slice(1).map(() => GRP_KEYS[0]!)]);
        for (const asKnownAt of [true, false]) {
          const got = await store.pointInTime(
            v,
            keys.map((k) => ({ keys: k, asOf: NOW })),
            v.features.map((f) => f.name),
            { now: NOW, asKnownAt },
          );
          expect(got, v.name).toEqual(keys.map(() => null));
        }
      }
    });

    it('returns only the selected features', async () => {
      const v = view('single');
      const [rec] = await store.pointInTime(v, [{ keys: ['1'], asOf: NOW }], ['c'], { now: NOW });
      const want = bruteForce(sources.get('single') ?? [], ['1'], NOW, v.ttlSeconds, NOW);
      if (want) expect(rec?.values).toEqual({ c: want.values[2] ?? null });
      else expect(rec).toBeNull();
    });

    for (const override of [undefined, true, false])
      it(`training sets match the brute-force definition across every view, in order with duplicates (asKnownAt ${String(override)})`, async () => {
        const entityRows = Array.from({ length: 300 }, () => ({
          ent_id: r.pick(ENT_KEYS),
          grp_id: r.pick(GRP_KEYS),
          event_timestamp: randomAsOf(r).toISOString(),
          note: r.pick(['a,b', '"q"', '', 'x']),
        }));
        entityRows.push({ ...(entityRows[5] as (typeof entityRows)[number]) }, { ...(entityRows[5] as (typeof entityRows)[number]) });
        entityRows.push({ ent_id: '1', grp_id: 'g1', event_timestamp: '1969-07-20T20:17:40.123Z', note: 'x' });
        const features = repo.views.flatMap((v) => v.features.map((f) => `${v.name}:${f.name}`));
        const out = await getHistoricalFeatures(store, repo, {
          entities: { rows: entityRows },
          features,
          now: NOW,
          ...(override !== undefined ? { asKnownAt: override } : {}),
        });
        expect(out.columns.map((c) => c.name)).toEqual([
          'ent_id',
          'grp_id',
          'event_timestamp',
          'note',
          ...features.map((f) => f.replace(':', '__')),
        ]);
        expect(out.rows).toHaveLength(entityRows.length);
        entityRows.forEach((e, i) => {
          const row = out.rows[i] ?? {};
          expect(row.ent_id).toBe(BigInt(e.ent_id));
          expect(row.note).toBe(e.note);
          expect((row.event_timestamp as Date).toISOString()).toBe(e.event_timestamp);
          for (const v of repo.views) {
            const keys = v.keys.length === 1 ? [e.ent_id] : [e.ent_id, e.grp_id];
            const want = bruteForce(
              sources.get(v.name) ?? [],
              keys,
              new Date(e.event_timestamp),
              v.ttlSeconds,
              NOW,
              override ?? v.asKnownAt,
            );
            const where = `row ${i} ${v.name} ${keys.join('|')} @ ${e.event_timestamp}`;
            v.features.forEach((f, j) => expect(row[`${v.name}__${f.name}`], where).toEqual(want ? (want.values[j] ?? null) : null));
            expect(out.eventTimestamps[i]?.[v.name]?.getTime() ?? null, where).toBe(want?.eventTs.getTime() ?? null);
          }
        });
        expect(out.rows[entityRows.length - 2]).toEqual(out.rows[5]);
      });

    it('training sets stream to the sink in batches, calling the engine under test once', async () => {
      const features = ['single:a', 'pair:y'];
      const plan = planTrainingSet(repo, { features });
      const entityRows = Array.from({ length: 120 }, () => ({
        ent_id: r.pick(ENT_KEYS),
        grp_id: r.pick(GRP_KEYS),
        event_timestamp: randomAsOf(r).toISOString(),
      }));
      let rows = 0;
      let batches = 0;
      const res = await store.trainingSet(
        plan,
        { entities: { rows: entityRows }, features, now: NOW },
        { start: () => undefined, write: (b) => void ((rows += b.length), batches++) },
        { batchSize: 50 },
      );
      expect(res.rows).toBe(120);
      expect(rows).toBe(120);
      expect(batches).toBeGreaterThan(0);
    });

    const windows = [
      { name: 'all history', w: { eventFrom: null, end: NOW } },
      { name: 'a bounded window', w: { eventFrom: new Date(BASE + 40 * MIN), end: new Date(BASE + 120 * MIN) } },
      {
        name: 'an incremental window (late rows by created time)',
        w: {
          eventFrom: new Date(BASE),
          end: NOW,
          since: { createdFrom: new Date(BASE + 290 * MIN), eventFrom: new Date(BASE + 140 * MIN) },
        },
      },
    ];
    for (const { name, w } of windows)
      it(`materialization reads the per-key latest rows of ${name}`, async () => {
        let total = 0;
        for (const v of repo.views) {
          const want = bruteForceLatest(sources.get(v.name) ?? [], w);
          const got = new Map<string, { eventTs: Date; createdTs: Date | null; values: Readonly<Record<string, FeatureValue>> }>();
          for await (const batch of store.latestRows(v, w, 7)) {
            expect(batch.length).toBeLessThanOrEqual(7);
            for (const row of batch) {
              expect(got.has(row.key), `${v.name} ${row.key} twice`).toBe(false);
              got.set(row.key, row);
            }
          }
          expect([...got.keys()].sort(), v.name).toEqual([...want.keys()].sort());
          for (const [k, rec] of got) expectRecord(rec, want.get(k) ?? null, v, `${v.name} ${k}`);
          total += got.size;
        }
        expect(total).toBeGreaterThan(0);
      });
  });
