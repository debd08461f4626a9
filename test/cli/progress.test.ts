import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressPrinter } from '../../src/cli/progress.js';
import { stderrProgress } from '../../src/offline/training/progress.js';

describe('progress lines off a terminal', () => {
  afterEach(() => vi.restoreAllMocks());

  it('historical: a line with the same phase and count as the one before is not written again', () => {
    const written: string[] = [];
    const tty = process.stderr.isTTY;
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const report = stderrProgress();
      report({ phase: 'validate', done: 11, total: 11, rowsPerSecond: 900 });
      report({ phase: 'validate', done: 11, total: 11, rowsPerSecond: 1100 }); // the end of the same phase
      report({ phase: 'write', done: 5, total: 11, rowsPerSecond: 50 });
      report({ phase: 'write', done: 11, total: 11, rowsPerSecond: 60 });
    } finally {
      Object.defineProperty(process.stderr, 'isTTY', { value: tty, configurable: true });
    }
    expect(written).toEqual(['validate 11/11 rows, 900 rows/s\n', 'write 5/11 rows, 50 rows/s\n', 'write 11/11 rows, 60 rows/s\n']);
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
