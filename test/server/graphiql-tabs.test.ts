import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import demoRepository from '../../schema/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { exampleAsOf, exampleTabs } from '../../src/server/example-query.js';
import { startDemoServer } from '../support/demo-server.js';

const KEYS = { driver: '1001', customer: 'C1001' };

describe('GraphiQL on the demo', () => {
  let demo: Awaited<ReturnType<typeof startDemoServer>>;
  let origin: string;
  beforeAll(async () => {
    demo = await startDemoServer({ app: { exampleKeys: KEYS } });
    origin = new URL(demo.server.url).origin;
  });
  afterAll(async () => demo?.close());

  const run = async (query: string) => {
    const res = await fetch(demo.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as { data?: Record<string, Record<string, unknown> | unknown[]>; errors?: { message: string }[] };
  };

  it('has example tabs that all run on the demo data: online, asOf inside the window, the service, a push, the registry', async () => {
    const tabs = exampleTabs(resolveRepository(demoRepository, 'demo'), { sampleKeys: KEYS });
    expect(tabs.map((t) => /(query|mutation) (\w+)/.exec(t.query)?.[2])).toEqual([
      'OnlineFeatures',
      'PointInTime',
      'PricingV1',
      'PushLocationRisk',
      'RegistryMetadata',
    ]);
    const [online, pit, pricing, push, registry] = await Promise.all(tabs.map((t) => run(t.query)));
    for (const r of [online, pit, pricing, push, registry]) expect(r?.errors).toBeUndefined();
    const pitStats = (pit!.data!.driver as { driverStats: { eventTimestamp: string } | null }).driverStats;
    expect(pitStats).not.toBeNull();
    expect(Date.parse(pitStats!.eventTimestamp)).toBeLessThanOrEqual(Date.parse(exampleAsOf()));
    const svc = pricing!.data!.pricingV1 as Record<string, Record<string, unknown> | null>;
    expect(svc.creditScore?.score).toEqual(expect.any(Number));
    expect(svc.accidentProximity?.distanceKm).toEqual(expect.any(Number));
    expect(push!.data!.pushLocationRisk).toMatchObject({ rows: 1, onlineWritten: 1 });
    expect((registry!.data!.featureViews as unknown[]).length).toBe(5);
  });

  it('keeps the asOf example inside the last week of data, relative to now', () => {
    const now = new Date('2026-12-01T04:37:12Z');
    expect(exampleAsOf(now)).toBe('2026-11-30T04:00:00.000Z');
  });

  it('sends its 9 MB page compressed: brotli when accepted, else gzip, the same page once decoded', async () => {
    // fetch (undici) asks for gzip and decodes bodies itself; read the raw bytes over node:http instead.
    const raw = (enc?: string) =>
      new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
        const req = request(
          `${origin}/graphql`,
          { headers: { accept: 'text/html', ...(enc ? { 'accept-encoding': enc } : {}) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    const plain = await raw();
    const html = plain.body;
    expect(plain.encoding).toBeUndefined();
    expect(html.length).toBeGreaterThan(5_000_000);
    for (const name of ['OnlineFeatures', 'PointInTime', 'PricingV1', 'PushLocationRisk', 'RegistryMetadata'])
      expect(html.toString()).toContain(name);
    const br = await raw('gzip, deflate, br');
    expect(br.encoding).toBe('br');
    expect(br.body.length).toBeLessThan(html.length / 4);
    expect(brotliDecompressSync(br.body).equals(html)).toBe(true);
    const gz = await raw('gzip');
    expect(gz.encoding).toBe('gzip');
    expect(gunzipSync(gz.body).equals(html)).toBe(true);
    console.log(`GraphiQL page: ${html.length} bytes, brotli ${br.body.length}, gzip ${gz.body.length}`);
  });

  it('leaves GraphQL results uncompressed (small, per request)', async () => {
    const res = await fetch(demo.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, 'accept-encoding': 'br, gzip' },
      body: JSON.stringify({ query: '{ featureViews { name } }' }),
    });
    expect(res.headers.get('content-encoding')).toBeNull();
  });
});
