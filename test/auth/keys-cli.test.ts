import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgClient } from '../../src/sql/pg.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import type { SqlClient } from '../../src/sql/client.js';
import { runCli } from '../support/cli.js';
import { DATABASE_URL, dropSchemas, uniqueProject } from '../support/env.js';

const DEFINITIONS = join(import.meta.dirname, 'fixtures/keys-repository.ts');
const QUERY = JSON.stringify({ query: '{ driver(driverId: "1") { driverStats { convRate } } }' });

/** One command run: its exit code, stdout alone (for the secret line) and everything it printed. */
const command = (args: string[], dataDir: string, extra: string[]) => {
  const run = runCli([...extra, ...args], dataDir, { FEATUREGRAPH_DEFINITIONS: DEFINITIONS, PORT: '0' });
  let stdout = '';
  run.child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  return { ...run, stdout: () => stdout };
};
const featuregraph = async (dataDir: string, extra: string[], ...args: string[]) => {
  const run = command(args, dataDir, extra);
  const code = await run.exited;
  return { code, out: run.output(), stdout: run.stdout() };
};

const waitFor = async (pred: () => boolean, ms: number, what: string, output: () => string) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** A POST on a fresh connection (no keep-alive), so `serve --workers` hands successive ones to different workers. */
const post = (url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });

interface Backend {
  name: string;
  extra: (project: string) => string[];
  open: (dataDir: string) => Promise<SqlClient>;
}
const embedded: Backend = {
  name: 'embedded',
  extra: (project) => ['--project', project],
  open: (dataDir) => createPgliteClient(join(dataDir, 'pglite')),
};
const postgres = (url: string): Backend => ({
  name: 'postgres',
  extra: (project) => ['--project', project, '--database-url', url],
  open: async () => createPgClient(url),
});
const backends: Backend[] = [embedded, ...(DATABASE_URL ? [postgres(DATABASE_URL)] : [])];

describe.each(backends)('featuregraph keys and serve on $name', ({ name, extra, open }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-keys-cli-'));
  const project = uniqueProject('kcli');
  const flags = extra(project);
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    if (name === 'postgres') {
      const sql = await open(dataDir);
      await dropSchemas(sql, `fg_${project}`);
      await sql.close();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serve refuses to start without keys and says how to create one; --allow-anonymous starts it open', async () => {
    const refused = await featuregraph(dataDir, flags, 'serve');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`project ${project} has no API keys`);
    expect(refused.out).toContain('featuregraph keys create --name NAME --scopes read:*');
    expect(refused.out).toContain('--allow-anonymous');

    const server = command(['serve', '--allow-anonymous'], dataDir, flags);
    children.push(server.child);
    // The banner's last line: the URL line before it has arrived too.
    await waitFor(() => server.output().includes('anonymous: no API key needed'), 60_000, 'the server', server.output);
    const url = /at (http:\S+\/graphql)/.exec(server.output())![1]!;
    expect((await post(url, QUERY)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 120_000);

  it('keys create prints the secret once on the last line and stores only its sha256; errors name what is wrong', async () => {
    const created = await featuregraph(
      dataDir,
      flags,
      'keys',
      'create',
      '--name',
      'ci',
      '--scopes',
      'read:driver_stats,push:location_risk',
    );
    expect(created.code).toBe(0);
    const lines = created.stdout.trimEnd().split('\n');
    const secret = lines.at(-1)!;
    expect(secret).toMatch(/^fgk_[A-Za-z0-9_-]{43}$/);
    expect(lines.slice(0, -1).join('\n')).not.toContain(secret);
    expect(created.stdout).toContain('with scopes read:driver_stats, push:location_risk');

    const dup = await featuregraph(dataDir, flags, 'keys', 'create', '--name', 'ci', '--scopes', 'read:*');
    expect(dup.code).toBe(1);
    expect(dup.out).toContain('an active key named "ci" already exists');
    // Every problem at once: bad syntax, an unknown view, a name that cannot be pushed to.
    const unknown = await featuregraph(
      dataDir,
      flags,
      'keys',
      'create',
      '--name',
      'x',
      '--scopes',
      'write:driver_stats,read:drivers,push:pricing',
    );
    expect(unknown.code).toBe(1);
    expect(unknown.out).toMatch(/unknown scope "write:driver_stats": scopes are read:<view or service>, push:<view>, admin, adhoc/);
    expect(unknown.out).toContain(
      '"drivers" is not a feature view, on-demand view or feature service; valid read names: credit_score, driver_stats, location_risk, pricing, risk_doubled',
    );
    expect(unknown.out).toContain(
      '"pricing" is not a pushable (online) feature view; valid push names: credit_score, driver_stats, location_risk',
    );

    const list = await featuregraph(dataDir, flags, 'keys', 'list');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/NAME\s+SCOPES\s+CREATED\s+BY\s+LAST USED/);
    expect(list.out).toMatch(/\nci\s+read:driver_stats,push:location_risk\s+\d{4}-\d\d-\d\dT[\d:]+Z\s+\S+\s+-/);
    const hash = createHash('sha256').update(secret).digest('hex');
    expect(list.out).not.toContain(secret);
    expect(list.out).not.toContain(hash);
    expect(list.out).not.toContain('x ');

    const sql = await open(dataDir);
    try {
      const rows = await sql.query<Record<string, unknown>>(`SELECT * FROM "fg_${project}".api_keys`);
      expect(rows.rows).toHaveLength(1);
      expect(rows.rows[0]).toMatchObject({ name: 'ci', secret_hash: hash });
      expect(JSON.stringify(rows.rows)).not.toContain(secret);
    } finally {
      await sql.close();
    }

    const admin = await featuregraph(dataDir, flags, 'keys', 'create', '--name', 'ops', '--scopes', 'admin');
    expect(admin.code).toBe(0);
    const adminSecret = admin.stdout.trimEnd().split('\n').at(-1)!;

    // Served with keys: 401 without one, the key's scopes with it.
    const server = command(['serve', '--rate-limit', '1:3'], dataDir, flags);
    children.push(server.child);
    await waitFor(() => server.output().includes('API keys: 2 active'), 60_000, 'the server', server.output);
    const url = /at (http:\S+\/graphql)/.exec(server.output())![1]!;
    expect((await post(url, QUERY)).status).toBe(401);
    const ok = await post(url, QUERY, { authorization: `Bearer ${secret}` });
    expect(ok).toEqual({ status: 200, body: JSON.stringify({ data: { driver: { driverStats: null } } }) });
    // /metrics on the main port: an admin key (either header), nothing else.
    const metrics = (headers: Record<string, string>) => fetch(url.replace(/\/graphql$/, '/metrics'), { headers });
    // No key or an unknown one: 401, as for GraphQL; a key without admin: 403.
    expect((await metrics({})).status).toBe(401);
    expect((await metrics({ authorization: `Bearer ${secret}` })).status).toBe(403);
    expect((await metrics({ authorization: 'Bearer fgk_not_a_key' })).status).toBe(401);
    for (const headers of [{ authorization: `Bearer ${adminSecret}` }, { 'x-api-key': adminSecret }] as Record<string, string>[]) {
      const scraped = await metrics(headers);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toMatch(/featuregraph_requests_total\{[^}]*outcome="ok"[^}]*\} [1-9]/);
    }
    // --rate-limit 1:3: the key's bucket (3, one used above) runs out within a burst; 429 says when to retry.
    const burst = await Promise.all(
      Array.from({ length: 6 }, () =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: QUERY }),
      ),
    );
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(3);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const revoked = await featuregraph(dataDir, flags, 'keys', 'revoke', 'ci');
    expect(revoked.code).toBe(0);
    expect(revoked.out).toContain('Revoked API key "ci"');
    // Listed with --all only now: created, by, last used (written back by the server on shutdown), revoked.
    const all = await featuregraph(dataDir, flags, 'keys', 'list', '--all');
    const TIME = String.raw`\d{4}-\d\d-\d\dT[\d:]+Z`;
    expect(all.out).toMatch(new RegExp(String.raw`\nci\s+read:driver_stats,push:location_risk\s+${TIME}\s+\S+\s+${TIME}\s+${TIME}\n`));
    const again = await featuregraph(dataDir, flags, 'keys', 'revoke', 'ci');
    expect(again.code).toBe(1);
    expect(again.out).toContain('no active key named "ci"; active keys: ops');
    expect((await featuregraph(dataDir, flags, 'keys', 'revoke', 'ops')).code).toBe(0);
    expect((await featuregraph(dataDir, flags, 'keys', 'list')).out).toContain(`No API keys in project ${project}`);
  }, 240_000);
});

