type Child = Node | string | null | undefined | false;

/** Create an element: attributes (`on*` values are listeners) and children (text is escaped by the DOM). */
export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | EventListener | undefined> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
};

/** An SVG string drawn by the catalog itself (its text already escaped) as a DOM node. */
export const svgNode = (markup: string): Element => {
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  return document.importNode(doc.documentElement, true);
};

export const link = (route: string, text: string): HTMLAnchorElement => h('a', { href: `#${route}` }, text);

/** Seconds as the DSL writes durations: `2d`, `1h`, `30m`; 0 is "never expires". */
export const duration = (s: number | null): string => {
  if (s === null) return '—';
  if (s === 0) return '0 (never expires)';
  for (const [unit, n] of [
    ['w', 604800],
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const)
    if (s % n === 0) return `${s / n}${unit}`;
  return `${s}s`;
};

/** An ISO instant as local text plus how long ago it was. */
export const ago = (iso: string | null, now = Date.now()): string => {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now - t) / 1000);
  const rel =
    Math.abs(s) < 90
      ? `${s}s`
      : Math.abs(s) < 5400
        ? `${Math.round(s / 60)}m`
        : Math.abs(s) < 129600
          ? `${Math.round(s / 3600)}h`
          : `${Math.round(s / 86400)}d`;
  return `${iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')} (${s >= 0 ? `${rel} ago` : `in ${rel.replace('-', '')}`})`;
};
