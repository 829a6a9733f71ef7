/**
 * @module Reads one lot into the columnar LotData. A 10,000-unit lot is 2–3 million readings, so they
 * are unpacked straight from each run's packed record (run-readings.ts) into typed arrays preallocated
 * from the runs' stored reading counts, without an object per reading. The dialect reads the packed
 * records in batches of runs (~250k readings each) within one consistent view (`readSnapshot`). Runs
 * are read first, and readings of runs not in that list (committed meanwhile) are skipped, so the
 * result is always self-consistent.
 */
import type { LotData, LotRun } from '../../domain/lot-data.js';
import { attemptsOfStoredRuns, storedRunKey } from '../attempts.js';
import type { RunReadingsReader, StoreDb, StoreDialect } from '../dialect/store-dialect.js';
import { LotNotFoundError } from '../store-errors.js';
import { assertRunRecord, unpackRunColumns } from '../run-readings.js';
import { conflictResolutions, findConflicts } from './lot-conflicts.js';
import { lotContentMarks } from './lot-content-marks.js';
import { latestManifest } from './lot-manifest.js';
import { readStationEvidence } from './station-evidence-reader.js';

/** Readings per batch of runs: large enough to amortise round trips, small enough to bound memory. */
const BATCH_READINGS = 250_000;

export async function readLot(dialect: StoreDialect, lot: string): Promise<LotData> {
  return dialect.readSnapshot((db, readings) => assemble(dialect, db, lot, readings));
}

async function assemble(dialect: StoreDialect, db: StoreDb, lot: string, readings: RunReadingsReader): Promise<LotData> {
  const lotRow = await db.selectFrom('lots').select(['id', 'product_id']).where('lot', '=', lot).executeTakeFirst();
  if (!lotRow) throw new LotNotFoundError(lot);
  const allRunRows = await db
    .selectFrom('runs as r')
    .innerJoin('files as f', 'f.id', 'r.file_id')
    .select([
      'r.id',
      'r.file_id',
      'r.run_order',
      'r.serial',
      'r.station',
      'r.test_time',
      'r.declared_attempt',
      'r.operator',
      'r.measurement_count',
      'f.sha256',
      'f.quarantine_count',
    ])
    .where('r.lot_id', '=', lotRow.id)
    .orderBy('r.id')
    .execute();
  if (allRunRows.length === 0) throw new LotNotFoundError(lot);

  // Conflicting runs are held out of the lot, and a station's re-export of a test counts once
  // (lot-conflicts.ts); their files stay part of its content.
  const stored = allRunRows.map(storedRunKey);
  const resolutions = await conflictResolutions(db, dialect, lot);
  const { conflicts, heldOut, reExports, repeated } = await findConflicts(stored, readings, resolutions);
  const kept = stored.flatMap((s, i) => (heldOut.has(s.id) || repeated.has(s.id) ? [] : [i]));
  const runRows = kept.length === allRunRows.length ? allRunRows : kept.map((i) => allRunRows[i]!);
  const testTimes = kept.map((i) => stored[i]!.testTime);
  const { order, attempt } = attemptsOfStoredRuns(kept.map((i) => stored[i]!));
  const runs: LotRun[] = [];
  const positionOfRun = new Map<number, number>();
  for (const i of order) {
    const r = runRows[i]!;
    positionOfRun.set(r.id, runs.length);
    runs.push({
      serial: r.serial,
      station: r.station,
      testTime: testTimes[i]!,
      declaredAttempt: r.declared_attempt,
      attempt: attempt[i]!,
      fileSha256: r.sha256,
      operator: r.operator,
    });
  }

  const quarantineByFile = new Map<string, number>();
  let capacity = 0;
  const batches: number[][] = [[]];
  let batchRows = 0;
  for (const r of allRunRows) quarantineByFile.set(r.sha256, r.quarantine_count);
  for (const r of runRows) {
    capacity += r.measurement_count;
    if (batchRows + r.measurement_count > BATCH_READINGS && batches.at(-1)!.length > 0) {
      batches.push([]);
      batchRows = 0;
    }
    batches.at(-1)!.push(r.id);
    batchRows += r.measurement_count;
  }

  const runIndex = new Int32Array(capacity);
  const parameterIndex = new Uint16Array(capacity);
  const cornerIndex = new Uint16Array(capacity);
  const lane = new Int16Array(capacity);
  const value = new Float64Array(capacity);
  const censoring = new Uint8Array(capacity);
  const columns = { parameterId: parameterIndex, cornerId: cornerIndex, lane, value, censoring };
  let n = 0;
  for (const batch of batches) {
    await readings(batch, (runId, count, blob) => {
      // Readings of a run committed after the runs were read are not part of this read.
      const position = positionOfRun.get(runId) ?? -1;
      if (position < 0) return;
      assertRunRecord(blob, count, runId);
      if (count > capacity - n)
        throw new Error(`Lot ${lot}: more measurements stored than the runs' counts say (${capacity}); the store is inconsistent.`);
      unpackRunColumns(blob, count, runId, columns, n);
      runIndex.fill(position, n, n + count);
      n += count;
    });
  }

  const { parameters, corners } = await localDictionaries(db, parameterIndex, cornerIndex, n);
  const fileHashes = [...quarantineByFile.keys()].sort();
  let quarantinedRows = 0;
  for (const q of quarantineByFile.values()) quarantinedRows += q;

  return {
    lot,
    productId: lotRow.product_id,
    runs,
    parameters,
    corners,
    runIndex: runIndex.subarray(0, n),
    parameterIndex: parameterIndex.subarray(0, n),
    cornerIndex: cornerIndex.subarray(0, n),
    lane: lane.subarray(0, n),
    value: value.subarray(0, n),
    censoring: censoring.subarray(0, n),
    fileHashes,
    quarantinedRows,
    conflicts,
    reExports,
    contentMarks: await lotContentMarks(db, dialect, lot, resolutions),
    manifest: await latestManifest(db, dialect, lot),
    station: await readStationEvidence(
      db,
      dialect,
      lotRow.id,
      runRows.map((r, i) => ({
        fileId: r.file_id,
        runOrder: r.run_order,
        serial: r.serial,
        lot,
        station: r.station,
        testTime: testTimes[i]!,
      })),
    ),
  };
}

