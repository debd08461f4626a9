import { GraphQLObjectType, type GraphQLFieldConfigArgumentMap } from 'graphql';
import { camelCase, pascalCase } from '../../definitions/naming.js';
import type { ResolvedRepository, ServiceSpec } from '../../definitions/resolve.js';
import type { KeyParent } from '../context.js';
import { onDemandFieldResolver, viewFieldResolver } from '../resolvers/views.js';
import { keyRootFields } from './entity-type.js';
import { fieldInfo } from './extensions.js';
import { requestArgs } from './on-demand-type.js';
import type { Fields, KeyGroupType } from './parts.js';
import { featureFields, maxAgeArg, storedValueType } from './view-type.js';

/** `PricingV1` and its per-view types (`PricingV1CreditScore`), each field with the view's resolver. */
const serviceType = (s: ServiceSpec, repo: ResolvedRepository): GraphQLObjectType<KeyParent> => {
  const fields: Fields<KeyParent> = {};
  for (const sel of s.selections) {
    const name = `${pascalCase(s.name)}${pascalCase(sel.view)}`;
    const description = `${sel.view} features of ${s.name}.`;
    const v = repo.views.find((x) => x.name === sel.view);
    const o = repo.onDemandViews.find((x) => x.name === sel.view);
    if (v) {
      const features = sel.features.map((f) => v.features.find((x) => x.name === f)!);
      fields[camelCase(sel.view)] = {
        type: storedValueType(name, description, features),
        description: v.def.description,
        args: maxAgeArg,
        resolve: viewFieldResolver(v),
        extensions: fieldInfo('view', v.name),
      };
    } else if (o) {
      const features = sel.features.map((f) => o.features.find((x) => x.name === f)!);
      fields[camelCase(sel.view)] = {
        type: new GraphQLObjectType({ name, description, fields: featureFields(features) }),
        description: o.def.description,
        resolve: onDemandFieldResolver(o, repo),
        extensions: fieldInfo('onDemand', o.name),
      };
    }
  }
  return new GraphQLObjectType({ name: pascalCase(s.name), description: s.def.description, fields });
};

/** `Query.pricingV1(customerId, userLat, userLon, asOf)` and its plural, with the service's types. */
export const serviceRootFields = (s: ServiceSpec, repo: ResolvedRepository, group: KeyGroupType): Fields => {
  const request = new Map(
    s.selections.flatMap((sel) => repo.onDemandViews.find((o) => o.name === sel.view)?.request ?? []).map((r) => [r.name, r] as const),
  );
  const extraArgs: GraphQLFieldConfigArgumentMap = requestArgs([...request.values()]);
  const reqNames = Object.keys(extraArgs);
  return keyRootFields(group, {
    fieldName: s.name,
    returns: serviceType(s, repo),
    kind: 'service',
    definition: s.name,
    description: s.def.description,
    pluralDescription: `${s.name} for several keys, in the order given (duplicates allowed).`,
    extraArgs,
    extraOf: (args) => ({ asOf: args.asOf as Date | undefined, request: Object.fromEntries(reqNames.map((n) => [n, args[n]])) }),
  });
};
