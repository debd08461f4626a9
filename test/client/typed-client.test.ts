import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriverStatsDocument, DriversBatchDocument, PricingV1Document } from '../../schema/client/graphql.js';
import persisted from '../../schema/client/persisted-documents.json' with { type: 'json' };
import { startDemoServer } from '../support/demo-server.js';
import { trustedDocuments } from '../../src/server/trusted-documents.js';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client/core/index.js';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries/index.js';
import { createHash } from 'node:crypto';

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

  it("Apollo Client's persisted-query link works as it ships: default cache (which adds __typename), hash first", async () => {
    const sent: { body: string; status: number }[] = [];
    const logged: typeof fetch = async (url, init) => {
      const res = await fetch(url, init);
      sent.push({ body: String(init?.body ?? url), status: res.status });
      return res;
    };
    const link = createPersistedQueryLink({ sha256: (q: string) => createHash('sha256').update(q).digest('hex') }).concat(
      new HttpLink({ uri: demo.server.url, fetch: logged }),
    );
    const client = new ApolloClient({ link, cache: new InMemoryCache() });
    try {
      const { data } = await client.query({ query: DriverStatsDocument, variables: { driverId: '1001' } });
      expect(typeof data.driver.driverStats?.convRate).toBe('number');
      expect((data.driver as { __typename?: string }).__typename).toBe('Driver');
      // Apollo hashes the document as its cache rewrote it, in the client's source order: the first time the
      // server does not know that id, and Apollo sends the (trusted) document with it, which is accepted.
      expect(sent.map((s) => s.status)).toEqual([404, 200]);
      // From then on the id alone: the server kept it, as the sha256 of a trusted document.
      sent.length = 0;
      const again = await client.query({ query: DriverStatsDocument, variables: { driverId: '1002' }, fetchPolicy: 'network-only' });
      expect(again.data.driver.driverId).toBe('1002');
      expect(sent).toHaveLength(1);
      expect(sent[0]!.status).toBe(200);
      expect(sent[0]!.body).toContain('"sha256Hash"');
      expect(sent[0]!.body).not.toContain('"query"');
    } finally {
      client.stop();
    }
  });

  it('keeps a client-sent id only for a trusted document whose sha256 it is', async () => {
    const trusted = Object.values(persisted as Record<string, string>).find((q) => q.startsWith('query DriverStats('))!;
    const post = (body: unknown) =>
      fetch(demo.server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const wrongId = 'f'.repeat(64);
    // A trusted document sent under an id that is not its hash runs, but the id is not kept for it.
    expect(
      (await post({ query: trusted, variables: { driverId: '1001' }, extensions: { persistedQuery: { version: 1, sha256Hash: wrongId } } }))
        .status,
    ).toBe(200);
    expect(
      (await post({ variables: { driverId: '1001' }, extensions: { persistedQuery: { version: 1, sha256Hash: wrongId } } })).status,
    ).toBe(404);
  });
});
