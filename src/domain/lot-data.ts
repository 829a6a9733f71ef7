/**
 * @module LotData — a lot's stored measurements as the evaluation reads them: columnar typed arrays,
 * because a 10,000-unit lot is ~3 million measurements and objects per value would not fit the budget.
 */

import type { StationLimit, StationRunVerdict } from './station-evidence.js';

export const CENSOR_NONE = 0;
export const CENSOR_BELOW = 1;
export const CENSOR_ABOVE = 2;
export type CensorCode = typeof CENSOR_NONE | typeof CENSOR_BELOW | typeof CENSOR_ABOVE;

/** Lane value used in columnar arrays for a per-module parameter. */
export const MODULE_LANE = -1;

export interface LotRun {
  readonly serial: string;
  readonly station: string;
  readonly testTime: string;
  readonly declaredAttempt: number | null;
  /** 1-based attempt of this serial, by test time (ties by station id, file SHA-256, then run order: attempts.ts). */
  readonly attempt: number;
  readonly fileSha256: string;
  readonly operator: string | null;
}

/**
 * Two or more files report the same unit's test at the same test time (so the same attempt) with
 * different readings. Which is right cannot be settled by arrival order: every run of the conflict is
 * held out of the lot until an engineer keeps one file (`lotqa conflicts resolve`).
 */
export interface LotConflict {
  readonly serial: string;
  readonly testTime: string;
  /** SHA-256 of every file with a run of this serial at this time, sorted. */
  readonly files: readonly string[];
  /** The station each file names for this test, as the station names itself: `stations[i]` reports `files[i]`. */
  readonly stations: readonly string[];
  /** The engineer's resolution, or null while the conflict holds the lot. */
  readonly resolution: {
    readonly kept: string;
    readonly reason: string;
    readonly by: string;
    readonly at: string;
  } | null;
}

/**
 * One test (serial, station, test time) that the same station exported in two or more files with the same
 * readings (another export timestamp, another file name): one attempt. The file with the smallest SHA-256
 * is kept, so the choice does not depend on arrival order; the others' runs at that time are not counted.
 */
export interface LotReExport {
  readonly serial: string;
  readonly station: string;
  readonly testTime: string;
  /** SHA-256 of the file whose runs count. */
  readonly kept: string;
  /** SHA-256 of the files repeating it, sorted. */
  readonly repeats: readonly string[];
}

export interface LotData {
  readonly lot: string;
  readonly productId: string;
  /** Runs sorted by (serial, attempt). */
  readonly runs: readonly LotRun[];
  /** Dictionary of parameter ids; `parameterIndex[i]` points into it. */
  readonly parameters: readonly string[];
  readonly corners: readonly string[];
  readonly runIndex: Int32Array;
  readonly parameterIndex: Uint16Array;
  readonly cornerIndex: Uint16Array;
  /** 0-based lane or MODULE_LANE. */
  readonly lane: Int16Array;
  readonly value: Float64Array;
  readonly censoring: Uint8Array;
  /** SHA-256 of every file of the lot, sorted. */
  readonly fileHashes: readonly string[];
  readonly quarantinedRows: number;
  /** Conflicting runs found when the lot was read (absent: none looked for, e.g. synthetic data). */
  readonly conflicts?: readonly LotConflict[];
  /** Tests one station exported again in another file with the same readings: one attempt, counted once (attempts.ts). */
  readonly reExports?: readonly LotReExport[];
  /**
   * What besides the files defines this content (e.g. a conflict resolution), as lines folded into
   * the content hash; absent or empty when nothing does.
   */
  readonly contentMarks?: readonly string[];
  /** The lot's manifest as last recorded (`lot-expected`): the quantity ordered and, if listed, the serials. */
  readonly manifest?: { readonly quantity: number; readonly serials: readonly string[] | null } | null;
  /** The stations' own verdicts on the lot's runs and the limits they tested against: evidence, never used to judge. */
  /** The lot's serials also tested in other lots (looked up when the lot is evaluated). */
  readonly serialsElsewhere?: readonly { readonly serial: string; readonly lots: readonly string[] }[];
  readonly station?: { readonly verdicts: readonly StationRunVerdict[]; readonly limits: readonly StationLimit[] };
}
