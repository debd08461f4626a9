import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { ValueType } from '../../definitions/value-types.js';
import type { FeatureValue } from '../../definitions/values.js';
import type { TrainingBatch, TrainingSetSink } from './types.js';
import type { OutputColumn } from './output-columns.js';
import { valueText } from './text-format.js';

/**
 * A field as csv-stringify writes it with its defaults — quoted only when it holds a comma, a quote or a line
 * break, quotes doubled; the empty string (and null) empty — and quoted when it holds a `#` too, as DuckDB's CSV
 * writer does, so the native CSV export is byte-identical (docs/offline-stores.md), and no reader that takes `#`
 * for a comment can mistake a value for one.
 */
export const csvText = (s: string): string => (s === '' || !/[",\n\r#]/.test(s) ? s : `"${s.replace(/"/g, '""')}"`);

/** How a column's values become CSV fields: numbers and times never need quoting, other text is checked. */
const fieldOf = (t: ValueType): ((v: FeatureValue) => string) => {
  if (t.kind === 'scalar' && ['Int32', 'Int64', 'Float32', 'Float64', 'Bool', 'Timestamp'].includes(t.name)) return (v) => valueText(t, v);
  return (v) => csvText(valueText(t, v));
};

/**
 * Writes a training set as CSV with a header line, one batch at a time, honouring back-pressure. Each batch
 * becomes one string built field by field (no per-row arrays): at hundreds of thousands of rows the
 * formatting is a large part of what `historical` costs end to end.
 */
export const csvSink = (file: string): TrainingSetSink & { close(): Promise<void> } => {
  let out: WriteStream | null = null;
  let fields: ((v: FeatureValue) => string)[] = [];
  const write = async (text: string) => {
    if (out && !out.write(text)) await once(out, 'drain');
  };
  return {
    async start(c) {
      fields = c.map((x) => fieldOf(x.type));
      out = createWriteStream(file);
      await write(`${c.map((x: OutputColumn) => csvText(x.name)).join(',')}\n`);
    },
    async write(batch: TrainingBatch) {
      const n = fields.length;
      let text = '';
      for (let r = 0; r < batch.length; r++) {
        for (let i = 0; i < n; i++)
          text +=
            i === 0
              ? (fields[0] as (v: FeatureValue) => string)(batch.value(r, 0))
              : `,${(fields[i] as (v: FeatureValue) => string)(batch.value(r, i))}`;
        text += '\n';
      }
      await write(text);
    },
    async close() {
      if (!out) return;
      const s = out;
      await new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())));
    },
  };
};
