/** Where a long training-set run is: loading entity rows, then writing joined rows. */
export interface ProgressEvent {
  readonly phase: 'validate' | 'load' | 'write';
  readonly done: number;
  /** Known once the input was validated (a file) or loaded (a query). */
  readonly total: number | null;
  readonly rowsPerSecond: number;
}

export type ProgressReporter = (event: ProgressEvent) => void;

/** Tracks a phase's rate; reports at most every `intervalMs`, and always at the end. */
export const phaseTracker = (
  report: ProgressReporter | undefined,
  phase: ProgressEvent['phase'],
  total: number | null,
  intervalMs = 500,
) => {
  const start = performance.now();
  let last = 0;
  const emit = (done: number, force: boolean) => {
    const now = performance.now();
    if (!report || (!force && now - last < intervalMs)) return;
    last = now;
    const secs = (now - start) / 1000;
    report({ phase, done, total, rowsPerSecond: secs > 0 ? Math.round(done / secs) : 0 });
  };
  return { tick: (done: number) => emit(done, false), end: (done: number) => emit(done, true) };
};

/** A reporter that writes `write 120000/1000000 rows, 85000 rows/s` lines to stderr (one updating line on a TTY). */
export const stderrProgress = (): ProgressReporter => {
  const tty = process.stderr.isTTY === true;
  // Off a terminal (a log file, CI) every line stays: one saying the same count as the one before is left out.
  let previous = '';
  return (e) => {
    const line = `${e.phase} ${e.done}${e.total !== null ? `/${e.total}` : ''} rows, ${e.rowsPerSecond} rows/s`;
    if (tty) return void process.stderr.write(`\r\x1b[K${line}${e.done === e.total ? '\n' : ''}`);
    const key = `${e.phase} ${e.done}`;
    if (key === previous) return;
    previous = key;
    process.stderr.write(`${line}\n`);
  };
};
