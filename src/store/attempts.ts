/**
 * @module Attempt numbers of a lot's runs: a serial's runs ranked by test time (1 = first pass).
 * Stations do not reliably write an attempt column, and retests arrive in later files, so the number
 * is derived from the data every time the lot is read rather than stored.
 */

export interface RunOrderKey {
  readonly serial: string;
  /** Test time, milliseconds since the epoch. */
  readonly testTimeMs: number;
  /** Station id as the file reports it; first tie-break of test time. */
  readonly station: string;
  /** SHA-256 of the run's file (hex); breaks ties of test time and station. */
  readonly fileSha256: string;
  /** Position of the run in its file; breaks ties within one file. */
  readonly runOrder: number;
}

export interface DerivedAttempts {
  /** Indices into the input, sorted by (serial, attempt). */
  readonly order: Int32Array;
  /** `attempt[i]` is the 1-based attempt of input run i. */
  readonly attempt: Int32Array;
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Ranks each serial's runs by test time; ties broken by station id, then file SHA-256, then run order
 * in the file. Every key is part of the data itself, never of when or by which worker a file was
 * stored, so the attempts (and the first-pass and final verdicts) are the same in whichever order the
 * files arrive. A tie between two stations is physically impossible and holds the lot
 * (lot-data-holds.ts); this order only keeps the verdicts reproducible meanwhile. Strings compare by
 * code unit (not locale), so the order is the same on every machine.
 */
export function deriveAttempts(runs: readonly RunOrderKey[]): DerivedAttempts {
  const order = Int32Array.from(runs.keys());
  order.sort((ia, ib) => {
    const a = runs[ia]!;
    const b = runs[ib]!;
    return (
      byCodeUnit(a.serial, b.serial) ||
      a.testTimeMs - b.testTimeMs ||
      byCodeUnit(a.station, b.station) ||
      byCodeUnit(a.fileSha256, b.fileSha256) ||
      a.runOrder - b.runOrder
    );
  });
  const attempt = new Int32Array(runs.length);
  let previousSerial: string | null = null;
  let n = 0;
  for (const i of order) {
    const serial = runs[i]!.serial;
    n = serial === previousSerial ? n + 1 : 1;
    previousSerial = serial;
    attempt[i] = n;
  }
  return { order, attempt };
}
