const TIMESTAMPTZ = /^(\d+)-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?( BC)?$/;

/**
 * A `timestamptz` in Postgres' text output (`0001-03-04 00:00:00.5+00`, `… BC`, `infinity`) as the pg driver
 * reads it (postgres-date): a Date at millisecond precision (microseconds truncated), ±Infinity for the
 * infinities. PGlite's own parser hands the text to `new Date`, whose legacy parsing reads years 0001–0099 as
 * 19xx/20xx (0001-03-04 became 2004-01-03): the embedded store must read what Postgres reads.
 */
export const parseTimestamptzText = (text: string): Date | number => {
  if (text === 'infinity') return Number.POSITIVE_INFINITY;
  if (text === '-infinity') return Number.NEGATIVE_INFINITY;
  const m = TIMESTAMPTZ.exec(text);
  if (!m) return new Date(text);
  const bc = m[12] !== undefined;
  const year = bc ? 1 - Number(m[1]) : Number(m[1]);
  const ms = m[7] ? Math.trunc(Number(m[7]) * 1000) : 0;
  const d = new Date(Date.UTC(2000, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms));
  // Date.UTC reads years 0–99 as 1900–1999: the year is set on its own.
  d.setUTCFullYear(year);
  const offset = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0)) * 1000;
  return new Date(d.getTime() - offset);
};
