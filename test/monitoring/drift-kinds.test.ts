import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entity, featureService, featureView, pushSource, repository } from '../../src/definitions/index.js';
import { resolveRepository, type ResolvedRepository } from '../../src/definitions/resolve.js';
import { Bool, Int32, String as Str } from '../../src/definitions/value-types.js';
import { openOfflineStore } from '../../src/offline/index.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { computeDrift, createServerMonitoring, parseCurrent, parseReference, type ServerMonitoring } from '../../src/monitoring/index.js';
import { createSqlLogStore } from '../../src/monitoring/log-store.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';

const DAY = 86_400_000;
const N = 400;
const WIDE = 33;

/** PSI of value bins by the documented rule: the reference's values (at most 20, here fewer), other, null; empty 1e-4. */
const categoricalPsi = (ref: (string | null)[], cur: (string | null)[]): number => {
  const values = [...new Set(ref.filter((v): v is string => v !== null))];
  const share = (xs: (string | null)[]) => {
    const bins = new Map<string, number>();
    for (const x of xs) {
      const b = x === null ? 'null' : values.includes(x) ? `v:${x}` : 'other';
      bins.set(b, (bins.get(b) ?? 0) + 1);
    }
    return (b: string) => (bins.get(b) ?? 0) / xs.length || 1e-4;
  };
  const r = share(ref);
  const c = share(cur);
  return ['null', 'other', ...values.map((v) => `v:${v}`)].reduce((s, b) => s + (c(b) - r(b)) * Math.log(c(b) / r(b)), 0);
};

/**
 * Drift over window references for what the demo's numeric service does not have: String and Bool features
 * (value bins, read with the log's most frequent values) and a service with more binned features than one
 * Postgres GROUPING can take (31).
 */
describe.each(sqlBackends)('drift of categorical features and of wide services on $name', ({ open }) => {
  const project = uniqueProject('driftk');
  const base = Date.parse('2026-11-20T12:00:00Z');
  let clock = base;
  let sql: SqlClient;
  let online: OnlineStore;
  let repo: ResolvedRepository;
  let app: FeatureGraphApp;
  let monitoring: ServerMonitoring;
  const ids = Array.from({ length: N }, (_, i) => `C${i}`);
  const wideNames = Array.from({ length: WIDE }, (_, i) => `n${i}`);

  beforeAll(async () => {
    sql = await open();
    const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
    const profile = featureView({
      name: 'profile',
      entities: [customer],
      features: { tier: Str, active: Bool, ...Object.fromEntries(wideNames.map((n) => [n, Int32])) },
      source: pushSource({ name: 'profile_push' }),
      ttl: 0,
    });
    const defs = repository({
      project,
      entities: [customer],
      featureViews: [profile],
      featureServices: [
        featureService({
          name: 'profile_svc',
          features: [profile.select(...(['tier', 'active', ...wideNames] as 'tier'[]))],
          logging: { sampleRate: 1 },
        }),
      ],
    });
    repo = resolveRepository(defs, project);
    online = createSqlOnlineStore(sql, project);
    await online.prepare(repo.views);
    const rt = { repo, online, offline: openOfflineStore(sql), registry: unappliedRegistry, now: () => clock };
    monitoring = createServerMonitoring(rt, { logger: false });
    app = createApp(rt, { logging: false, monitoring });
    const fields = ['tier', 'active', ...wideNames].join(' ');
    for (const [day, shifted] of [
      [0, false],
      [1, true],
    ] as const) {
      clock = base + day * DAY;
      const eventTs = new Date(clock - 60_000);
      await online.write(
        repo.views[0]!,
        ids.map((id, i) => ({
          key: id,
          eventTs,
          createdTs: eventTs,
          values: {
            // Reference: gold/silver/bronze evenly, a tenth null; shifted: mostly gold and a value never seen.
            tier: i % 10 === 0 ? null : shifted ? (i % 3 === 0 ? 'new' : 'gold') : ['gold', 'silver', 'bronze'][i % 3]!,
            active: shifted ? i % 5 !== 0 : i % 2 === 0,
            ...Object.fromEntries(wideNames.map((n, j) => [n, (i * (j + 1)) % 97])),
          },
        })),
      );
      for (let i = 0; i < N; i += 50) {
        const res = await app.fetch('http://test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `query($ids: [ID!]!) { profileSvcs(customerIds: $ids) { profile { ${fields} } } }`,
            variables: { ids: ids.slice(i, i + 50) },
          }),
        });
        expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
      }
      await monitoring.servedLog!.flush();
    }
  }, 120_000);
  afterAll(async () => {
    await monitoring?.close();
    await dropSchemas(sql, `fg_${project}`);
    await sql.close();
  });

  it('bins String and Bool features by value over window references, equal to the rule computed from the log', async () => {
    const now = base + 2 * DAY;
    const report = await computeDrift(
      createSqlLogStore(sql),
      repo,
      'profile_svc',
      parseReference('now-2d..now-1d', { allowFiles: false, now }),
      parseCurrent('now-1d..now', now),
    );
    expect(report.features).toHaveLength(2 + WIDE);
    const logged = async (col: string, from: number) =>
      (
        await sql.query<{ v: unknown }>(
          `SELECT "${col}"::text AS v FROM "fg_${project}"."served_log_profile_svc" WHERE logged_at >= $1 AND logged_at < $2`,
          [new Date(from), new Date(from + DAY)],
        )
      ).rows.map((r) => (r.v === null ? null : String(r.v)));
    for (const name of ['tier', 'active']) {
      const f = report.features.find((x) => x.feature === name)!;
      expect(f.kind, name).toBe('categorical');
      const expected = categoricalPsi(await logged(`profile__${name}`, base), await logged(`profile__${name}`, base + DAY));
      expect(Math.abs(f.psi! - expected), name).toBeLessThan(1e-9);
      expect(f.drifted, name).toBe(true);
    }
    // The 33 numeric features (more than one GROUPING takes) are all binned; none of them moved.
    const wide = report.features.filter((x) => wideNames.includes(x.feature));
    expect(wide.map((x) => [x.kind, x.referenceCount, x.currentCount, x.psi])).toEqual(wideNames.map(() => ['numeric', N, N, 0]));
  });
});
