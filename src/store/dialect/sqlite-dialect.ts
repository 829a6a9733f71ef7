/**
 * @module The store on SQLite (better-sqlite3, WAL): one connection in process. The per-file inserts
 * of files, runs and packed readings are cached native statements (building and preparing them
 * through Kysely for every file was about 2 s of a 10,000-file ingest); they run on the connection
 * Kysely holds for the open transaction.
 */
import Database from 'better-sqlite3';
import type { Statement as SqliteStatement } from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type ColumnDefinitionBuilder, type CreateTableBuilder } from 'kysely';
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { StoreDatabase } from '../database-schema.js';
import { withSqliteWriteLock } from '../sqlite-write-lock.js';
import type {
  FileRow,
  MigrationDialect,
  RunId,
  RunReadingsReader,
  RunReadingsRow,
  RunRow,
  SavepointVerb,
  StoreDb,
  StoreDialect,
  StoreTrx,
} from './store-dialect.js';

/** How long a process waits for another one's migration (a large 0003 copy took 7 s per 3 M readings). */
const MIGRATION_WAIT_MS = 10 * 60 * 1000;
/** Address space mapped for a large read (readSnapshot): beyond it SQLite reads pages as usual. */
const READ_MMAP_BYTES = 1 << 30;
/** How long a write waits for another process's write transaction. */
const BUSY_TIMEOUT_MS = 10_000;

const sqliteMigrations: MigrationDialect = {
  types: { timestamp: 'text', json: 'text', boolean: 'integer', bytes: 'blob' },
  trueLiteral: sql.lit(1),
  idColumn: (col: ColumnDefinitionBuilder) => col.primaryKey(),
  clusteredByPrimaryKey: <T extends string, C extends string>(table: CreateTableBuilder<T, C>) => table.modifyEnd(sql`without rowid`),
  async forbidChanges(db, table, what) {
    const message = `${what} are immutable: UPDATE and DELETE are refused. Record a new row instead.`;
    for (const op of ['update', 'delete'] as const) {
      await sql`create trigger ${sql.id(`${table}_no_${op}`)} before ${sql.raw(op)} on ${sql.table(table)}
        begin select raise(abort, ${sql.lit(message)}); end`.execute(db);
    }
  },
  async allowChanges(db, table) {
    for (const op of ['update', 'delete'] as const) await sql`drop trigger if exists ${sql.id(`${table}_no_${op}`)}`.execute(db);
  },
  async storeUncompressed() {
    // SQLite stores blobs as they are.
  },
  async allOrNothing(_db, fn) {
    // Every SQLite migration runs inside the migration lock's `begin immediate` transaction.
    await fn();
  },
  jsonNumber: (column, path) => sql<number | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${path.join('.')}`)})`,
  jsonText: (column, path) => sql<string | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${path.join('.')}`)})`,
  jsonArrayLength: (column, path) => sql<number | null>`json_array_length(${sql.ref(column)}, ${sql.lit(`$.${path.join('.')}`)})`,
};

export class SqliteStoreDialect implements StoreDialect {
  readonly backend = 'sqlite' as const;
  readonly db: StoreDb;
  readonly location: string;
  readonly maxParameters = 32_766;
  readonly storedTrue = 1;
  readonly storedFalse = 0;
  readonly migrationTableSchema = undefined;
  readonly migration = sqliteMigrations;
  readonly writesFileBatchesInBulk = false;

