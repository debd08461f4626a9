import { parseDuration } from '../definitions/duration.js';
import { MAX_TIMESTAMP_MS, MIN_TIMESTAMP_MS, parseTimestamp } from '../definitions/values.js';

/** A half-open time range `[start, end)` of logged requests (docs/monitoring.md#time-windows). */
export interface TimeWindow {
  readonly start: Date;
  readonly end: Date;
  /** As the user wrote it, for reports. */
  readonly text: string;
}

const instant = (s: string, now: number): Date | null => {
  const t = s.trim();
  const rel = /^now(?:\s*([+-])\s*(\S+))?$/.exec(t);
  if (rel) {
    if (!rel[1]) return new Date(now);
    const d = parseDuration(rel[2]);
    if ('error' in d) return null;
    // Beyond JavaScript's dates (±8.64e15 ms, about 273,790 years) there is no instant to name.
    const at = new Date(now + (rel[1] === '-' ? -1 : 1) * d.seconds * 1000);
    return Number.isNaN(at.getTime()) ? null : at;
  }
  return parseTimestamp(t);
};

/**
 * `now-2d..now-1d`, `now-1h..now`, or ISO instants `2026-11-30T00:00:00Z..2026-12-01T00:00:00Z` (mixable).
 * Returns null when `text` is not a window; throws naming the problem when it is one but is malformed.
 */
export const parseTimeWindow = (text: string, now = Date.now()): TimeWindow | null => {
  const parts = text.split('..');
  if (parts.length !== 2) return null;
  const start = instant(parts[0]!, now);
  const end = instant(parts[1]!, now);
  const not = (part: string) => `time window "${text}": "${part}" is not now, now-<duration> or an ISO timestamp (within years 1–9999)`;
  if (!start) throw new Error(not(parts[0]!));
  if (!end) throw new Error(not(parts[1]!));
  if (start >= end) throw new Error(`time window "${text}": its start is not before its end`);
  // Postgres takes years 1–9999 (timestamptz reads no year 0 and no five digits): clamp to what it can compare.
  const clamp = (d: Date) => new Date(Math.min(Math.max(d.getTime(), MIN_TIMESTAMP_MS), MAX_TIMESTAMP_MS));
  return { start: clamp(start), end: clamp(end), text };
};
