import type { DefinitionProblem } from './errors.js';
import type { Entity, FeatureSchema } from './objects.js';
import { IDENTIFIER, camelCase, pascalCase } from './naming.js';
import { isValueType } from './value-types.js';
import { isFeatureDef, relationName } from './feature.js';

/** Feature names that would collide with fields every view type has. */
export const RESERVED_FEATURES = new Set(['event_timestamp', 'created_timestamp', 'age_seconds', '__typename']);

export const describe = (kind: string, name: unknown): string => `${kind} ${JSON.stringify(name)}`;

const KIND_LABEL: Record<string, string> = {
  entity: 'entity',
  postgresSource: 'source',
  pushSource: 'source',
  fileSource: 'source',
  featureView: 'feature view',
  aggregationView: 'aggregation view',
  onDemandView: 'on-demand view',
  featureService: 'feature service',
};

/**
 * What every kind's checks share while one repository is validated (validate.ts): the problems found so far,
 * the checks of names, metadata and feature schemas, the names taken in each namespace, the fields of each
 * entity group's GraphQL type, and the repository's entities.
 */
export const validationContext = () => {
  const problems: DefinitionProblem[] = [];
  const add = (object: string, message: string, field?: string) => problems.push({ object, message, ...(field ? { field } : {}) });
  const entities = new Map<string, Entity>();

  const checkName = (obj: { kind: string; name: unknown }) => {
    const label = describe(KIND_LABEL[obj.kind] ?? obj.kind, obj.name);
    if (typeof obj.name !== 'string' || !IDENTIFIER.test(obj.name) || obj.name.length > 50)
      add(label, 'name must be lower_snake_case (a-z, 0-9, _), start with a letter, at most 50 characters');
    return label;
  };
  const checkMeta = (label: string, o: { tags?: unknown; description?: unknown; owner?: unknown }) => {
    if (o.description !== undefined && typeof o.description !== 'string') add(label, 'must be a string', 'description');
    if (o.owner !== undefined && typeof o.owner !== 'string') add(label, 'must be a string', 'owner');
    if (o.tags !== undefined && (typeof o.tags !== 'object' || o.tags === null || Object.values(o.tags).some((t) => typeof t !== 'string')))
      add(label, 'must map tag names to strings', 'tags');
  };

  const checkFeatureMeta = (label: string, name: string, f: { description?: unknown; unit?: unknown; range?: unknown; type: unknown }) => {
    if (f.description !== undefined && typeof f.description !== 'string') add(label, 'description must be a string', name);
    if (f.unit !== undefined && (typeof f.unit !== 'string' || f.unit === '')) add(label, 'unit must be a non-empty string', name);
    if (f.range === undefined) return;
    const r = f.range;
    const numeric = isValueType(f.type) && f.type.kind === 'scalar' && ['Int32', 'Int64', 'Float32', 'Float64'].includes(f.type.name);
    if (!numeric) add(label, 'range is only for numeric features (Int32, Int64, Float32, Float64)', name);
    else if (!Array.isArray(r) || r.length !== 2 || !r.every((x) => typeof x === 'number' && Number.isFinite(x)) || r[0] > r[1])
      add(label, `range must be [min, max] with finite numbers and min <= max, got ${JSON.stringify(r)}`, name);
  };

  // Duplicate names within a kind, and between views and on-demand views (they share types and fields).
  const seen = new Map<string, Map<string, unknown>>();
  const dup = (space: string, label: string, name: string, obj: unknown) => {
    const m = seen.get(space) ?? new Map<string, unknown>();
    seen.set(space, m);
    if (m.has(name) && m.get(name) !== obj) add(label, `is defined more than once (names must be unique among ${space})`);
    m.set(name, obj);
  };

  const checkSchema = (label: string, what: string, schema: unknown, reserved: Set<string>): Map<string, string> => {
    const camel = new Map<string, string>();
    if (typeof schema !== 'object' || schema === null || Object.keys(schema).length === 0) {
      add(label, `must declare at least one ${what}`, `${what}s`);
      return camel;
    }
    for (const [name, declared] of Object.entries(schema as FeatureSchema)) {
      if (!IDENTIFIER.test(name)) add(label, `${what} name must be lower_snake_case`, name);
      if (reserved.has(name)) add(label, `"${name}" is reserved`, name);
      const type = isFeatureDef(declared) ? declared.type : declared;
      if (isFeatureDef(declared)) checkFeatureMeta(label, name, declared);
      if (!isValueType(type))
        add(
          label,
          `unknown value type ${JSON.stringify(type)}; use Bool, Int32, Int64, Float32, Float64, String, Bytes, Timestamp, Json or List(scalar)`,
          name,
        );
      const c = camelCase(name);
      if (camel.has(c)) add(label, `"${name}" and "${camel.get(c)}" both become GraphQL field "${c}"`, name);
      camel.set(c, name);
    }
    return camel;
  };

  /**
   * A feature that references an entity (docs/graphql.md, "Relations"): the entity is one of this repository,
   * the value type equals its join key type, and the relation field's name is free on the view's type.
   */
  const checkReferences = (label: string, schema: unknown, camel: Map<string, string>) => {
    if (typeof schema !== 'object' || schema === null) return;
    const relations = new Map<string, string>();
    for (const [name, declared] of Object.entries(schema as FeatureSchema)) {
      if (!isFeatureDef(declared) || (declared.references === undefined && declared.relation === undefined)) continue;
      const e = declared.references as unknown;
      if (typeof e !== 'object' || e === null || (e as { kind?: unknown }).kind !== 'entity') {
        add(label, `references ${JSON.stringify(e)}, which is not an entity() definition`, name);
        continue;
      }
      const ent = e as Entity;
      if (entities.get(ent.name) !== ent) {
        add(label, `references unknown entity "${ent.name}"`, name);
        continue;
      }
      const t = declared.type;
      if (isValueType(t) && (t.kind !== 'scalar' || t.name !== ent.valueType.name))
        add(
          label,
          `references entity "${ent.name}", whose join key ${ent.joinKey} is ${ent.valueType.name}, but the feature is ${t.kind === 'scalar' ? t.name : 'a list'}`,
          name,
        );
      const rel = relationName(name, { ...declared, references: ent });
      if (typeof rel !== 'string' || !IDENTIFIER.test(rel)) {
        add(label, `relation name ${JSON.stringify(rel)} must be lower_snake_case`, name);
        continue;
      }
      const c = camelCase(rel);
      if (RESERVED_FEATURES.has(rel)) add(label, `relation name "${rel}" is reserved`, name);
      else if (camel.has(c))
        add(label, `relation "${rel}" becomes GraphQL field "${c}", as feature "${camel.get(c)}" does; name it with relation: '…'`, name);
      else if (relations.has(c))
        add(
          label,
          `relation "${rel}" becomes GraphQL field "${c}", as the relation of "${relations.get(c)}" does; name it with relation: '…'`,
          name,
        );
      relations.set(c, name);
    }
  };

  const viewFieldsByGroup = new Map<string, Map<string, string>>();
  const groupField = (group: string, field: string, owner: string, label: string) => {
    const m = viewFieldsByGroup.get(group) ?? new Map<string, string>();
    viewFieldsByGroup.set(group, m);
    if (m.has(field) && m.get(field) !== owner) add(label, `becomes field "${field}" of ${pascalCase(group)}, as ${m.get(field)} does`);
    m.set(field, owner);
  };
  for (const e of entities.values()) groupField(e.name, camelCase(e.joinKey), `join key "${e.joinKey}"`, describe('entity', e.name));

  return { problems, add, entities, checkName, checkMeta, checkSchema, checkReferences, dup, groupField };
};

export type ValidationContext = ReturnType<typeof validationContext>;
