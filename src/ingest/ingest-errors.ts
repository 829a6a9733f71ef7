/**
 * @module Errors raised while ingesting a station file. A `FileRejection` is not a crash: the caller
 * turns it into a RejectedFile record (nothing of the file is stored). A `StationProfileError` means
 * the profile itself is unusable, which no file can fix.
 */
import { ExitCode, LotqaError } from '../errors/lotqa-error.js';
import type { FileRejectionReason } from '../domain/measurement.js';

/** The whole file cannot be used; `message` tells the user what to do. */
export class FileRejection extends LotqaError {
  override readonly name = 'FileRejection';
  constructor(
    readonly reason: FileRejectionReason,
    message: string,
    readonly line: number | null = null,
  ) {
    super(message, { hint: '`lotqa quarantine` lists every rejected file with its reason' });
  }
}

/** A station profile that cannot be applied (bad regex, missing long/wide section…). Fix the profile. */
export class StationProfileError extends LotqaError {
  override readonly name = 'StationProfileError';
  constructor(
    readonly profileId: string,
    readonly problem: string,
  ) {
    super(`station profile '${profileId}': ${problem}`, {
      exitCode: ExitCode.configOrService,
      hint: 'fix the station profile; schemas/station-profile.schema.json describes every field',
    });
  }
}
