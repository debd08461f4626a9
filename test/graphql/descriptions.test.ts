import { describe, expect, it } from 'vitest';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import demo from '../../schema/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { buildSchema, printSortedSdl } from '../../src/graphql/schema.js';
import { Float32, entity, feature, featureView, pushSource, repository, validateRepository } from '../../src/definitions/index.js';

/** Every type, field, argument, input field and enum value of a schema that has no description. */
const undocumented = (schema: GraphQLSchema): string[] => {
  const missing: string[] = [];
  const need = (what: string, d: string | null | undefined) => {
    if (!d?.trim()) missing.push(what);
  };
  for (const t of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
    if (t.name.startsWith('__') || (isScalarType(t) && isSpecifiedScalarType(t))) continue;
    need(t.name, t.description);
    if (isObjectType(t) || isInterfaceType(t))
      for (const f of Object.values(t.getFields())) {
        need(`${t.name}.${f.name}`, f.description);
        for (const a of f.args) need(`${t.name}.${f.name}(${a.name})`, a.description);
      }
    if (isInputObjectType(t)) for (const f of Object.values(t.getFields())) need(`${t.name}.${f.name}`, f.description);
    if (isEnumType(t)) for (const v of t.getValues()) need(`${t.name}.${v.name}`, v.description);
  }
  return missing;
};

describe('schema descriptions', () => {
  it('documents every type, field, argument, input field and enum value of the demo schema', () => {
    expect(undocumented(buildSchema(resolveRepository(demo)))).toEqual([]);
  });

  it('finds an undocumented feature (the check can fail)', () => {
    const thing = entity({ name: 'thing', joinKey: 'thing_id', valueType: { kind: 'scalar', name: 'String' }, description: 'A thing.' });
    const v = featureView({
      name: 'thing_stats',
      entities: [thing],
      features: { plain: Float32, described: feature(Float32, { description: 'Described.' }) },
      source: pushSource({ name: 'p' }),
      ttl: '1h',
      description: 'Stats.',
    });
    const missing = undocumented(buildSchema(resolveRepository(repository({ project: 'p', featureViews: [v] }))));
    expect(missing).toContain('ThingStats.plain');
    expect(missing).toContain('ThingStatsRowInput.plain');
    expect(missing).not.toContain('ThingStats.described');
  });

  it('puts feature descriptions, units and ranges into the SDL', () => {
    const sdl = printSortedSdl(buildSchema(resolveRepository(demo)));
    expect(sdl).toMatch(
      /Share of ride offers the driver converted into trips, over the last hour\. Unit: ratio\. Range: \[0, 1\]\.\n\s+"""\n\s+convRate: Float/,
    );
    expect(sdl).toMatch(/Latitude of where the customer is now\. Unit: degrees\. Range: \[-90, 90\]\.\n\s+"""\n\s+userLat: Float!/);
  });

  it('rejects a range on a non-numeric feature and a reversed range', () => {
    const thing = entity({ name: 'thing', joinKey: 'thing_id', valueType: { kind: 'scalar', name: 'String' } });
    const v = featureView({
      name: 'thing_stats',
      entities: [thing],
      features: {
        label: feature({ kind: 'scalar', name: 'String' }, { range: [0, 1] }),
        rate: feature(Float32, { range: [1, 0] }),
        ok: feature(Float32, { range: [0, 1], unit: 'ratio' }),
      },
      source: pushSource({ name: 'p' }),
      ttl: '1h',
    });
    const problems = validateRepository(repository({ project: 'p', featureViews: [v] }));
    expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'label: range is only for numeric features (Int32, Int64, Float32, Float64)',
      'rate: range must be [min, max] with finite numbers and min <= max, got [1,0]',
    ]);
  });
});
