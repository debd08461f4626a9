import { KIND_LABELS, type ApplyResult, type LineageSource, type ObjectChange, type Plan, type ServiceLineage } from './types.js';

const SIGN = { add: '+', change: '~', remove: '-' } as const;

/** A value as plan prints it: JSON, long values (a transform's source) cut to one line. */
const shown = (v: unknown): string => {
  if (v === undefined) return '(none)';
  const text = (typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v))).replace(/\s+/g, ' ');
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

/** One change: its header line, and for a change each differing value as `path: old → new`. */
const changeLines = (c: ObjectChange): string[] => [
  `${SIGN[c.action]} ${KIND_LABELS[c.kind]} ${c.name}${c.action === 'change' && c.fields.length ? ` (${c.fields.join(', ')})` : ''}`,
  ...(c.values ?? []).map((v) => `    ${v.path || '(value)'}: ${shown(v.old)} → ${shown(v.new)}`),
];

/** A plan as the CLI prints it: `+ feature view driver_stats`, `~ feature view credit_score (ttlSeconds, features)`
 * followed by `    ttlSeconds: 86400 → 172800`. */
export const formatPlan = (plan: Plan): string => {
  const lines = plan.changes.flatMap(changeLines);
  const at = plan.currentVersion === null ? 'an empty registry' : `registry version ${plan.currentVersion}`;
  if (!plan.hasChanges) lines.push(`No changes: the definitions match ${at} of project ${plan.project}.`);
  else {
    const count = (a: 'add' | 'change' | 'remove') => plan.changes.filter((c) => c.action === a).length;
    lines.push(
      '',
      `Plan for project ${plan.project} against ${at}: ${count('add')} to add, ${count('change')} to change, ${count('remove')} to remove, ${plan.unchanged} unchanged.`,
    );
  }
  return lines.join('\n');
};

export const formatApply = (result: ApplyResult): string => {
  const lines: string[] = [];
  if (result.plan.hasChanges) lines.push(formatPlan(result.plan), '');
  for (const t of result.pushTables) lines.push(`push table ${t} ready`);
  for (const t of result.onlineTables) lines.push(`online table ${t} ready`);
  for (const i of result.sourceIndexes) lines.push(`source index ${i} ready`);
  lines.push(
    result.created
      ? `Applied: project ${result.project} is now at registry version ${result.version}.`
      : `No changes: project ${result.project} stays at registry version ${result.version}.`,
  );
  return lines.join('\n');
};

const sourceLabel = (s: LineageSource): string =>
  s.type === 'file'
    ? `Parquet files ${s.path ?? s.name}`
    : `${s.type === 'push' ? 'push table' : s.table ? 'table' : 'query'} ${s.table ?? s.query ?? s.name}`;

/** Seconds in the largest whole unit: 2592000 → 30d, 3600 → 1h, 90 → 90s. */
const humanSeconds = (s: number): string => {
  for (const [unit, n] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const)
    if (s % n === 0) return `${s / n}${unit}`;
  return `${s}s`;
};

const ttl = (seconds: number | null): string => (seconds === null ? '' : seconds === 0 ? ', no ttl' : `, ttl ${humanSeconds(seconds)}`);

/** A lineage tree as indented text. */
export const formatLineage = (l: ServiceLineage): string => {
  const lines = [`feature service ${l.service} v${l.serviceVersion} (registry version ${l.registryVersion})`];
  l.features.forEach((f, i) => {
    const last = i === l.features.length - 1;
    const pre = last ? '    ' : '│   ';
    const kind = f.viewKind === 'on_demand_view' ? 'on-demand view' : 'view';
    lines.push(
      `${last ? '└── ' : '├── '}${f.feature} ← ${kind} ${f.view} v${f.viewVersion}${ttl(f.ttlSeconds)}${f.owner ? `, owner ${f.owner}` : ''}${f.unit ? `, unit ${f.unit}` : ''}${f.description ? ` — ${f.description}` : ''}`,
    );
    if (f.source) lines.push(`${pre}└── ${sourceLabel(f.source)}`);
    f.inputs.forEach((v, j) => {
      const lastIn = j === f.inputs.length - 1;
      lines.push(
        `${pre}${lastIn ? '└── ' : '├── '}view ${v.view} v${v.viewVersion}${ttl(v.ttlSeconds)}${v.owner ? `, owner ${v.owner}` : ''}`,
      );
      lines.push(`${pre}${lastIn ? '    ' : '│   '}└── ${sourceLabel(v.source)}`);
    });
  });
  return lines.join('\n');
};

const node = (id: string, label: string) => `  ${id}["${label.replace(/"/g, '#quot;')}"]`;

/** A lineage tree as a Mermaid flowchart (service → views → sources). */
export const formatLineageMermaid = (l: ServiceLineage): string => {
  const lines = ['flowchart LR', node(`svc_${l.service}`, `${l.service} v${l.serviceVersion}`)];
  const seen = new Set<string>();
  const add = (id: string, label: string) => {
    if (!seen.has(id)) lines.push(node(id, label));
    seen.add(id);
  };
  const edges = new Set<string>();
  const edge = (a: string, b: string, label?: string) => edges.add(`  ${a} -->${label ? `|${label}|` : ''} ${b}`);
  for (const f of l.features) {
    const viewId = `view_${f.view}`;
    add(viewId, `${f.viewKind === 'on_demand_view' ? 'on-demand ' : ''}${f.view} v${f.viewVersion}`);
    edge(`svc_${l.service}`, viewId, f.feature);
    if (f.source) {
      add(`src_${f.source.name}`, sourceLabel(f.source));
      edge(viewId, `src_${f.source.name}`);
    }
    for (const v of f.inputs) {
      add(`view_${v.view}`, `${v.view} v${v.viewVersion}`);
      add(`src_${v.source.name}`, sourceLabel(v.source));
      edge(viewId, `view_${v.view}`);
      edge(`view_${v.view}`, `src_${v.source.name}`);
    }
  }
  return [...lines, ...edges].join('\n');
};
