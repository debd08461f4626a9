import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer } from '../support/demo-server.js';

const query = async (url: string, q: string, variables?: Record<string, unknown>) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: q, variables }),
  });
  return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
};

/** The value at a path of a response's data (`at(data, 'trip', 'tripFacts')`). */
const at = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((x, k) => (x as Record<string, unknown> | null | undefined)?.[k], o);

describe('relations in the demo repository', () => {
  let demo: Awaited<ReturnType<typeof startDemoServer>>;
  beforeAll(async () => {
    demo = await startDemoServer();
  });
  afterAll(async () => demo.close());

  it('walks from a trip to its driver and customer, giving what the entities give read directly', async () => {
    const { data, errors } = await query(
      demo.server.url,
      '{ trip(tripId: "T1500") { tripFacts { fare driverId customerId driver { driverId driverStats { convRate } } customer { customerId creditScore { score } } } } }',
    );
    expect(errors).toBeUndefined();
    const facts = at(data, 'trip', 'tripFacts') as {
      fare: number;
      driverId: string;
      customerId: string;
      driver: unknown;
      customer: unknown;
    };
    expect(facts.fare).toBeGreaterThanOrEqual(5);
    const direct = await query(
      demo.server.url,
      'query($d: ID!, $c: ID!) { driver(driverId: $d) { driverId driverStats { convRate } } customer(customerId: $c) { customerId creditScore { score } } }',
      { d: facts.driverId, c: facts.customerId },
    );
    expect(at(direct.data, 'driver', 'driverStats')).not.toBeNull();
    expect(facts.driver).toEqual(at(direct.data, 'driver'));
    expect(facts.customer).toEqual(at(direct.data, 'customer'));
  });

  it('with asOf, the driver below a trip is read at that instant', async () => {
    const { data } = await query(demo.server.url, '{ trip(tripId: "T1500") { tripFacts { eventTimestamp driverId } } }');
    const t = at(data, 'trip', 'tripFacts', 'eventTimestamp') as string;
    const d = at(data, 'trip', 'tripFacts', 'driverId') as string;
    const rel = await query(
      demo.server.url,
      'query($t: DateTime!) { trip(tripId: "T1500") { tripFacts(asOf: $t) { driver { driverStats { convRate eventTimestamp } } } } }',
      { t },
    );
    const direct = await query(
      demo.server.url,
      'query($d: ID!, $t: DateTime!) { driver(driverId: $d) { driverStats(asOf: $t) { convRate eventTimestamp } } }',
      { d, t },
    );
    const now = await query(demo.server.url, 'query($d: ID!) { driver(driverId: $d) { driverStats { eventTimestamp } } }', { d });
    expect(at(rel.data, 'trip', 'tripFacts', 'driver', 'driverStats')).toEqual(at(direct.data, 'driver', 'driverStats'));
    // The trip is days old: the point-in-time row differs from the online one, so the asOf really went down.
    expect(at(rel.data, 'trip', 'tripFacts', 'driver', 'driverStats', 'eventTimestamp')).toEqual(expect.any(String));
    expect(at(rel.data, 'trip', 'tripFacts', 'driver', 'driverStats', 'eventTimestamp')).not.toBe(
      at(now.data, 'driver', 'driverStats', 'eventTimestamp'),
    );
  });

  it('the registry shows which features reference an entity', async () => {
    const { data } = await query(demo.server.url, '{ featureView(name: "trip_facts") { features { name references relationField } } }');
    expect(at(data, 'featureView', 'features')).toEqual([
      { name: 'fare', references: null, relationField: null },
      { name: 'driver_id', references: 'driver', relationField: 'driver' },
      { name: 'customer_id', references: 'customer', relationField: 'customer' },
    ]);
  });
});
