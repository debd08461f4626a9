import { csvRows, memoryRows, validatedRows, type EntityInput, type ReplayableRows } from './entity-input.js';
import type { TrainingPlan } from './feature-refs.js';
import { featureColumnNames } from './output-columns.js';
import { phaseTracker } from './progress.js';
import { PassThroughTypes } from './pass-through-types.js';
import { createSpill } from './spill.js';
import type { TrainingSetOptions } from './types.js';

/** Entity rows from memory or a file, validated once; `batches` hands out their load text (see entity-input.ts). */
export interface ValidatedRows {
  readonly input: ReplayableRows;
  /** How many rows. */
  readonly total: number;
  /** The type every value of each pass-through column parses as (for typed sinks such as Parquet). */
  readonly passThrough: PassThroughTypes;
  /**
   * The validated rows in input order, as CSV lines `ln,k0..,ts_ms,x0..` in batches. Rows in memory are
   * handed out once each (so they can be collected as soon as they are loaded); a file's are read back from disk.
   */
  batches(): AsyncIterable<string[]>;
}

async function* replay(batches: string[][]): AsyncIterable<string[]> {
  for (let i = 0; i < batches.length; i++) {
    const b = batches[i] as string[];
    batches[i] = [];
    yield b;
  }
}

export const replayableInput = (input: EntityInput): ReplayableRows | null =>
  'rows' in input ? memoryRows(input.rows) : 'csvFile' in input ? csvRows(input.csvFile) : null;

/**
 * Validate every entity row of a file or memory input once, before any query, then run `fn` with them;
 * `fn` gets null for an entity SQL query (the engine runs it). The load text of rows in memory is kept in
 * memory, that of a file in a temporary file (a file may be larger than memory), removed however `fn` ends.
 */
export const withValidatedRows = async <T>(
  plan: TrainingPlan,
  entities: EntityInput,
  options: TrainingSetOptions,
  fn: (rows: ValidatedRows | null) => Promise<T>,
): Promise<T> => {
  const input = replayableInput(entities);
  if (!input) return fn(null);
  const kept: string[][] | null = 'rows' in entities ? [] : null;
  const spill = kept ? null : await createSpill();
  const passThrough = new PassThroughTypes();
  try {
    let total = 0;
    const t = phaseTracker(options.progress, 'validate', null);
    for await (const batch of validatedRows(input, plan.keys, plan.request, 'line 1', passThrough, featureColumnNames(plan))) {
      kept?.push(batch);
      await spill?.write(batch);
      t.tick((total += batch.length));
    }
    await spill?.close();
    t.end(total);
    return await fn({ input, total, passThrough, batches: () => (kept ? replay(kept) : (spill as NonNullable<typeof spill>).batches()) });
  } finally {
    await spill?.remove();
  }
};
