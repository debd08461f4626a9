import type { GraphQLFieldConfig } from 'graphql';
import { camelCase } from '../../definitions/naming.js';
import type { FeatureSpec, ViewSpec } from '../../definitions/resolve.js';
import type { Entity } from '../../definitions/objects.js';
import { canonicalKeyPart, encodeEntityKey } from '../../definitions/values.js';
import { READ_AS_OF, type FeatureGraphContext, type KeyParent } from '../context.js';
import { fieldInfo } from './extensions.js';
import type { Fields, KeyGroupType } from './parts.js';

type ViewValue = Readonly<Record<string, unknown>> & { readonly [READ_AS_OF]?: Date };

/**
 * `TripFacts.driver: Driver`: the entity a feature's value references (docs/graphql.md, "Relations").
 * It resolves to the same kind of parent a root field gives, so the entity's view fields below it go through
 * the request's DataLoaders: every parent of one level is read in one online-store round trip. The asOf the
 * view was read at is carried down, so every level below reads point in time at that same instant.
 */
const relationField = (
  view: ViewSpec,
  f: FeatureSpec & { references: NonNullable<FeatureSpec['references']> },
  target: KeyGroupType,
): GraphQLFieldConfig<ViewValue, FeatureGraphContext> => {
  const entity = target.entities[0] as Entity;
  const valueField = camelCase(f.name);
  const keyField = camelCase(entity.joinKey);
  return {
    type: target.type,
    description: `The ${entity.name} that ${f.name} references, read at the same instant as this value (its asOf, if any); null when ${f.name} is null.`,
    resolve: (value): KeyParent | null => {
      const k = canonicalKeyPart(entity.valueType, value[valueField]);
      // Apply checks the feature's type equals the join key's, so a stored value is always a valid key.
      if ('error' in k) return null;
      const parent: Record<string, unknown> = { parts: [k.value], key: encodeEntityKey([k.value]), [keyField]: k.value };
      const asOf = value[READ_AS_OF];
      if (asOf) parent.asOf = asOf;
      return parent as KeyParent;
    },
    extensions: fieldInfo('relation', `${view.name}.${f.references.relation}`),
  };
};

/** The relation fields of a view's value type, one per feature that references an entity. */
export const relationFields = (view: ViewSpec, groups: ReadonlyMap<string, KeyGroupType>): Fields<ViewValue> => {
  const fields: Fields<ViewValue> = {};
  for (const f of view.features) {
    if (!f.references) continue;
    const target = groups.get(f.references.entity);
    if (target) fields[camelCase(f.references.relation)] = relationField(view, { ...f, references: f.references }, target);
  }
  return fields;
};
