/**
 * @module Reads one lot into the columnar LotData. A 10,000-unit lot is ~3 million measurements, so
 * rows are streamed straight into preallocated typed arrays (sized from the runs' stored measurement
 * counts) without building an object per row:
 * - SQLite: Kysely-compiled per-run queries (keys, values), prepared once, fetched with better-sqlite3
 *   `.pluck().all()` inside a read transaction (one snapshot for runs and measurements);
 * - PostgreSQL: keyset batches by run id (`run_id = any($1)`, ~250k measurements each), one row per
 *   run carrying its measurements as a binary bytea (no per-value text parsing).
 * Both read the key columns packed into one integer (see PACKED_SQL).
 * Runs are re-read first, and measurements of runs not in that list (committed meanwhile) are skipped,
 * so the result is always self-consistent.
 */
import { sql } from 'kysely';
import type { LotData, LotRun } from '../domain/lot-data.js';
import { deriveAttempts } from './attempts.js';
import type { StoreConnection } from './store-connection.js';
import { LotNotFoundError } from './store-errors.js';
import { instantFromDb } from './stored-values.js';
import type { Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema.js';

/** Rows per batch (PostgreSQL round trip): large enough to amortise round trips, small enough to bound memory. */
const PG_BATCH_ROWS = 250_000;

/**
 * (parameter id, corner id, lane, censoring) packed into one integer by the database, so each row
 * crosses into JavaScript as two numbers instead of five — the read is bound by per-value cost.
 * 16 + 16 + 16 + 2 bits = 50 bits, exact in a double. Ids and lane + 1 stay below 65536.
 */
const PACKED_SQL = '((parameter_id * 65536 + corner_id) * 65536 + (lane + 1)) * 4 + censoring';

interface ColumnSink {
  /** Sets the run the following rows belong to; returns false when the run is not part of this read. */
  run(runId: number): boolean;
  push(packed: number, value: number): void;
}

export async function readLot(conn: StoreConnection, lot: string): Promise<LotData> {
  if (conn.backend === 'sqlite') {
    const sqlite = conn.sqlite;
    // A deferred read transaction: one snapshot for runs and measurements, and Kysely's connection
    // lock keeps this store's own writes out meanwhile. Primary-key range reads per run (the table is
    // clustered by run), each fetched whole with `.all()`: measured fastest (bench/store-bench.ts).
    return conn.db.transaction().execute(async (trx) =>
      assemble(trx, lot, async (runBatches, sink) => {
        // Keys and values as two plucked columns in primary-key order: no array per row (measured
        // ~20 % faster than one two-column raw read, and far less garbage).
        const inKeyOrder = <Q extends { orderBy: (c: 'parameter_id' | 'corner_id' | 'lane') => Q }>(q: Q) =>
          q.orderBy('parameter_id').orderBy('corner_id').orderBy('lane');
        const ofRun = trx.selectFrom('measurements').where('run_id', '=', 0);
        const keysSql = inKeyOrder(ofRun.select(sql.raw<number>(PACKED_SQL).as('packed'))).compile().sql;
        const valuesSql = inKeyOrder(ofRun.select('value')).compile().sql;
        const keysOfRun = sqlite.prepare(keysSql).pluck(true);
        const valuesOfRun = sqlite.prepare(valuesSql).pluck(true);
        for (const batch of runBatches) {
          for (const runId of batch) {
            if (!sink.run(runId)) continue;
            const keys = keysOfRun.all(runId) as number[];
            const values = valuesOfRun.all(runId) as number[];
            for (let i = 0; i < keys.length; i++) sink.push(keys[i]!, values[i]!);
          }
        }
      }),
    );
  }
  const pool = conn.pool;
  return assemble(conn.db, lot, async (runBatches, sink) => {
    for (const ids of runBatches) {
      // One row per run: its measurements as one bytea of 16-byte records (int4 keys-high, int4
      // keys-low, float8 value; network byte order). One aggregate, so keys and values cannot
      // misalign; pg hands bytea over as a Buffer, and doubles arrive bit-exact with no text parsing.
      const compiled = sql`select run_id, string_agg(int4send(parameter_id * 65536 + corner_id) || int4send((lane + 1) * 4 + censoring)
          || float8send(value), ''::bytea) as packed
        from measurements where run_id = any(${ids}::int4[]) group by run_id`.compile(conn.db);
      const result = await pool.query<[number, Buffer]>({ text: compiled.sql, values: compiled.parameters as unknown[], rowMode: 'array' });
      for (const [runId, buf] of result.rows) {
        if (!sink.run(runId)) continue;
        for (let o = 0; o < buf.length; o += 16) {
          // Same packing as PACKED_SQL: high × 2^18 + low.
          sink.push(buf.readInt32BE(o) * 262_144 + buf.readInt32BE(o + 4), buf.readDoubleBE(o + 8));
        }
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
    push(packed, v) {
      if (n === capacity)
        throw new Error(`Lot ${lot}: more measurements stored than the runs' counts say (${capacity}); the store is inconsistent.`);
      const censor = packed % 4;
      let rest = (packed - censor) / 4;
      const lanePlusOne = rest % 65536;
      rest = (rest - lanePlusOne) / 65536;
      const corner = rest % 65536;
      runIndex[n] = position;
      parameterIndex[n] = (rest - corner) / 65536;
      cornerIndex[n] = corner;
      lane[n] = lanePlusOne - 1;
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
