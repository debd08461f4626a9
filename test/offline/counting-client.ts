import type { SqlClient } from '../../src/sql/client.js';

/**
 * Wraps a client and records every statement it runs (transactions and cursors included), and how many bytes
 * `COPY ... TO` read back (`copiedOut.bytes`).
 */
export const countingClient = (inner: SqlClient): SqlClient & { statements: string[]; copiedOut: { bytes: number } } => {
  const statements: string[] = [];
  const copiedOut = { bytes: 0 };
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
      const chunks = c.copyTo(query);
      return (async function* () {
        for await (const chunk of chunks) {
          copiedOut.bytes += chunk.byteLength;
          yield chunk;
        }
      })();
    },
    close: () => c.close(),
  });
  return Object.assign(wrap(inner), { statements, copiedOut });
};
