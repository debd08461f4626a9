import { esc } from './svg.js';

/** A reference and a current distribution of one feature over the same bins. */
export interface HistogramPair {
  /** Bin labels (e.g. lower edges or categories), one per bin; may be empty. */
  readonly labels: readonly string[];
  readonly reference: readonly number[];
  readonly current: readonly number[];
}

const W = 520;
const H = 200;
const PAD = { left: 44, right: 12, top: 28, bottom: 36 };

const share = (xs: readonly number[]): number[] => {
  const total = xs.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  return xs.map((x) => (total > 0 && Number.isFinite(x) ? x / total : 0));
};

/**
 * Reference and current histograms side by side per bin, as shares of their totals (so windows of different
 * sizes compare), as an SVG string.
 */
export const histogramSvg = (h: HistogramPair, title = ''): string => {
  const bins = Math.max(h.reference.length, h.current.length);
  const ref = share(h.reference);
  const cur = share(h.current);
  const max = Math.max(...ref, ...cur, 0.0001);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bw = bins ? plotW / bins : plotW;
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const bars: string[] = [];
  for (let i = 0; i < bins; i++) {
    const x = PAD.left + i * bw;
    const r = ref[i] ?? 0;
    const c = cur[i] ?? 0;
    const label = h.labels[i] ?? String(i + 1);
    bars.push(
      `<rect class="bar reference" x="${x + bw * 0.1}" y="${y(r)}" width="${bw * 0.38}" height="${PAD.top + plotH - y(r)}"><title>${esc(`${label}: reference ${(r * 100).toFixed(1)}%`)}</title></rect>`,
      `<rect class="bar current" x="${x + bw * 0.52}" y="${y(c)}" width="${bw * 0.38}" height="${PAD.top + plotH - y(c)}"><title>${esc(`${label}: current ${(c * 100).toFixed(1)}%`)}</title></rect>`,
    );
    if (bins <= 12 || i % Math.ceil(bins / 10) === 0)
      bars.push(`<text class="tick" x="${x + bw / 2}" y="${H - PAD.bottom + 14}" text-anchor="middle">${esc(label)}</text>`);
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="histogram" role="img" aria-label="${esc(title || 'Reference and current distribution')}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">` +
    (title ? `<text class="chart-title" x="${PAD.left}" y="16">${esc(title)}</text>` : '') +
    `<line class="axis" x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${W - PAD.right}" y2="${PAD.top + plotH}"/>` +
    `<text class="tick" x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${(max * 100).toFixed(0)}%</text>` +
    `<text class="tick" x="${PAD.left - 6}" y="${PAD.top + plotH}" text-anchor="end">0%</text>` +
    bars.join('') +
    `<g class="legend" transform="translate(${W - 190},8)"><rect class="bar reference" width="10" height="10"/><text x="14" y="9">reference</text>` +
    `<rect class="bar current" x="90" width="10" height="10"/><text x="104" y="9">current</text></g>` +
    '</svg>'
  );
};
