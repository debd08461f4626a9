import { BinaryCopyBuilder } from '../sql/binary-copy-writer.js';
import type { LogRow, ServedLogStore } from './log-store.js';
import type { LogTable } from './log-table.js';

export interface ServedLogWriterOptions {
  readonly store: ServedLogStore;
  readonly table: LogTable;
  /** Rows held in memory at most; more are dropped and counted, never waited for. Default 10,000. */
  readonly maxBufferedRows?: number;
  /** A batch is written once this many rows wait. Default 1,000. */
  readonly batchRows?: number;
  /** …or this long after the first waiting row. Default 1,000 ms. */
  readonly flushIntervalMs?: number;
  /** Rows dropped: `overflow` (buffer full) or `write_failed` (the store refused a batch). */
  readonly onDrop?: (rows: number, reason: 'overflow' | 'write_failed') => void;
  readonly onWritten?: (rows: number) => void;
  readonly onError?: (err: unknown) => void;
}

/**
 * Buffers one service's log rows and writes them in batches off the request path (docs/monitoring.md): `add`
 * never waits; one write is in flight at a time; a full buffer drops rows and counts them. Each process
 * (worker, replica) writes its own batches. Rows are encoded for COPY as they are added: the buffer is bytes,
 * not arrays that would live long enough to be promoted and traced by every major GC.
 */
export class ServedLogWriter {
  private readonly buffer: BinaryCopyBuilder;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private ready: Promise<void> | null = null;
  private readonly max: number;
  private readonly batch: number;
  private readonly interval: number;

  constructor(private readonly opts: ServedLogWriterOptions) {
    this.max = opts.maxBufferedRows ?? 10_000;
    this.batch = opts.batchRows ?? 1000;
    this.interval = opts.flushIntervalMs ?? 1000;
    this.buffer = new BinaryCopyBuilder(opts.table.columnTypes);
  }

  /** Queue rows; drops (and counts) what does not fit. */
  add(rows: readonly LogRow[]): void {
    const room = this.max - this.buffer.rows;
    if (room < rows.length) this.opts.onDrop?.(rows.length - Math.max(0, room), 'overflow');
    for (let i = 0; i < Math.min(room, rows.length); i++) {
      try {
        this.buffer.add(rows[i]!);
      } catch (err) {
        // A row that cannot be encoded (the builder keeps none of it) is dropped like a refused batch.
        this.opts.onDrop?.(1, 'write_failed');
        this.opts.onError?.(err);
      }
    }
    if (this.buffer.rows >= this.batch) this.kick();
    else if (!this.timer && this.buffer.rows > 0) {
      this.timer = setTimeout(() => this.kick(), this.interval);
      this.timer.unref();
    }
  }

  /** Rows waiting to be written. */
  get pending(): number {
    return this.buffer.rows;
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.writing || this.buffer.rows === 0) return;
    this.writing = this.writeOnce().finally(() => {
      this.writing = null;
      if (this.buffer.rows >= this.batch) this.kick();
      else if (this.buffer.rows > 0 && !this.timer) {
        this.timer = setTimeout(() => this.kick(), this.interval);
        this.timer.unref();
      }
    });
  }

  private async writeOnce(): Promise<void> {
    const rows = this.buffer.take();
    try {
      this.ready ??= this.opts.store.ensure(this.opts.table);
      await this.ready;
      const n = await this.opts.store.append(this.opts.table, rows);
      this.opts.onWritten?.(n);
    } catch (err) {
      this.ready = null;
      this.opts.onDrop?.(rows.rows, 'write_failed');
      this.opts.onError?.(err);
    }
  }

  /** Write everything buffered now (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.writing || this.buffer.rows > 0) {
      if (this.writing) await this.writing;
      else this.kick();
    }
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
