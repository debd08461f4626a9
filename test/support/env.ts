import { randomBytes } from 'node:crypto';
import type { SqlClient } from '../../src/sql/client.js';
import { createPgClient } from '../../src/sql/pg.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import { requires } from './services.js';

/** A project name no other test uses: each test's registry, online tables and push tables live apart. */
export const uniqueProject = (prefix = 't'): string => `${prefix}_${randomBytes(5).toString('hex')}`;

export const DATABASE_URL = process.env.DATABASE_URL;
export const REDIS_URL = process.env.REDIS_URL;

/** The SQL backends a test should run on: always PGlite; real Postgres when DATABASE_URL is set. */
export const sqlBackends: { name: string; open: () => Promise<SqlClient> }[] = [
  { name: 'pglite', open: () => createPgliteClient() },
  ...(requires('the postgres variant of the suites run on every SQL backend', 'DATABASE_URL') && DATABASE_URL
    ? [{ name: 'postgres', open: async () => createPgClient(DATABASE_URL) }]
    : []),
];

/** Drop a test's schemas (its project schema and any source schema it made). */
export const dropSchemas = async (sql: SqlClient, ...schemas: string[]) => {
  for (const s of schemas) await sql.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
};
