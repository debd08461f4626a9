import { canonicalJson, compareObjects } from './describe.js';
import type { DescribedObject, ObjectChange, ValueChange } from './types.js';

const key = (o: { kind: string; name: string }) => `${o.kind}:${o.name}`;

/** Top-level spec fields whose values differ. */
const changedFields = (before: object, after: object): string[] => {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => canonicalJson(a[f]) !== canonicalJson(b[f])).sort();
};

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const named = (v: unknown): v is { name: string }[] => Array.isArray(v) && v.every((x) => isRecord(x) && typeof x.name === 'string');
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/**
 * Every leaf that differs between `a` and `b`, old → new: objects are compared key by key, lists of named
 * items (features, request fields) item by item by name, anything else as a whole.
 */
export const valueChanges = (a: unknown, b: unknown, path = ''): ValueChange[] => {
  if (canonicalJson(a) === canonicalJson(b)) return [];
  if (a === undefined) return [{ path, new: b }];
  if (b === undefined) return [{ path, old: a }];
  if (isRecord(a) && isRecord(b))
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().flatMap((k) => valueChanges(a[k], b[k], join(path, k)));
  if (named(a) && named(b)) {
    const before = new Map(a.map((x) => [x.name, x]));
    const after = new Map(b.map((x) => [x.name, x]));
    const names = [...new Set([...before.keys(), ...after.keys()])];
    const items = names.flatMap((n) => valueChanges(before.get(n), after.get(n), join(path, n)));
    // Same items in another order: the order itself is the change.
    return items.length ? items : [{ path, old: a.map((x) => x.name), new: b.map((x) => x.name) }];
  }
  return [{ path, old: a, new: b }];
};

/** What turning `current` into `next` adds, changes (and which fields) and removes. */
export const diffObjects = (
  current: readonly DescribedObject[],
  next: readonly DescribedObject[],
): { changes: ObjectChange[]; unchanged: number } => {
  const before = new Map(current.map((o) => [key(o), o]));
  const after = new Map(next.map((o) => [key(o), o]));
  const changes: ObjectChange[] = [];
  let unchanged = 0;
  for (const o of next) {
    const old = before.get(key(o));
    if (!old) changes.push({ action: 'add', kind: o.kind, name: o.name, fields: [] });
    else if (old.hash !== o.hash)
      changes.push({
        action: 'change',
        kind: o.kind,
        name: o.name,
        fields: changedFields(old.spec, o.spec),
        values: valueChanges(old.spec, o.spec),
      });
    else unchanged++;
  }
  for (const o of current) if (!after.has(key(o))) changes.push({ action: 'remove', kind: o.kind, name: o.name, fields: [] });
  return { changes: changes.sort(compareObjects), unchanged };
};
