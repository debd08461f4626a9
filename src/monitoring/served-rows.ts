import {
  getOperationAST,
  getVariableValues,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { Entity } from '../definitions/objects.js';
import type { ResolvedRepository, ServiceSpec } from '../definitions/resolve.js';
import { camelCase, pluralField } from '../definitions/naming.js';
import { canonicalKeyPart, encodeEntityKey } from '../definitions/values.js';
import type { ServedStatus } from '../graphql/loaders.js';
import type { LogRow } from './log-store.js';
import type { BinaryValue } from '../sql/binary-copy-writer.js';
import type { LogTable } from './log-table.js';
import type { ServedRead } from './request-observer.js';
import { argumentPlanOf, coercedArguments, rawArguments, serializerOf, type ArgumentPlan } from './served-arguments.js';

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
  readonly reads: ReadonlyMap<string, ReadonlyMap<string, ServedRead>>;
  readonly requestId: string;
  readonly at: Date;
}

/**
 * The fields of a selection set, fragments flattened. Directives are not evaluated here (the plan is per document,
 * `@skip(if: $v)` per request): a field they left out is absent from the result, which servedRowsOf checks.
 */
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

/** The selected features of one view under a service field: where they sit in the result and in the log row. */
interface ViewGroup {
  /** The view's name (the key of its reads) and its field's response key. */
  readonly view: string;
  readonly responseKey: string;
  /** An on-demand view: the views whose reads make its status. */
  readonly inputs: readonly string[] | null;
  /** Per selected feature: its index in the log table's features and its response key. */
  readonly slots: { readonly index: number; readonly responseKey: string }[];
}

const viewGroups = (hit: LoggedService, sub: readonly FieldNode[], fragments: ReadonlyMap<string, FragmentDefinitionNode>): ViewGroup[] => {
  const groups = new Map<FieldNode, ViewGroup>();
  hit.table.features.forEach((f, index) => {
    const names = hit.names[index]!;
    // The view's field may be selected more than once (under aliases): the first that selects the feature.
    let vf: FieldNode | undefined;
    let ff: FieldNode | undefined;
    for (const x of sub) {
      if (x.name.value !== names.view) continue;
      ff = fieldsOf(x.selectionSet, fragments).find((y) => y.name.value === names.feature);
      if (ff) {
        vf = x;
        break;
      }
    }
    if (!vf || !ff) return;
    let g = groups.get(vf);
    if (!g) groups.set(vf, (g = { view: f.view, responseKey: responseKey(vf), inputs: f.onDemand ? names.inputs : null, slots: [] }));
    g.slots.push({ index, responseKey: responseKey(ff) });
  });
  return [...groups.values()];
};

/** Worst of an on-demand view's input statuses: its outputs are only as good as what it read. */
const combine = (statuses: readonly (ServedStatus | undefined)[]): ServedStatus => {
  for (const s of ['error', 'unknown', 'expired'] as const) if (statuses.includes(s)) return s;
  return statuses.every((s) => s === 'present') ? 'present' : 'unknown';
};

/** A service root field of an operation, resolved once per document: where its features are in the result. */
interface FieldPlan extends ArgumentPlan {
  readonly hit: LoggedService;
  readonly responseKey: string;
  readonly groups: readonly ViewGroup[];
  /** Per request argument of the service (LoggedService.requestFields): its value as GraphQL serializes it. */
  readonly serializeRequest: readonly ((v: unknown) => unknown)[];
}

/** The logged service fields of an operation (none when it is not a query), and its variable definitions. */
interface OperationPlan {
  readonly fields: readonly FieldPlan[];
  readonly variables: readonly VariableDefinitionNode[];
}

