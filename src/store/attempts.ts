/**
 * @module Attempt numbers of a lot's runs: a serial's runs ranked by test time (1 = first pass).
 * Stations do not reliably write an attempt column, and retests arrive in later files, so the number
 * is derived from the data every time the lot is read rather than stored.
 */

export interface RunOrderKey {
  readonly serial: string;
  /** Test time, milliseconds since the epoch. */
  readonly testTimeMs: number;
  /** Stored file id (ingestion order); breaks ties of test time. */
  readonly fileId: number;
  /** Position of the run in its file; breaks ties within one file. */
  readonly runOrder: number;
}

export interface DerivedAttempts {
  /** Indices into the input, sorted by (serial, attempt). */
  readonly order: Int32Array;
  /** `attempt[i]` is the 1-based attempt of input run i. */
  readonly attempt: Int32Array;
}

/**
 * Ranks each serial's runs by test time, ties broken by file id then run order. Serials compare by
 * code unit (not locale), so the order is the same on every machine.
 */
export function deriveAttempts(runs: readonly RunOrderKey[]): DerivedAttempts {
  const order = Int32Array.from(runs.keys());
  order.sort((ia, ib) => {
    const a = runs[ia]!;
    const b = runs[ib]!;
    if (a.serial !== b.serial) return a.serial < b.serial ? -1 : 1;
    return a.testTimeMs - b.testTimeMs || a.fileId - b.fileId || a.runOrder - b.runOrder;
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
