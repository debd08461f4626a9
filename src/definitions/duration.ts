/** Durations as written in definitions: `'2d'`, `'1h'`, `'90m'`, `'30s'`, `'1w'`, a number of seconds, or `0` (no limit). */
export type Duration = `${number}${'s' | 'm' | 'h' | 'd' | 'w'}` | number;

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;
const FORMS = `must be a duration: a whole number with a unit s, m, h, d or w ('90s', '30m', '1h', '2d', '1w'), a whole number of seconds, or 0 for no limit`;

/** Seconds in a duration, or an error message naming what is wrong. */
export const parseDuration = (d: unknown): { seconds: number } | { error: string } => {
  if (typeof d === 'number') {
    if (!Number.isInteger(d) || d < 0) return { error: `must be a whole, non-negative number of seconds, got ${d}` };
    return { seconds: d };
  }
  if (typeof d !== 'string') return { error: `${FORMS}, got ${JSON.stringify(d)}` };
  const m = /^(\d+)([smhdw])$/.exec(d.trim());
  if (!m) return { error: `${FORMS}, got ${JSON.stringify(d)}` };
  return { seconds: Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS] };
};

/** Parse a duration or throw; for CLI flags. */
export const durationSeconds = (d: Duration): number => {
  const r = parseDuration(d);
  if ('error' in r) throw new Error(`duration ${r.error}`);
  return r.seconds;
};
