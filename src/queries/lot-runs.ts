/**
 * @module A lot's test runs as the read model needs them: each with its derived attempt (a serial's
 * runs ranked by test time, as the evaluation ranks them), whether it is the serial's final attempt,
 * its station, time and source file; and the names behind the stored parameter and corner ids.
 */
import { attemptsOfStoredRuns, storedRunKey } from '../store/attempts.js';
import { findConflicts } from '../store/records/lot-conflicts.js';
import type { StoreReads } from '../store/store.js';
import type { RunReadingsReader, StoreDb } from '../store/dialect/store-dialect.js';

export interface LotRunRow {
  /** Stored run id (where its readings are). */
  readonly runId: number;
  readonly serial: string;
  readonly station: string;
  /** ISO-8601 instant. */
  readonly testTime: string;
  /** 1-based, by test time within the serial (ties: station, file, then position in the file: attempts.ts). */
  readonly attempt: number;
  /** The serial's last attempt: the one conformance is judged on. */
  readonly final: boolean;
  readonly declaredAttempt: number | null;
  readonly operator: string | null;
  readonly readingCount: number;
  readonly file: { readonly id: number; readonly sha256: string; readonly path: string; readonly name: string };
}

export interface LotRuns {
  readonly lot: string;
  readonly productId: string;
  /** In test-time order (ties by serial, then attempt). */
  readonly runs: readonly LotRunRow[];
}

/**
 * The lot's runs (or one serial's), or null when the lot has none. `readings` (of the same snapshot) is
 * read only for runs of one serial and test time in two or more files, to tell a re-export from a retest.
 */
export async function lotRuns(db: StoreDb, readings: RunReadingsReader, lot: string, serial?: string): Promise<LotRuns | null> {
  const lotRow = await db.selectFrom('lots').select(['id', 'product_id']).where('lot', '=', lot).executeTakeFirst();
  if (!lotRow) return null;
  let query = db
    .selectFrom('runs as r')
    .innerJoin('files as f', 'f.id', 'r.file_id')
    .select([
      'r.id',
      'r.serial',
      'r.station',
      'r.test_time',
      'r.file_id',
      'r.run_order',
      'r.declared_attempt',
      'r.operator',
      'r.measurement_count',
      'f.sha256',
      'f.path',
      'f.name',
    ])
    .where('r.lot_id', '=', lotRow.id);
  if (serial !== undefined) query = query.where('r.serial', '=', serial);
  const stored = await query.execute();
  if (stored.length === 0) return null;
  const keys = stored.map(storedRunKey);
  // A station's re-export of a test is one attempt, as the evaluation counts it (lot-conflicts.ts);
  // conflicting runs stay listed, so an engineer can compare the files before keeping one.
  const { repeated } = await findConflicts(keys, readings, []);
  const counted = stored.flatMap((_, i) => (repeated.has(keys[i]!.id) ? [] : [i]));
  const rows = counted.map((i) => stored[i]!);
  const times = counted.map((i) => keys[i]!.testTime);
  const { attempt } = attemptsOfStoredRuns(counted.map((i) => keys[i]!));
  const lastAttempt = new Map<string, number>();
  rows.forEach((r, i) => lastAttempt.set(r.serial, Math.max(lastAttempt.get(r.serial) ?? 0, attempt[i]!)));
  const runs: LotRunRow[] = rows.map((r, i) => ({
    runId: r.id,
    serial: r.serial,
    station: r.station,
    testTime: times[i]!,
    attempt: attempt[i]!,
    final: attempt[i] === lastAttempt.get(r.serial),
    declaredAttempt: r.declared_attempt,
    operator: r.operator,
    readingCount: r.measurement_count,
    file: { id: r.file_id, sha256: r.sha256, path: r.path, name: r.name },
  }));
  runs.sort((a, b) =>
    a.testTime !== b.testTime
      ? a.testTime < b.testTime
        ? -1
        : 1
      : a.serial !== b.serial
        ? a.serial < b.serial
          ? -1
          : 1
        : a.attempt - b.attempt,
  );
  return { lot, productId: lotRow.product_id, runs };
}

/** Name → stored id of every parameter and corner (small tables). */
export interface Dictionaries {
  readonly parameterIds: ReadonlyMap<string, number>;
  readonly cornerIds: ReadonlyMap<string, number>;
  readonly parameterNames: ReadonlyMap<number, string>;
  readonly cornerNames: ReadonlyMap<number, string>;
}

export async function dictionaries(db: StoreDb): Promise<Dictionaries> {
  const parameters = await db.selectFrom('parameters').select(['id', 'name']).execute();
  const corners = await db.selectFrom('corners').select(['id', 'name']).execute();
  return {
    parameterIds: new Map(parameters.map((p) => [p.name, p.id])),
    cornerIds: new Map(corners.map((c) => [c.name, c.id])),
    parameterNames: new Map(parameters.map((p) => [p.id, p.name])),
    cornerNames: new Map(corners.map((c) => [c.id, c.name])),
  };
}

/** Runs in batches of about `readings` readings, for the dialect's reader. */
export function runBatches(runs: readonly LotRunRow[], readings = 250_000): LotRunRow[][] {
  const batches: LotRunRow[][] = [];
  let current: LotRunRow[] = [];
  let size = 0;
  for (const run of runs) {
    if (size + run.readingCount > readings && current.length > 0) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(run);
    size += run.readingCount;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export type { StoreReads };
