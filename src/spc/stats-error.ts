/**
 * @module The one error the statistics core throws: bad input that no honest number can be computed from.
 *
 * The core is pure and never logs; it refuses loudly instead. Every message says what was wrong, the value
 * that was wrong and what to do about it, so a quality engineer reading a failed lot evaluation can fix the
 * product spec or the data without opening the code.
 */
import { LotqaError } from '../errors/lotqa-error.js';
import { SpcInputError } from './spc-error.js';
import { counted } from '../counted.js';

/** Input to a statistic was unusable (too few values, NaN, zero spread, inverted limits …). */
export class StatsInputError extends LotqaError {
  override name = 'StatsInputError';
  /**
   * @param message what was wrong and what to do
   * @param subject optional name of the thing being computed (parameter id, test name) prefixed to the message
   */
  constructor(
    message: string,
    readonly subject?: string,
  ) {
    super(subject ? `${subject}: ${message}` : message);
  }
}

/** Throws unless every value is a finite number; reports the first offending index and value. */
export function requireFinite(values: ArrayLike<number>, what: string, subject?: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new StatsInputError(
        `${what}[${i}] is ${v}; every value must be a finite number — quarantine non-numeric readings at ingest instead of passing them on`,
        subject,
      );
    }
  }
}

/** Throws unless there are at least `min` values. */
export function requireCount(n: number, min: number, what: string, subject?: string): void {
  if (n < min) {
    throw new StatsInputError(`${what} has ${counted(n, 'value')}; at least ${min} are needed`, subject);
  }
}

/**
 * True for the statistics' own refusals (too few values, zero spread, unusable limits): those become notes
 * or fail-closed reasons on a lot. Anything else is a programming error and must propagate.
 */
export function isStatisticsInputError(err: unknown): err is StatsInputError | SpcInputError {
  return err instanceof StatsInputError || err instanceof SpcInputError;
}
