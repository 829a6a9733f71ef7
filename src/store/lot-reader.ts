/**
 * @module Reads one lot into the columnar LotData. A 10,000-unit lot is 2–3 million readings, so they
 * are unpacked straight from each run's packed record (run-readings.ts) into typed arrays preallocated
 * from the runs' stored reading counts, without an object per reading. SQLite: one primary-key lookup
 * per run inside a read transaction (one snapshot); PostgreSQL: batches of runs (`run_id = any($1)`,
 * ~250k readings each). Runs are read first, and readings of runs not in that list (committed meanwhile)
 * are skipped, so the result is always self-consistent.
 */
import { sql } from 'kysely';
import type { LotData, LotRun } from '../domain/lot-data.js';
import { deriveAttempts } from './attempts.js';
import type { StoreConnection } from './store-connection.js';
import { LotNotFoundError } from './store-errors.js';
import { instantFromDb } from './stored-values.js';
import { unpackRunReadings, type ReadingSink } from './run-readings.js';
import type { Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema.js';

/** Readings per PostgreSQL batch: large enough to amortise round trips, small enough to bound memory. */
const PG_BATCH_ROWS = 250_000;

interface ColumnSink extends ReadingSink {
  /** Sets the run the following readings belong to; returns false when the run is not part of this read. */
  run(runId: number): boolean;
}

export async function readLot(conn: StoreConnection, lot: string): Promise<LotData> {
  if (conn.backend === 'sqlite') {
    const sqlite = conn.sqlite;
    // A deferred read transaction: one snapshot for runs and readings, and Kysely's connection lock
    // keeps this store's own writes out meanwhile. One primary-key lookup per run.
    return conn.db.transaction().execute(async (trx) =>
      assemble(trx, lot, async (runBatches, sink) => {
        const readingsOfRun = sqlite.prepare('select reading_count, readings from run_readings where run_id = ?').raw(true);
        for (const batch of runBatches) {
          for (const runId of batch) {
            if (!sink.run(runId)) continue;
            const row = readingsOfRun.get(runId) as [number, Buffer] | undefined;
            if (row) unpackRunReadings(row[1], row[0], runId, sink);
          }
        }
      }),
    );
  }
  const pool = conn.pool;
  return assemble(conn.db, lot, async (runBatches, sink) => {
    for (const ids of runBatches) {
      // pg hands bytea over as a Buffer: the doubles arrive bit-exact, with no text parsing.
      const compiled = sql`select run_id, reading_count, readings from run_readings where run_id = any(${ids}::int4[])`.compile(conn.db);
      const result = await pool.query<[number, number, Buffer]>({
        text: compiled.sql,
        values: compiled.parameters as unknown[],
        rowMode: 'array',
      });
      for (const [runId, count, readings] of result.rows) {
        if (sink.run(runId)) unpackRunReadings(readings, count, runId, sink);
      }
    }
  });
}

type Streamer = (runBatches: number[][], sink: ColumnSink) => Promise<void>;

async function assemble(db: Kysely<StoreDatabase>, lot: string, stream: Streamer): Promise<LotData> {
  const lotRow = await db.selectFrom('lots').select(['id', 'product_id']).where('lot', '=', lot).executeTakeFirst();
  if (!lotRow) throw new LotNotFoundError(lot);
  const runRows = await db
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
  if (runRows.length === 0) throw new LotNotFoundError(lot);

  const testTimes = runRows.map((r) => instantFromDb(r.test_time));
  const { order, attempt } = deriveAttempts(
    runRows.map((r, i) => ({ serial: r.serial, testTimeMs: Date.parse(testTimes[i]!), fileId: r.file_id, runOrder: r.run_order })),
  );
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
  for (const r of runRows) {
    quarantineByFile.set(r.sha256, r.quarantine_count);
    capacity += r.measurement_count;
    if (batchRows + r.measurement_count > PG_BATCH_ROWS && batches.at(-1)!.length > 0) {
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
  let n = 0;
  let position = -1;
  await stream(batches, {
    run(runId) {
      position = positionOfRun.get(runId) ?? -1;
      return position >= 0;
    },
    reading(parameterId, cornerId, laneNumber, censor, v) {
      if (n === capacity)
        throw new Error(`Lot ${lot}: more measurements stored than the runs' counts say (${capacity}); the store is inconsistent.`);
      runIndex[n] = position;
      parameterIndex[n] = parameterId;
      cornerIndex[n] = cornerId;
      lane[n] = laneNumber;
      value[n] = v;
      censoring[n] = censor;
      n++;
    },
  });

  const parameters = await localDictionary(db, 'parameters', parameterIndex, n);
  const corners = await localDictionary(db, 'corners', cornerIndex, n);
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
  };
}

/**
 * Rewrites stored dictionary ids in `index[0..n)` (in place) into positions of a lot-local dictionary
 * holding only the names the lot uses, sorted, and returns that dictionary.
 */
async function localDictionary(
  db: Kysely<StoreDatabase>,
  table: 'parameters' | 'corners',
  index: Uint16Array,
  n: number,
): Promise<string[]> {
  const used = new Uint8Array(65_536);
  for (let i = 0; i < n; i++) used[index[i]!] = 1;
  const ids: number[] = [];
  used.forEach((flag, id) => {
    if (flag) ids.push(id);
  });
  if (ids.length === 0) return [];
  const rows = await db.selectFrom(table).select(['id', 'name']).where('id', 'in', ids).execute();
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const remap = new Uint16Array(65_536);
  rows.forEach((r, i) => {
    remap[r.id] = i;
  });
  for (let i = 0; i < n; i++) index[i] = remap[index[i]!]!;
  return rows.map((r) => r.name);
}
