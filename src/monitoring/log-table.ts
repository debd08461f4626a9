import { createHash } from 'node:crypto';
import type { BinaryColumnType } from '../sql/binary-copy-writer.js';
import type { ResolvedRepository, ServiceSpec } from '../definitions/resolve.js';
import { projectSchema, quoteIdent } from '../definitions/resolve.js';
import type { ValueType } from '../definitions/value-types.js';

/** How a logged value is stored: numbers, strings and bools are the kinds drift bins (docs/monitoring.md). */
export type LogValueKind = 'number' | 'string' | 'bool' | 'other';

/** One logged feature of a service: its value, event timestamp and status columns. */
export interface LoggedFeature {
  readonly view: string;
  readonly feature: string;
  readonly onDemand: boolean;
  readonly kind: LogValueKind;
  readonly sqlType: BinaryColumnType;
  /** `<view>__<feature>`; `…__event_ts` and `…__status` beside it. */
  readonly column: string;
  readonly tsColumn: string;
  readonly statusColumn: string;
}

/** The served-feature log table of one feature service (docs/monitoring.md#the-log-table). */
export interface LogTable {
  readonly project: string;
  readonly service: string;
  /** Schema-qualified and quoted. */
  readonly relation: string;
  readonly keys: readonly { readonly name: string; readonly sqlType: BinaryColumnType }[];
  readonly request: readonly { readonly name: string; readonly sqlType: BinaryColumnType }[];
  readonly features: readonly LoggedFeature[];
  /** Every column in insert order. */
  readonly columns: readonly string[];
  /** Each column's type, aligned with `columns`: how its values are encoded for binary COPY. */
  readonly columnTypes: readonly BinaryColumnType[];
}

export const LOG_FIXED_COLUMNS = ['request_id', 'logged_at', 'position'] as const;

// Postgres truncates identifiers at 63 bytes; a long name keeps its start and a hash, so two never collide.
const ident = (name: string): string =>
  Buffer.byteLength(name) <= 63 ? name : `${name.slice(0, 50)}_${createHash('sha1').update(name).digest('hex').slice(0, 10)}`;

const kindOf = (t: ValueType): LogValueKind => {
  if (t.kind === 'list') return 'other';
  if (['Int32', 'Int64', 'Float32', 'Float64'].includes(t.name)) return 'number';
  if (t.name === 'String') return 'string';
  if (t.name === 'Bool') return 'bool';
  return 'other';
};

// Values are logged as GraphQL serialized them: Int64 as decimal text, Bytes as base64, lists and JSON as JSON.
const logSqlType = (t: ValueType): BinaryColumnType => {
  if (t.kind === 'list') return 'jsonb';
  switch (t.name) {
    case 'Bool':
      return 'boolean';
    case 'Int32':
      return 'integer';
    case 'Int64':
      return 'bigint';
    case 'Float32':
    case 'Float64':
      return 'double precision';
    case 'Timestamp':
      return 'timestamptz';
    case 'Json':
      return 'jsonb';
    default:
      return 'text';
  }
};

/** `fg_<project>.served_log_<service>`. */
export const logRelation = (project: string, service: string): string =>
  `${quoteIdent(projectSchema(project))}.${quoteIdent(ident(`served_log_${service}`))}`;

/** The log table layout of a service, from its definition. */
export const logTableOf = (repo: ResolvedRepository, s: ServiceSpec): LogTable => {
  const group = repo.keyGroups.find((g) => g.name === s.keyName);
  const keys = (group?.entities ?? []).map((e) => ({ name: e.joinKey, sqlType: logSqlType(e.valueType) }));
  const request = new Map<string, BinaryColumnType>();
  const features: LoggedFeature[] = [];
  for (const sel of s.selections) {
    const v = repo.views.find((x) => x.name === sel.view);
    const o = repo.onDemandViews.find((x) => x.name === sel.view);
    for (const r of o?.request ?? []) request.set(r.name, logSqlType(r.type));
    const types = new Map<string, ValueType>([...(v?.features ?? []), ...(o?.features ?? [])].map((f) => [f.name, f.type]));
    for (const feature of sel.features) {
      const t = types.get(feature) ?? { kind: 'scalar', name: 'Json' };
      const base = `${sel.view}__${feature}`;
      features.push({
        view: sel.view,
        feature,
        onDemand: sel.onDemand,
        kind: kindOf(t),
        sqlType: logSqlType(t),
        column: ident(base),
        tsColumn: ident(`${base}__event_ts`),
        statusColumn: ident(`${base}__status`),
      });
    }
  }
  const requestCols = [...request].map(([name, sqlType]) => ({ name, sqlType }));
  return {
    project: repo.project,
    service: s.name,
    relation: logRelation(repo.project, s.name),
    keys,
    request: requestCols,
    features,
    columns: [
      ...LOG_FIXED_COLUMNS,
      ...keys.map((k) => k.name),
      ...requestCols.map((r) => r.name),
      ...features.flatMap((f) => [f.column, f.tsColumn, f.statusColumn]),
    ],
    columnTypes: [
      'text', // request_id
      'timestamptz', // logged_at
      'integer', // position
      ...keys.map((k) => k.sqlType),
      ...requestCols.map((r) => r.sqlType),
      ...features.flatMap((f) => [f.sqlType, 'timestamptz', 'text'] as const),
    ],
  };
};

/** A logged service by name, or an error naming the services that log. */
export const loggedService = (repo: ResolvedRepository, name: string): ServiceSpec => {
  const s = repo.services.find((x) => x.name === name);
  if (!s) throw new Error(`unknown feature service "${name}"; services are: ${repo.services.map((x) => x.name).join(', ') || '(none)'}`);
  return s;
};
