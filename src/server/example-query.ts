import type { ResolvedRepository } from '../definitions/resolve.js';
import { camelCase } from '../definitions/naming.js';

/** A ready-to-run GraphiQL query for the first entity and its views. */
export const exampleQuery = (repo: ResolvedRepository, sampleKey?: string): string => {
  const group = repo.keyGroups.find((g) => g.entities.length === 1 && repo.views.some((v) => v.keyName === g.name));
  if (!group || !group.entities[0]) return '{\n  featureViews {\n    name\n    description\n  }\n}\n';
  const e = group.entities[0];
  const views = repo.views.filter((v) => v.keyName === group.name);
  const body = views
    .map((v) => `    ${camelCase(v.name)} {\n${v.features.map((f) => `      ${camelCase(f.name)}`).join('\n')}\n      eventTimestamp\n    }`)
    .join('\n');
  return `# featuregraph: online feature values, batched per request.\n# Add asOf: "2026-01-01T00:00:00Z" to a field for the point-in-time value.\n{\n  ${camelCase(group.name)}(${camelCase(e.joinKey)}: "${sampleKey ?? '1'}") {\n${body}\n  }\n}\n`;
};
