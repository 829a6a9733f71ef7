/**
 * @module Store errors — small classes whose messages say what happened and what to do next.
 */

/** The store was configured with something it cannot open (bad URL scheme, bad schema name…). */
export class StoreConfigError extends Error {
  override readonly name = 'StoreConfigError';
}

/** A record handed to the store breaks a rule the store relies on (finite values, ISO instants…). */
export class StoreInputError extends Error {
  override readonly name = 'StoreInputError';
}

/** The lot has no stored runs. */
export class LotNotFoundError extends Error {
  override readonly name = 'LotNotFoundError';
  constructor(readonly lot: string) {
    super(`Lot "${lot}" has no stored test runs. Ingest its station files first, or list known lots with \`lotqa lots\`.`);
  }
}

/** A file tries to add runs of a lot that is already stored under another product. */
export class LotProductConflictError extends Error {
  override readonly name = 'LotProductConflictError';
  constructor(
    readonly lot: string,
    readonly storedProduct: string,
    readonly fileProduct: string,
    readonly file: string,
  ) {
    super(
      `File ${file} puts lot "${lot}" under product "${fileProduct}", but the lot is already stored under product "${storedProduct}". ` +
        `Check the station profile / product chosen for this file; nothing from the file was stored.`,
    );
  }
}

/** A final (or hold) decision already exists for this lot revision; decisions are never overwritten. */
export class DecisionConflictError extends Error {
  override readonly name = 'DecisionConflictError';
  constructor(
    readonly lot: string,
    readonly revision: number,
    readonly stage: string,
    detail: string,
  ) {
    super(
      `Lot "${lot}" revision ${revision} already has a ${stage} decision (${detail}). Decisions are never changed; re-evaluate the lot to get a new revision.`,
    );
  }
}

/** Some other record with the same natural key already exists (baseline version, evaluation revision, certificate id). */
export class RecordConflictError extends Error {
  override readonly name = 'RecordConflictError';
}

/** A record that the caller named does not exist (e.g. activating a baseline version never saved). */
export class RecordNotFoundError extends Error {
  override readonly name = 'RecordNotFoundError';
}

/** A ParsedFile could not be stored; the transaction was rolled back and nothing of the file was kept. */
export class FileStoreError extends Error {
  override readonly name = 'FileStoreError';
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(
      `Storing ${file} failed and was rolled back (nothing of the file was kept): ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}
