/**
 * @module The records ingestion produces and the store keeps: one test run of one unit (an attempt),
 * its measurements in canonical units, and every row that could not be used (quarantine).
 */

/** A censored reading: the station wrote `<-12.0` (true value at or below the bound) or `>4.5`. */
export type Censoring = 'none' | 'below' | 'above';

/** One test of one module at one station and time. Retests are new runs of the same serial. */
export interface TestRun {
  readonly serial: string;
  readonly lot: string;
  readonly station: string;
  /** ISO-8601 instant, UTC. */
  readonly testTime: string;
  /** Attempt number written by the station, when it writes one (1 = first pass). */
  readonly declaredAttempt: number | null;
  readonly operator: string | null;
  /**
   * The station's own verdict for the whole unit (profile `unitResult`), kept as evidence and compared
   * with lotqa's judgement; never used to judge. Absent when the station writes none.
   */
  readonly stationVerdict?: 'pass' | 'fail';
}

export interface Measurement {
  /** Index into the file's `runs` array. */
  readonly run: number;
  readonly parameter: string;
  readonly corner: string;
  /** 0-based lane, or null for a per-module parameter. */
  readonly lane: number | null;
  /** Value in the parameter's canonical unit; for a censored reading, the bound. */
  readonly value: number;
  readonly censoring: Censoring;
  /** 1-based line in the source file, for traceability. */
  readonly line: number;
  /** The station's own pass/fail for this reading (a `result` column), kept as evidence, never used to judge. */
  readonly stationVerdict?: 'pass' | 'fail';
  /** The station's own limits for this reading, converted to the canonical unit; evidence, never used to judge. */
  readonly stationLimits?: { readonly low: number | null; readonly high: number | null };
}

export type QuarantineReason =
  | 'unknown-parameter'
  | 'unknown-unit'
  | 'non-numeric'
  | 'not-finite'
  | 'underflow'
  | 'physically-impossible'
  | 'duplicate-measurement'
  | 'missing-field'
  | 'unknown-corner'
  | 'bad-lane'
  | 'identity-mismatch'
  | 'ragged-row'
  | 'missing-measurements'
  | 'bad-timestamp'
  /** A serial or lot id a person or a spreadsheet would misread (formula, invisible characters, spaces, the product's pattern). */
  | 'bad-identity'
  /** The file's last record was cut off (no final line break and a short field, or a missing end marker). */
  | 'truncated';

/** A row (or cell) that was not stored as a measurement, and exactly why. */
export interface QuarantineEntry {
  readonly file: string;
  /** 1-based physical line in the file; 0 when the finding is about the whole unit (e.g. missing lanes). */
  readonly line: number;
  readonly column: string | null;
  readonly rawValue: string | null;
  readonly reason: QuarantineReason;
  readonly message: string;
}

export type FileRejectionReason =
  | 'empty-file'
  | 'binary-content'
  | 'bad-encoding'
  | 'no-matching-profile'
  | 'truncated-file'
  | 'missing-identity'
  | 'identity-mismatch'
  /** The serial or lot id that the whole file carries (metadata or file name) breaks the product's identity rules. */
  | 'bad-identity'
  /** The file does not fit the product (lanes, corners, tests); the message names the product that fits, if any. */
  | 'wrong-product'
  | 'unreadable';

/** A metadata value the station wrote around the table (before it, or in the footer after it). */
export interface StationMetadataEntry {
  readonly key: string;
  readonly value: string;
  /** 1-based physical line. */
  readonly line: number;
  /** INI-style section the line is in ("Header" for a line under "[Header]"), else null. */
  readonly section: string | null;
  readonly place: 'before-table' | 'after-table';
}

/**
 * A line kept out of the readings that is not metadata: a comment, a marker ("[Data]", "---", "[End]"),
 * a summary row inside the table ("Total,…"), footer text after the table, or free text before it.
 */
export interface OtherLine {
  readonly line: number;
  readonly kind: 'comment' | 'marker' | 'summary' | 'footer' | 'text';
  readonly text: string;
}

/** Everything ingestion learned from one file. Stored atomically: all of it, or nothing. */
export interface ParsedFile {
  readonly path: string;
  readonly name: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly profileId: string;
  readonly productId: string;
  /** How the profile was chosen ("named by user" or "auto-detected from header …"). */
  readonly profileChoice: string;
  readonly dataRows: number;
  /** Blank lines of the file, before, in and after the table (counted, not quarantined; the final line break ends a line, it does not start one). */
  readonly blankLines?: number;
  /** 1-based physical line of the table's header row. */
  readonly headerLine?: number;
  /** Metadata the station wrote around the table (identity values included), in file order. */
  readonly stationMetadata?: readonly StationMetadataEntry[];
  /** Lines kept out of the readings that are neither metadata nor blank (comments, markers, summary rows, footer text). */
  readonly otherLines?: readonly OtherLine[];
  readonly runs: readonly TestRun[];
  readonly measurements: readonly Measurement[];
  readonly quarantine: readonly QuarantineEntry[];
}

/** A file that could not be read at all. */
export interface RejectedFile {
  readonly path: string;
  readonly name: string;
  readonly sha256: string | null;
  readonly bytes: number;
  readonly reason: FileRejectionReason;
  readonly message: string;
  readonly line: number | null;
}

export type IngestOutcome =
  { readonly kind: 'parsed'; readonly file: ParsedFile } | { readonly kind: 'rejected'; readonly file: RejectedFile };
