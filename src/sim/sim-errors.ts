/**
 * @module SimErrors — what can go wrong when the synthetic factory is asked for data, with messages
 * that say what to fix.
 */

/** The product spec cannot be simulated as given (contradictory limits, unknown corner …). */
export class SimSpecError extends Error {
  override readonly name = 'SimSpecError';
}

/** A generation option is out of range or names something the product does not have. */
export class SimOptionError extends Error {
  override readonly name = 'SimOptionError';
}

/** The station profile cannot express the data (no lane column for a multi-lane wide layout …). */
export class SimProfileError extends Error {
  override readonly name = 'SimProfileError';
}
