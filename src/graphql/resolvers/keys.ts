import type { Entity } from '../../definitions/objects.js';
import { camelCase } from '../../definitions/naming.js';
import { canonicalKeyPart, encodeEntityKey } from '../../definitions/values.js';
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
  const fields: Record<string, string> = {};
  for (const e of entities) {
    const field = camelCase(e.joinKey);
    const r = canonicalKeyPart(e.valueType, args[field]);
    if ('error' in r) throw badInput(`${where}${field}: ${r.error}`, { argument: field });
    parts.push(r.value);
    fields[field] = r.value;
  }
  return { ...fields, parts, key: encodeEntityKey(parts), ...(extra.asOf ? { asOf: extra.asOf } : {}), ...(extra.request ? { request: extra.request } : {}) };
};

/** Root fields of a key group: the singular and the plural (order preserved, duplicates allowed). */
export const keyRootResolvers = (entities: readonly Entity[]) => {
  const one = (_: unknown, args: Record<string, unknown>) => keyParent(entities, args, { asOf: args.asOf as Date | undefined });
  const many = (_: unknown, args: Record<string, unknown>) => {
    const asOf = args.asOf as Date | undefined;
    if (entities.length === 1 && entities[0]) {
      const field = `${camelCase(entities[0].joinKey)}s`;
      const ids = (args[field] as unknown[]) ?? [];
      return ids.map((id, i) => keyParent(entities, { [camelCase(entities[0]!.joinKey)]: id }, { asOf }, `${field}[${i}].`));
    }
    return ((args.keys as Record<string, unknown>[]) ?? []).map((k, i) => keyParent(entities, k, { asOf }, `keys[${i}].`));
  };
  return { one, many };
};
