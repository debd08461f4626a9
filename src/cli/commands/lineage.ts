import type { Command } from 'commander';
import type { SqlClient } from '../../sql/client.js';
import { formatLineage, formatLineageMermaid, getLineage, listObjects } from '../../registry/index.js';

/** `featuregraph lineage <service> [--version N] [--format text|mermaid|json]`: which model input came from where. */
export const registerLineage = (program: Command, open: () => Promise<{ sql: SqlClient; project: string }>) =>
  program
    .command('lineage')
    .description('Show where every feature of a feature service comes from: views, versions, sources, ttl, owners')
    .argument('<service>', 'feature service name, e.g. pricing_v1')
    .option('--version <n>', 'registry version (default: current)', (v) => Number(v))
    .option('--format <format>', 'text, mermaid or json', 'text')
    .action(async (service: string, opts: { version?: number; format: string }) => {
      if (!['text', 'mermaid', 'json'].includes(opts.format))
        throw new Error(`--format must be text, mermaid or json; got "${opts.format}"`);
      const { sql, project } = await open();
      try {
        const lineage = await getLineage(sql, project, service, opts.version);
        if (!lineage) {
          const services = (await listObjects(sql, project, { kind: 'feature_service' })).map((o) => o.name);
          throw new Error(
            services.length
              ? `no feature service "${service}"${opts.version ? ` in registry version ${opts.version}` : ''}; applied services: ${services.join(', ')}`
              : `no feature service "${service}": project ${project} has no applied feature services (define one with featureService({ ... }) in the definitions, then run featuregraph apply)`,
          );
        }
        console.log(
          opts.format === 'json'
            ? JSON.stringify(lineage, null, 2)
            : opts.format === 'mermaid'
              ? formatLineageMermaid(lineage)
              : formatLineage(lineage),
        );
      } finally {
        await sql.close();
      }
    });
