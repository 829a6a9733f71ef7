/**
 * @module LotData — a lot's stored measurements as the evaluation reads them: columnar typed arrays,
 * because a 10,000-unit lot is ~3 million measurements and objects per value would not fit the budget.
 */

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
  /** 1-based attempt of this serial, by test time (ties by file then run order). */
  readonly attempt: number;
  readonly fileSha256: string;
  readonly operator: string | null;
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
}
