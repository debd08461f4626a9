import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import demoRepository from '../../schema/index.js';
import { applyRepository } from '../../src/registry/index.js';
import { startDemoServer } from '../support/demo-server.js';

/** The README's push example, on the demo, exactly as a user runs it — twice. */
describe('the README push example on the demo', () => {
  let demo: Awaited<ReturnType<typeof startDemoServer>>;
  let base: string;
  const body = '{"customer_id":"C1001","event_timestamp":"2026-11-26T10:00:00Z","risk":0.42}\n';
  const push = async (text = body) => {
    const res = await fetch(`${base}/push/location_risk?to=ONLINE_AND_OFFLINE`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: text,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const stored = async () =>
    (
      await demo.sql.query<{ risk: number }>(
        `SELECT risk FROM fg_demo.push_location_risk WHERE customer_id = 'C1001' AND event_timestamp = '2026-11-26T10:00:00Z' ORDER BY risk`,
      )
    ).rows.map((r) => r.risk);

  beforeAll(async () => {
    demo = await startDemoServer();
    base = demo.server.url.replace(/\/graphql$/, '');
  }, 180_000);
  afterAll(async () => {
    await demo?.close();
  });

  it('succeeds twice: the replay writes nothing, and no duplicate-key 503', async () => {
    // The demo holds a row of C1001 at that very hour too (with another risk): the push is a same-time correction.
    const before = await stored();
    expect(await push()).toMatchObject({ status: 200, body: { rows: 1, offlineWritten: 1 } });
    expect(await push()).toMatchObject({ status: 200, body: { rows: 1, offlineWritten: 0, onlineWritten: 0 } });
    expect((await stored()).filter((r) => r === 0.42)).toHaveLength(1);
    expect(await stored()).toHaveLength(before.length + 1);
  });

  it('a data dir made with the old primary key loses it at apply, so a same-time correction is stored', async () => {
    await demo.sql.query(`DELETE FROM fg_demo.push_location_risk WHERE risk = 0.42`);
    const before = await stored();
    await demo.sql.query('ALTER TABLE fg_demo.push_location_risk ADD PRIMARY KEY (customer_id, event_timestamp)');
    await applyRepository(demo.sql, demoRepository, { project: 'demo', onlineTables: true });
    const correction = '{"customer_id":"C1001","event_timestamp":"2026-11-26T10:00:00Z","risk":0.5}\n';
    expect(await push(correction)).toMatchObject({ status: 200, body: { offlineWritten: 1 } });
    expect((await stored()).sort()).toEqual([...before, 0.5].sort());
  });
});
