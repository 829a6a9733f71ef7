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
  // Readings are unpacked straight into positions of the names sorted (the whole dictionary tables are
  // small), then narrowed to the names the lot uses: no pass over the columns when it uses them all.
  const parameterDictionary = await storedDictionary(db, 'parameters');
  const cornerDictionary = await storedDictionary(db, 'corners');
  const columns = {
    parameterIndex,
    cornerIndex,
    lane,
    value,
    censoring,
    parameterOf: parameterDictionary.positionOf,
    cornerOf: cornerDictionary.positionOf,
    usedParameters: new Uint8Array(65_536),
    usedCorners: new Uint8Array(65_536),
  };
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
  if (columns.usedParameters[NOT_IN_DICTIONARY] === 1 || columns.usedCorners[NOT_IN_DICTIONARY] === 1)
    throw new Error(`Lot ${lot}: stored readings name a parameter or corner id missing from the store's dictionary; the store is damaged.`);
  const parameters = usedNames(parameterDictionary.names, columns.usedParameters, parameterIndex, n);
  const corners = usedNames(cornerDictionary.names, columns.usedCorners, cornerIndex, n);
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

/** positionOf for a stored id with no dictionary row (a damaged store): never a position (< 65,535 rows). */
const NOT_IN_DICTIONARY = 0xffff;

/** A dictionary table's names sorted, and each stored id's position among them. */
async function storedDictionary(db: StoreDb, table: 'parameters' | 'corners'): Promise<{ names: string[]; positionOf: Uint16Array }> {
  const rows = await db.selectFrom(table).select(['id', 'name']).execute();
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const positionOf = new Uint16Array(65_536).fill(NOT_IN_DICTIONARY);
  rows.forEach((r, i) => {
    positionOf[r.id] = i;
  });
  return { names: rows.map((r) => r.name), positionOf };
}

/**
 * The lot-local dictionary: the names flagged in `used` (positions in `names`, sorted), and `index[0..n)`
 * rewritten in place from positions in `names` to positions in it — a pass over the column only when the
 * store's dictionary holds names the lot does not use (another product's).
 */
function usedNames(names: readonly string[], used: Uint8Array, index: Uint16Array, n: number): string[] {
  const local: string[] = [];
  const remap = new Uint16Array(names.length);
  let same = true;
  names.forEach((name, position) => {
    if (used[position] !== 1) return;
    if (position !== local.length) same = false;
    remap[position] = local.length;
    local.push(name);
  });
  if (!same) for (let i = 0; i < n; i++) index[i] = remap[index[i]!]!;
  return local;
}
