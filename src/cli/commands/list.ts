import type { Command } from 'commander';
import type { SqlClient } from '../../sql/client.js';
import type { RegistryObject, ViewFreshness } from '../../registry/types.js';
import { CliError } from '../errors.js';
import { describeLines, listLines, type ObjectHistory } from './list-format.js';

type OpenRegistry = () => Promise<{ sql: SqlClient; project: string }>;

/** The applied objects of the project's current registry version; an empty registry is a clear error. */
const appliedObjects = async (sql: SqlClient, project: string): Promise<RegistryObject[]> => {
  const { listObjects } = await import('../../registry/read.js');
  const objects = await listObjects(sql, project);
  if (!objects.length) throw new CliError(`project ${project} has nothing applied yet`, 'run `featuregraph apply` first');
  return objects;
};

/** `featuregraph list [--json]`: the applied entities, feature views, on-demand views and feature services. */
export const registerList = (program: Command, open: OpenRegistry) =>
  program
    .command('list')
    .description('List the applied entities, feature views, on-demand views, aggregation views and feature services')
    .option('--json', 'print the objects as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { sql, project } = await open();
      try {
        const objects = (await appliedObjects(sql, project)).filter((o) => o.kind !== 'source');
        console.log(
          opts.json
            ? JSON.stringify(
                objects.map(({ kind, name, version, spec }) => ({ kind, name, version, spec })),
                null,
                2,
              )
            : listLines(project, objects).join('\n'),
        );
      } finally {
        await sql.close();
      }
    });

const DESCRIBED = new Set(['feature_view', 'on_demand_view', 'aggregation_view', 'feature_service']);

/** `featuregraph describe <name> [--json]`: one feature view, on-demand view or feature service in full. */
export const registerDescribe = (program: Command, open: OpenRegistry) =>
  program
    .command('describe')
    .description(
      'Describe a feature view, on-demand view, aggregation view or feature service: features, types, ttl, owner, tags, source, versions, freshness',
    )
    .argument('<name>', 'a feature view, on-demand view, aggregation view or feature service, e.g. driver_stats or pricing_v1')
    .option('--json', 'print the description as JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const { sql, project } = await open();
      try {
        const objects = await appliedObjects(sql, project);
        const described = objects.filter((o) => DESCRIBED.has(o.kind));
        const object = described.find((o) => o.name === name);
        if (!object)
          throw new CliError(
            `no feature view, on-demand view, aggregation view or feature service "${name}" in project ${project}`,
            `known: ${described.map((o) => o.name).join(', ')}`,
          );
        const { listHistory } = await import('../../registry/read.js');
        const { getViewFreshness } = await import('../../registry/watermarks.js');
        // The registry versions that added or changed this object, newest first.
        const history: ObjectHistory[] = (await listHistory(sql, project)).flatMap((v) =>
          v.changes
            .filter((c) => c.kind === object.kind && c.name === object.name)
            .map((c) => ({ version: v.version, appliedAt: v.appliedAt, appliedBy: v.appliedBy, action: c.action, fields: c.fields })),
        );
        const freshness: ViewFreshness | null = object.kind === 'feature_view' ? await getViewFreshness(sql, project, object.name) : null;
        console.log(
          opts.json
            ? JSON.stringify(
                { kind: object.kind, name: object.name, version: object.version, spec: object.spec, history, freshness },
                null,
                2,
              )
            : describeLines(object, history, freshness, objects).join('\n'),
        );
      } finally {
        await sql.close();
      }
    });
