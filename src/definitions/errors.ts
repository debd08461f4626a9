/** One thing wrong with the definitions, naming the object (and field) at fault. */
export interface DefinitionProblem {
  /** e.g. `feature view "driver_stats"`. */
  readonly object: string;
  readonly field?: string;
  readonly message: string;
}

export const formatProblem = (p: DefinitionProblem): string => `${p.object}${p.field ? `, field "${p.field}"` : ''}: ${p.message}`;

/** Every problem found in a set of definitions, reported together. */
export class DefinitionError extends Error {
  readonly problems: readonly DefinitionProblem[];
  constructor(problems: readonly DefinitionProblem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the feature definitions:\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'DefinitionError';
    this.problems = problems;
  }
}
