import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressPrinter } from '../../src/cli/progress.js';
import { phaseTracker, stderrProgress } from '../../src/offline/training/progress.js';

describe('progress lines off a terminal', () => {
  afterEach(() => vi.restoreAllMocks());

  it('historical: each count of a phase is reported once, the end too', () => {
    const written: string[] = [];
    const tty = process.stderr.isTTY;
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      // A short phase: its first tick already has every row, then its end says the same count again.
      const validate = phaseTracker(stderrProgress(), 'validate', 11);
      validate.tick(11);
      validate.end(11);
      const write = phaseTracker(stderrProgress(), 'write', 11, 0);
      write.tick(5);
      write.tick(11);
      write.end(11);
    } finally {
      Object.defineProperty(process.stderr, 'isTTY', { value: tty, configurable: true });
    }
    expect(written.map((l) => l.replace(/, \d+ rows\/s/, ''))).toEqual([
      'validate 11/11 rows\n',
      'write 5/11 rows\n',
      'write 11/11 rows\n',
    ]);
  });

  it('materialize: the final line is written once', () => {
    const written: string[] = [];
    const stream = { isTTY: false, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const p = progressPrinter(stream);
    p.update('driver_stats: 10 rows', true);
    p.done('driver_stats: 10 rows');
    p.done('driver_stats: done');
    expect(written).toEqual(['driver_stats: 10 rows\n', 'driver_stats: done\n']);
  });
});
