import type { ResolvedRepository } from '../../definitions/resolve.js';
import { camelCase, pascalCase, pluralField } from '../../definitions/naming.js';
import { scalarResolvers } from '../scalars.js';
import type { FeatureGraphContext, KeyParent } from '../context.js';
import { keyRootResolvers } from './keys.js';
import { onDemandFieldResolver, viewFieldResolver } from './views.js';
import { pushResolver } from './push.js';
import { registryResolvers } from './registry.js';

type FieldResolvers = Record<string, unknown>;

/** The resolver map of the generated schema (see sdl.ts for the types they serve). */
export const buildResolvers = (repo: ResolvedRepository): Record<string, unknown> => {
  const Query: FieldResolvers = { ...registryResolvers(repo) };
  const Mutation: FieldResolvers = {};
  const types: Record<string, FieldResolvers> = {};
  const typeOf = (name: string) => (types[name] ??= {});

  for (const g of repo.keyGroups) {
    const roots = keyRootResolvers(g.entities);
    Query[camelCase(g.name)] = roots.one;
    Query[pluralField(g.name)] = roots.many;
  }
  for (const v of repo.views) {
    typeOf(pascalCase(v.keyName))[camelCase(v.name)] = viewFieldResolver(v);
    if (v.online) Mutation[camelCase(`push_${v.name}`)] = pushResolver(v);
  }
  for (const o of repo.onDemandViews) typeOf(pascalCase(o.keyName))[camelCase(o.name)] = onDemandFieldResolver(o, repo);

  for (const s of repo.services) {
    const group = repo.keyGroups.find((g) => g.name === s.keyName);
    const entities = group?.entities ?? [];
    const reqNames = [
      ...new Set(s.selections.flatMap((sel) => repo.onDemandViews.find((o) => o.name === sel.view)?.request.map((r) => camelCase(r.name)) ?? [])),
    ];
    const roots = keyRootResolvers(entities, (args) => ({
      asOf: args.asOf as Date | undefined,
      request: Object.fromEntries(reqNames.map((n) => [n, args[n]])),
    }));
    Query[camelCase(s.name)] = roots.one;
    Query[pluralField(s.name)] = roots.many;
    const t = typeOf(pascalCase(s.name));
    for (const sel of s.selections) {
      const v = repo.views.find((x) => x.name === sel.view);
      const o = repo.onDemandViews.find((x) => x.name === sel.view);
      t[camelCase(sel.view)] = v ? viewFieldResolver(v) : o ? onDemandFieldResolver(o, repo) : undefined;
    }
  }

  return {
    ...scalarResolvers,
    Query,
    ...(Object.keys(Mutation).length ? { Mutation } : {}),
    ...types,
  };
};

export type { FeatureGraphContext, KeyParent };