  readonly #sqlite: Database.Database;
  /** Same for every store on the same file in this process. */
  readonly #lockKey: string;
  readonly #savepoints = new Map<SavepointVerb, SqliteStatement>();
  #insertFile: SqliteStatement | undefined;
  #insertRun: SqliteStatement | undefined;
  #insertReadings: SqliteStatement | undefined;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new Database(path);
    // First: every pragma below may need a lock that another process starting at the same time holds.
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    sqlite.pragma('journal_mode = WAL');
    // NORMAL in WAL mode never corrupts the database; a power cut may lose the last commits, which
    // re-ingesting recovers (files are idempotent by SHA-256). Measured in bench/store-bench.ts.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    this.#sqlite = sqlite;
    this.#lockKey = path === ':memory:' ? `memory:${randomUUID()}` : realpathSync(path);
    this.location = path;
    this.db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  }

  jsonFromDb(value: unknown): unknown {
    return JSON.parse(String(value));
  }

  isUniqueViolation(err: unknown): boolean {
    const code = (err as { code?: unknown } | null)?.code;
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  }

  describeConnectionError(err: unknown): unknown {
    return err;
  }

  async writeTransaction<T>(fn: (trx: StoreTrx) => Promise<T>): Promise<T> {
    return withSqliteWriteLock(this.#lockKey, () => this.db.transaction().execute(fn));
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the dialect contract is async (PostgreSQL awaits); better-sqlite3 is synchronous, and async keeps a throw a rejection
  async savepoint(_trx: StoreTrx, verb: SavepointVerb): Promise<void> {
    let statement = this.#savepoints.get(verb);
    if (statement === undefined) this.#savepoints.set(verb, (statement = this.#sqlite.prepare(`${verb} lotqa_file`)));
    statement.run();
  }

  /**
   * The whole migration runs in one `begin immediate` transaction (SQLite's DDL is transactional): a
   * second process blocks at `begin immediate` until the first commits, then finds nothing to do; a
   * migration that fails leaves the schema as it was. In process, stores on the same file take turns.
   */
  async withMigrationLock<T>(fn: () => Promise<T>): Promise<T> {
    return withSqliteWriteLock(this.#lockKey, async () => {
      this.#sqlite.pragma(`busy_timeout = ${MIGRATION_WAIT_MS}`);
      try {
        await sql`begin immediate`.execute(this.db);
      } finally {
        this.#sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
      let result: T;
      try {
        result = await fn();
      } catch (err) {
        if (this.#sqlite.inTransaction) await sql`rollback`.execute(this.db);
        throw err;
      }
      await sql`commit`.execute(this.db);
      return result;
    });
  }

  async prepareSchema(): Promise<void> {
    // The file is the schema.
  }

  async afterMigrations(applied: readonly string[]): Promise<void> {
    // 0003 replaced the reading rows by a third of their size: give the space back to the file system
    // (SQLite keeps freed pages; PostgreSQL's DROP TABLE already released them).
    if (applied.includes('0003-packed-run-readings')) await sql`vacuum`.execute(this.db);
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the dialect contract is async (PostgreSQL awaits); better-sqlite3 is synchronous, and async keeps a throw a rejection
  async insertFile(_trx: StoreTrx, row: FileRow): Promise<number | undefined> {
    // Prepared on first use: the tables exist only after migrate(). Positional parameters, and the new id
    // read from the statement's own result rather than RETURNING (SQLite buffers RETURNING rows): binding
    // twelve named properties and building a result object per file cost ~10 µs a file.
    this.#insertFile ??= this.#sqlite.prepare(
      `insert into files (sha256, path, name, bytes, profile_id, product_id, profile_choice, data_rows, run_count,
        measurement_count, quarantine_count, stored_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        on conflict (sha256) do nothing`,
    );
    const info = this.#insertFile.run(
      row.sha256,
      row.path,
      row.name,
      row.bytes,
      row.profile_id,
      row.product_id,
      row.profile_choice,
      row.data_rows,
      row.run_count,
      row.measurement_count,
      row.quarantine_count,
      row.stored_at,
    );
    // No change: the sha256 was stored already (a duplicate); the table has no triggers on insert.
    return info.changes === 0 ? undefined : Number(info.lastInsertRowid);
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the dialect contract is async (PostgreSQL awaits); better-sqlite3 is synchronous, and async keeps a throw a rejection
  async insertRuns(_trx: StoreTrx, runs: readonly RunRow[]): Promise<RunId[]> {
    this.#insertRun ??= this.#sqlite.prepare(
      `insert into runs (file_id, lot_id, run_order, serial, station, test_time, declared_attempt, operator, measurement_count)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insert = this.#insertRun;
    return runs.map((run) => {
      const info = insert.run(
        run.file_id,
        run.lot_id,
        run.run_order,
        run.serial,
        run.station,
        run.test_time,
        run.declared_attempt ?? null,
        run.operator ?? null,
        run.measurement_count,
      );
      return { id: Number(info.lastInsertRowid), file_id: run.file_id, run_order: run.run_order };
    });
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the dialect contract is async (PostgreSQL awaits); better-sqlite3 is synchronous, and async keeps a throw a rejection
  async insertRunReadings(_trx: StoreTrx, rows: readonly RunReadingsRow[]): Promise<void> {
    this.#insertReadings ??= this.#sqlite.prepare('insert into run_readings (run_id, reading_count, readings) values (?, ?, ?)');
    for (const row of rows) this.#insertReadings.run(row.run_id, row.reading_count, row.readings);
  }

  /**
   * A deferred read transaction: one snapshot for runs and readings, and Kysely's connection lock keeps
   * this store's own writes out meanwhile. One primary-key lookup per run. The file is memory-mapped for
   * the read (SQLite then reads pages in place instead of a pread system call per page: ~11,000 overflow
   * pages on a 10,000-unit lot) and unmapped after it, so writes on this connection stay as they were.
   */
  async readSnapshot<T>(fn: (db: StoreDb, readings: RunReadingsReader) => Promise<T>): Promise<T> {
    const sqlite = this.#sqlite;
    return this.db.transaction().execute(async (trx) => {
      const readingsOfRun = sqlite.prepare('select reading_count, readings from run_readings where run_id = ?').raw(true);
      sqlite.pragma(`mmap_size = ${READ_MMAP_BYTES}`);
      try {
        // eslint-disable-next-line @typescript-eslint/require-await -- the dialect contract is async (PostgreSQL awaits); better-sqlite3 is synchronous, and async keeps a throw a rejection
        return await fn(trx, async (runIds, visit) => {
          for (const runId of runIds) {
            const row = readingsOfRun.get(runId) as [number, Buffer] | undefined;
            if (row) visit(runId, row[0], row[1]);
          }
        });
      } finally {
        sqlite.pragma('mmap_size = 0');
      }
    });
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
