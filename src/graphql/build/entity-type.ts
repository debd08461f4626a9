import {
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLFieldConfigArgumentMap,
} from 'graphql';
import type { Entity } from '../../definitions/objects.js';
import { camelCase, pascalCase, pluralField } from '../../definitions/naming.js';
import { DateTimeScalar } from '../scalars.js';
import { keyRootResolvers, type RootExtra } from '../resolvers/keys.js';
import { AS_OF_DOC } from './describe.js';
import { fieldInfo, type FieldKind } from './extensions.js';
import type { KeyParent } from '../context.js';
import type { Fields, KeyGroupType } from './parts.js';

const joinKeyDoc = (e: Entity) => `The ${e.name}'s ${e.joinKey} (its join key).`;

/** `Driver` (or `DriverCustomer`): its join key fields now; view fields are added to `fields` by the walk. */
export const keyGroupType = (group: { name: string; entities: readonly Entity[] }): KeyGroupType => {
  const fields: Fields<KeyParent> = {};
  for (const e of group.entities) fields[camelCase(e.joinKey)] = { type: new GraphQLNonNull(GraphQLID), description: joinKeyDoc(e) };
  const e0 = group.entities[0];
  const composite = group.entities.length !== 1;
  const name = pascalCase(group.name);
  return {
    name: group.name,
    entities: group.entities,
    fields,
    type: new GraphQLObjectType({
      name,
      description: composite || !e0 ? `The composite key ${group.entities.map((e) => e.name).join(' × ')}.` : e0.description,
      fields: () => fields,
    }),
    keyInput: composite
      ? new GraphQLInputObjectType({
          name: `${name}KeyInput`,
          description: `One ${group.entities.map((e) => e.name).join(' × ')} key.`,
          fields: Object.fromEntries(
            group.entities.map((e) => [camelCase(e.joinKey), { type: new GraphQLNonNull(GraphQLID), description: joinKeyDoc(e) }]),
          ),
        })
      : undefined,
  };
};

export const asOfArg = { asOf: { type: DateTimeScalar, description: AS_OF_DOC } };

/**
 * The singular and plural root fields of a key group (`driver(driverId:)`, `drivers(driverIds:)`), or of a
 * feature service over it; `extraArgs` and `extraOf` carry a service's request arguments down.
 */
export const keyRootFields = (
  group: KeyGroupType,
  opts: {
    fieldName: string;
    returns: GraphQLObjectType;
    kind: FieldKind;
    definition: string;
    description: string | undefined;
    pluralDescription: string;
    extraArgs?: GraphQLFieldConfigArgumentMap;
    extraOf?: RootExtra;
  },
): Fields => {
  const { entities } = group;
  const e0 = entities.length === 1 ? entities[0] : undefined;
  const keyArgs: GraphQLFieldConfigArgumentMap = Object.fromEntries(
    entities.map((e) => [camelCase(e.joinKey), { type: new GraphQLNonNull(GraphQLID), description: joinKeyDoc(e) }]),
  );
  const pluralKeys: GraphQLFieldConfigArgumentMap = e0
    ? {
        [`${camelCase(e0.joinKey)}s`]: {
          type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLID))),
          description: `The ${e0.joinKey} values, in the order wanted (duplicates allowed).`,
        },
      }
    : {
        keys: {
          type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(group.keyInput!))),
          description: 'The keys, in the order wanted (duplicates allowed).',
        },
      };
  const extra = { ...opts.extraArgs, ...asOfArg };
  const roots = keyRootResolvers(entities, opts.extraOf);
  const extensions = fieldInfo(opts.kind, opts.definition);
  return {
    [camelCase(opts.fieldName)]: {
      type: new GraphQLNonNull(opts.returns),
      description: opts.description,
      args: { ...keyArgs, ...extra },
      resolve: roots.one,
      extensions,
    },
    [pluralField(opts.fieldName)]: {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(opts.returns))),
      description: opts.pluralDescription,
      args: { ...pluralKeys, ...extra },
      resolve: roots.many,
      extensions,
    },
  };
};

/** `Query.driver` / `Query.drivers` for one key group. */
export const entityRootFields = (group: KeyGroupType): Fields => {
  const e0 = group.entities.length === 1 ? group.entities[0] : undefined;
  const label = e0 ? e0.name : group.entities.map((e) => e.name).join(' × ');
  return keyRootFields(group, {
    fieldName: group.name,
    returns: group.type,
    kind: 'entity',
    definition: group.name,
    description: e0
      ? `One ${e0.name} by ${e0.joinKey}; its views are null when unknown.`
      : `One ${label} by its keys; its views are null when unknown.`,
    pluralDescription: e0
      ? `Several ${e0.name}s, in the order given (duplicates allowed).`
      : `Several ${label} keys, in the order given (duplicates allowed).`,
  });
};
