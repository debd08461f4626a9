import { openOfflineStore } from '../../src/offline/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEntityKey } from '../../src/definitions/values.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { applyRepository } from '../../src/registry/index.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import { seedSmallSources, smallRepository } from '../support/fixture.js';

interface Part {
  data?: Record<string, unknown>;
  incremental?: { data: Record<string, unknown>; path: (string | number)[] }[];
  hasNext?: boolean;
  errors?: unknown[];
}

/** Reads JSON parts of a multipart/mixed response one at a time, as they arrive. */
const multipartReader = (body: ReadableStream<Uint8Array>) => {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return async (): Promise<Part | null> => {
    for (;;) {
      const m = /\r\n\r\n(\{[^\r]*\})\r\n---/.exec(buffer);
      if (m) {
        buffer = buffer.slice(m.index + m[0].length);
        return JSON.parse(m[1]!) as Part;
      }
      const { value, done } = await reader.read();
      if (done) return null;
      buffer += decoder.decode(value, { stream: true });
    }
  };
};

describe.each(sqlBackends)('@defer on $name', ({ open }) => {
  const project = uniqueProject('defer');
  const schema = `${project}_src`;
  const now = Math.floor(Date.now() / 1000) * 1000;
  const at = new Date(now - 3 * 3600_000);
  let sql: SqlClient;
  let app: FeatureGraphApp;
  // Point-in-time statements wait for this gate, so the test sees whether the online part came first.
  let release: () => void = () => {};
  let gate = Promise.resolve();
  let pointInTimeStarted = 0;

  beforeAll(async () => {
    sql = await open();
    await seedSmallSources(sql, schema, 10, at);
    const defs = smallRepository(project, schema);
    await applyRepository(sql, defs, { project, onlineTables: true });
    const repo = resolveRepository(defs, project);
    const online = createSqlOnlineStore(sql, project);
    await online.write(repo.views.find((v) => v.name === 'driver_stats')!, [
      { key: encodeEntityKey(['5']), eventTs: new Date(now - 60_000), createdTs: null, values: { conv_rate: 0.75, avg_daily_trips: 3 } },
    ]);
    const gated: SqlClient = {
      ...sql,
      query: async (text, params) => {
        if (/LATERAL/.test(text)) {
          pointInTimeStarted++;
          await gate;
        }
        return sql.query(text, params);
      },
      queryWithin: async (ms, text, params) => {
        if (/LATERAL/.test(text)) {
          pointInTimeStarted++;
          await gate;
        }
        return sql.queryWithin(ms, text, params);
      },
    };
    app = createApp({ repo, online, offline: openOfflineStore(gated), registry: unappliedRegistry, now: () => now }, { logging: false });
  });
  afterAll(async () => {
    await dropSchemas(sql, `fg_${project}`, schema);
    await sql.close();
  });

  it('sends the online values first and a deferred point-in-time read after it, in the same response', async () => {
    gate = new Promise<void>((r) => (release = r));
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
      body: JSON.stringify({
        query: `{ driver(driverId: "5") {
          driverStats { convRate }
          ... @defer(label: "history") { past: driverStats(asOf: "${new Date(at.getTime() + 60_000).toISOString()}") { avgDailyTrips ageSeconds } }
        } }`,
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^multipart\/mixed/);
    const next = multipartReader(res.body!);

    // The first part arrives while the point-in-time statement is still held at the gate.
    const first = await next();
    expect(first).toEqual({ data: { driver: { driverStats: { convRate: 0.75 } } }, hasNext: true });
    expect(pointInTimeStarted).toBeGreaterThan(0);

    release();
    const second = await next();
    expect(second).toMatchObject({
      incremental: [{ data: { past: { avgDailyTrips: 50, ageSeconds: 60 } }, path: ['driver'], label: 'history' }],
    });
    // The stream ends with hasNext: false (in this part or a last empty one).
    let last = second;
    while (last?.hasNext) last = await next();
    expect(last?.hasNext).toBe(false);
  });

  it('delivers the deferred part over SSE too; a client accepting only JSON is told 406 (Yoga cannot send parts as one JSON)', async () => {
    gate = Promise.resolve();
    const query = '{ driver(driverId: "5") { driverStats { convRate } ... @defer { driverRating { rating } } } }';
    const sse = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query }),
    });
    // driver_rating has no online value for driver 5: the deferred part carries its null.
    const events = (await sse.text())
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)) as Part);
    expect(events[0]).toEqual({ data: { driver: { driverStats: { convRate: 0.75 } } }, hasNext: true });
    expect(events[1]).toMatchObject({ incremental: [{ data: { driverRating: null }, path: ['driver'] }] });
    const json = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query }),
    });
    expect(json.status).toBe(406);
  });
});
