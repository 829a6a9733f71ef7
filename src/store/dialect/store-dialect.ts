/**
 * @module The dialect seam of the store: everything SQLite and PostgreSQL do differently, in one
 * interface chosen when the store opens (`openStoreDialect`). The record modules (`src/store/records/`)
 * and the read model (`src/queries/`) are written once against it and never ask which database they
 * run on.
 *
 * What differs, and so lives here: the connection and its value types (booleans, JSON, int8), the
 * write transaction (SQLite serialises the stores of one process on one file), savepoints, the bulk
 * write of a file's runs and packed readings, the read of packed readings, unique-violation codes,
 * the migration lock, and the column types and triggers the migrations create.
 */
import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely, RawBuilder, Transaction } from 'kysely';
import type { StoreDatabase, FilesTable, RunsTable } from '../database-schema.js';
import type { Insertable } from 'kysely';
import type { StoreBackend } from '../store-config.js';

export type StoreDb = Kysely<StoreDatabase>;
export type StoreTrx = Transaction<StoreDatabase>;

/** A `files` row as the store inserts it. */
export type FileRow = Insertable<FilesTable>;

/** A `runs` row as the store inserts it. */
export type RunRow = Omit<Insertable<RunsTable>, 'id'> & {
  readonly file_id: number;
  readonly run_order: number;
};

/** A stored run's id, with the natural key it was inserted under. */
export interface RunId {
  readonly id: number;
  readonly file_id: number;
  readonly run_order: number;
}

/** A `run_readings` row: one run's readings, packed (run-readings.ts). */
export interface RunReadingsRow {
  readonly run_id: number;
  readonly reading_count: number;
  readonly readings: Buffer;
}

/** Receives one stored run's packed readings. */
export type RunReadingsVisitor = (runId: number, count: number, readings: Uint8Array) => void;

/**
 * Reads the packed readings of the given runs (any number; the caller sizes the batches) and hands
 * each to `visit`. Runs without readings are skipped.
 */
export type RunReadingsReader = (runIds: readonly number[], visit: RunReadingsVisitor) => Promise<void>;

export type SavepointVerb = 'savepoint' | 'rollback to savepoint' | 'release savepoint';

/** A boolean as its column stores it. */
export type StoredBoolean = boolean | number;

/**
 * The one seam between the store and its database. One instance per open store; it owns the
 * connection (`close()`).
 */
export interface StoreDialect {
  readonly backend: StoreBackend;
  /** The Kysely instance every record module shares. */
  readonly db: StoreDb;
  /** Where the data lives: the SQLite file, or the PostgreSQL URL (password hidden) and schema. */
  readonly location: string;

  // ------------------------------------------------------------------ values

  /** Bind variables one statement may carry (SQLite 32766, PostgreSQL 65535). */
  readonly maxParameters: number;
  /** How a boolean column stores true and false. */
  readonly storedTrue: StoredBoolean;
  readonly storedFalse: StoredBoolean;
  /** A JSON column read back as the parsed value (PostgreSQL parses jsonb itself; SQLite hands back text). */
  jsonFromDb(value: unknown): unknown;
  /** True when `err` is a unique or primary-key violation. */
  isUniqueViolation(err: unknown): boolean;
  /** A connection failure a person can act on (what to check), or `err` unchanged. */
  describeConnectionError(err: unknown): unknown;

  // ------------------------------------------------------------------ transactions and locks

  /** A write transaction; on SQLite serialised with the other stores of this process on the same file. */
  writeTransaction<T>(fn: (trx: StoreTrx) => Promise<T>): Promise<T>;
  /** One savepoint statement (named for the file being written) inside an open write transaction. */
  savepoint(trx: StoreTrx, verb: SavepointVerb): Promise<void>;
  /**
   * Runs `fn` (the migrations) while holding the store's migration lock, so that processes starting
   * together on a fresh store take turns: the first migrates, the others wait and find it current.
   */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T>;
  /** Before the migrations: creates what they need (the PostgreSQL schema). */
  prepareSchema(): Promise<void>;
  /** After the migrations named in `applied` ran (SQLite gives freed pages back after 0003). */
  afterMigrations(applied: readonly string[]): Promise<void>;
  /** The schema Kysely keeps its migration tables in, when not the default. */
  readonly migrationTableSchema: string | undefined;
  /** Column types, triggers and transactions of the migrations. */
  readonly migration: MigrationDialect;

