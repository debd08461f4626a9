import { ParquetWriter, schemaFromColumnData, type BasicType, type ColumnSource } from 'hyparquet-writer';
import { fileWriter } from 'hyparquet-writer';
import type { ValueType } from '../../definitions/value-types.js';
import type { FeatureValue } from '../../definitions/values.js';
import type { TrainingBatch, TrainingSetSink } from './types.js';
import type { OutputColumn } from './output-columns.js';
import { passThroughValue, type PassThroughType } from './pass-through-types.js';
import { valueText } from './text-format.js';

/** Parquet type of a value type; lists, Json and Bytes are written as JSON / base64 text. */
const parquetType = (t: ValueType): BasicType => {
  if (t.kind === 'list') return 'JSON';
  switch (t.name) {
    case 'Bool':
      return 'BOOLEAN';
    case 'Int32':
      return 'INT32';
    case 'Int64':
      return 'INT64';
    case 'Float32':
      return 'FLOAT';
    case 'Float64':
      return 'DOUBLE';
    case 'Timestamp':
      return 'TIMESTAMP';
    case 'Json':
      return 'JSON';
    default:
      return 'STRING';
  }
};

const PASS_THROUGH: Record<PassThroughType, BasicType> = { Int64: 'INT64', Float64: 'DOUBLE', Bool: 'BOOLEAN', String: 'STRING' };

const cell = (t: ValueType, v: FeatureValue): unknown => {
  if (v === null || v === undefined) return null;
  const p = parquetType(t);
  return p === 'JSON' || (p === 'STRING' && !(typeof v === 'string')) ? valueText(t, v) : v;
};

/**
 * Writes a training set as Parquet: typed, nullable columns, one row group per batch written straight to
 * the file, so only one batch is held in memory.
 */
export const parquetSink = (file: string): TrainingSetSink & { close(): Promise<void> } => {
  let writer: ParquetWriter | null = null;
  let columns: readonly OutputColumn[] = [];
  const columnData = (batch: TrainingBatch | null): ColumnSource[] =>
    columns.map((c, i) => {
      const through = c.kind === 'extra' ? c.passThroughType : undefined;
      const value = (r: number) => (batch as TrainingBatch).value(r, i);
      const type = through ? PASS_THROUGH[through] : parquetType(c.type);
      return {
        name: c.name,
        // A pass-through column every value of which parsed as a number or boolean keeps that type.
        type,
        nullable: true,
        // Floats are written plain: the writer's dictionary is keyed by a JS Map, which makes -0 and 0 one entry,
        // and a column's zeros would all take the sign of its first (docs/semantics.md: the float itself).
        ...(type === 'FLOAT' || type === 'DOUBLE' ? { encoding: 'PLAIN' as const } : {}),
        data: Array.from({ length: batch?.length ?? 0 }, (_, r) => {
          const v = value(r);
          if (!through || through === 'String' || typeof v !== 'string') return cell(c.type, v);
          return v === '' ? null : passThroughValue(through, v);
        }),
      };
    });
  return {
    start(c) {
      columns = c;
      writer = new ParquetWriter({ writer: fileWriter(file), schema: schemaFromColumnData({ columnData: columnData(null) }) });
    },
    async write(batch: TrainingBatch) {
      if (batch.length > 0) await writer?.write({ columnData: columnData(batch), rowGroupSize: batch.length });
    },
    async close() {
      await writer?.finish();
    },
  };
};
