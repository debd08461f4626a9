import {
  getArgumentValues,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Entity } from '../definitions/objects.js';
import type { ResolvedRepository, ServiceSpec } from '../definitions/resolve.js';
import { camelCase, pluralField } from '../definitions/naming.js';
import { canonicalKeyPart, encodeEntityKey } from '../definitions/values.js';
import type { ServedStatus } from '../graphql/loaders.js';
import type { LogRow } from './log-store.js';
import type { LogTable } from './log-table.js';
import type { ServedRead } from './request-observer.js';

/** A logged service as the extractor needs it: its table, entities and root field names. */
export interface LoggedService {
  readonly spec: ServiceSpec;
  readonly table: LogTable;
  readonly entities: readonly Entity[];
  readonly sampleRate: number;
  /** GraphQL names, computed once: join key arguments, request arguments, and per feature its view and field (and an on-demand view's inputs). */
  readonly keyFields: readonly string[];
  /** The singular root field. */
  readonly root: string;
  readonly requestFields: readonly string[];
  readonly names: readonly { readonly view: string; readonly feature: string; readonly inputs: readonly string[] }[];
}

export interface ExecutedRequest {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly result: ExecutionResult;
  readonly reads: ReadonlyMap<string, ServedRead>;
  readonly requestId: string;
  readonly at: Date;
}

const operationOf = (doc: DocumentNode, name?: string | null): OperationDefinitionNode | undefined => {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return name ? ops.find((o) => o.name?.value === name) : ops.length === 1 ? ops[0] : undefined;
};

/** The fields of a selection set, fragments flattened (directives are not evaluated: a logged field is one served). */
const fieldsOf = (
  set: SelectionSetNode | undefined,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  out: FieldNode[] = [],
): FieldNode[] => {
  for (const s of set?.selections ?? []) {
    if (s.kind === Kind.FIELD) out.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) fieldsOf(s.selectionSet, fragments, out);
    else fieldsOf(fragments.get(s.name.value)?.selectionSet, fragments, out);
  }
  return out;
};

const responseKey = (f: FieldNode) => f.alias?.value ?? f.name.value;

const text = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
};

/** Worst of an on-demand view's input statuses: its outputs are only as good as what it read. */
const combine = (statuses: readonly (ServedStatus | undefined)[]): ServedStatus => {
  for (const s of ['error', 'unknown', 'expired'] as const) if (statuses.includes(s)) return s;
  return statuses.every((s) => s === 'present') ? 'present' : 'unknown';
};

/**
 * The log rows of one executed request, per service (docs/monitoring.md#the-log-table): one row per entity
 * served by a service root field without `asOf`, with the join keys and request arguments the client sent,
 * and per selected feature the value GraphQL returned, the event time and status the online read reported
 * (loaders.ts), or `error` where the result has an error at that field. Unselected features stay NULL.
 */