  // ------------------------------------------------------------------ files, runs and readings

  /**
   * True when a batch of files from independent producers is best written with one statement per
   * table for the whole batch (PostgreSQL: every statement is a round trip), false when file by file in
   * savepoints costs nothing extra (SQLite, in process).
   */
  readonly writesFileBatchesInBulk: boolean;
  /** Inserts one file row; its id, or undefined when a file with the same SHA-256 is stored already. */
  insertFile(trx: StoreTrx, row: FileRow): Promise<number | undefined>;
  /** Inserts runs (of one or several files) and returns their ids. */
  insertRuns(trx: StoreTrx, runs: readonly RunRow[]): Promise<RunId[]>;
  /** Inserts packed run readings. */
  insertRunReadings(trx: StoreTrx, rows: readonly RunReadingsRow[]): Promise<void>;
  /**
   * Runs `fn` over one consistent view of the store for a large read: the runs it selects with `db`
   * and the readings `readings` returns agree (SQLite: one read transaction; PostgreSQL: runs are
   * never removed, so readings of the runs read first are complete).
   */
  readSnapshot<T>(fn: (db: StoreDb, readings: RunReadingsReader) => Promise<T>): Promise<T>;

  /** Releases the connection(s). */
  close(): Promise<void>;
}

/** What the migrations need to know about the database they create tables in. */
export interface MigrationDialect {
  readonly types: {
    readonly timestamp: 'timestamptz' | 'text';
    readonly json: 'jsonb' | 'text';
    readonly boolean: 'boolean' | 'integer';
    readonly bytes: 'bytea' | 'blob';
  };
  /** The literal `true` in a boolean column (partial indexes). */
  readonly trueLiteral: RawBuilder<unknown>;
  /** An integer surrogate key: an identity column (PostgreSQL) or the rowid alias (SQLite). */
  idColumn(this: void, col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** A table stored in primary-key order (SQLite `WITHOUT ROWID`; PostgreSQL heap tables as they are). */
  clusteredByPrimaryKey<T extends string, C extends string>(this: void, table: CreateTableBuilder<T, C>): CreateTableBuilder<T, C>;
  /** Makes `table` append-only: any UPDATE or DELETE (and TRUNCATE) aborts with a message naming `what`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely hands migrations a Kysely<any> (Migration.up): the schema is the one being changed
  forbidChanges(db: Kysely<any>, table: string, what: string): Promise<void>;
  /** Undoes {@link forbidChanges} (a migration that must fill a new column of an append-only table, then forbids again). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely hands migrations a Kysely<any> (Migration.up): the schema is the one being changed
  allowChanges(db: Kysely<any>, table: string): Promise<void>;
  /** Keeps a bytes column uncompressed out of line (PostgreSQL `storage external`); no-op on SQLite. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely hands migrations a Kysely<any> (Migration.up): the schema is the one being changed
  storeUncompressed(db: Kysely<any>, table: string, column: string): Promise<void>;
  /**
   * Runs a data-moving migration all or nothing. PostgreSQL migrations already run in a transaction;
   * SQLite ones run inside the migration lock's write transaction (see `withMigrationLock`).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely hands migrations a Kysely<any> (Migration.up): the schema is the one being changed
  allOrNothing(db: Kysely<any>, fn: () => Promise<void>): Promise<void>;
  /** A number inside a JSON column, as SQL: `column` → `path` (e.g. ['yields', 'final']). */
  jsonNumber(column: string, path: readonly string[]): RawBuilder<number | null>;
  /** A string inside a JSON column, as SQL. */
  jsonText(column: string, path: readonly string[]): RawBuilder<string | null>;
  /** The length of an array inside a JSON column, as SQL. */
  jsonArrayLength(column: string, path: readonly string[]): RawBuilder<number | null>;
}

/** Splits `items` into chunks that keep `columns × rows` under a statement's bind-variable limit. */
export function chunks<T>(items: readonly T[], columns: number, maxParameters: number): T[][] {
  const size = Math.max(1, Math.floor(maxParameters / columns));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
