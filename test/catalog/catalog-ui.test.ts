import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema as buildSdlSchema, graphqlSync, parse, validate, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import demoRepository from '../../schema/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { buildSdl } from '../../src/graphql/sdl.js';
import { histogramsOf } from '../../src/catalog/ui/drift.js';
import { histogramSvg } from '../../src/catalog/ui/histogram.js';
import { lineageSvg } from '../../src/catalog/ui/lineage.js';
import {
  DRIFT_WINDOWS,
  INTROSPECTION,
  driftQuery,
  indexSchema,
  registryQuery,
  type IntrospectionData,
} from '../../src/catalog/ui/queries.js';
import { graphqlQueryFor, trainingCommandFor } from '../../src/catalog/ui/snippets.js';
import { negotiateEncoding } from '../../src/server/compress.js';

// The browser code's pure parts (queries, snippets, drawings) run here without a DOM; the browser test covers the rest.

const demoSdl = buildSdl(resolveRepository(demoRepository, 'demo'));
const introspect = (schema: GraphQLSchema) =>
  indexSchema(graphqlSync({ schema, source: INTROSPECTION }).data as unknown as IntrospectionData);

describe('catalog queries', () => {
  it('select every registry field the schema has, and validate against it', () => {
    const schema = buildSdlSchema(demoSdl);
    const q = registryQuery(introspect(schema));
    expect(validate(schema, parse(q))).toEqual([]);
    for (const f of [
      'featureViews',
      'onDemandViews',
      'entities',
      'featureServices',
      'registryHistory',
      'ttlSeconds',
      'freshness',
      'lastMaterializedAt',
      'requestArguments',
    ])
      expect(q).toContain(f);
  });

  it('pick up fields a newer schema adds (a feature note, a freshness objective) without a code change', () => {
    const extended = buildSdlSchema(
      `${demoSdl}\nextend type FeatureInfo { note: String }\nextend type Freshness { objectiveNote: String }`,
    );
    const q = registryQuery(introspect(extended));
    expect(q).toMatch(/features \{ name field valueType description unit range \{ min max \}[^}]* note \}/);
    expect(q).toMatch(/freshness \{[^}]*objectiveNote/);
    expect(validate(extended, parse(q))).toEqual([]);
  });

  it('hide drift unless the schema serves featureDrift, then ask it by view and feature', () => {
    expect(driftQuery(introspect(buildSdlSchema(demoSdl)))).toBeNull();
    const withDrift = buildSdlSchema(
      `${demoSdl}\ntype Histogram { edges: [Float!]! counts: [Float!]! }\ntype FeatureDrift { psi: Float reference: Histogram current: Histogram }\nextend type Query { featureDrift(view: String!, feature: String!): FeatureDrift }`,
    );
    const d = driftQuery(introspect(withDrift))!;
    expect(validate(withDrift, parse(d.query))).toEqual([]);
    expect(d.query).toMatch(/reference \{ edges counts \}/);
    expect(d.vars('driver_stats', 'conv_rate')).toEqual({ view: 'driver_stats', feature: 'conv_rate' });
  });

  it("ask featuregraph's own featureDrift (the served schema's) per feature service and pick the feature from its report", () => {
    // The SDL the demo serves: with the served-feature log, featureDrift(service:, reference:, current:).
    const served = buildSdlSchema(readFileSync(join(import.meta.dirname, '../../schema/featuregraph.graphql'), 'utf8'));
    const d = driftQuery(introspect(served))!;
    expect(d.perService).toBe(true);
    expect(validate(served, parse(d.query))).toEqual([]);
    expect(d.query).toMatch(/features \{[^}]*bins \{ bin current reference \}/);
    expect(d.vars('credit_score', 'score', 'pricing_v1')).toEqual({ service: 'pricing_v1', ...DRIFT_WINDOWS });
    const report = {
      featureDrift: {
        features: [
          { view: 'credit_score', feature: 'score', psi: 0.5, edges: [300, 600], bins: [{ bin: '0', reference: 1, current: 0 }] },
          { view: 'location_risk', feature: 'risk', psi: 0.01, edges: [], bins: [] },
        ],
      },
    };
    expect(d.pick(report, 'credit_score', 'score')).toMatchObject({ psi: 0.5, ...DRIFT_WINDOWS });
    expect(d.pick(report, 'credit_score', 'nope')).toBeNull();
  });
});

