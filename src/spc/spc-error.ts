/**
 * @module spc-error — the one error the control-chart functions throw for bad input.
 *
 * Every message names what was wrong (which series, which index, which value) and what to do, so a
 * quality engineer reading a pipeline log can fix the data without opening the code.
 */
import { LotqaError } from '../errors/lotqa-error.js';
import { counted } from '../counted.js';

/** Thrown when data or options handed to an SPC chart cannot give a meaningful chart. */
export class SpcInputError extends LotqaError {
  override readonly name = 'SpcInputError';
  /** Index of the offending point, when one point is to blame. */
  readonly index: number | null;
  /** The offending value, when there is one. */
  readonly value: number | null;

  constructor(message: string, where: { index?: number; value?: number } = {}) {
    super(message);
    this.index = where.index ?? null;
    this.value = where.value ?? null;
  }
}

/**
 * Rejects NaN/±Infinity, naming the first bad index. A NaN in a series silently poisons every mean and
 * limit after it, so it is better to stop and say where it is.
 */
export function assertFiniteSeries(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      throw new SpcInputError(
        `${what}: value at index ${i} is ${String(v)}; control charts need finite numbers — remove or repair that point first`,
        { index: i, value: v },
      );
    }
  }
}

/** Rejects series shorter than `min` points (empty, or one point where a spread is needed). */
export function assertMinLength(values: ArrayLike<number>, min: number, what: string): void {
  if (values.length === 0) throw new SpcInputError(`${what}: the series is empty; give at least ${counted(min, 'point')}`);
  if (values.length < min) {
    throw new SpcInputError(`${what}: ${counted(values.length, 'point')} given; at least ${min} are needed to estimate sigma`);
  }
}

/** Rejects a sigma that is zero, negative or not finite (zero variance cannot scale limits). */
export function assertPositiveSigma(sigma: number, what: string): void {
  if (!Number.isFinite(sigma) || sigma <= 0) {
    throw new SpcInputError(
      `${what}: sigma is ${String(sigma)}; the data show no variation (or sigma was given as ≤ 0), so control limits cannot be set — check for a stuck gauge or pass a known sigma`,
      { value: sigma },
    );
  }
}

/** Rejects a sigma multiplier L that is not a positive finite number. */
export function assertSigmaMultiplier(L: number): void {
  if (!Number.isFinite(L) || L <= 0) {
    throw new SpcInputError(`sigmaMultiplier must be a positive number (3 for classic Shewhart limits); got ${String(L)}`, {
      value: L,
    });
  }
}
