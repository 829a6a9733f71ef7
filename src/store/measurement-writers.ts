/**
 * @module Bulk insert of a file's measurements inside its transaction. Three ways, all measured in
 * bench/store-bench.ts; `chooseMeasurementWriter` picks the fastest per backend:
 * - `values`: Kysely multi-row VALUES, chunked under the bind-variable limit (SQLite 32766, PG 65535);
 * - `sqlite-native`: cached better-sqlite3 prepared statements (64 rows each, then single rows), run
 *   on the connection that holds the open transaction (SQLite's hot path: no SQL built per file);
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

/** Rows per multi-row prepared statement on the SQLite fast path (448 bind variables). */
const SQLITE_ROWS_PER_STATEMENT = 64;

/**
 * better-sqlite3 prepared statements: a cached 64-row INSERT for full chunks, a single-row one for the
 * rest. Only valid inside a Kysely transaction on the same Database object: Kysely's SQLite driver
 * then holds the single connection, so these rows join that transaction (and roll back with it).
 */
export function sqliteNativeWriter(sqlite: Database.Database): MeasurementWriter {
  const head = 'insert into measurements (run_id, parameter_id, corner_id, lane, value, censoring, line) values ';
  const tuple = '(?, ?, ?, ?, ?, ?, ?)';
  // Prepared on first use: the table exists only after migrate().
  let single: Database.Statement | undefined;
  let chunk: Database.Statement | undefined;
  const args = new Array<number>(SQLITE_ROWS_PER_STATEMENT * COLUMNS);
  return async function insertMeasurementsNative(_trx, rows) {
    single ??= sqlite.prepare(head + tuple);
    chunk ??= sqlite.prepare(head + Array.from({ length: SQLITE_ROWS_PER_STATEMENT }, () => tuple).join(', '));
    let i = 0;
    for (; i + SQLITE_ROWS_PER_STATEMENT <= rows.length; i += SQLITE_ROWS_PER_STATEMENT) {
      for (let r = 0, k = 0; r < SQLITE_ROWS_PER_STATEMENT; r++) {
        const j = i + r;
        args[k++] = rows.runId[j]!;
        args[k++] = rows.parameterId[j]!;
        args[k++] = rows.cornerId[j]!;
        args[k++] = rows.lane[j]!;
        args[k++] = rows.value[j]!;
        args[k++] = rows.censoring[j]!;
        args[k++] = rows.line[j]!;
      }
      chunk.run(args);
    }
    for (; i < rows.length; i++) {
      single.run(rows.runId[i]!, rows.parameterId[i]!, rows.cornerId[i]!, rows.lane[i]!, rows.value[i]!, rows.censoring[i]!, rows.line[i]!);
    }
  };
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
