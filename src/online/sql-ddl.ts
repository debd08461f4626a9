import { projectSchema, quoteIdent, type ViewSpec } from '../definitions/resolve.js';

/**
 * The SQL online store keeps one table per view in the project schema:
 * `fg_<project>.online_<view>(entity_key text primary key, event_ts, created_ts, payload jsonb)`.
 * `payload` holds the features in the codec's JSON form (Int64 as strings, Bytes as base64).
 */
export const onlineTable = (project: string, view: string): string =>
  `${quoteIdent(projectSchema(project))}.${quoteIdent(`online_${view}`)}`;

export const onlineTableDdl = (project: string, view: ViewSpec): string[] => [
  `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(projectSchema(project))}`,
  `CREATE TABLE IF NOT EXISTS ${onlineTable(project, view.name)} (
    entity_key text PRIMARY KEY,
    event_ts timestamptz NOT NULL,
    created_ts timestamptz,
    payload jsonb NOT NULL,
    payload_text text NOT NULL
  )`,
  // The tie key (tie-key.ts) breaks (event, created) ties as the offline order does; rows written
  // before it existed have none and lose every tie.
  `ALTER TABLE ${onlineTable(project, view.name)} ADD COLUMN IF NOT EXISTS tie_key text`,
];
