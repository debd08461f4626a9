import type { SqlClient } from '../../src/sql/client.js';

/** Wraps a client and records every statement it runs (transactions and cursors included). */
export const countingClient = (inner: SqlClient): SqlClient & { statements: string[] } => {
  const statements: string[] = [];
  const wrap = (c: SqlClient): SqlClient => ({
    dialect: c.dialect,
    description: c.description,
    query: (text, params) => {
      statements.push(text);
      return c.query(text, params);
    },
    queryWithin: (ms, text, params) => {
      statements.push(text);
      return c.queryWithin(ms, text, params);
    },
    transaction: (fn) => c.transaction((tx) => fn(wrap(tx))),
    cursor: (text, params, batch) => {
      statements.push(text);
      return c.cursor(text, params, batch);
    },
    copyFromBinary: (table, columns, data) => {
      statements.push(`COPY ${table} FROM`);
      return c.copyFromBinary(table, columns, data);
    },
    copyFrom: (table, columns, csv) => {
      statements.push(`COPY ${table} FROM`);
      return c.copyFrom(table, columns, csv);
    },
    copyTo: (query) => {
      statements.push(query);
      return c.copyTo(query);
    },
    close: () => c.close(),
  });
  return Object.assign(wrap(inner), { statements });
};
