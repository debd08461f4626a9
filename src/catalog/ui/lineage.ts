import { esc, fit } from './svg.js';

/** A node of the lineage graph of one feature service. */
export interface LineageView {
  readonly name: string;
  readonly version: number | null;
  readonly onDemand: boolean;
  /** The service's features read from this view. */
  readonly features: readonly string[];
  /** For on-demand views: the feature views its transform reads. */
  readonly inputs: readonly string[];
}

export interface LineageSource {
  readonly name: string;
  readonly kind: string;
  readonly table: string | null;
}

export interface LineageGraph {
  readonly service: string;
  readonly version: number | null;
  readonly views: readonly LineageView[];
  /** The source of every stored view in the graph (service views and on-demand inputs), by view name. */
  readonly sources: ReadonlyMap<string, LineageSource>;
}

const W = 210;
const H = 44;
const GAP = 16;
const COL = 290;
const PAD = 12;

interface Placed {
  readonly id: string;
  readonly kind: 'service' | 'view' | 'onDemand' | 'source';
  readonly title: string;
  readonly sub: string;
  readonly x: number;
  readonly y: number;
}

/**
 * The lineage of a feature service as an SVG diagram, left to right: the service, the views it reads (on-demand
 * views dashed), the views those on-demand views read, and the sources behind every stored view.
 */
export const lineageSvg = (g: LineageGraph): string => {
  const direct = g.views.map((v) => v.name);
  const extra = [...new Set(g.views.flatMap((v) => v.inputs))].filter((n) => !direct.includes(n));
  const stored = [...direct, ...extra].filter((n) => g.sources.has(n));
  const sources = [...new Map(stored.map((n) => [g.sources.get(n)!.name, g.sources.get(n)!])).values()];
  const columns: { id: string; kind: Placed['kind']; title: string; sub: string }[][] = [
    [{ id: `s:${g.service}`, kind: 'service', title: g.service, sub: `service${g.version !== null ? ` · v${g.version}` : ''}` }],
    g.views.map((v) => ({
      id: `v:${v.name}`,
      kind: v.onDemand ? 'onDemand' : 'view',
      title: v.name,
      sub: `${v.onDemand ? 'on-demand' : 'view'}${v.version !== null ? ` v${v.version}` : ''} · ${v.features.join(', ')}`,
    })),
    ...(extra.length ? [extra.map((n) => ({ id: `v:${n}`, kind: 'view' as const, title: n, sub: 'view · read on demand' }))] : []),
    sources.map((s) => ({ id: `src:${s.name}`, kind: 'source', title: s.name, sub: `${s.kind}${s.table ? ` · ${s.table}` : ''}` })),
  ];
  const rows = Math.max(...columns.map((c) => c.length), 1);
  const height = PAD * 2 + rows * H + (rows - 1) * GAP;
  const placed = new Map<string, Placed>();
  columns.forEach((col, ci) => {
    const top = (height - (col.length * H + (col.length - 1) * GAP)) / 2;
    col.forEach((n, i) => placed.set(n.id, { ...n, x: PAD + ci * COL, y: top + i * (H + GAP) }));
  });

  const edges: [string, string][] = [];
  for (const v of g.views) {
    edges.push([`s:${g.service}`, `v:${v.name}`]);
    for (const input of v.inputs) edges.push([`v:${v.name}`, `v:${input}`]);
  }
  for (const n of stored) edges.push([`v:${n}`, `src:${g.sources.get(n)!.name}`]);

  const paths = edges.flatMap(([from, to]) => {
    const a = placed.get(from);
    const b = placed.get(to);
    if (!a || !b) return [];
    const [x1, y1] = [a.x + W, a.y + H / 2];
    if (a.x === b.x) {
      // Same column (an on-demand view reading a sibling view): a loop on the right side.
      // Off-centre ends, so the loop does not meet the edges to the sources.
      const [ya, yb] = [a.y + H * 0.25, b.y + H * 0.75];
      return [
        `<path class="edge" data-edge="${esc(`${from}>${to}`)}" d="M${x1},${ya} C${x1 + 50},${ya} ${x1 + 50},${yb} ${x1 + 6},${yb}" marker-end="url(#arrow)"/>`,
      ];
    }
    const [x2, y2] = [b.x, b.y + H / 2];
    const mx = (x1 + x2) / 2;
    return [
      `<path class="edge" data-edge="${esc(`${from}>${to}`)}" d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 6},${y2}" marker-end="url(#arrow)"/>`,
    ];
  });
  const nodes = [...placed.values()].map(
    (n) =>
      `<g class="node ${n.kind}" data-node="${esc(n.id)}" transform="translate(${n.x},${n.y})"><title>${esc(`${n.title} (${n.sub})`)}</title>` +
      `<rect width="${W}" height="${H}" rx="8"/>` +
      `<text x="12" y="18" class="title">${esc(fit(n.title, 26))}</text>` +
      `<text x="12" y="34" class="sub">${esc(fit(n.sub, 32))}</text></g>`,
  );
  const width = PAD * 2 + (columns.length - 1) * COL + W + 40;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="lineage" role="img" aria-label="${esc(`Lineage of ${g.service}`)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>` +
    paths.join('') +
    nodes.join('') +
    '</svg>'
  );
};
