/**
 * @module Store errors — small classes whose messages say what happened and what to do next.
 */
import { ExitCode, LotqaError, type LotqaErrorOptions } from '../errors/lotqa-error.js';

/** The store was configured with something it cannot open (bad URL scheme, bad schema name, unreachable server…). */
export class StoreConfigError extends LotqaError {
  override name = 'StoreConfigError';
  constructor(message: string, options: Omit<LotqaErrorOptions, 'exitCode'> = {}) {
    super(message, {
      hint: 'check DATABASE_URL / LOTQA_SQLITE_PATH (or databaseUrl / sqlitePath in lotqa.config.json)',
      ...options,
      exitCode: ExitCode.configOrService,
    });
  }
}

/** A record handed to the store breaks a rule the store relies on (finite values, ISO instants…). */
export class StoreInputError extends LotqaError {
  override name = 'StoreInputError';
}

/** The lot has no stored runs. */
export class LotNotFoundError extends LotqaError {
  override name = 'LotNotFoundError';
  constructor(readonly lot: string) {
    super(`lot "${lot}" has no stored test runs`, { hint: 'ingest its station files first, or list the known lots with `lotqa lots`' });
  }
}

/** A file tries to add runs of a lot that is already stored under another product. */
export class LotProductConflictError extends LotqaError {
  override name = 'LotProductConflictError';
  constructor(
    readonly lot: string,
    readonly storedProduct: string,
    readonly fileProduct: string,
    readonly file: string,
  ) {
    super(
      `File ${file} puts lot "${lot}" under product "${fileProduct}", but the lot is already stored under product "${storedProduct}". ` +
        `Check the station profile / product chosen for this file; nothing from the file was stored.`,
      { hint: `ingest the file with --product ${storedProduct}, or give the lot its own id` },
    );
  }
}

/** A final (or hold) decision already exists for this lot revision; decisions are never overwritten. */
export class DecisionConflictError extends LotqaError {
  override name = 'DecisionConflictError';
  constructor(
    readonly lot: string,
    readonly revision: number,
    readonly stage: string,
    detail: string,
  ) {
    super(
      `Lot "${lot}" revision ${revision} already has a ${stage} decision (${detail}). Decisions are never changed; re-evaluate the lot to get a new revision.`,
      { hint: `see the lot's decisions with \`lotqa audit ${lot}\`` },
    );
  }
}

/** Some other record with the same natural key already exists (baseline version, evaluation revision, certificate id). */
export class RecordConflictError extends LotqaError {
  override name = 'RecordConflictError';
}

/** A record that the caller named does not exist (e.g. activating a baseline version never saved). */
export class RecordNotFoundError extends LotqaError {
  override name = 'RecordNotFoundError';
}

/** A ParsedFile could not be stored; the transaction was rolled back and nothing of the file was kept. */
export class FileStoreError extends LotqaError {
  override name = 'FileStoreError';
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(
      `Storing ${file} failed and was rolled back (nothing of the file was kept): ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause, exitCode: ExitCode.configOrService, hint: 'check that the database is reachable and has space, then ingest the file again' },
    );
  }
}

/** A migration failed; the schema is as it was before it (each migration is all or nothing). */
export class StoreMigrationError extends LotqaError {
  override name = 'StoreMigrationError';
  constructor(
    readonly migration: string,
    location: string,
    cause: unknown,
  ) {
    super(`store migration "${migration}" failed on ${location}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
      exitCode: ExitCode.configOrService,
      hint: 'stop every older lotqa worker on this store and run the command again; LOTQA_DEBUG=1 shows the details',
    });
  }
}

/**
 * A stored document (a lot result, baseline, sampling state, certificate or audit payload) does not
 * match its schema: the store was written by an incompatible lotqa version, or edited by hand.
 */
export class StoredDocumentError extends LotqaError {
  override name = 'StoredDocumentError';
  constructor(
    /** The record, in words: "the result of lot L2610 revision 1". */
    readonly record: string,
    /** The document kind, e.g. "LotResult". */
    readonly documentKind: string,
    /** JSON pointer and message of each failing field (the first few). */
    readonly problems: readonly string[],
  ) {
    super(`${record} is not a valid ${documentKind}: ${problems.join('; ')}`, {
      exitCode: ExitCode.configOrService,
      hint: 'every lotqa process on this store must run the same version; a record edited by hand must be restored from a backup',
    });
  }
}