const describeWorkers = (url: string) =>
  describe('serve --workers on postgres', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fg-keys-workers-'));
    const project = uniqueProject('kwrk');
    const flags = postgres(url).extra(project);
    const children: ChildProcess[] = [];
    afterAll(async () => {
      for (const c of children) c.kill('SIGKILL');
      const sql = await createPgClient(url);
      await dropSchemas(sql, `fg_${project}`);
      await sql.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('every worker refuses a revoked key within the documented 5 s', async () => {
      // Applied first, as in production: workers then find the online tables instead of racing to create them.
      expect((await featuregraph(dataDir, flags, 'apply')).code).toBe(0);
      const created = await featuregraph(dataDir, flags, 'keys', 'create', '--name', 'workers', '--scopes', 'read:*');
      const secret = created.stdout.trimEnd().split('\n').at(-1)!;
      const server = command(['serve', '--workers', '2'], dataDir, flags);
      children.push(server.child);
      await waitFor(() => /2 workers serving on port (\d+)/.test(server.output()), 90_000, 'the workers', server.output);
      const url = `http://127.0.0.1:${/2 workers serving on port (\d+)/.exec(server.output())![1]}/graphql`;
      const auth = { 'x-api-key': secret };
      // Round-robin over fresh connections: consecutive requests reach both workers.
      for (let i = 0; i < 4; i++) expect((await post(url, QUERY, auth)).status).toBe(200);
      expect((await featuregraph(dataDir, flags, 'keys', 'revoke', 'workers')).code).toBe(0);
      const revokedAt = Date.now();
      // Refused once every worker has re-read its keys: then four requests in a row (two per worker) are all 401.
      let streak = 0;
      while (streak < 4 && Date.now() - revokedAt < 15_000) streak = (await post(url, QUERY, auth)).status === 401 ? streak + 1 : 0;
      expect(streak).toBe(4);
      expect(Date.now() - revokedAt).toBeLessThan(5_000 + 2_000);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }, 180_000);
  });

if (DATABASE_URL) describeWorkers(DATABASE_URL);
else console.log('keys-cli: the serve --workers revocation test needs DATABASE_URL (Postgres), so it is not defined in this run');