const planOf = (
  services: ReadonlyMap<string, LoggedService>,
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationPlan => {
  // An empty operation name counts as none.
  const op = getOperationAST(document, operationName || null);
  const queryType = schema.getQueryType();
  if (op?.operation !== 'query' || !queryType) return { fields: [], variables: [] };
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const plans: FieldPlan[] = [];
  for (const field of fieldsOf(op.selectionSet, fragments)) {
    const hit = services.get(field.name.value);
    const def = hit && queryType.getFields()[field.name.value];
    if (!hit || !def) continue;
    const groups = viewGroups(hit, fieldsOf(field.selectionSet, fragments), fragments);
    plans.push({
      ...argumentPlanOf(field, def, field.name.value !== hit.root, hit.requestFields.length > 0),
      hit,
      responseKey: responseKey(field),
      groups,
      serializeRequest: hit.requestFields.map((r) => serializerOf(def.args.find((a) => a.name === r)?.type)),
    });
  }
  return { fields: plans, variables: op.variableDefinitions ?? [] };
};

/**
 * The log rows of one executed request, per service (docs/monitoring.md#the-log-table): one row per entity
 * served by a service root field without `asOf`, with the join keys and request arguments the client sent,
 * and per selected feature the value GraphQL returned, the event time and status the online read reported
 * (loaders.ts), or `error` where the result has an error at that field. Unselected features stay NULL.
 * Where each feature sits in the result is worked out once per document (and schema), not per request.
 */
export const servedRowsOf = (services: ReadonlyMap<string, LoggedService>) => {
  const cache = new WeakMap<DocumentNode, { schema: GraphQLSchema; byOperation: Map<string, OperationPlan> }>();
  const plansFor = (req: ExecutedRequest): OperationPlan => {
    let c = cache.get(req.document);
    if (!c || c.schema !== req.schema) cache.set(req.document, (c = { schema: req.schema, byOperation: new Map() }));
    const name = req.operationName ?? '';
    let plans = c.byOperation.get(name);
    if (!plans) c.byOperation.set(name, (plans = planOf(services, req.schema, req.document, req.operationName)));
    return plans;
  };
  return (req: ExecutedRequest, sampled: (s: LoggedService) => boolean): Map<LoggedService, LogRow[]> => {
    const out = new Map<LoggedService, LogRow[]>();
    if (!req.result.data) return out;
    const { fields: plans, variables: definitions } = plansFor(req);
    if (plans.length === 0) return out;
    // The variables as execution coerced them (defaults applied, a single value for a list made a list of one):
    // the request's own are raw JSON. Coerced only when a field needs it (see rawArguments).
    let coercedVariables: Record<string, unknown> | null | undefined;
    const coerced = () => {
      if (coercedVariables === undefined) {
        const c = getVariableValues(req.schema, definitions, req.variables as Record<string, unknown>);
        coercedVariables = c.errors ? null : c.coerced;
      }
      return coercedVariables;
    };
    let errorPaths: Set<string> | null = null;
    if (req.result.errors?.length) {
      errorPaths = new Set();
      for (const e of req.result.errors) {
        const p = e.path ?? [];
        for (let k = 1; k <= p.length; k++) errorPaths.add(p.slice(0, k).join('/'));
      }
    }
    const at = req.at.getTime();
    const data = req.result.data as Record<string, unknown>;
    const chosen = new Map<LoggedService, boolean>();
    for (const plan of plans) {
      const { hit, responseKey: rk, plural, groups } = plan;
      // Left out by @skip/@include: not served, not logged. (Absent, or undefined as compiled execution leaves
      // it: either way not in the response.)
      if (data[rk] === undefined) continue;
      let take = chosen.get(hit);
      if (take === undefined) chosen.set(hit, (take = sampled(hit)));
      if (!take) continue;
      let args = rawArguments(plan, req.variables);
      if (!args) {
        const variables = coerced();
        if (!variables) continue;
        try {
          args = coercedArguments(plan, variables);
        } catch {
          continue;
        }
      }
      if (args.asOf != null) continue; // point-in-time reads are not serving
      const k0 = hit.keyFields[0];
      const keyArgs: Record<string, unknown>[] = !plural
        ? [args]
        : hit.entities.length === 1 && k0
          ? ((args[`${k0}s`] as unknown[]) ?? []).map((id) => ({ [k0]: id }))
          : ((args.keys as Record<string, unknown>[]) ?? []);
      const value = data[rk];
      const objects = (plural ? ((value as unknown[]) ?? []) : [value]) as (Record<string, unknown> | null)[];
      let rows = out.get(hit);
      if (!rows) out.set(hit, (rows = []));
      const fixed = 3 + hit.entities.length + hit.requestFields.length;
      const width = fixed + 3 * hit.table.features.length;
      const requestValues = hit.requestFields.map((r, i) => plan.serializeRequest[i]!(args[r]));
      for (let i = 0; i < keyArgs.length; i++) {
        const ka = keyArgs[i]!;
        const row: BinaryValue[] = new Array(width).fill(null);
        row[0] = req.requestId;
        row[1] = at;
        row[2] = rows.length;
        let valid = true;
        for (let e = 0; e < hit.entities.length; e++) {
          const r = canonicalKeyPart(hit.entities[e]!.valueType, ka[hit.keyFields[e]!]);
          if ('error' in r) {
            valid = false;
            break;
          }
          row[3 + e] = r.value;
        }
        if (!valid) continue;
        const key = encodeEntityKey(row.slice(3, 3 + hit.entities.length) as string[]);
        for (let r = 0; r < requestValues.length; r++) row[3 + hit.entities.length + r] = requestValues[r]!;
        const obj = objects[i] ?? null;
        const base = errorPaths ? (plural ? `${rk}/${i}` : rk) : '';
        for (const g of groups) {
          // A view field or feature left out by a directive stays NULL, as one not selected.
          if (obj && obj[g.responseKey] === undefined) continue;
          const viewObj = (obj?.[g.responseKey] ?? null) as Record<string, unknown> | null;
          const failed = obj === null || !!errorPaths?.has(`${base}/${g.responseKey}`);
          let status: ServedStatus;
          let eventTs: number | null = null;
          if (failed) status = 'error';
          else if (g.inputs) status = combine(g.inputs.map((v) => req.reads.get(v)?.get(key)?.status));
          else {
            const read = req.reads.get(g.view)?.get(key);
            status = read?.status ?? (viewObj ? 'present' : 'unknown');
            if (read?.eventTs) eventTs = read.eventTs.getTime();
          }
          for (const slot of g.slots) {
            if (viewObj && viewObj[slot.responseKey] === undefined) continue;
            const col = fixed + 3 * slot.index;
            row[col] = (viewObj?.[slot.responseKey] ?? null) as BinaryValue;
            row[col + 1] = eventTs;
            row[col + 2] = status;
          }
        }
        rows.push(row);
      }
    }
    return out;
  };
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
