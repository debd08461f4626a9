import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../src/definitions/values.js';

describe('timestamps as users write them (entity rows, pushes, --now)', () => {
  it('refuses days the calendar does not have, which JavaScript would roll into the next month', () => {
    for (const s of [
      '2026-02-30T01:00:00Z',
      '2026-02-29',
      '2100-02-29T00:00:00Z',
      '2026-04-31T00:00:00+02:00',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-01-00T00:00:00Z',
    ])
      expect(parseTimestamp(s), s).toBeNull();
  });

  it('reads real days, leap days included, with or without a time and offset', () => {
    expect(parseTimestamp('2024-02-29T12:00:00Z')?.toISOString()).toBe('2024-02-29T12:00:00.000Z');
    expect(parseTimestamp('2000-02-29')?.toISOString()).toBe('2000-02-29T00:00:00.000Z');
    expect(parseTimestamp('2026-04-30T23:30:00-02:00')?.toISOString()).toBe('2026-05-01T01:30:00.000Z');
    expect(parseTimestamp('2026-12-31T23:59:59.999Z')?.toISOString()).toBe('2026-12-31T23:59:59.999Z');
    expect(parseTimestamp(Date.UTC(2026, 1, 28))?.toISOString()).toBe('2026-02-28T00:00:00.000Z');
  });
});
