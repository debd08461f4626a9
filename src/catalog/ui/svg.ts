/** Text safe inside SVG/HTML markup. */
export const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Shorten a label to fit a node of fixed width (monospace-ish estimate). */
export const fit = (s: string, chars: number): string => (s.length <= chars ? s : `${s.slice(0, chars - 1)}…`);
