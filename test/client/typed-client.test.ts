import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriverStatsDocument, DriversBatchDocument, PricingV1Document } from '../../schema/client/graphql.js';
import persisted from '../../schema/client/persisted-documents.json' with { type: 'json' };
import { startDemoServer } from '../support/demo-server.js';
import { trustedDocuments } from '../../src/server/trusted-documents.js';

/** The few lines a frontend needs: a typed document in, typed data out. */
const request = async <R, V>(url: string, doc: TypedDocumentNode<R, V>, variables: V): Promise<R> => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: print(doc), variables }),
  });
  const body = (await res.json()) as { data: R; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
};

describe('the generated typed client against a running server', () => {
  let demo: Awaited<ReturnType<typeof startDemoServer>>;
  beforeAll(async () => {
    demo = await startDemoServer();
  });
  afterAll(async () => demo.close());

  it('fetches one driver with typed fields', async () => {
    const data = await request(demo.server.url, DriverStatsDocument, { driverId: '1001' });
    const stats = data.driver.driverStats;
    expect(stats).not.toBeNull();
    // Typed: convRate is number | null, eventTimestamp is string.
    const conv: number | null | undefined = stats?.convRate;
    expect(typeof conv).toBe('number');
    expect(new Date(stats!.eventTimestamp).getTime()).toBeLessThanOrEqual(demo.now.getTime());
    expect(Number.isInteger(stats?.avgDailyTrips)).toBe(true);
  });

  it('fetches a batch in order', async () => {
    const ids = ['1003', '1001', '1003'];
    const data = await request(demo.server.url, DriversBatchDocument, { driverIds: ids });
    expect(data.drivers.map((d) => d.driverId)).toEqual(ids);
    expect(data.drivers[0]?.driverStats).toEqual(data.drivers[2]?.driverStats);
  });

  it('fetches the pricing_v1 feature service', async () => {
    const data = await request(demo.server.url, PricingV1Document, { customerId: 'C1001', userLat: 52.52, userLon: 13.405 });
    expect(typeof data.pricingV1.creditScore?.score).toBe('number');
    expect(data.pricingV1.locationRisk?.risk).toBeGreaterThanOrEqual(0);
  });

  it('ships a persisted-document hash for every operation', () => {
    const bodies = Object.values(persisted as Record<string, string>);
    expect(bodies.some((b) => b.startsWith('query PricingV1('))).toBe(true);
    expect(Object.keys(persisted).every((h) => /^[0-9a-f]{40}$/.test(h))).toBe(true);
  });
});

describe('the generated typed client against a server that runs trusted documents only', () => {
  let demo: Awaited<ReturnType<typeof startDemoServer>>;
  beforeAll(async () => {
    demo = await startDemoServer({
      app: { trustedDocuments: { documents: trustedDocuments(persisted as Record<string, string>), only: true } },
    });
  });
  afterAll(async () => demo.close());

  it('works unchanged: the documents it sends are the trusted ones', async () => {
    const data = await request(demo.server.url, DriverStatsDocument, { driverId: '1001' });
    expect(typeof data.driver.driverStats?.convRate).toBe('number');
  });

  it('calls the pricing_v1 feature service by its persisted id, and refuses any other document', async () => {
    const id = Object.entries(persisted as Record<string, string>).find(([, q]) => q.startsWith('query PricingV1('))![0];
    const res = await fetch(demo.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ documentId: id, variables: { customerId: 'C1001', userLat: 52.52, userLon: 13.405 } }),
    });
    const body = (await res.json()) as { data: { pricingV1: { creditScore: { score: number } | null } } };
    expect(typeof body.data.pricingV1.creditScore?.score).toBe('number');
    const other = await fetch(demo.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ featureViews { name } }' }),
    });
    expect(other.status).toBe(403);
    expect(((await other.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      'PERSISTED_QUERY_ONLY',
    );
  });
});
