import { openOfflineStore } from '../../src/offline/index.js';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import type { ServingRuntime } from '../../src/graphql/runtime.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { createLogger, createServerMonitoring, type ServerMonitoring } from '../../src/monitoring/index.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import definitions from '../fixtures/logged-push-definitions.js';
import { uniqueProject } from '../support/env.js';

describe('JSON request logs', () => {
  const project = uniqueProject('reqlog');
  const lines: Record<string, unknown>[] = [];
  let sql: SqlClient;
  let app: FeatureGraphApp;
  let monitoring: ServerMonitoring;
  let rt: ServingRuntime;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });

  beforeAll(async () => {
    sql = await createPgliteClient();
    // Nothing applied and no online tables: every store access fails for real.
    const repo = resolveRepository(definitions, project);
    rt = {
      repo,
      online: createSqlOnlineStore(sql, project),
      offline: openOfflineStore(sql),
      registry: unappliedRegistry,
      now: Date.now,
    };
    monitoring = createServerMonitoring(rt, { logger: createLogger({ destination: sink, level: 'debug' }), servedLog: false });
    app = createApp(rt, { logging: false, monitoring });
  });
  afterAll(async () => {
    await monitoring.close();
    await sql.close();
  });

  it('logs a failing store read and a failing push with the request id the client got', async () => {
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'read-1' },
      body: JSON.stringify({ query: '{ customer(customerId: "C1") { locationRisk { risk } } }' }),
    });
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('ONLINE_STORE_UNAVAILABLE');
    const push = await app.fetch('http://test/push/location_risk?to=OFFLINE', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'push-1' },
      body: JSON.stringify([{ customer_id: 'C1', event_timestamp: new Date().toISOString(), risk: 0.5 }]),
    });
    // The push table is missing (nothing applied): not an outage but our own failure, so 500 (docs/writes.md).
    expect(push.status).toBe(500);
    expect(push.headers.get('x-request-id')).toBe('push-1');
    const read = lines.find((l) => l.requestId === 'read-1' && l.level === 50);
    expect(read).toMatchObject({ code: 'ONLINE_STORE_UNAVAILABLE', path: ['customer', 'locationRisk'] });
    expect(lines.find((l) => l.requestId === 'push-1' && l.level === 50)).toMatchObject({
      view: 'location_risk',
      msg: 'push to location_risk failed',
    });
    // With the server's error log on (as `serve` runs), a failed push is logged once, as a failed push.
    await createApp(rt, { monitoring }).fetch('http://test/push/location_risk?to=OFFLINE', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'push-2' },
      body: JSON.stringify([{ customer_id: 'C1', event_timestamp: new Date().toISOString(), risk: 0.5 }]),
    });
    expect(lines.filter((l) => l.requestId === 'push-2' && Number(l.level) >= 50).map((l) => l.msg)).toEqual([
      'push to location_risk failed',
    ]);
    // With the server's error log on (as `serve` runs), the driver's error of a store that is down is logged as
    // that, not as an unexpected error.
    await createApp(rt, { monitoring }).fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'read-2' },
      body: JSON.stringify({ query: '{ customer(customerId: "C1") { locationRisk { risk } } }' }),
    });
    const readLines = lines.filter((l) => l.requestId === 'read-2' && l.level === 50);
    expect(readLines.length).toBeGreaterThan(0);
    expect(readLines.every((l) => /the online store could not serve location_risk: it is unavailable/.test(String(l.msg)))).toBe(true);
    // The per-request debug line of each, and every line about a request carries its id.
    expect(lines.filter((l) => l.msg === 'request').map((l) => l.requestId)).toEqual(['read-1', 'push-1', 'push-2', 'read-2']);
    // An unexpected error (here: the request context cannot be built) is one line of the same JSON log, with
    // the request id the client got, not a line of another format on stderr.
    const broken = createApp(
      { ...rt, online: { ...rt.online, read: () => Promise.reject(new TypeError('boom from a bug')) } },
      { monitoring },
    );
    const bad = await broken.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'bug-1' },
      body: JSON.stringify({ query: '{ customer(customerId: "C1") { locationRisk { risk } } }' }),
    });
    const badBody = JSON.stringify(await bad.json());
    expect(badBody).not.toContain('boom');
    expect(lines.find((l) => l.requestId === 'bug-1' && l.level === 50 && JSON.stringify(l).includes('boom from a bug'))).toBeDefined();
    // A failed readiness check is logged with the id its 503 carries.
    const unready = createApp({ ...rt, online: { ...rt.online, ping: () => Promise.reject(new Error('ping boom')) } }, { monitoring });
    const ready = await unready.fetch('http://test/ready', { headers: { 'x-request-id': 'ready-1' } });
    expect(ready.status).toBe(503);
    expect(ready.headers.get('x-request-id')).toBe('ready-1');
    expect(lines.find((l) => l.requestId === 'ready-1' && l.level === 50 && JSON.stringify(l).includes('ping boom'))).toMatchObject({
      msg: 'readiness check: the online store is unavailable',
    });
    // An unsafe client id is replaced by a fresh one.
    const odd = await app.fetch('http://test/health', { headers: { 'x-request-id': 'a b\nc' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
