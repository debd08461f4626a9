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
const fieldsOf = (set: SelectionSetNode | undefined, fragments: ReadonlyMap<string, FragmentDefinitionNode>, out: FieldNode[] = []): FieldNode[] => {
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
export const servedRows = (repo: ResolvedRepository, services: ReadonlyMap<string, LoggedService>, req: ExecutedRequest, sampled: (s: LoggedService) => boolean) => {
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
    const plural = field.name.value !== camelCase(hit.spec.name);
    const e0 = hit.entities[0];
    const keyArgs: Record<string, unknown>[] = !plural
      ? [args]
      : hit.entities.length === 1 && e0
        ? ((args[`${camelCase(e0.joinKey)}s`] as unknown[]) ?? []).map((id) => ({ [camelCase(e0.joinKey)]: id }))
        : ((args.keys as Record<string, unknown>[]) ?? []);
    const rk = responseKey(field);
    const value = data[rk];
    const objects = (plural ? ((value as unknown[]) ?? []) : [value]) as (Record<string, unknown> | null)[];
    const sub = fieldsOf(field.selectionSet, fragments);
    const rows = out.get(hit) ?? [];
    out.set(hit, rows);
    keyArgs.forEach((ka, i) => {
      const parts: string[] = [];
      for (const e of hit.entities) {
        const r = canonicalKeyPart(e.valueType, ka[camelCase(e.joinKey)]);
        if ('error' in r) return;
        parts.push(r.value);
      }
      const key = encodeEntityKey(parts);
      const obj = objects[i] ?? null;
      const base = plural ? `${rk}/${i}` : rk;
      const row: (string | null)[] = [req.requestId, at, String(rows.length), ...parts];
      for (const r of hit.table.request) row.push(text(args[camelCase(r.name)]));
      for (const f of hit.table.features) {
        const vf = sub.find((s) => s.name.value === camelCase(f.view));
        const ff = vf && fieldsOf(vf.selectionSet, fragments).find((s) => s.name.value === camelCase(f.feature));
        if (!vf || !ff) {
          row.push(null, null, null);
          continue;
        }
        const viewObj = (obj?.[responseKey(vf)] ?? null) as Record<string, unknown> | null;
        const failed = errorPaths.has(`${base}/${responseKey(vf)}`) || obj === null;
        let status: ServedStatus;
        let eventTs: Date | null = null;
        if (f.onDemand) {
          const o = repo.onDemandViews.find((x) => x.name === f.view);
          status = failed ? 'error' : combine((o?.inputs ?? []).map((inp) => req.reads.get(`${inp.view}\u0000${key}`)?.status));
        } else {
          const read = req.reads.get(`${f.view}\u0000${key}`);
          status = failed ? 'error' : (read?.status ?? (viewObj ? 'present' : 'unknown'));
          eventTs = read?.eventTs ?? null;
        }
        row.push(text(viewObj?.[responseKey(ff)]), eventTs ? eventTs.toISOString() : null, status);
      }
      rows.push(row);
    });
  }
  return out;
};

/** Root field name (singular and plural) → logged service. */
export const serviceRootFields = (services: readonly LoggedService[]): Map<string, LoggedService> =>
  new Map(services.flatMap((s) => [[camelCase(s.spec.name), s] as const, [pluralField(s.spec.name), s] as const]));
