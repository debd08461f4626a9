/** Where a long training-set run is: loading entity rows, then writing joined rows. */
export interface ProgressEvent {
  readonly phase: 'validate' | 'load' | 'write';
  readonly done: number;
  /** Known once the input was validated (a file) or loaded (a query). */
  readonly total: number | null;
  readonly rowsPerSecond: number;
}

export type ProgressReporter = (event: ProgressEvent) => void;

/**
 * Tracks a phase's rate; reports at most every `intervalMs`, and at the end unless that count was just
 * reported (a short phase's first tick is often its last): each count is reported once.
 */
export const phaseTracker = (
  report: ProgressReporter | undefined,
  phase: ProgressEvent['phase'],
  total: number | null,
  intervalMs = 500,
) => {
  const start = performance.now();
  let last = 0;
  let lastDone = -1;
  const emit = (done: number, force: boolean) => {
    const now = performance.now();
    if (!report || done === lastDone || (!force && now - last < intervalMs)) return;
    last = now;
    lastDone = done;
    const secs = (now - start) / 1000;
    report({ phase, done, total, rowsPerSecond: secs > 0 ? Math.round(done / secs) : 0 });
  };
  return { tick: (done: number) => emit(done, false), end: (done: number) => emit(done, true) };
};

/** A reporter that writes `write 120000/1000000 rows, 85000 rows/s` lines to stderr (one updating line on a TTY). */
export const stderrProgress = (): ProgressReporter => {
  const tty = process.stderr.isTTY === true;
  return (e) => {
    const line = `${e.phase} ${e.done}${e.total !== null ? `/${e.total}` : ''} rows, ${e.rowsPerSecond} rows/s`;
    process.stderr.write(tty ? `\r\x1b[K${line}${e.done === e.total ? '\n' : ''}` : `${line}\n`);
  };
};
