/** Why a training-set request was refused before any feature query ran. */
export type TrainingSetErrorCode = 'ENTITY_ROWS_INVALID' | 'UNKNOWN_FEATURE' | 'UNSUPPORTED';

/** A user error in a training-set request: bad entity rows or feature references. */
export class TrainingSetError extends Error {
  readonly code: TrainingSetErrorCode;
  constructor(code: TrainingSetErrorCode, message: string) {
    super(message);
    this.name = 'TrainingSetError';
    this.code = code;
  }
}
