import type { FeatureValue } from '../../definitions/values.js';
import type { EntityInput } from './entity-input.js';
import type { ProgressReporter } from './progress.js';
import type { OutputColumn } from './output-columns.js';

/** Feast's get_historical_features: entity rows (join keys + `event_timestamp`) and the features to join. */
export interface TrainingSetRequest {
  readonly entities: EntityInput;
  /** `view:feature` references; or `service`. */
  readonly features?: readonly string[];
  readonly service?: string;
  /** Entity times after `now` are clamped to it (default: the current time). */
  readonly now?: Date;
  /**
   * Point-in-time "as known at" for every view of the set (docs/offline-stores.md): only rows created at or
   * before each entity row's time. Undefined: each view's own `pointInTime.asKnownAt`.
   */
  readonly asKnownAt?: boolean;
}

/**
 * Some consecutive output rows. Values are read by row and output column (`columns` order); a batch keeps
 * its chunk's decoded columns, so a sink that formats or copies values makes no per-row objects.
 */
export interface TrainingBatch {
  readonly length: number;
  /** Output column `column` of row `row` (0 <= row < length). */
  value(row: number, column: number): FeatureValue;
  /** Row `row` as an array aligned with `columns`. */
  row(row: number): FeatureValue[];
  /** The event time of the source row view `view` (in `views` order) gave row `row`, or null. */
  eventTs(row: number, view: number): Date | null;
}

export interface TrainingSetSink {
  start(columns: readonly OutputColumn[], views: readonly string[], total: number): void | Promise<void>;
  write(batch: TrainingBatch): void | Promise<void>;
}

export interface TrainingSetOptions {
  readonly progress?: ProgressReporter;
  /** Rows decoded and handed to the sink at a time. */
  readonly batchSize?: number;
  /** Entity rows joined per statement (default 100,000). */
  readonly chunkRows?: number;
  /** Connections used at once for file or in-memory entity rows on Postgres (default 2; PGlite has one). */
  readonly concurrency?: number;
}
