/**
 * @module The one error base of lotqa. Every error a user can meet carries what happened (`message`,
 * written for the person at the terminal, never an internal class name), what to do about it (`hint`)
 * and the process exit code the CLI ends with.
 *
 * Exit codes (the CLI's whole convention, documented in the README):
 * - 0 done, and every lot decided is ACCEPTED
 * - 1 a file was rejected, or the command was used wrongly (unknown option, missing argument, bad value)
 * - 2 a configuration or service problem (bad config file, database or Redis unreachable, refused login)
 * - 3 a lot is on HOLD or REJECTED
 * - 4 verify: the document is not an issued certificate (altered, unknown, or a superseded revision)
 * - 5 verify: the certificate is as issued, but the lot has changed since (new files or a new evaluation)
 */

export const ExitCode = {
  ok: 0,
  rejectedOrUsage: 1,
  configOrService: 2,
  lotNotAccepted: 3,
  verifyMismatch: 4,
  lotChangedSince: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface LotqaErrorOptions {
  /** What the user can do about it ("run `lotqa ingest` first", "check DATABASE_URL"). */
  readonly hint?: string;
  /** @defaultValue ExitCode.rejectedOrUsage */
  readonly exitCode?: ExitCode;
  readonly cause?: unknown;
}

export class LotqaError extends Error {
  override name = 'LotqaError';
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(message: string, options: LotqaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.rejectedOrUsage;
  }
}

/** A configuration or service problem (exit 2). */
export class ConfigurationError extends LotqaError {
  override name = 'ConfigurationError';
  constructor(message: string, options: Omit<LotqaErrorOptions, 'exitCode'> = {}) {
    super(message, { ...options, exitCode: ExitCode.configOrService });
  }
}
