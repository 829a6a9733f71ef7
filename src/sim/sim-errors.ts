/**
 * @module SimErrors — what can go wrong when the synthetic factory is asked for data, with messages
 * that say what to fix.
 */
import { ExitCode, LotqaError, type LotqaErrorOptions } from '../errors/lotqa-error.js';

/** The product spec cannot be simulated as given (contradictory limits, unknown corner …). */
export class SimSpecError extends LotqaError {
  override readonly name = 'SimSpecError';

  constructor(message: string, options: LotqaErrorOptions = {}) {
    super(message, { exitCode: ExitCode.configOrService, ...options });
  }
}

/** A generation option is out of range or names something the product does not have. */
export class SimOptionError extends LotqaError {
  override readonly name = 'SimOptionError';

  constructor(message: string, options: LotqaErrorOptions = {}) {
    super(message, { hint: 'see `lotqa generate --help`', ...options });
  }
}

/** The station profile cannot express the data (no lane column for a multi-lane wide layout …). */
export class SimProfileError extends LotqaError {
  override readonly name = 'SimProfileError';

  constructor(message: string, options: LotqaErrorOptions = {}) {
    super(message, { exitCode: ExitCode.configOrService, ...options });
  }
}
