import { GraphQLError, type GraphQLSchema } from 'graphql';
import { camelCase, pascalCase, pluralField } from '../definitions/naming.js';
import type { ResolvedRepository } from '../definitions/resolve.js';

/** What a guarded field needs, and what its FORBIDDEN error says. */
export interface FieldRule {
  /** Any one of these scopes grants the field. */
  readonly anyOf: readonly string[];
  readonly message: string;
  /** Extra `extensions` of the FORBIDDEN error: the view or service, and the scope needed. */
  readonly extensions: Readonly<Record<string, string>>;
}

/** Rules by schema coordinate (`Driver.driverStats`); fields without one need no scope. */
export type FieldRules = ReadonlyMap<string, FieldRule>;

const ADMIN: FieldRule = {
  anyOf: ['admin'],
  message: 'registry metadata needs an API key with the admin scope',
  extensions: { scope: 'admin' },
};

const viewRule = (kind: string, view: string): FieldRule => ({
  anyOf: [`read:${view}`],
  message: `this API key may not read ${kind} ${view}: it needs the scope read:${view}`,
  extensions: { view, scope: `read:${view}` },
});

/**
 * Which scope each field needs, from the repository's naming (docs/auth.md):
 * - a view's (or on-demand view's) field under its entity type needs `read:<view>`;
 * - a feature service's features, reachable only through its root fields, need `read:<service>` (or
 *   `read:<view>` for that view's part: it exposes nothing that view's own field would not);
 * - `push<View>` needs `push:<view>`, `<view>Changed` subscriptions `read:<view>`;
 * - entity and service root fields need nothing themselves (they echo the keys given);
 * - every other root field (registry metadata, and any root field added later) needs `admin`:
 *   a new field is closed until someone decides otherwise.
 */
export const fieldRules = (repo: ResolvedRepository, schema: GraphQLSchema): FieldRules => {
  const rules = new Map<string, FieldRule>();
  const open = new Set<string>();
  for (const g of repo.keyGroups) for (const f of [camelCase(g.name), pluralField(g.name)]) open.add(`Query.${f}`);
  for (const s of repo.services) for (const f of [camelCase(s.name), pluralField(s.name)]) open.add(`Query.${f}`);

  for (const v of repo.views) {
    rules.set(`${pascalCase(v.keyName)}.${camelCase(v.name)}`, viewRule('feature view', v.name));
    rules.set(`Subscription.${camelCase(v.name)}Changed`, viewRule('feature view', v.name));
    rules.set(`Mutation.${camelCase(`push_${v.name}`)}`, {
      anyOf: [`push:${v.name}`],
      message: `this API key may not push to feature view ${v.name}: it needs the scope push:${v.name}`,
      extensions: { view: v.name, scope: `push:${v.name}` },
    });
  }
  for (const a of repo.aggregationViews) {
    rules.set(`${pascalCase(a.keyName)}.${camelCase(a.name)}`, viewRule('aggregation view', a.name));
    rules.set(`Mutation.${camelCase(`push_${a.name}`)}`, {
      anyOf: [`push:${a.name}`],
      message: `this API key may not push to aggregation view ${a.name}: it needs the scope push:${a.name}`,
      extensions: { view: a.name, scope: `push:${a.name}` },
    });
  }
  for (const o of repo.onDemandViews) rules.set(`${pascalCase(o.keyName)}.${camelCase(o.name)}`, viewRule('on-demand view', o.name));
  for (const s of repo.services)
    for (const sel of s.selections)
      rules.set(`${pascalCase(s.name)}.${camelCase(sel.view)}`, {
        anyOf: [`read:${s.name}`, `read:${sel.view}`],
        message: `this API key may not read feature service ${s.name}: it needs the scope read:${s.name}`,
        extensions: { service: s.name, view: sel.view, scope: `read:${s.name}` },
      });

  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!root) continue;
    for (const name of Object.keys(root.getFields())) {
      const coord = `${root.name}.${name}`;
      if (!open.has(coord) && !rules.has(coord)) rules.set(coord, ADMIN);
    }
  }
  // Keep only rules for fields the schema has: Subscription fields may not exist.
  for (const coord of [...rules.keys()]) {
    const [type, field] = coord.split('.') as [string, string];
    const t = schema.getType(type);
    if (!t || !('getFields' in t) || !(field in t.getFields())) rules.delete(coord);
  }
  return rules;
};

export const forbiddenError = (rule: FieldRule): GraphQLError =>
  new GraphQLError(rule.message, { extensions: { code: 'FORBIDDEN', ...rule.extensions } });
