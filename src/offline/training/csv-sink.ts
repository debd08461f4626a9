import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import type { TrainingBatch, TrainingSetSink } from './types.js';
import type { OutputColumn } from './output-columns.js';
import { valueText } from './text-format.js';

/** Writes a training set as CSV with a header line, one batch at a time, honouring back-pressure. */
export const csvSink = (file: string): TrainingSetSink & { close(): Promise<void> } => {
  let out: WriteStream | null = null;
  let columns: readonly OutputColumn[] = [];
  const write = async (text: string) => {
    if (out && !out.write(text)) await once(out, 'drain');
  };
  return {
    async start(c) {
      columns = c;
      out = createWriteStream(file);
      await write(stringify([columns.map((x) => x.name)]));
    },
    async write(batch: TrainingBatch) {
      await write(stringify(Array.from({ length: batch.length }, (_, r) => columns.map((c, i) => valueText(c.type, batch.value(r, i))))));
    },
    async close() {
      if (!out) return;
      const s = out;
      await new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())));
    },
  };
};
