import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPgClient } from '../../src/sql/pg.js';
import type { SqlClient } from '../../src/sql/client.js';
import { DATABASE_URL } from '../support/env.js';
import { describeWith } from '../support/services.js';

/**
 * A checked-out pg client whose backend dies emits 'error'; with nobody listening, Node throws it and the
 * process dies (a Postgres restart took `serve` or `historical` down with a stack trace). Every operation that
 * holds a connection across awaits — cursors, COPY in and out — must instead reject with the error and leave a
 * pool that serves the next statement. Vitest fails the run on any uncaught exception.
 */
describeWith('DATABASE_URL', 'pg client: a backend killed mid-operation is an error, not a crash', () => {
  const app = `fg_loss_${randomBytes(4).toString('hex')}`;
  let sql: SqlClient;
  let admin: SqlClient;
  beforeAll(async () => {
    const url = new URL(DATABASE_URL!);
    url.searchParams.set('application_name', app);
    sql = createPgClient(url.toString());
    admin = createPgClient(DATABASE_URL!);
  });
  afterAll(async () => {
    await sql.close();
    await admin.close();
  });

  /** Runs `op` while terminating this client's busy backend once it is seen working; returns op's error. */
  const killedDuring = async (op: () => Promise<unknown>): Promise<Error> => {
    let killed = 0;
    const killer = (async () => {
      const deadline = Date.now() + 20_000;
      while (killed === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 30));
        const r = await admin.query<{ n: number }>(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'`,
          [app],
        );
        killed = r.rows[0]!.n;
      }
    })();
    const err = await op().then(
      () => new Error('the operation completed: its backend was never terminated'),
      (e: unknown) => e as Error,
    );
    await killer;
    expect(killed).toBeGreaterThan(0);
    // The pool gives out a working connection afterwards, not the dead one.
    expect((await sql.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    return err;
  };

  it('a cursor', async () => {
    const err = await killedDuring(async () => {
      for await (const batch of sql.cursor('SELECT g, pg_sleep(0.002) FROM generate_series(1, 20000) g', [], 50)) void batch;
    });
    expect(err.message).toMatch(/terminat/);
  }, 60_000);

  it('COPY TO', async () => {
    const err = await killedDuring(async () => {
      for await (const chunk of sql.copyTo('SELECT g, pg_sleep(0.0005) FROM generate_series(1, 40000) g')) void chunk;
    });
    expect(err.message).toMatch(/terminat/);
  }, 60_000);

  it('COPY FROM', async () => {
    const slowRows = async function* () {
      for (let i = 0; i < 1_000_000; i++) {
        yield `${i}\n`;
        if (i % 200 === 0) await new Promise((r) => setTimeout(r, 5));
      }
    };
    const table = `public.${app}`;
    await admin.query(`CREATE TABLE ${table} (a int)`);
    try {
      const err = await killedDuring(() => sql.copyFrom(table, ['a'], slowRows()));
      expect(err.message).toMatch(/ECONNRESET|EPIPE|terminat/);
    } finally {
      await admin.query(`DROP TABLE ${table}`);
    }
  }, 60_000);
});