describe('catalog snippets', () => {
  const joinKeys = new Map([
    ['driver', 'driver_id'],
    ['customer', 'customer_id'],
  ]);
  const selected = [
    { view: 'driver_stats', feature: 'conv_rate', field: 'convRate', entities: ['driver'], request: [] },
    { view: 'trip_stats', feature: 'trips', field: 'trips', entities: ['driver', 'customer'], request: [] },
    {
      view: 'accident_proximity',
      feature: 'distance_km',
      field: 'distanceKm',
      entities: ['customer'],
      request: [{ name: 'user_lat', field: 'userLat', valueType: 'Float64' }],
    },
  ];

  it('write one root field per entity or composite key, with keys and request arguments as variables', () => {
    const q = graphqlQueryFor(selected, joinKeys);
    expect(q).toContain('query SelectedFeatures($driverId: ID!, $customerId: ID!, $userLat: Float!)');
    expect(q).toContain('driver(driverId: $driverId) {\n    driverStats {\n      convRate');
    expect(q).toContain('driverCustomer(driverId: $driverId, customerId: $customerId) {\n    tripStats {\n      trips');
    expect(q).toContain('accidentProximity(userLat: $userLat) {\n      distanceKm');
    expect(graphqlQueryFor([], joinKeys)).toBe('');
  });

  it('write the training-set command with the columns its entity file needs', () => {
    expect(trainingCommandFor(selected, joinKeys)).toBe(
      '# entities.csv columns: driver_id,customer_id,event_timestamp,user_lat\n' +
        'npx featuregraph historical --entities entities.csv --features driver_stats:conv_rate,trip_stats:trips,accident_proximity:distance_km --out training.parquet\n',
    );
  });
});

describe('catalog drawings', () => {
  it('draw lineage with escaped names and an edge per hop', () => {
    const svg = lineageSvg({
      service: 'svc<script>',
      version: 2,
      views: [
        { name: 'a', version: 1, onDemand: false, features: ['x'], inputs: [] },
        { name: 'od', version: 1, onDemand: true, features: ['y'], inputs: ['b'] },
      ],
      sources: new Map([
        ['a', { name: 'src_a', kind: 'postgres', table: 's.a' }],
        ['b', { name: 'src_b', kind: 'push', table: null }],
      ]),
    });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('svc&lt;script&gt;');
    const edges = [...svg.matchAll(/data-edge="([^"]+)"/g)].map((m) => m[1]);
    expect(edges).toEqual([
      's:svc&lt;script&gt;&gt;v:a',
      's:svc&lt;script&gt;&gt;v:od',
      'v:od&gt;v:b',
      'v:a&gt;src:src_a',
      'v:b&gt;src:src_b',
    ]);
    expect(svg.match(/class="node /g)).toHaveLength(6); // service, a, od, b (read on demand), 2 sources
  });

  it('draw reference and current histograms as shares, labelled with shortest Float32 edges', () => {
    const pair = histogramsOf(
      { psi: 0.3, reference: { edges: [0, 0.1, 0.2].map(Math.fround), counts: [1, 1, 2] }, current: { edges: [], counts: [0, 2, 2] } },
      'Float32',
    );
    expect(pair).toEqual({ labels: ['0', '0.1', '0.2'], reference: [1, 1, 2], current: [0, 2, 2] });
    const svg = histogramSvg(pair!, 'x');
    expect(svg.match(/class="bar reference"/g)).toHaveLength(4); // 3 bins + legend
    expect(svg).toContain('>50%<'); // the largest share sets the scale
    expect(histogramsOf({ psi: 0.1 }, 'Float32')).toBeNull();
    // featuregraph's own bins: counts per bin, numeric ones labelled by their lower edge, values by themselves.
    expect(
      histogramsOf(
        {
          edges: [0.5, 0.75],
          bins: [
            { bin: '0', reference: 2, current: 1 },
            { bin: '1', reference: 3, current: 3 },
            { bin: '2', reference: 5, current: 6 },
            { bin: 'null', reference: 0, current: 1 },
          ],
        },
        'Float64',
      ),
    ).toEqual({ labels: ['< 0.5', '≥ 0.5', '≥ 0.75', 'null'], reference: [2, 3, 5, 0], current: [1, 3, 6, 1] });
    expect(histogramsOf({ bins: [{ bin: 'v:gold', reference: 1, current: 2 }] }, 'String')?.labels).toEqual(['gold']);
  });
});

describe('content negotiation', () => {
  it('prefers brotli, honours q=0 and *, and sends nothing unasked', () => {
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('br;q=0, gzip')).toBe('gzip');
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding('*;q=0, gzip;q=0')).toBeNull();
    expect(negotiateEncoding('identity')).toBeNull();
    expect(negotiateEncoding(null)).toBeNull();
  });
});
