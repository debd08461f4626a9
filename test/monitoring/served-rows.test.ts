import { openOfflineStore } from '../../src/offline/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Bytes,
  Float64,
  Int64,
  List,
  String as Str,
  entity,
  feature,
  featureService,
  featureView,
  onDemandView,
  pushSource,
  repository,
} from '../../src/definitions/index.js';
import { resolveRepository, type ResolvedRepository } from '../../src/definitions/resolve.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { createServerMonitoring, type ServerMonitoring } from '../../src/monitoring/index.js';
import type { SqlClient } from '../../src/sql/client.js';
import { accidentHistory, creditScore, accidentProximity, locationRisk, pricingV1 } from '../../schema/index.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';

/** A gateway over `defs` on the backend's database, monitoring on (logger off), at a fixed clock. */
const loggedGateway = async (sql: SqlClient, project: string, defs: Parameters<typeof repository>[0], now: number) => {
  const repo = resolveRepository(repository({ project, ...defs }), project);
  const online = createSqlOnlineStore(sql, project);
  await online.prepare(repo.views.filter((v) => v.online));
  const rt = { repo, online, offline: openOfflineStore(sql), registry: unappliedRegistry, now: () => now };
  const monitoring = createServerMonitoring(rt, { logger: false });
  return { repo, online, monitoring, app: createApp(rt, { logging: false, monitoring }) };
};

/**
 * The served-feature log reads a field's arguments three ways (src/monitoring/served-rows.ts): from the raw
 * variables when the field takes only keys, each a variable given as strings; from the coerced variables
 * when every argument is a variable; through graphql-js's getArgumentValues otherwise (literals, a mix). Which
 * one runs follows from how the request is written, so the same request written each way must log the same
 * rows: a literal cannot take either variable path, a request argument or a non-string id not the raw one.
 */
