import type { Entity } from '../../definitions/objects.js';
import { camelCase } from '../../definitions/naming.js';
import { canonicalKeyPart, encodeEntityKey, hasLoneSurrogate } from '../../definitions/values.js';
import type { KeyParent } from '../context.js';
import { badInput } from '../errors.js';

/** Parse one key's arguments (`{ driverId: "1001" }`) into a KeyParent, or throw BAD_USER_INPUT naming the argument. */
export const keyParent = (
  entities: readonly Entity[],
  args: Readonly<Record<string, unknown>>,
  extra: { asOf?: Date; request?: Record<string, unknown> },
  where = '',
): KeyParent => {
  const parts: string[] = [];
  // Built field by field, not by spreading: this runs once per requested key, 100 times for a batch of 100.
  const parent: Record<string, unknown> = {};
  for (const e of entities) {
    const field = fieldOf(e);
    const r = canonicalKeyPart(e.valueType, args[field]);
    if ('error' in r) throw badInput(`${where}${field}: ${r.error}`, { argument: field });
    // No stored key can hold it (a push refuses it, Postgres cannot store it): the caller's error, not a store's.
    if (r.value.includes('\u0000'))
      throw badInput(`${where}${field}: a key may not contain the NUL character (\\u0000)`, { argument: field });
    if (hasLoneSurrogate(r.value))
      throw badInput(`${where}${field}: a key may not contain an unpaired UTF-16 surrogate`, { argument: field });
    parts.push(r.value);
    parent[field] = r.value;
  }
  parent.parts = parts;
  parent.key = encodeEntityKey(parts);
  if (extra.asOf) parent.asOf = extra.asOf;
  if (extra.request) parent.request = extra.request;
  return parent as KeyParent;
};

/** The GraphQL argument name of an entity's join key, computed once per entity (it is on the hot path). */
const fieldNames = new WeakMap<Entity, string>();
const fieldOf = (e: Entity): string => {
  let f = fieldNames.get(e);
  if (f === undefined) fieldNames.set(e, (f = camelCase(e.joinKey)));
  return f;
};

/** What a root field passes down besides the key: its asOf and, for feature services, request arguments. */
export type RootExtra = (args: Record<string, unknown>) => { asOf?: Date; request?: Record<string, unknown> };

const asOfOnly: RootExtra = (args) => ({ asOf: args.asOf as Date | undefined });

/**
 * Root fields of a key group (entity, composite key or feature service): the singular and the plural
 * (order preserved, duplicates allowed; `driverIds` for one entity, `keys` for a composite key).
 */
export const keyRootResolvers = (entities: readonly Entity[], extraOf: RootExtra = asOfOnly) => {
  const one = (_: unknown, args: Record<string, unknown>) => keyParent(entities, args, extraOf(args));
  const e0 = entities.length === 1 ? entities[0] : undefined;
  const field = e0 ? fieldOf(e0) : '';
  const listArg = `${field}s`;
  const many = (_: unknown, args: Record<string, unknown>) => {
    const extra = extraOf(args);
    if (e0) {
      const ids = (args[listArg] as unknown[]) ?? [];
      return ids.map((id, i) => keyParent(entities, { [field]: id }, extra, `${listArg}[${i}].`));
    }
    return ((args.keys as Record<string, unknown>[]) ?? []).map((k, i) => keyParent(entities, k, extra, `keys[${i}].`));
  };
  return { one, many };
};