/**
 * Rewrites the stored dictionary ids in `parameterIndex[0..n)` and `cornerIndex[0..n)` (in place) into
 * positions of lot-local dictionaries holding only the names the lot uses, sorted, and returns them. Both
 * columns in one pass to find the ids used and one to rewrite them (2–3 million readings each).
 */
async function localDictionaries(
  db: StoreDb,
  parameterIndex: Uint16Array,
  cornerIndex: Uint16Array,
  n: number,
): Promise<{ parameters: string[]; corners: string[] }> {
  const usedParameters = new Uint8Array(65_536);
  const usedCorners = new Uint8Array(65_536);
  for (let i = 0; i < n; i++) {
    usedParameters[parameterIndex[i]!] = 1;
    usedCorners[cornerIndex[i]!] = 1;
  }
  const parameters = await localDictionary(db, 'parameters', usedParameters);
  const corners = await localDictionary(db, 'corners', usedCorners);
  const parameterRemap = parameters.remap;
  const cornerRemap = corners.remap;
  for (let i = 0; i < n; i++) {
    parameterIndex[i] = parameterRemap[parameterIndex[i]!]!;
    cornerIndex[i] = cornerRemap[cornerIndex[i]!]!;
  }
  return { parameters: parameters.names, corners: corners.names };
}

/** The names of the ids flagged in `used`, sorted, and each id's position among them. */
async function localDictionary(
  db: StoreDb,
  table: 'parameters' | 'corners',
  used: Uint8Array,
): Promise<{ names: string[]; remap: Uint16Array }> {
  const remap = new Uint16Array(65_536);
  const ids: number[] = [];
  for (let id = 0; id < used.length; id++) if (used[id] === 1) ids.push(id);
  if (ids.length === 0) return { names: [], remap };
  const rows = await db.selectFrom(table).select(['id', 'name']).where('id', 'in', ids).execute();
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  rows.forEach((r, i) => {
    remap[r.id] = i;
  });
  return { names: rows.map((r) => r.name), remap };
}