describe.each(sqlBackends)('served-feature log rows for every way of writing arguments on $name', ({ open }) => {
  const project = uniqueProject('logargs');
  let sql: SqlClient;
  let repo: ResolvedRepository;
  let app: FeatureGraphApp;
  let monitoring: ServerMonitoring;
  const now = Date.parse('2026-11-20T12:00:00Z');

  const gql = async (query: string, variables: Record<string, unknown>, id: string) => {
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': id },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { errors?: unknown[] };
    expect(body.errors).toBeUndefined();
  };

  beforeAll(async () => {
    sql = await open();
    let online: OnlineStore;
    ({ repo, online, monitoring, app } = await loggedGateway(
      sql,
      project,
      {
        featureViews: [creditScore, accidentHistory, locationRisk],
        onDemandViews: [accidentProximity],
        featureServices: [
          featureService({ ...pricingV1, logging: { sampleRate: 1 } }),
          // Keys only, no request arguments: string ids take the log's path that skips coercion.
          featureService({
            name: 'scores_v1',
            features: [creditScore.select('score'), locationRisk.select('risk')],
            logging: { sampleRate: 1 },
            description: 'Scores by customer.',
            owner: 'test@example.com',
          }),
        ],
      },
      now,
    ));
    const view = (name: string) => repo.views.find((v) => v.name === name)!;
    const eventTs = new Date(now - 60_000);
    const rows = (values: (i: number) => Record<string, number | null>) =>
      ['C1', 'C2', 'C3'].map((key, i) => ({ key, eventTs, createdTs: eventTs, values: values(i) }));
    await online.write(
      view('credit_score'),
      rows((i) => ({ score: 600 + i })),
    );
    await online.write(
      view('accident_history'),
      rows((i) => ({ accidents_12m: i, last_accident_lat: 52.1, last_accident_lon: 13.1 })),
    );
    await online.write(
      view('location_risk'),
      rows((i) => ({ risk: i === 1 ? null : i / 10 })),
    );
  }, 60_000);
  afterAll(async () => {
    await monitoring?.close();
    await dropSchemas(sql, `fg_${project}`);
    await sql.close();
  });

  const SELECTION = 'creditScore { score } locationRisk { risk } accidentProximity { distanceKm }';
  it('logs the same rows whether arguments are variables, literals or both', async () => {
    // C9 has no values: its row says unknown. Two ids repeat: a row per entity served, in order.
    const ids = ['C1', 'C2', 'C9', 'C3', 'C1'];
    await gql(
      `query A($ids: [ID!]!, $lat: Float!, $lon: Float!) { pricingV1s(customerIds: $ids, userLat: $lat, userLon: $lon) { ${SELECTION} } }`,
      { ids, lat: 52.5, lon: 13.4 },
      'vars',
    );
    await gql(`{ pricingV1s(customerIds: ${JSON.stringify(ids)}, userLat: 52.5, userLon: 13.4) { ${SELECTION} } }`, {}, 'literals');
    await gql(
      `query B($ids: [ID!]!) { p: pricingV1s(customerIds: $ids, userLat: 52.5, userLon: 13.4) { ...F } } fragment F on PricingV1 { ${SELECTION} }`,
      { ids },
      'mixed',
    );
    // A variable with a default the client leaves out: not every argument has a value in the variables.
    await gql(
      `query C($ids: [ID!]!, $lat: Float! = 52.5) { pricingV1s(customerIds: $ids, userLat: $lat, userLon: 13.4) { ${SELECTION} } }`,
      { ids },
      'default',
    );
    // One id given for the list: GraphQL coerces it to a list of one.
    await gql(
      `query D($ids: [ID!]!, $lat: Float!, $lon: Float!) { pricingV1s(customerIds: $ids, userLat: $lat, userLon: $lon) { ${SELECTION} } }`,
      { ids: 'C3', lat: 52.5, lon: 13.4 },
      'one',
    );
    await monitoring.servedLog!.flush();
    const r = await sql.query<Record<string, unknown>>(
      `SELECT * FROM "fg_${project}"."served_log_pricing_v1" ORDER BY request_id, position`,
    );
    const by = new Map<string, Record<string, unknown>[]>();
    for (const row of r.rows) {
      const { request_id, logged_at: _, ...rest } = row;
      by.set(String(request_id), [...(by.get(String(request_id)) ?? []), rest]);
    }
    const vars = by.get('vars')!;
    expect(vars.map((x) => x.customer_id)).toEqual(ids);
    expect(vars.map((x) => x.credit_score__score__status)).toEqual(['present', 'present', 'unknown', 'present', 'present']);
    expect(vars.map((x) => x.credit_score__score)).toEqual([600, 601, null, 602, 600]);
    expect(vars.every((x) => x.user_lat === 52.5 && x.user_lon === 13.4)).toBe(true);
    for (const other of ['literals', 'mixed', 'default']) expect(by.get(other), other).toEqual(vars);
    expect(by.get('one')).toEqual([vars[3]!].map((x) => ({ ...x, position: 0 })));
  });

  it('logs what @skip/@include left in and what each alias of a view selected, nothing else', async () => {
    const ids = ['C1', 'C2'];
    const q = `query S($ids: [ID!]!, $no: Boolean!, $yes: Boolean!) {
      skipped: pricingV1s(customerIds: $ids, userLat: 52.5, userLon: 13.4) @include(if: $no) { creditScore { score } }
      p: pricingV1s(customerIds: $ids, userLat: 52.5, userLon: 13.4) {
        creditScore { score @skip(if: $yes) } risk1: locationRisk { risk } again: locationRisk @skip(if: $no) { eventTimestamp }
        ... @include(if: $no) { accidentProximity { distanceKm } }
      } }`;
    await gql(q, { ids, no: false, yes: true }, 'directives');
    // The same view under two aliases, a feature under the second only.
    await gql(
      `{ pricingV1s(customerIds: ["C1"], userLat: 52.5, userLon: 13.4) { a: creditScore { __typename } b: creditScore { score } } }`,
      {},
      'aliases',
    );
    await monitoring.servedLog!.flush();
    const rows = async (id: string) =>
      (
        await sql.query<Record<string, unknown>>(
          `SELECT customer_id, credit_score__score, credit_score__score__status, location_risk__risk__status,
             accident_proximity__distance_km__status FROM "fg_${project}"."served_log_pricing_v1" WHERE request_id = $1 ORDER BY position`,
          [id],
        )
      ).rows;
    // Only the field that was served, once per entity; the skipped score and the left-out fragment stay NULL.
    expect(await rows('directives')).toEqual(
      ids.map((c) => ({
        customer_id: c,
        credit_score__score: null,
        credit_score__score__status: null,
        location_risk__risk__status: 'present',
        accident_proximity__distance_km__status: null,
      })),
    );
    expect(await rows('aliases')).toEqual([
      {
        customer_id: 'C1',
        credit_score__score: 600,
        credit_score__score__status: 'present',
        location_risk__risk__status: null,
        accident_proximity__distance_km__status: null,
      },
    ]);
  });

  it('logs the same rows for a keys-only service whether its ids skip coercion or not', async () => {
    const SEL = 'creditScore { score } locationRisk { risk }';
    const ids = ['C2', 'C9', 'C1'];
    // Raw string ids: no coercion. An id as a number, a single id and a literal: coerced or read by graphql-js.
    await gql(`query A($ids: [ID!]!) { scoresV1s(customerIds: $ids) { ${SEL} } }`, { ids }, 'k-raw');
    await gql(`{ scoresV1s(customerIds: ${JSON.stringify(ids)}) { ${SEL} } }`, {}, 'k-literal');
    await gql(`query B($id: ID!) { scoresV1(customerId: $id) { ${SEL} } }`, { id: 'C1' }, 'k-one-raw');
    await gql(`query C($ids: [ID!]!) { scoresV1s(customerIds: $ids) { ${SEL} } }`, { ids: 'C1' }, 'k-one-coerced');
    await monitoring.servedLog!.flush();
    const rows = await sql.query<Record<string, unknown>>(
      `SELECT request_id, position, customer_id, credit_score__score, credit_score__score__status, location_risk__risk__status
       FROM "fg_${project}"."served_log_scores_v1" ORDER BY request_id, position`,
    );
    const by = (id: string) => rows.rows.filter((x) => x.request_id === id).map(({ request_id: _, ...rest }) => rest);
    expect(by('k-raw').map((x) => [x.customer_id, x.credit_score__score, x.credit_score__score__status])).toEqual([
      ['C2', 601, 'present'],
      ['C9', null, 'unknown'],
      ['C1', 600, 'present'],
    ]);
    expect(by('k-literal')).toEqual(by('k-raw'));
    expect(by('k-one-raw')).toEqual([{ ...by('k-raw')[2]!, position: 0 }]);
    expect(by('k-one-coerced')).toEqual(by('k-one-raw'));
  });
});

