import { createWriteStream, rmSync } from 'node:fs';
import { mkdtemp, open as openFile, rm, type FileHandle } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { FeatureValue } from '../../definitions/values.js';
import type { TrainingBatch } from './types.js';

/** A batch as kept on disk: its rows and, per row, each view's event time. */
interface Frame {
  readonly rows: FeatureValue[][];
  readonly ts: (Date | null)[][];
}

/** Fill `buf` from `position` (a read may return less than asked); returns the bytes read, short only at the end. */
const readFully = async (fh: FileHandle, buf: Buffer, position: number): Promise<number> => {
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
};

// Spill directories not removed yet: also removed when the process exits on an error or a signal.
const pending = new Set<string>();
let exitHook = false;

/**
 * Output batches of a training set kept on disk in order, to be read back after the engine has finished
 * (docs/offline-stores.md, "Features through a relation": an engine may hold its only connection while it
 * streams, as PGlite does, so reads that need the store wait until then). Each batch is one frame: a 4-byte
 * length and the V8 serialization of its values, which keeps every value type exact (bigint, Date, bytes).
 */
export const createBatchSpill = async (views: () => number) => {
  const dir = await mkdtemp(join(tmpdir(), 'featuregraph-relations-'));
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const d of pending) rmSync(d, { recursive: true, force: true });
    });
  }
  pending.add(dir);
  const file = join(dir, 'rows.bin');
  const out = createWriteStream(file);
  const failed = once(out, 'error').then(([err]) => Promise.reject(err as Error));
  failed.catch(() => undefined);
  return {
    async write(b: TrainingBatch): Promise<void> {
      const n = views();
      const frame: Frame = {
        rows: Array.from({ length: b.length }, (_, r) => b.row(r)),
        ts: Array.from({ length: b.length }, (_, r) => Array.from({ length: n }, (_, v) => b.eventTs(r, v))),
      };
      const body = serialize(frame);
      const head = Buffer.alloc(4);
      head.writeUInt32LE(body.length);
      if (!out.write(Buffer.concat([head, body]))) await Promise.race([once(out, 'drain'), failed]);
    },
    async close(): Promise<void> {
      await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed]);
    },
    /** The batches written, in order, one at a time. */
    async *batches(): AsyncIterable<TrainingBatch> {
      const fh = await openFile(file, 'r');
      try {
        const head = Buffer.alloc(4);
        for (let at = 0; ; ) {
          if ((await readFully(fh, head, at)) < 4) return;
          const body = Buffer.alloc(head.readUInt32LE(0));
          if ((await readFully(fh, body, at + 4)) < body.length) throw new Error('training set: relation spill file cut short');
          at += 4 + body.length;
          const { rows, ts } = deserialize(body) as Frame;
          yield {
            length: rows.length,
            value: (r, c) => rows[r]?.[c] ?? null,
            row: (r) => rows[r] ?? [],
            eventTs: (r, v) => ts[r]?.[v] ?? null,
          };
        }
      } finally {
        await fh.close();
      }
    },
    async remove(): Promise<void> {
      out.destroy();
      await rm(dir, { recursive: true, force: true });
      pending.delete(dir);
    },
  };
};
