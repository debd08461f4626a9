/** Why a training-set request was refused before any feature query ran, or (TRANSFORM_FAILED) stopped while streaming. */
export type TrainingSetErrorCode = 'ENTITY_ROWS_INVALID' | 'UNKNOWN_FEATURE' | 'UNSUPPORTED' | 'TRANSFORM_FAILED';

/** A user error in a training-set request: bad entity rows or feature references, or an on-demand transform that failed on a row. */
export class TrainingSetError extends Error {
  readonly code: TrainingSetErrorCode;
  constructor(code: TrainingSetErrorCode, message: string) {
    super(message);
    this.name = 'TrainingSetError';
    this.code = code;
  }
}
