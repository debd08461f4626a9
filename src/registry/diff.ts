import { canonicalJson, compareObjects } from './describe.js';
import type { DescribedObject, ObjectChange } from './types.js';

const key = (o: { kind: string; name: string }) => `${o.kind}:${o.name}`;

/** Top-level spec fields whose values differ. */
const changedFields = (before: object, after: object): string[] => {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => canonicalJson(a[f]) !== canonicalJson(b[f])).sort();
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
    else if (old.hash !== o.hash) changes.push({ action: 'change', kind: o.kind, name: o.name, fields: changedFields(old.spec, o.spec) });
    else unchanged++;
  }
  for (const o of current) if (!after.has(key(o))) changes.push({ action: 'remove', kind: o.kind, name: o.name, fields: [] });
  return { changes: changes.sort(compareObjects), unchanged };
};