export const servedRows = (services: ReadonlyMap<string, LoggedService>, req: ExecutedRequest, sampled: (s: LoggedService) => boolean) => {
  const out = new Map<LoggedService, LogRow[]>();
  const op = operationOf(req.document, req.operationName);
  const queryType = req.schema.getQueryType();
  if (!op || op.operation !== 'query' || !queryType || !req.result.data) return out;
  const fragments = new Map(
    req.document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const errorPaths = new Set<string>();
  for (const e of req.result.errors ?? []) {
    const p = e.path ?? [];
    for (let k = 1; k <= p.length; k++) errorPaths.add(p.slice(0, k).join('/'));
  }
  const at = req.at.toISOString();
  const data = req.result.data as Record<string, unknown>;
  const chosen = new Map<LoggedService, boolean>();
  for (const field of fieldsOf(op.selectionSet, fragments)) {
    const hit = services.get(field.name.value);
    if (!hit) continue;
    let take = chosen.get(hit);
    if (take === undefined) chosen.set(hit, (take = sampled(hit)));
    if (!take) continue;
    const def = queryType.getFields()[field.name.value];
    if (!def) continue;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(def, field, req.variables as Record<string, unknown>);
    } catch {
      continue;
    }
    if (args.asOf != null) continue; // point-in-time reads are not serving
    const plural = field.name.value !== hit.root;
    const k0 = hit.keyFields[0];
    const keyArgs: Record<string, unknown>[] = !plural
      ? [args]
      : hit.entities.length === 1 && k0
        ? ((args[`${k0}s`] as unknown[]) ?? []).map((id) => ({ [k0]: id }))
        : ((args.keys as Record<string, unknown>[]) ?? []);
    const rk = responseKey(field);
    const value = data[rk];
    const objects = (plural ? ((value as unknown[]) ?? []) : [value]) as (Record<string, unknown> | null)[];
    const sub = fieldsOf(field.selectionSet, fragments);
    // Where each feature is in this field's result, resolved once per field rather than per entity.
    const where = hit.table.features.map((f, fi) => {
      const names = hit.names[fi]!;
      const vf = sub.find((x) => x.name.value === names.view);
      const ff = vf && fieldsOf(vf.selectionSet, fragments).find((x) => x.name.value === names.feature);
      return vf && ff ? { f, view: responseKey(vf), feature: responseKey(ff), inputs: names.inputs } : null;
    });
    const rows = out.get(hit) ?? [];
    out.set(hit, rows);
    keyArgs.forEach((ka, i) => {
      const parts: string[] = [];
      for (let e = 0; e < hit.entities.length; e++) {
        const r = canonicalKeyPart(hit.entities[e]!.valueType, ka[hit.keyFields[e]!]);
        if ('error' in r) return;
        parts.push(r.value);
      }
      const key = encodeEntityKey(parts);
      const obj = objects[i] ?? null;
      const base = plural ? `${rk}/${i}` : rk;
      const row: (string | null)[] = [req.requestId, at, String(rows.length), ...parts];
      for (const r of hit.requestFields) row.push(text(args[r]));
      for (const w of where) {
        if (!w) {
          row.push(null, null, null);
          continue;
        }
        const viewObj = (obj?.[w.view] ?? null) as Record<string, unknown> | null;
        const failed = obj === null || (errorPaths.size > 0 && errorPaths.has(`${base}/${w.view}`));
        let status: ServedStatus;
        let eventTs: Date | null = null;
        if (w.f.onDemand) status = failed ? 'error' : combine(w.inputs.map((v) => req.reads.get(`${v}\u0000${key}`)?.status));
        else {
          const read = req.reads.get(`${w.f.view}\u0000${key}`);
          status = failed ? 'error' : (read?.status ?? (viewObj ? 'present' : 'unknown'));
          eventTs = read?.eventTs ?? null;
        }
        row.push(text(viewObj?.[w.feature]), eventTs ? eventTs.toISOString() : null, status);
      }
      rows.push(row);
    });
  }
  return out;
};

/** A logged service with its GraphQL names computed. */
export const loggedServiceOf = (repo: ResolvedRepository, spec: ServiceSpec, table: LogTable, sampleRate: number): LoggedService => {
  const entities = repo.keyGroups.find((g) => g.name === spec.keyName)?.entities ?? [];
  return {
    spec,
    table,
    entities,
    sampleRate,
    root: camelCase(spec.name),
    keyFields: entities.map((e) => camelCase(e.joinKey)),
    requestFields: table.request.map((r) => camelCase(r.name)),
    names: table.features.map((f) => ({
      view: camelCase(f.view),
      feature: camelCase(f.feature),
      // Aggregation inputs are always present (an empty window has count 0): only feature views can be missing.
      inputs: repo.onDemandViews.find((o) => o.name === f.view)?.inputs.flatMap((i) => (i.kind === 'view' ? [i.view] : [])) ?? [],
    })),
  };
};

/** Root field name (singular and plural) → logged service. */
export const serviceRootFields = (services: readonly LoggedService[]): Map<string, LoggedService> =>
  new Map(services.flatMap((s) => [[s.root, s] as const, [pluralField(s.spec.name), s] as const]));