/**
 * Request arguments are logged as the client sent them (GraphQL's serialized form), whatever their type: Bytes
 * as base64, Int64 as decimal text inside a list. A value that cannot be logged never fails the request, nor
 * the other requests' rows of its batch.
 */
describe.each(sqlBackends)('served-feature log of typed request arguments on $name', ({ open }) => {
  const project = uniqueProject('logreq');
  let sql: SqlClient;
  let app: FeatureGraphApp;
  let monitoring: ServerMonitoring;
  const now = Date.parse('2026-11-20T12:00:00Z');
  const echo = onDemandView({
    name: 'echo',
    sources: { accident_history: accidentHistory },
    request: {
      sig: feature(Bytes, { description: 'A signature.' }),
      nums: feature(List(Int64), { description: 'Some numbers.' }),
    },
    features: { n: feature(Float64, { description: 'How many numbers.' }) },
    description: 'Counts the numbers it is given.',
    owner: 'test@example.com',
    transform: (_inputs, { nums }) => ({ n: nums?.length ?? 0 }),
  });

  beforeAll(async () => {
    sql = await open();
    ({ monitoring, app } = await loggedGateway(
      sql,
      project,
      {
        featureViews: [creditScore, accidentHistory],
        onDemandViews: [echo],
        featureServices: [
          featureService({
            name: 'svc',
            features: [creditScore.select('score'), echo.select('n')],
            logging: { sampleRate: 1 },
            description: 'A logged service with typed request arguments.',
            owner: 'test@example.com',
          }),
        ],
      },
      now,
    ));
  }, 60_000);
  afterAll(async () => {
    await monitoring?.close();
    await dropSchemas(sql, `fg_${project}`);
    await sql.close();
  });

  it('logs Bytes as base64 and Int64 lists as decimal text, and every request answers', async () => {
    const send = async (nums: unknown, id: string) => {
      const res = await app.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': id },
        body: JSON.stringify({
          query: 'query Q($id: ID!, $sig: Bytes!, $nums: [Int64]!) { svc(customerId: $id, sig: $sig, nums: $nums) { echo { n } } }',
          variables: { id: 'C1', sig: 'aGk=', nums },
        }),
      });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    expect(await send([], 'r1')).toEqual({ status: 200, body: { data: { svc: { echo: { n: 0 } } } } });
    expect(await send(['5', '9007199254740993'], 'r2')).toEqual({ status: 200, body: { data: { svc: { echo: { n: 2 } } } } });
    expect(await send('7', 'r3')).toEqual({ status: 200, body: { data: { svc: { echo: { n: 1 } } } } });
    await monitoring.servedLog!.flush();
    const r = await sql.query<{ request_id: string; sig: string; nums: unknown }>(
      `SELECT request_id, sig, nums FROM "fg_${project}"."served_log_svc" ORDER BY request_id`,
    );
    expect(r.rows).toEqual([
      { request_id: 'r1', sig: 'aGk=', nums: [] },
      { request_id: 'r2', sig: 'aGk=', nums: ['5', '9007199254740993'] },
      { request_id: 'r3', sig: 'aGk=', nums: ['7'] },
    ]);
  });
});

