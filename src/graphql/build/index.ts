import { GraphQLObjectType, GraphQLSchema } from 'graphql';
import type { ResolvedRepository } from '../../definitions/resolve.js';
import { camelCase } from '../../definitions/naming.js';
import type { FeatureGraphContext } from '../context.js';
import { scalarResolvers } from '../scalars.js';
import { entityRootFields, keyGroupType } from './entity-type.js';
import { onDemandField } from './on-demand-type.js';
import type { Fields, KeyGroupType } from './parts.js';
import { pushMutation } from './push-mutation.js';
import { registryRootFields } from './registry-types.js';
import { relationFields } from './relation-field.js';
import { serviceRootFields } from './service-type.js';
import { changedField } from './subscription-field.js';
import { viewField } from './view-type.js';
import { aggregationField } from './aggregation-type.js';

/**
 * The executable schema of a repository, in one walk over its resolved definitions: each generated type
 * is built together with the resolvers of its fields (graphql-js type objects, so graphql-jit compiles it).
 * The SDL is printed from the result (`printSortedSdl`). Naming contract: docs/graphql.md.
 */
export const buildSchema = (repo: ResolvedRepository): GraphQLSchema => {
  const groups = new Map<string, KeyGroupType>(repo.keyGroups.map((g) => [g.name, keyGroupType(g)]));
  const query: Fields = {};
  const mutation: Fields = {};
  const subscription: Fields = {};

  for (const g of groups.values()) Object.assign(query, entityRootFields(g));
  for (const v of repo.views) {
    const g = groups.get(v.keyName);
    const field = viewField(v, relationFields(v, groups) as Fields);
    if (g) g.fields[camelCase(v.name)] = field;
    if (v.online) Object.assign(mutation, pushMutation(v));
    if (v.online && g) Object.assign(subscription, changedField(v, g, field.type as GraphQLObjectType));
  }
  for (const a of repo.aggregationViews) {
    const g = groups.get(a.keyName);
    if (g) g.fields[camelCase(a.name)] = aggregationField(a);
    Object.assign(mutation, pushMutation(a.events, a));
  }
  for (const o of repo.onDemandViews) {
    const g = groups.get(o.keyName);
    if (g) g.fields[camelCase(o.name)] = onDemandField(o, repo);
  }
  for (const s of repo.services) {
    const g = groups.get(s.keyName);
    if (g) Object.assign(query, serviceRootFields(s, repo, g));
  }
  Object.assign(query, registryRootFields(repo));

  return new GraphQLSchema({
    query: new GraphQLObjectType<unknown, FeatureGraphContext>({
      name: 'Query',
      description: 'Read features: online or point in time (asOf), by entity or by feature service, and the registry behind them.',
      fields: query,
    }),
    mutation:
      Object.keys(mutation).length > 0
        ? new GraphQLObjectType<unknown, FeatureGraphContext>({
            name: 'Mutation',
            description: 'Write features: push rows to views.',
            fields: mutation,
          })
        : undefined,
    subscription:
      Object.keys(subscription).length > 0
        ? new GraphQLObjectType<unknown, FeatureGraphContext>({
            name: 'Subscription',
            description: 'Watch features: each new online value of a view for some keys (docs/subscriptions.md).',
            fields: subscription,
          })
        : undefined,
    // Scalars not reached from a field (e.g. Bytes in a repository without Bytes features) are still part of the contract.
    types: Object.values(scalarResolvers),
  });
};
