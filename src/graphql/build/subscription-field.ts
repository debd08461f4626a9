import { GraphQLID, GraphQLList, GraphQLNonNull, type GraphQLFieldConfig, type GraphQLObjectType } from 'graphql';
import { camelCase } from '../../definitions/naming.js';
import type { ViewSpec } from '../../definitions/resolve.js';
import type { FeatureGraphContext } from '../context.js';
import { changedResolvers } from '../resolvers/subscriptions.js';
import { fieldInfo } from './extensions.js';
import type { Fields, KeyGroupType } from './parts.js';

/**
 * `Subscription.driverStatsChanged(driverIds: [ID!]!): DriverStats!` — or `(keys: [DriverCustomerKeyInput!]!)`
 * for a composite key — for an online view: each new online value of those keys, from a push or a
 * materialization in any process, with the same type the view field returns (docs/subscriptions.md).
 */
export const changedField = (v: ViewSpec, group: KeyGroupType, valueType: GraphQLObjectType): Fields => {
  const e0 = group.entities.length === 1 ? group.entities[0] : undefined;
  const args = e0
    ? {
        [`${camelCase(e0.joinKey)}s`]: {
          type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLID))),
          description: `The ${e0.joinKey} values whose changes to deliver.`,
        },
      }
    : {
        keys: {
          type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(group.keyInput!))),
          description: 'The keys whose changes to deliver.',
        },
      };
  const { subscribe, resolve } = changedResolvers(v, group.entities);
  const field: GraphQLFieldConfig<Record<string, unknown>, FeatureGraphContext> = {
    type: new GraphQLNonNull(valueType),
    description: `Each new online value of ${v.name} for these keys (a push or a materialization), per key in the order the values became current.`,
    args,
    subscribe,
    resolve,
    extensions: fieldInfo('subscription', v.name),
  };
  return { [`${camelCase(v.name)}Changed`]: field as GraphQLFieldConfig<unknown, FeatureGraphContext> };
};
