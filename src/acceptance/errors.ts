/**
 * @module acceptance errors — small domain errors whose messages tell the user what to change.
 */
import { ExitCode, LotqaError, type LotqaErrorOptions } from '../errors/lotqa-error.js';

export { PolicyValidationError } from '../domain/policy-validation.js';

/** A sampling-plan request that the tables cannot answer (bad lot size, AQL outside the table, …). */
export class SamplingPlanError extends LotqaError {
  override readonly name = 'SamplingPlanError';

  constructor(message: string, options: LotqaErrorOptions = {}) {
    super(message, { exitCode: ExitCode.configOrService, ...options });
  }
}

/** The c = 0 table cell is not verified in lotqa: the policy must state the sample size. */
export class C0TableCellUnavailableError extends LotqaError {
  override readonly name = 'C0TableCellUnavailableError';
  constructor(
    readonly lotSize: number,
    readonly index: number,
  ) {
    super(
      `No verified c = 0 sample size for lot size ${lotSize} at index ${index}: lotqa ships only the cells it could confirm. ` +
        'Read n from Squeglia, Zero Acceptance Number Sampling Plans (5th ed.), and set conformance.sampleSize in the policy.',
      { exitCode: ExitCode.configOrService },
    );
  }
}

/** Variables-sampling input that cannot be judged (too few values, zero spread, missing k or M). */
export class VariablesSamplingError extends LotqaError {
  override readonly name = 'VariablesSamplingError';
}
