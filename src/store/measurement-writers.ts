/**
 * @module Bulk insert of a file's measurements inside its transaction. Three ways, all measured in
 * bench/store-bench.ts; `chooseMeasurementWriter` picks the fastest per backend:
 * - `values`: Kysely multi-row VALUES, chunked under the bind-variable limit (SQLite 32766, PG 65535);
 * - `sqlite-native`: cached better-sqlite3 prepared statements (up to 256 rows each, in primary-key
 *   order), run on the connection that holds the open transaction (SQLite's hot path: no SQL built per file);
 * - `pg-unnest`: seven typed arrays, `INSERT … SELECT * FROM unnest(…)` (PG: 7 parameters whatever the
 *   row count, one parse, no parameter limit).
 */
import { sql, type Transaction } from 'kysely';
import type Database from 'better-sqlite3';
import type { StoreDatabase } from './database-schema.js';

/** A file's measurements, resolved to stored ids, column by column. */
export interface MeasurementColumns {
  readonly length: number;
  readonly runId: Int32Array;
  readonly parameterId: Int32Array;
  readonly cornerId: Int32Array;
  readonly lane: Int16Array;
  readonly value: Float64Array;
  readonly censoring: Uint8Array;
  readonly line: Int32Array;
}

export type MeasurementWriterKind = 'values' | 'sqlite-native' | 'pg-unnest';

export type MeasurementWriter = (trx: Transaction<StoreDatabase>, rows: MeasurementColumns) => Promise<void>;

const COLUMNS = 7;

/** Kysely multi-row VALUES, at most `maxParameters / 7` rows per statement. */
export function valuesWriter(maxParameters: number): MeasurementWriter {
  const rowsPerStatement = Math.floor(maxParameters / COLUMNS);
  return async function insertMeasurementValues(trx, rows) {
    for (let start = 0; start < rows.length; start += rowsPerStatement) {
      const end = Math.min(rows.length, start + rowsPerStatement);
      const values = new Array<StoreDatabase['measurements']>(end - start);
      for (let i = start; i < end; i++) {
        values[i - start] = {
          run_id: rows.runId[i]!,
          parameter_id: rows.parameterId[i]!,
          corner_id: rows.cornerId[i]!,
          lane: rows.lane[i]!,
          value: rows.value[i]!,
          censoring: rows.censoring[i]!,
          line: rows.line[i]!,
        };
      }
      await trx.insertInto('measurements').values(values).execute();
    }
  };
}

/** Most rows per prepared statement on the SQLite fast path (1,792 bind variables). */
const SQLITE_MAX_ROWS_PER_STATEMENT = 256;

/**
 * better-sqlite3 prepared statements, one per row count up to 256 (prepared on first use and kept), so
 * a typical file (≈ 200 readings) is one statement. Rows go in primary-key order (run, parameter,
 * corner, lane): the WITHOUT ROWID b-tree then appends instead of inserting between keys, ≈ 20 % less
 * CPU than the parser's row order (tmp micro-bench, 2 M rows). Only valid inside a Kysely transaction on
 * the same Database object: Kysely's SQLite driver then holds the single connection, so these rows
 * join that transaction (and roll back with it).
 */
export function sqliteNativeWriter(sqlite: Database.Database): MeasurementWriter {
  const head = 'insert into measurements (run_id, parameter_id, corner_id, lane, value, censoring, line) values ';
  const tuple = '(?, ?, ?, ?, ?, ?, ?)';
  const statements = new Map<number, Database.Statement>();
  const statementFor = (rowCount: number): Database.Statement => {
    let statement = statements.get(rowCount);
    if (statement === undefined) {
      // Prepared on first use: the table exists only after migrate().
      statement = sqlite.prepare(head + Array.from({ length: rowCount }, () => tuple).join(', '));
      statements.set(rowCount, statement);
    }
    return statement;
  };
  const argBuffers = new Map<number, number[]>();
  return async function insertMeasurementsNative(_trx, rows) {
    const order = primaryKeyOrder(rows);
    for (let start = 0; start < rows.length; start += SQLITE_MAX_ROWS_PER_STATEMENT) {
      const count = Math.min(SQLITE_MAX_ROWS_PER_STATEMENT, rows.length - start);
      let args = argBuffers.get(count);
      if (args === undefined) argBuffers.set(count, (args = new Array<number>(count * COLUMNS)));
      for (let r = 0, k = 0; r < count; r++) {
        const j = order[start + r]!;
        args[k++] = rows.runId[j]!;
        args[k++] = rows.parameterId[j]!;
        args[k++] = rows.cornerId[j]!;
        args[k++] = rows.lane[j]!;
        args[k++] = rows.value[j]!;
        args[k++] = rows.censoring[j]!;
        args[k++] = rows.line[j]!;
      }
      statementFor(count).run(args);
    }
  };
}

/** Row indices in primary-key order (run, parameter, corner, lane); the identity when already sorted. */
function primaryKeyOrder(rows: MeasurementColumns): Uint32Array {
  const n = rows.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const { runId, parameterId, cornerId, lane } = rows;
  const compare = (a: number, b: number): number =>
    runId[a]! - runId[b]! || parameterId[a]! - parameterId[b]! || cornerId[a]! - cornerId[b]! || lane[a]! - lane[b]!;
  for (let i = 1; i < n; i++) {
    if (compare(i - 1, i) > 0) {
      order.sort(compare);
      break;
    }
  }
  return order;
}

/** PostgreSQL `unnest` of typed arrays, in chunks to bound the message size. */
export function pgUnnestWriter(rowsPerStatement = 100_000): MeasurementWriter {
  return async function insertMeasurementsUnnest(trx, rows) {
    for (let start = 0; start < rows.length; start += rowsPerStatement) {
      const end = Math.min(rows.length, start + rowsPerStatement);
      // Array literals built by the typed arrays' native join ('{1,2,3}'): pg's per-element escaping
      // was the largest client cost. Doubles print as the shortest exact round-trip decimal.
      const part = <T extends { subarray(a: number, b: number): { join(sep: string): string } }>(a: T) =>
        `{${a.subarray(start, end).join(',')}}`;
      await sql`insert into measurements (run_id, parameter_id, corner_id, lane, value, censoring, line)
        select * from unnest(${part(rows.runId)}::int4[], ${part(rows.parameterId)}::int2[], ${part(rows.cornerId)}::int2[],
          ${part(rows.lane)}::int2[], ${part(rows.value)}::float8[], ${part(rows.censoring)}::int2[], ${part(rows.line)}::int4[])`.execute(
        trx,
      );
    }
  };
}

/** Bind-variable limits: SQLite (since 3.32) 32766 per statement, PostgreSQL 65535 per message. */
export const MAX_PARAMETERS = { sqlite: 32_766, postgres: 65_535 } as const;
