import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer } from '../support/demo-server.js';

const query = async (url: string, q: string) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q }) });
  return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
};

describe('registry metadata over GraphQL', () => {
  let demo: Awaited<ReturnType<typeof startDemoServer>>;
  beforeAll(async () => {
    demo = await startDemoServer();
  });
  afterAll(async () => demo.close());

  it('lists feature views with definitions, versions, sources and freshness', async () => {
    const { data, errors } = await query(
      demo.server.url,
      '{ featureView(name: "driver_stats") { name description owner tags { key value } entities ttlSeconds online version hash features { name field valueType description unit range { min max } } source { name kind table eventTimestampColumn createdTimestampColumn } freshness { lastMaterializedAt } } missing: featureView(name: "nope") { name } }',
    );
    expect(errors).toBeUndefined();
    const v = data?.featureView as Record<string, unknown> & { freshness: { lastMaterializedAt: string } };
    expect(v).toMatchObject({
      name: 'driver_stats',
      owner: 'mobility-ml@example.com',
      tags: [{ key: 'team', value: 'mobility' }],
      entities: ['driver'],
      ttlSeconds: 172800,
      online: true,
      version: 1,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      features: [
        {
          name: 'conv_rate',
          field: 'convRate',
          valueType: 'Float32',
          description: 'Share of ride offers the driver converted into trips, over the last hour.',
          unit: 'ratio',
          range: { min: 0, max: 1 },
        },
        { name: 'acc_rate', field: 'accRate', valueType: 'Float32' },
        { name: 'avg_daily_trips', field: 'avgDailyTrips', valueType: 'Int32', unit: 'trips/day', range: null },
      ],
      source: {
        name: 'driver_hourly_stats',
        kind: 'postgres',
        table: 'demo.driver_hourly_stats',
        eventTimestampColumn: 'event_timestamp',
        createdTimestampColumn: 'created',
      },
    });
    expect(Date.parse(v.freshness.lastMaterializedAt)).toBeGreaterThan(demo.now.getTime() - 60_000);
    expect(data?.missing).toBeNull();
  });

  it('lists aggregation views with their events, outputs and windows', async () => {
    const { data, errors } = await query(
      demo.server.url,
      '{ aggregationViews { name owner entities eventId fields { name valueType } outputs { name field function eventField windowSeconds valueType description } source { name kind table } version hash } }',
    );
    expect(errors).toBeUndefined();
    expect(data?.aggregationViews).toEqual([
      {
        name: 'quote_activity',
        owner: 'pricing-ml@example.com',
        entities: ['customer'],
        eventId: 'request_id',
        fields: [
          { name: 'request_id', valueType: 'String' },
          { name: 'channel', valueType: 'String' },
        ],
        outputs: [
          ['quotes_5m', 'quotes5m', 300, 'Quote requests of the customer in the last 5 minutes.'],
          ['quotes_1h', 'quotes1h', 3600, 'Quote requests of the customer in the last hour.'],
          ['quotes_1d', 'quotes1d', 86400, 'Quote requests of the customer in the last day.'],
        ].map(([name, field, windowSeconds, description]) => ({
          name,
          field,
          function: 'count',
          eventField: null,
          windowSeconds,
          valueType: 'Int32',
          description,
        })),
        source: { name: 'quote_requests', kind: 'push', table: expect.stringMatching(/push_quote_activity/) },
        version: 1,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
  });

  it('lists entities, on-demand views and services', async () => {
    const { data } = await query(
      demo.server.url,
      '{ entities { name joinKey valueType } onDemandViews { name inputs requestArguments { name field valueType } features { name } } featureServices { name features { view feature description unit } } }',
    );
    expect(data?.entities).toEqual([
      { name: 'driver', joinKey: 'driver_id', valueType: 'Int64' },
      { name: 'customer', joinKey: 'customer_id', valueType: 'String' },
      { name: 'trip', joinKey: 'trip_id', valueType: 'String' },
    ]);
    expect(data?.onDemandViews).toEqual([
      {
        name: 'accident_proximity',
        inputs: ['accident_history'],
        requestArguments: [
          { name: 'user_lat', field: 'userLat', valueType: 'Float64' },
          { name: 'user_lon', field: 'userLon', valueType: 'Float64' },
        ],
        features: [{ name: 'distance_km' }, { name: 'near_last_accident' }],
      },
    ]);
    expect((data?.featureServices as { features: unknown[] }[])[0]?.features).toHaveLength(4);
    expect((data?.featureServices as { features: unknown[] }[])[0]?.features[0]).toEqual({
      view: 'credit_score',
      feature: 'score',
      description: 'Credit bureau score; higher is better.',
      unit: 'points',
    });
  });
});
