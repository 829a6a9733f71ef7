/**
 * @module Attempt numbers of a lot's runs: a serial's runs ranked by test time (1 = first pass).
 * Stations do not reliably write an attempt column, and retests arrive in later files, so the number
 * is derived from the data every time the lot is read rather than stored.
 */
import { instantFromDb } from './stored-values.js';

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

/** A stored run as its attempt is derived from it: the same key for the evaluation and the read model. */
export interface StoredRunKey {
  /** Stored run id. */
  readonly id: number;
  readonly serial: string;
  readonly station: string;
  /** ISO-8601 instant. */
  readonly testTime: string;
  readonly fileSha256: string;
  readonly runOrder: number;
}

/** The columns of a stored run (joined with its file) that its attempt key is read from. */
export interface StoredRunColumns {
  readonly id: number;
  readonly serial: string;
  readonly station: string;
  readonly test_time: Date | string;
  readonly sha256: string;
  readonly run_order: number;
}

/**
 * The attempt key of a stored run. lot-reader.ts (what the lot is judged on) and lot-runs.ts (what
 * `lotqa unit`, exports and charts list) both map through here, find re-exports on these keys
 * (lot-conflicts.ts) and rank the rest with attemptsOfStoredRuns, so a listing numbers attempts as the
 * evaluation does.
 */
export function storedRunKey(r: StoredRunColumns): StoredRunKey {
  return {
    id: r.id,
    serial: r.serial,
    station: r.station,
    testTime: instantFromDb(r.test_time),
    fileSha256: r.sha256,
    runOrder: r.run_order,
  };
}

/** The attempts of stored runs: deriveAttempts on their keys. */
export function attemptsOfStoredRuns(runs: readonly StoredRunKey[]): DerivedAttempts {
  return deriveAttempts(
    runs.map((r) => ({
      serial: r.serial,
      testTimeMs: Date.parse(r.testTime),
      station: r.station,
      fileSha256: r.fileSha256,
      runOrder: r.runOrder,
    })),
  );
}
