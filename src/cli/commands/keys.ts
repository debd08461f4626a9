import type { Command } from 'commander';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyInfo } from '../../auth/key-store.js';
import { parseScopes } from '../../auth/scopes.js';
import type { ResolvedRepository } from '../../definitions/resolve.js';
import type { SqlClient } from '../../sql/client.js';

type Open = () => Promise<{ sql: SqlClient; repo: ResolvedRepository }>;

const when = (d: Date | null): string => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

const table = (rows: readonly string[][]): string => {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
};

const listing = (keys: readonly ApiKeyInfo[], all: boolean): string =>
  table([
    ['NAME', 'SCOPES', 'CREATED', 'BY', 'LAST USED', ...(all ? ['REVOKED'] : [])],
    ...keys.map((k) => [
      k.name,
      k.scopes.join(','),
      when(k.createdAt),
      k.createdBy,
      when(k.lastUsedAt),
      ...(all ? [when(k.revokedAt)] : []),
    ]),
  ]);

/** `featuregraph keys create|list|revoke`: API keys of the project, stored hashed in the registry database (docs/auth.md). */
export const registerKeys = (program: Command, open: Open) => {
  const keys = program
    .command('keys')
    .description('Create, list and revoke API keys (scopes: read:<view or service>, push:<view>, admin, adhoc)');

  keys
    .command('create')
    .description('Create an API key; its secret is printed once, on the last line')
    .requiredOption('--name <name>', 'a name for the key, unique among active keys (e.g. checkout-service)')
    .requiredOption('--scopes <scopes>', 'comma-separated: read:<view or service>, push:<view>, admin, adhoc; * is a wildcard (read:*)')
    .action(async (opts: { name: string; scopes: string }) => {
      const { sql, repo } = await open();
      try {
        const scopes = parseScopes(opts.scopes, repo);
        const { info, secret } = await createApiKey(sql, repo.project, { name: opts.name, scopes });
        console.log(`Created API key "${info.name}" for project ${repo.project} with scopes ${info.scopes.join(', ')}.`);
        console.log('Send it as "Authorization: Bearer <key>" or "x-api-key: <key>". It is shown only now; store it safely:');
        console.log(secret);
      } finally {
        await sql.close();
      }
    });

  keys
    .command('list')
    .description('List the active API keys (never their secrets)')
    .option('--all', 'include revoked keys')
    .action(async (opts: { all?: boolean }) => {
      const { sql, repo } = await open();
      try {
        const found = await listApiKeys(sql, repo.project, { includeRevoked: opts.all === true });
        if (found.length === 0)
          console.log(`No API keys in project ${repo.project}. Create one with: featuregraph keys create --name NAME --scopes read:*`);
        else console.log(listing(found, opts.all === true));
      } finally {
        await sql.close();
      }
    });

  keys
    .command('revoke')
    .description('Revoke an API key; running servers refuse it within their key refresh interval (5 s by default)')
    .argument('<name>', 'the key name')
    .action(async (name: string) => {
      const { sql, repo } = await open();
      try {
        await revokeApiKey(sql, repo.project, name);
        console.log(`Revoked API key "${name}" of project ${repo.project}; servers refuse it within seconds (docs/auth.md).`);
      } finally {
        await sql.close();
      }
    });
  return keys;
};