describe.each(sqlBackends)('served-feature log after a feature changes type on $name', ({ open }) => {
  const project = uniqueProject('logtype');
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await open();
  });
  afterAll(async () => {
    await dropSchemas(sql, `fg_${project}`);
    await sql.close();
  });

  it('keeps logging: the column of the old type is renamed aside with what it held, a new one takes the new type', async () => {
    const now = Date.parse('2026-11-20T12:00:00Z');
    const serveOnce = async (type: typeof Int64 | typeof Str, value: string | bigint, at: number) => {
      const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
      const profile = featureView({
        name: 'profile',
        entities: [customer],
        features: { level: type },
        source: pushSource({ name: 'p' }),
        ttl: 0,
      });
      const gw = await loggedGateway(
        sql,
        project,
        {
          entities: [customer],
          featureViews: [profile],
          featureServices: [featureService({ name: 'levels', features: [profile.select('level')], logging: { sampleRate: 1 } })],
        },
        at,
      );
      await gw.online.write(gw.repo.views[0]!, [{ key: 'C1', eventTs: new Date(at - 1000), createdTs: null, values: { level: value } }]);
      const res = await gw.app.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ levels(customerId: "C1") { profile { level } } }' }),
      });
      expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
      await gw.monitoring.close();
    };
    await serveOnce(Int64, 7n, now);
    await serveOnce(Str, 'gold', now + 60_000);
    const cols = await sql.query<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped AND attname LIKE 'profile__level%'`,
      [`"fg_${project}"."served_log_levels"`],
    );
    const aside = cols.rows.find((c) => c.name.startsWith('profile__level__was_bigint'));
    expect(cols.rows.find((c) => c.name === 'profile__level')?.type).toBe('text');
    expect(aside?.type).toBe('bigint');
    const rows = await sql.query<Record<string, unknown>>(
      `SELECT profile__level AS now, "${aside!.name}" AS was FROM "fg_${project}"."served_log_levels" ORDER BY logged_at, request_id`,
    );
    expect(rows.rows.map((r) => [r.now, r.was === null ? null : String(r.was)])).toEqual([
      [null, '7'],
      ['gold', null],
    ]);
  });
});
