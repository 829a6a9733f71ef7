/**
 * @module The Store implemented once on Kysely, for SQLite and PostgreSQL alike. Dialect differences
 * are confined to: column types (migrations.ts), booleans/JSON/instants (stored-values.ts), how packed
 * run readings (run-readings.ts) are written (#writeReadings) and the columnar read (lot-reader.ts).
 */
import { lotContentHash } from '../domain/lot-content.js';
import { Migrator, sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DecisionRecord } from '../domain/decision.js';
import type { LotData } from '../domain/lot-data.js';
import type { ParsedFile, QuarantineReason, RejectedFile, FileRejectionReason } from '../domain/measurement.js';
import type { StoreDatabase } from './database-schema.js';
import { readLot } from './lot-reader.js';
import { packRunReadings } from './run-readings.js';
import { storeMigrationProvider } from './migrations.js';
import type { Database as SqliteDatabase, Statement as SqliteStatement } from 'better-sqlite3';
import type {
  AuditEvent,
  BatchFileOutcome,
  AuditInput,
  BaselineInput,
  BaselineRecord,
  CertificateInput,
  CertificateRecord,
  DecisionStage,
  EvaluationHead,
  EvaluationInput,
  EvaluationRecord,
  LotSummary,
  MigrationReport,
  QuarantineQuery,
  QuarantineRecord,
  RecordFileResult,
  RecordRejectedResult,
  SamplingStateRecord,
  Store,
  StoredDecision,
  StoredFile,
  StoredRejectedFile,
} from './store.js';
import type { StoreConnection } from './store-connection.js';
import type { StoreBackend } from './store-config.js';
import {
  DecisionConflictError,
  FileStoreError,
  LotNotFoundError,
  LotProductConflictError,
  RecordConflictError,
  RecordNotFoundError,
  StoreConfigError,
  StoreInputError,
} from './store-errors.js';
import { withSqliteWriteLock } from './sqlite-write-lock.js';
import { censorCode, instantFromDb, jsonFromDb, jsonToDb, normaliseSha256, nowInstant, toStoredInstant } from './stored-values.js';

type Db = Kysely<StoreDatabase>;
type Trx = Transaction<StoreDatabase>;

/** True when `err` is a unique/primary-key violation on either backend. */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Splits `items` into chunks that keep `columns × rows` under the backend's bind-variable limit. */
function chunks<T>(items: readonly T[], columns: number, backend: StoreBackend): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS[backend] / columns));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface LotRef {
  readonly id: number;
  readonly productId: string;
}

/** A ParsedFile checked and converted before any SQL runs, so bad input never opens a transaction. */
interface PreparedFile {
  readonly file: ParsedFile;
  readonly sha256: string;
  readonly runTimes: readonly string[];
  readonly runCounts: Int32Array;
  readonly lots: readonly string[];
  readonly parameters: readonly string[];
  readonly corners: readonly string[];
}

/** Bind-variable limits: SQLite (since 3.32) 32766 per statement, PostgreSQL 65535 per message. */
const MAX_PARAMETERS = { sqlite: 32_766, postgres: 65_535 } as const;

/** A `run_readings` row: one run's readings, packed. */
interface RunReadingsRow {
  readonly run_id: number;
  readonly reading_count: number;
  readonly readings: Buffer;
}

/** Dictionary and lot ids created by a transaction (or savepoint) that has not committed yet. */
class PendingIds {
  readonly parameters = new Map<string, number>();
  readonly corners = new Map<string, number>();
  readonly lots = new Map<string, LotRef>();

  addAll(other: PendingIds): void {
    for (const [k, v] of other.parameters) this.parameters.set(k, v);
    for (const [k, v] of other.corners) this.corners.set(k, v);
    for (const [k, v] of other.lots) this.lots.set(k, v);
  }
}

/** A `runs` row as #insertRuns builds it. */
interface RunRow {
  readonly file_id: number;
  readonly lot_id: number;
  readonly run_order: number;
  readonly serial: string;
  readonly station: string;
  readonly test_time: string;
  readonly declared_attempt: number | null;
  readonly operator: string | null;
  readonly measurement_count: number;
}

/**
 * The per-file `files` and `runs` inserts on SQLite as cached better-sqlite3 statements: building and
 * preparing them through Kysely for every file was about 2 s of a 10,000-file ingest. Valid only inside
 * a Kysely transaction on the same Database (its single connection holds the transaction), as the
 * native measurement writer.
 */
class SqliteFileWrites {
  readonly #sqlite: SqliteDatabase;
  #file: SqliteStatement | undefined;
  #run: SqliteStatement | undefined;
  #readings: SqliteStatement | undefined;

  constructor(sqlite: SqliteDatabase) {
    this.#sqlite = sqlite;
  }

  /** The new file's id, or undefined when a file with the same SHA-256 is already stored. */
  insertFile(prepared: PreparedFile): { id: number } | undefined {
    // Prepared on first use: the tables exist only after migrate().
    this.#file ??= this.#sqlite.prepare(
      `insert into files (sha256, path, name, bytes, profile_id, product_id, profile_choice, data_rows, run_count,
        measurement_count, quarantine_count, stored_at) values (@sha256, @path, @name, @bytes, @profile_id, @product_id,
        @profile_choice, @data_rows, @run_count, @measurement_count, @quarantine_count, @stored_at)
        on conflict (sha256) do nothing returning id`,
    );
    return this.#file.get(fileRow(prepared, nowInstant())) as { id: number } | undefined;
  }

  /** Inserts one run's packed readings. */
  insertReadings(row: RunReadingsRow): void {
    this.#readings ??= this.#sqlite.prepare('insert into run_readings (run_id, reading_count, readings) values (?, ?, ?)');
    this.#readings.run(row.run_id, row.reading_count, row.readings);
  }

  /** Inserts one run and returns its id. */
  insertRun(run: RunRow): number {
    this.#run ??= this.#sqlite.prepare(
      `insert into runs (file_id, lot_id, run_order, serial, station, test_time, declared_attempt, operator, measurement_count)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const info = this.#run.run(
      run.file_id,
      run.lot_id,
      run.run_order,
      run.serial,
      run.station,
      run.test_time,
      run.declared_attempt,
      run.operator,
      run.measurement_count,
    );
    return Number(info.lastInsertRowid);
  }
}

export class KyselyStore implements Store {
  readonly #conn: StoreConnection;
  readonly #db: Db;
  /** Committed dictionary entries; never change once committed, so safe to cache across transactions. */
  readonly #parameterIds = new Map<string, number>();
  readonly #cornerIds = new Map<string, number>();
  readonly #lots = new Map<string, LotRef>();
  readonly #savepointStatements = new Map<string, { run(): unknown }>();
  /** SQLite only: cached prepared statements for the per-file `files` and `runs` inserts. */
  readonly #sqliteWrites: SqliteFileWrites | null;
  readonly #true: boolean | number;
  readonly #false: boolean | number;

  constructor(connection: StoreConnection) {
    this.#conn = connection;
    this.#db = connection.db;
    this.#true = connection.backend === 'postgres' ? true : 1;
    this.#false = connection.backend === 'postgres' ? false : 0;
    this.#sqliteWrites = connection.backend === 'sqlite' ? new SqliteFileWrites(connection.sqlite) : null;
  }

  /**
   * Writes packed run readings inside the open transaction: on SQLite a cached statement per run, on
   * PostgreSQL one `unnest` statement for all of them (a whole group-committed batch in one round trip).
   */
  async #writeReadings(trx: Trx, rows: readonly RunReadingsRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.#sqliteWrites !== null) {
      for (const row of rows) this.#sqliteWrites.insertReadings(row);
      return;
    }
    await sql`insert into run_readings (run_id, reading_count, readings)
      select * from unnest(${rows.map((r) => r.run_id)}::int4[], ${rows.map((r) => r.reading_count)}::int4[], ${rows.map((r) => r.readings)}::bytea[])`.execute(
      trx,
    );
  }

  get backend(): StoreBackend {
    return this.#conn.backend;
  }

  get location(): string {
    return this.#conn.location;
  }

  async migrate(): Promise<MigrationReport> {
    const conn = this.#conn;
    if (conn.backend === 'postgres') {
      try {
        await this.#db.schema.createSchema(conn.pgSchema).ifNotExists().execute();
      } catch (err) {
        // Two processes creating the schema at once: the loser sees a duplicate; the schema exists.
        if (!isUniqueViolation(err) && (err as { code?: unknown }).code !== '42P06') throw unreachable(this.location, err);
      }
    }
    const migrator = new Migrator({
      db: this.#db,
      provider: storeMigrationProvider(conn.backend),
      ...(conn.backend === 'postgres' ? { migrationTableSchema: conn.pgSchema } : {}),
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`Store migration "${failed}" failed on ${this.location}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    // 0003 replaced the reading rows by a third of their size: give the space back to the file system
    // (SQLite keeps freed pages; PostgreSQL's DROP TABLE already released them).
    if (conn.backend === 'sqlite' && applied.includes('0003-packed-run-readings')) await sql`vacuum`.execute(this.#db);
    return { applied };
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }

  /** A write transaction; on SQLite serialised with other Store instances on the same file. */
  async #write<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    const run = () => this.#db.transaction().execute(fn);
    return this.#conn.backend === 'sqlite' ? withSqliteWriteLock(this.#conn.lockKey, run) : run();
  }

  // ---------------------------------------------------------------- files

  async recordParsedFile(file: ParsedFile): Promise<RecordFileResult> {
    return this.#recordOne(prepareParsedFile(file));
  }

  async #recordOne(prepared: PreparedFile): Promise<RecordFileResult> {
    const pending = new PendingIds();
    let result: RecordFileResult;
    try {
      result = await this.#write((trx) => this.#recordPrepared(trx, prepared, pending));
    } catch (err) {
      throw fileError(prepared.file.path, err);
    }
    // Only now are the new ids committed and safe to remember.
    this.#remember(pending);
    return result;
  }

  async recordParsedFiles(files: readonly ParsedFile[]): Promise<RecordFileResult[]> {
    const results: RecordFileResult[] = [];
    for (const outcome of await this.#recordWithSavepoints(files, { stopAtFailure: true })) {
      if (outcome === undefined) break;
      if (!outcome.ok) throw outcome.error;
      results.push(outcome.result);
    }
    return results;
  }

  async recordParsedFileBatch(files: readonly ParsedFile[]): Promise<BatchFileOutcome[]> {
    if (this.#conn.backend === 'postgres' && files.length > 1) {
      const outcomes: BatchFileOutcome[] = new Array(files.length);
      const prepared: { index: number; file: PreparedFile }[] = [];
      files.forEach((file, index) => {
        try {
          prepared.push({ index, file: prepareParsedFile(file) });
        } catch (err) {
          outcomes[index] = { ok: false, error: err as Error };
        }
      });
      try {
        const bulk = await this.#recordBulk(prepared.map((p) => p.file));
        prepared.forEach(({ index }, k) => (outcomes[index] = { ok: true, result: bulk[k]! }));
        return outcomes;
      } catch {
        // Nothing of the batch was kept (one transaction): write the files one savepoint each below, so the
        // file that failed gets its own error and the others are stored.
      }
    }
    return (await this.#recordWithSavepoints(files, { stopAtFailure: false })) as BatchFileOutcome[];
  }

  /**
   * Files in one transaction, each in its own savepoint: a file that fails is rolled back alone. With
   * `stopAtFailure` the files after it are not attempted (their outcome is undefined); the files before
   * it are committed either way. If the commit itself fails, every attempted file gets that error.
   */
  async #recordWithSavepoints(
    files: readonly ParsedFile[],
    options: { stopAtFailure: boolean },
  ): Promise<(BatchFileOutcome | undefined)[]> {
    const outcomes: (BatchFileOutcome | undefined)[] = new Array(files.length);
    if (files.length === 0) return outcomes;
    const committed = new PendingIds();
    try {
      await this.#write(async (trx) => {
        for (const [i, file] of files.entries()) {
          let prepared: PreparedFile;
          try {
            prepared = prepareParsedFile(file);
          } catch (err) {
            outcomes[i] = { ok: false, error: err as Error };
            if (options.stopAtFailure) return;
            continue;
          }
          const pending = new PendingIds();
          await this.#savepoint(trx, 'savepoint');
          try {
            outcomes[i] = { ok: true, result: await this.#recordPrepared(trx, prepared, pending) };
          } catch (err) {
            // Undo this file only; the files before it are kept and committed below.
            await this.#savepoint(trx, 'rollback to savepoint');
            await this.#savepoint(trx, 'release savepoint');
            outcomes[i] = { ok: false, error: fileError(file.path, err) };
            if (options.stopAtFailure) return;
            continue;
          }
          await this.#savepoint(trx, 'release savepoint');
          committed.addAll(pending);
        }
      });
    } catch (err) {
      // The commit itself failed: none of the batch was kept.
      const error = new FileStoreError(files.map((f) => f.path).join(', '), err);
      return outcomes.map((o) => (o === undefined ? o : { ok: false, error }));
    }
    this.#remember(committed);
    return outcomes;
  }

  /**
   * PostgreSQL: several files in one transaction with one statement per table (files, runs,
   * measurements, quarantine) instead of one per file and table: every statement is a round trip, and
   * round trips (socket writes on both sides) were a worker's largest cost after parsing. All or
   * nothing: any error rolls the whole batch back and is thrown.
   */
  async #recordBulk(batch: readonly PreparedFile[]): Promise<RecordFileResult[]> {
    const committed = new PendingIds();
    const results = await this.#write(async (trx) => {
      // The same content twice in one batch: the first is written, the others are its duplicates.
      const firstBySha = new Map<string, number>();
      batch.forEach((p, i) => firstBySha.has(p.sha256) || firstBySha.set(p.sha256, i));
      const unique = [...firstBySha.values()].map((i) => batch[i]!);
      const storedAt = nowInstant();
      const inserted = await trx
        .insertInto('files')
        .values(unique.map((p) => fileRow(p, storedAt)))
        .onConflict((oc) => oc.column('sha256').doNothing())
        .returning(['id', 'sha256'])
        .execute();
      const newIds = new Map(inserted.map((r) => [r.sha256, r.id]));
      const fresh = unique.filter((p) => newIds.has(p.sha256));
      const bySha = new Map<string, RecordFileResult>();
      for (const p of unique) if (!newIds.has(p.sha256)) bySha.set(p.sha256, await this.#duplicateFile(trx, p.sha256));
      if (fresh.length > 0) {
        const lotRefs = new Map<string, LotRef>();
        for (const p of fresh) for (const [lot, ref] of await this.#ensureLots(trx, p, committed.lots)) lotRefs.set(lot, ref);
        const parameterIds = await this.#ensureDictionary(
          trx,
          'parameters',
          unionOf(fresh, (p) => p.parameters),
          this.#parameterIds,
          committed.parameters,
        );
        const cornerIds = await this.#ensureDictionary(
          trx,
          'corners',
          unionOf(fresh, (p) => p.corners),
          this.#cornerIds,
          committed.corners,
        );
        const runRows = fresh.flatMap((p) => runRowsOf(p, newIds.get(p.sha256)!, lotRefs));
        const runIds = new Map(fresh.map((p) => [newIds.get(p.sha256)!, new Int32Array(p.file.runs.length)]));
        for (const part of chunks(runRows, 9, this.backend)) {
          const rows = await trx.insertInto('runs').values(part).returning(['id', 'file_id', 'run_order']).execute();
          for (const row of rows) runIds.get(row.file_id)![row.run_order] = row.id;
        }
        await this.#writeReadings(
          trx,
          fresh.flatMap((p) => packFileReadings(p, runIds.get(newIds.get(p.sha256)!)!, parameterIds, cornerIds)),
        );
        const quarantine = fresh.flatMap((p) => quarantineRows(newIds.get(p.sha256)!, p.file));
        for (const part of chunks(quarantine, 6, this.backend)) await trx.insertInto('quarantine').values(part).execute();
        for (const p of fresh) bySha.set(p.sha256, { status: 'stored', fileId: newIds.get(p.sha256)!, lots: p.lots });
      }
      return batch.map((p, i): RecordFileResult => {
        const first = bySha.get(p.sha256)!;
        return firstBySha.get(p.sha256) === i ? first : { status: 'duplicate', fileId: first.fileId, lots: first.lots };
      });
    });
    this.#remember(committed);
    return results;
  }

  /**
   * One savepoint statement for the file being written. On SQLite a cached better-sqlite3 statement
   * on the connection Kysely holds for the open transaction (no SQL prepared per file, as in the
   * measurement writer); on PostgreSQL plain SQL on the transaction.
   */
  async #savepoint(trx: Trx, verb: 'savepoint' | 'rollback to savepoint' | 'release savepoint'): Promise<void> {
    if (this.#conn.backend === 'sqlite') {
      let statement = this.#savepointStatements.get(verb);
      if (statement === undefined) this.#savepointStatements.set(verb, (statement = this.#conn.sqlite.prepare(`${verb} lotqa_file`)));
      statement.run();
      return;
    }
    await sql.raw(`${verb} lotqa_file`).execute(trx);
  }

  #remember(pending: PendingIds): void {
    for (const [k, v] of pending.parameters) this.#parameterIds.set(k, v);
    for (const [k, v] of pending.corners) this.#cornerIds.set(k, v);
    for (const [k, v] of pending.lots) this.#lots.set(k, v);
  }

  /** Writes one prepared file inside an open transaction (or savepoint). */
  async #recordPrepared(trx: Trx, prepared: PreparedFile, pending: PendingIds): Promise<RecordFileResult> {
    const file = prepared.file;
    const inserted =
      this.#sqliteWrites !== null
        ? this.#sqliteWrites.insertFile(prepared)
        : await trx
            .insertInto('files')
            .values(fileRow(prepared, nowInstant()))
            // Idempotency: the unique sha256 decides. A concurrent insert of the same content waits for
            // the other transaction (PG) or the write lock (SQLite) and then inserts nothing.
            .onConflict((oc) => oc.column('sha256').doNothing())
            .returning('id')
            .executeTakeFirst();
    if (!inserted) return this.#duplicateFile(trx, prepared.sha256);
    const fileId = inserted.id;

    const lotRefs = await this.#ensureLots(trx, prepared, pending.lots);
    const parameterIds = await this.#ensureDictionary(trx, 'parameters', prepared.parameters, this.#parameterIds, pending.parameters);
    const cornerIds = await this.#ensureDictionary(trx, 'corners', prepared.corners, this.#cornerIds, pending.corners);
    const runIds = await this.#insertRuns(trx, fileId, prepared, lotRefs);
    await this.#writeReadings(trx, packFileReadings(prepared, runIds, parameterIds, cornerIds));
    await this.#insertQuarantine(trx, fileId, file);
    return { status: 'stored' as const, fileId, lots: prepared.lots };
  }

  async #duplicateFile(trx: Trx, sha256: string): Promise<RecordFileResult> {
    const existing = await trx.selectFrom('files').select('id').where('sha256', '=', sha256).executeTakeFirstOrThrow();
    const lots = await trx
      .selectFrom('runs')
      .innerJoin('lots', 'lots.id', 'runs.lot_id')
      .select('lots.lot')
      .distinct()
      .where('runs.file_id', '=', existing.id)
      .orderBy('lots.lot')
      .execute();
    return { status: 'duplicate', fileId: existing.id, lots: lots.map((l) => l.lot) };
  }

  async #ensureLots(trx: Trx, prepared: PreparedFile, pending: Map<string, LotRef>): Promise<Map<string, LotRef>> {
    const refs = new Map<string, LotRef>();
    const missing: string[] = [];
    for (const lot of prepared.lots) {
      const cached = this.#lots.get(lot);
      if (cached) refs.set(lot, cached);
      else missing.push(lot);
    }
    if (missing.length > 0) {
      const select = () => trx.selectFrom('lots').select(['id', 'lot', 'product_id']).where('lot', 'in', missing).execute();
      let found = await select();
      if (found.length < missing.length) {
        const known = new Set(found.map((f) => f.lot));
        const createdAt = nowInstant();
        const fresh = missing
          .filter((l) => !known.has(l))
          .map((lot) => ({ lot, product_id: prepared.file.productId, created_at: createdAt }));
        await trx
          .insertInto('lots')
          .values(fresh)
          .onConflict((oc) => oc.column('lot').doNothing())
          .execute();
        found = await select();
      }
      for (const row of found) {
        const ref = { id: row.id, productId: row.product_id };
        refs.set(row.lot, ref);
        pending.set(row.lot, ref);
      }
    }
    for (const [lot, ref] of refs) {
      if (ref.productId !== prepared.file.productId)
        throw new LotProductConflictError(lot, ref.productId, prepared.file.productId, prepared.file.path);
    }
    return refs;
  }

  /** Ids for dictionary names, inserting the missing ones (select first, so existing names never burn ids). */
  async #ensureDictionary(
    trx: Trx,
    table: 'parameters' | 'corners',
    names: readonly string[],
    cache: Map<string, number>,
    pending: Map<string, number>,
  ): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    const missing = names.filter((n) => {
      const id = cache.get(n);
      if (id !== undefined) ids.set(n, id);
      return id === undefined;
    });
    if (missing.length === 0) return ids;
    const select = () => trx.selectFrom(table).select(['id', 'name']).where('name', 'in', missing).execute();
    let found = await select();
    if (found.length < missing.length) {
      const known = new Set(found.map((f) => f.name));
      // Sorted, so two transactions adding overlapping names lock them in the same order (no deadlock).
      const fresh = missing.filter((n) => !known.has(n)).map((name) => ({ name }));
      await trx
        .insertInto(table)
        .values(fresh)
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      found = await select();
    }
    for (const row of found) {
      ids.set(row.name, row.id);
      pending.set(row.name, row.id);
    }
    return ids;
  }

  async #insertRuns(trx: Trx, fileId: number, prepared: PreparedFile, lots: Map<string, LotRef>): Promise<Int32Array> {
    const runs = runRowsOf(prepared, fileId, lots);
    const runIds = new Int32Array(runs.length);
    if (this.#sqliteWrites !== null) {
      for (const run of runs) runIds[run.run_order] = this.#sqliteWrites.insertRun(run);
      return runIds;
    }
    for (const part of chunks(runs, 9, this.backend)) {
      const rows = await trx.insertInto('runs').values(part).returning(['id', 'run_order']).execute();
      for (const row of rows) runIds[row.run_order] = row.id;
    }
    return runIds;
  }

  async #insertQuarantine(trx: Trx, fileId: number, file: ParsedFile): Promise<void> {
    const rows = quarantineRows(fileId, file);
    for (const part of chunks(rows, 6, this.backend)) await trx.insertInto('quarantine').values(part).execute();
  }

  async recordRejectedFile(file: RejectedFile): Promise<RecordRejectedResult> {
    const sha256 = file.sha256 === null ? null : normaliseSha256(file.sha256, `SHA-256 of rejected file ${file.path}`);
    const dedupeKey = sha256 !== null ? `sha256:${sha256}` : `path:${file.path}:${file.bytes}`;
    return this.#write(async (trx) => {
      const inserted = await trx
        .insertInto('rejected_files')
        .values({
          dedupe_key: dedupeKey,
          path: file.path,
          name: file.name,
          sha256,
          bytes: file.bytes,
          reason: file.reason,
          message: file.message,
          line: file.line,
          received_at: nowInstant(),
        })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) return { status: 'stored' as const, rejectedFileId: inserted.id };
      const existing = await trx.selectFrom('rejected_files').select('id').where('dedupe_key', '=', dedupeKey).executeTakeFirstOrThrow();
      return { status: 'duplicate' as const, rejectedFileId: existing.id };
    });
  }

  async listRejectedFiles(): Promise<StoredRejectedFile[]> {
    const rows = await this.#db.selectFrom('rejected_files').selectAll().orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      path: r.path,
      name: r.name,
      sha256: r.sha256,
      bytes: r.bytes,
      reason: r.reason as FileRejectionReason,
      message: r.message,
      line: r.line,
      receivedAt: instantFromDb(r.received_at),
    }));
  }

  // ---------------------------------------------------------------- lots

  async loadLot(lot: string): Promise<LotData> {
    return readLot(this.#conn, lot);
  }

  #lotSummaryQuery() {
    return this.#db
      .selectFrom('lots as l')
      .innerJoin('runs as r', 'r.lot_id', 'l.id')
      .select(['l.lot', 'l.product_id'])
      .select((eb) => [
        eb.fn.count<number>('r.serial').distinct().as('units'),
        eb.fn.countAll<number>().as('runs'),
        eb.fn.count<number>('r.file_id').distinct().as('files'),
        eb.fn.sum<number>('r.measurement_count').as('measurements'),
        eb.fn.min('r.test_time').as('first_test_time'),
        eb.fn.max('r.test_time').as('last_test_time'),
      ])
      .groupBy(['l.id', 'l.lot', 'l.product_id']);
  }

  async listLots(): Promise<LotSummary[]> {
    const rows = await this.#lotSummaryQuery().orderBy('l.lot').execute();
    return rows.map(toLotSummary);
  }

  async listLotIds(): Promise<string[]> {
    const rows = await this.#db.selectFrom('lots').select('lot').orderBy('lot').execute();
    return rows.map((r) => r.lot);
  }

  async lotSummary(lot: string): Promise<LotSummary | null> {
    const row = await this.#lotSummaryQuery().where('l.lot', '=', lot).executeTakeFirst();
    return row ? toLotSummary(row) : null;
  }

  async listFiles(lot?: string): Promise<StoredFile[]> {
    let query = this.#db.selectFrom('files').selectAll('files').orderBy('files.id');
    if (lot !== undefined) {
      query = query.where('files.id', 'in', (eb) =>
        eb.selectFrom('runs').innerJoin('lots', 'lots.id', 'runs.lot_id').select('runs.file_id').where('lots.lot', '=', lot),
      );
    }
    const rows = await query.execute();
    return rows.map((r) => ({
      id: r.id,
      sha256: r.sha256,
      path: r.path,
      name: r.name,
      bytes: r.bytes,
      profileId: r.profile_id,
      productId: r.product_id,
      profileChoice: r.profile_choice,
      dataRows: r.data_rows,
      runs: r.run_count,
      measurements: r.measurement_count,
      quarantined: r.quarantine_count,
      storedAt: instantFromDb(r.stored_at),
    }));
  }

  async listQuarantine(query: QuarantineQuery = {}): Promise<QuarantineRecord[]> {
    let q = this.#db
      .selectFrom('quarantine as q')
      .innerJoin('files as f', 'f.id', 'q.file_id')
      .select(['q.id', 'q.file_id', 'f.sha256', 'f.path', 'q.line', 'q.column_name', 'q.raw_value', 'q.reason', 'q.message'])
      .orderBy('q.file_id')
      .orderBy('q.line')
      .orderBy('q.id')
      .limit(query.limit ?? 1000);
    if (query.file !== undefined) {
      const file = query.file;
      q = typeof file === 'number' ? q.where('q.file_id', '=', file) : q.where('f.sha256', '=', file.trim().toLowerCase());
    }
    if (query.lot !== undefined) {
      const lot = query.lot;
      q = q.where('q.file_id', 'in', (eb) =>
        eb.selectFrom('runs').innerJoin('lots', 'lots.id', 'runs.lot_id').select('runs.file_id').where('lots.lot', '=', lot),
      );
    }
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      fileId: r.file_id,
      fileSha256: r.sha256,
      file: r.path,
      line: r.line,
      column: r.column_name,
      rawValue: r.raw_value,
      reason: r.reason as QuarantineReason,
      message: r.message,
    }));
  }

  async lotContentHash(lot: string): Promise<string> {
    const rows = await this.#db
      .selectFrom('files as f')
      .select('f.sha256')
      .where('f.id', 'in', (eb) =>
        eb.selectFrom('runs').innerJoin('lots', 'lots.id', 'runs.lot_id').select('runs.file_id').where('lots.lot', '=', lot),
      )
      .execute();
    if (rows.length === 0) throw new LotNotFoundError(lot);
    return lotContentHashOf(rows.map((r) => r.sha256));
  }

  async unitCount(lot: string): Promise<number> {
    const row = await this.#db
      .selectFrom('runs')
      .innerJoin('lots', 'lots.id', 'runs.lot_id')
      .select((eb) => eb.fn.count<number>('runs.serial').distinct().as('units'))
      .where('lots.lot', '=', lot)
      .executeTakeFirst();
    return row?.units ?? 0;
  }

  // ---------------------------------------------------------------- baselines

  #toBaseline(r: BaselineRow): BaselineRecord {
    return {
      productId: r.product_id,
      version: r.version,
      createdAt: instantFromDb(r.created_at),
      createdBy: r.created_by,
      active: Boolean(r.active),
      payload: jsonFromDb(this.backend, r.payload),
    };
  }

  async saveBaseline(input: BaselineInput): Promise<BaselineRecord> {
    const createdAt =
      input.createdAt === undefined ? nowInstant() : toStoredInstant(input.createdAt, `createdAt of baseline ${input.productId}`);
    try {
      return await this.#write(async (trx) => {
        let version = input.version;
        if (version === undefined) {
          const max = await trx
            .selectFrom('baselines')
            .select((eb) => eb.fn.max('version').as('v'))
            .where('product_id', '=', input.productId)
            .executeTakeFirst();
          version = (max?.v ?? 0) + 1;
        }
        if (input.activate) {
          await trx
            .updateTable('baselines')
            .set({ active: this.#false })
            .where('product_id', '=', input.productId)
            .where('active', '=', this.#true)
            .execute();
        }
        const row = await trx
          .insertInto('baselines')
          .values({
            product_id: input.productId,
            version,
            created_at: createdAt,
            created_by: input.createdBy,
            active: input.activate ? this.#true : this.#false,
            payload: jsonToDb(input.payload),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return this.#toBaseline(row);
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new RecordConflictError(
          `Baseline ${input.productId} version ${input.version ?? '(next)'} could not be saved: that version exists or another activation raced this one. Reload the baselines and retry.`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  async activateBaseline(productId: string, version: number): Promise<BaselineRecord> {
    try {
      return await this.#write(async (trx) => {
        const target = await trx
          .selectFrom('baselines')
          .select('id')
          .where('product_id', '=', productId)
          .where('version', '=', version)
          .executeTakeFirst();
        if (!target)
          throw new RecordNotFoundError(
            `Baseline ${productId} version ${version} does not exist; list versions with listBaselines("${productId}").`,
          );
        await trx
          .updateTable('baselines')
          .set({ active: this.#false })
          .where('product_id', '=', productId)
          .where('active', '=', this.#true)
          .where('id', '<>', target.id)
          .execute();
        const row = await trx
          .updateTable('baselines')
          .set({ active: this.#true })
          .where('id', '=', target.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return this.#toBaseline(row);
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new RecordConflictError(`Activating baseline ${productId} version ${version} raced another activation; reload and retry.`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  async activeBaseline(productId: string): Promise<BaselineRecord | null> {
    const row = await this.#db
      .selectFrom('baselines')
      .selectAll()
      .where('product_id', '=', productId)
      .where('active', '=', this.#true)
      .executeTakeFirst();
    return row ? this.#toBaseline(row) : null;
  }

  async listBaselines(productId: string): Promise<BaselineRecord[]> {
    const rows = await this.#db.selectFrom('baselines').selectAll().where('product_id', '=', productId).orderBy('version').execute();
    return rows.map((r) => this.#toBaseline(r));
  }

  async getBaseline(productId: string, version: number): Promise<BaselineRecord | null> {
    const row = await this.#db
      .selectFrom('baselines')
      .selectAll()
      .where('product_id', '=', productId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? this.#toBaseline(row) : null;
  }

  // ---------------------------------------------------------------- evaluations

  #toEvaluation(r: EvaluationRow): EvaluationRecord {
    return {
      lot: r.lot,
      revision: r.revision,
      contentHash: r.content_hash,
      resultSha256: r.result_sha256,
      result: jsonFromDb(this.backend, r.result),
      evaluatedAt: instantFromDb(r.evaluated_at),
    };
  }

  async saveEvaluation(input: EvaluationInput): Promise<EvaluationRecord> {
    const evaluatedAt =
      input.evaluatedAt === undefined ? nowInstant() : toStoredInstant(input.evaluatedAt, `evaluatedAt of lot ${input.lot}`);
    try {
      return await this.#write(async (trx) => {
        let revision = input.revision;
        if (revision === undefined) {
          const max = await trx
            .selectFrom('lot_evaluations')
            .select((eb) => eb.fn.max('revision').as('r'))
            .where('lot', '=', input.lot)
            .executeTakeFirst();
          revision = (max?.r ?? 0) + 1;
        }
        const row = await trx
          .insertInto('lot_evaluations')
          .values({
            lot: input.lot,
            revision,
            content_hash: input.contentHash,
            result_sha256: input.resultSha256,
            // PostgreSQL's jsonb parses the text either way; SQLite keeps the (canonical) string as given.
            result: input.resultJson ?? jsonToDb(input.result),
            evaluated_at: evaluatedAt,
          })
          .returning(['revision', 'evaluated_at'])
          .executeTakeFirstOrThrow();
        // The caller's result object is what was stored: parsing a 25 MB JSON back would only cost time.
        return {
          lot: input.lot,
          revision: row.revision,
          contentHash: input.contentHash,
          resultSha256: input.resultSha256,
          result: input.result,
          evaluatedAt: instantFromDb(row.evaluated_at),
        };
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new RecordConflictError(
          `Lot ${input.lot} evaluation revision ${input.revision ?? '(next)'} is already stored (another evaluation raced this one); reload and retry.`,
          {
            cause: err,
          },
        );
      }
      throw err;
    }
  }

  async getEvaluation(lot: string, revision: number): Promise<EvaluationRecord | null> {
    const row = await this.#db
      .selectFrom('lot_evaluations')
      .selectAll()
      .where('lot', '=', lot)
      .where('revision', '=', revision)
      .executeTakeFirst();
    return row ? this.#toEvaluation(row) : null;
  }

  async latestEvaluation(lot: string): Promise<EvaluationRecord | null> {
    const row = await this.#db
      .selectFrom('lot_evaluations')
      .selectAll()
      .where('lot', '=', lot)
      .orderBy('revision', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? this.#toEvaluation(row) : null;
  }

  async latestEvaluationHead(lot: string): Promise<EvaluationHead | null> {
    const row = await this.#db
      .selectFrom('lot_evaluations')
      .select(['lot', 'revision', 'content_hash', 'result_sha256', 'evaluated_at'])
      .where('lot', '=', lot)
      .orderBy('revision', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row
      ? {
          lot: row.lot,
          revision: row.revision,
          contentHash: row.content_hash,
          resultSha256: row.result_sha256,
          evaluatedAt: instantFromDb(row.evaluated_at),
        }
      : null;
  }

  async listEvaluations(lot: string): Promise<EvaluationRecord[]> {
    const rows = await this.#db.selectFrom('lot_evaluations').selectAll().where('lot', '=', lot).orderBy('revision').execute();
    return rows.map((r) => this.#toEvaluation(r));
  }

  // ---------------------------------------------------------------- decisions

  async insertDecision(record: DecisionRecord): Promise<StoredDecision> {
    const stage: DecisionStage = record.disposition === 'HOLD' ? 'hold' : 'final';
    const decidedAt = toStoredInstant(record.decidedAt, `decidedAt of the decision on lot ${record.lot}`);
    try {
      return await this.#write(async (trx) => {
        const existing = await trx
          .selectFrom('decisions')
          .selectAll()
          .where('lot', '=', record.lot)
          .where('revision', '=', record.revision)
          .execute();
        const final = existing.find((d) => d.stage === 'final');
        if (final) throw conflict(record, 'final', final);
        const hold = existing.find((d) => d.stage === 'hold');
        if (stage === 'hold' && hold) throw conflict(record, 'hold', hold);
        const row = await trx
          .insertInto('decisions')
          .values({
            lot: record.lot,
            revision: record.revision,
            stage,
            disposition: record.disposition,
            decided_by: record.decidedBy,
            decided_kind: record.decidedKind,
            decided_at: decidedAt,
            reason: record.reason,
            result_sha256: record.resultSha256,
            spec_version: record.specVersion,
            policy_version: record.policyVersion,
            baseline_version: record.baselineVersion,
            supersedes: stage === 'final' && hold ? hold.id : null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toDecision(row);
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Lost a race: the other sign-off committed first. Report who won.
      const winner = await this.#db
        .selectFrom('decisions')
        .selectAll()
        .where('lot', '=', record.lot)
        .where('revision', '=', record.revision)
        .where('stage', '=', stage)
        .executeTakeFirst();
      throw winner
        ? conflict(record, stage, winner)
        : new DecisionConflictError(record.lot, record.revision, stage, 'a concurrent decision');
    }
  }

  async listDecisions(lot: string): Promise<StoredDecision[]> {
    const rows = await this.#db.selectFrom('decisions').selectAll().where('lot', '=', lot).orderBy('id').execute();
    return rows.map(toDecision);
  }

  async finalDecision(lot: string, revision: number): Promise<StoredDecision | null> {
    const row = await this.#db
      .selectFrom('decisions')
      .selectAll()
      .where('lot', '=', lot)
      .where('revision', '=', revision)
      .where('stage', '=', 'final')
      .executeTakeFirst();
    return row ? toDecision(row) : null;
  }

  // ---------------------------------------------------------------- sampling state

  async saveSamplingState(productId: string, payload: unknown, updatedAt?: string): Promise<SamplingStateRecord> {
    const at = updatedAt === undefined ? nowInstant() : toStoredInstant(updatedAt, `updatedAt of sampling state ${productId}`);
    const json = jsonToDb(payload);
    const row = await this.#write((trx) =>
      trx
        .insertInto('sampling_state')
        .values({ product_id: productId, payload: json, updated_at: at })
        .onConflict((oc) => oc.column('product_id').doUpdateSet({ payload: json, updated_at: at }))
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    return { productId: row.product_id, payload: jsonFromDb(this.backend, row.payload), updatedAt: instantFromDb(row.updated_at) };
  }

  async samplingState(productId: string): Promise<SamplingStateRecord | null> {
    const row = await this.#db.selectFrom('sampling_state').selectAll().where('product_id', '=', productId).executeTakeFirst();
    return row
      ? { productId: row.product_id, payload: jsonFromDb(this.backend, row.payload), updatedAt: instantFromDb(row.updated_at) }
      : null;
  }

  // ---------------------------------------------------------------- certificates

  #toCertificate(r: CertificateRow): CertificateRecord {
    return {
      id: r.id,
      lot: r.lot,
      revision: r.revision,
      documentId: r.document_id,
      pdfSha256: r.pdf_sha256,
      path: r.path,
      issuedAt: instantFromDb(r.issued_at),
      payload: jsonFromDb(this.backend, r.payload),
    };
  }

  async recordCertificate(input: CertificateInput): Promise<CertificateRecord> {
    const issuedAt = toStoredInstant(input.issuedAt, `issuedAt of certificate ${input.documentId}`);
    const pdfSha256 = normaliseSha256(input.pdfSha256, `pdfSha256 of certificate ${input.documentId}`);
    try {
      const row = await this.#write((trx) =>
        trx
          .insertInto('certificates')
          .values({
            lot: input.lot,
            revision: input.revision,
            document_id: input.documentId,
            pdf_sha256: pdfSha256,
            path: input.path,
            issued_at: issuedAt,
            payload: jsonToDb(input.payload),
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      return this.#toCertificate(row);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new RecordConflictError(
          `Certificate document id "${input.documentId}" is already issued; give the new certificate its own document number.`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  async getCertificate(documentId: string): Promise<CertificateRecord | null> {
    const row = await this.#db.selectFrom('certificates').selectAll().where('document_id', '=', documentId).executeTakeFirst();
    return row ? this.#toCertificate(row) : null;
  }

  async listCertificates(lot: string): Promise<CertificateRecord[]> {
    const rows = await this.#db.selectFrom('certificates').selectAll().where('lot', '=', lot).orderBy('id').execute();
    return rows.map((r) => this.#toCertificate(r));
  }

  // ---------------------------------------------------------------- audit

  #toAudit(r: AuditRow): AuditEvent {
    return { id: r.id, at: instantFromDb(r.at), lot: r.lot, kind: r.kind, actor: r.actor, payload: jsonFromDb(this.backend, r.payload) };
  }

  async appendAudit(input: AuditInput): Promise<AuditEvent> {
    const at = input.at === undefined ? nowInstant() : toStoredInstant(input.at, `time of audit event ${input.kind}`);
    const row = await this.#write((trx) =>
      trx
        .insertInto('audit_events')
        .values({ at, lot: input.lot, kind: input.kind, actor: input.actor, payload: jsonToDb(input.payload) })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    return this.#toAudit(row);
  }

  async auditTrail(lot: string): Promise<AuditEvent[]> {
    const rows = await this.#db.selectFrom('audit_events').selectAll().where('lot', '=', lot).orderBy('id').execute();
    return rows.map((r) => this.#toAudit(r));
  }
}

type BaselineRow = Selectable<StoreDatabase['baselines']>;
type EvaluationRow = Selectable<StoreDatabase['lot_evaluations']>;
type DecisionRow = Selectable<StoreDatabase['decisions']>;
type CertificateRow = Selectable<StoreDatabase['certificates']>;
type AuditRow = Selectable<StoreDatabase['audit_events']>;

function conflict(record: DecisionRecord, stage: DecisionStage, existing: DecisionRow): DecisionConflictError {
  return new DecisionConflictError(
    record.lot,
    record.revision,
    stage,
    `${existing.disposition} by ${existing.decided_by} (${existing.decided_kind}) at ${instantFromDb(existing.decided_at)}`,
  );
}

function toDecision(r: DecisionRow): StoredDecision {
  return {
    id: r.id,
    lot: r.lot,
    revision: r.revision,
    stage: r.stage as DecisionStage,
    disposition: r.disposition as DecisionRecord['disposition'],
    decidedBy: r.decided_by,
    decidedKind: r.decided_kind as DecisionRecord['decidedKind'],
    decidedAt: instantFromDb(r.decided_at),
    reason: r.reason,
    resultSha256: r.result_sha256,
    specVersion: r.spec_version,
    policyVersion: r.policy_version,
    baselineVersion: r.baseline_version,
    supersedes: r.supersedes,
  };
}

function toLotSummary(r: {
  lot: string;
  product_id: string;
  units: number;
  runs: number;
  files: number;
  measurements: number;
  first_test_time: Date | string;
  last_test_time: Date | string;
}): LotSummary {
  return {
    lot: r.lot,
    productId: r.product_id,
    units: Number(r.units),
    runs: Number(r.runs),
    files: Number(r.files),
    measurements: Number(r.measurements),
    firstTestTime: instantFromDb(r.first_test_time),
    lastTestTime: instantFromDb(r.last_test_time),
  };
}

/** SHA-256 over the sorted, distinct file hashes, one per line (each followed by "\n"). */
export function lotContentHashOf(fileHashes: readonly string[]): string {
  return lotContentHash(fileHashes);
}

/** Where a measurement came from, for an error message only (built lazily: 2 M strings were measurable). */
function where(file: ParsedFile, m: ParsedFile['measurements'][number]): string {
  return `${file.path} line ${m.line} (${m.parameter} @ ${m.corner})`;
}

/** Validates a ParsedFile and derives what the transaction needs, before any SQL. */
function prepareParsedFile(file: ParsedFile): PreparedFile {
  const sha256 = normaliseSha256(file.sha256, `SHA-256 of ${file.path}`);
  const runTimes = file.runs.map((r, i) => toStoredInstant(r.testTime, `Test time of run ${i} (serial ${r.serial}) in ${file.path}`));
  const runCounts = new Int32Array(file.runs.length);
  const parameters = new Set<string>();
  const corners = new Set<string>();
  for (const m of file.measurements) {
    if (!Number.isInteger(m.run) || m.run < 0 || m.run >= file.runs.length)
      throw new StoreInputError(`${where(file, m)}: run index ${m.run} is outside the file's ${file.runs.length} runs.`);
    if (!Number.isFinite(m.value))
      throw new StoreInputError(`${where(file, m)}: value ${m.value} is not finite; ingestion should have quarantined it as 'not-finite'.`);
    if (m.lane !== null && (!Number.isInteger(m.lane) || m.lane < 0 || m.lane > 32_767))
      throw new StoreInputError(`${where(file, m)}: lane ${m.lane} is not a 0-based lane number.`);
    if (!Number.isInteger(m.line)) throw new StoreInputError(`${where(file, m)}: line ${m.line} is not an integer.`);
    if (m.censoring !== 'none' && m.censoring !== 'below' && m.censoring !== 'above')
      throw new StoreInputError(`${where(file, m)}: censoring "${String(m.censoring)}" is unknown.`);
    runCounts[m.run]!++;
    parameters.add(m.parameter);
    corners.add(m.corner);
  }
  const lots = [...new Set(file.runs.map((r) => r.lot))].sort();
  return { file, sha256, runTimes, runCounts, lots, parameters: [...parameters].sort(), corners: [...corners].sort() };
}

/** A file's write failed: the store's own refusals as they are, anything else wrapped with the file's path. */
function fileError(path: string, err: unknown): Error {
  return err instanceof LotProductConflictError || err instanceof StoreInputError ? err : new FileStoreError(path, err);
}

/** PostgreSQL could not be reached or refused the login: say where, and what to check. */
const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'nothing listens there: is PostgreSQL running?',
  ENOTFOUND: 'the host name does not resolve',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  '28P01': 'the password was refused',
  '28000': 'the login was refused (pg_hba.conf)',
  '3D000': 'create the database first (createdb)',
};

function unreachable(location: string, err: unknown): Error {
  const code = String((err as { code?: unknown }).code ?? '');
  const hint = CONNECTION_CODES[code];
  if (hint === undefined) return err as Error;
  return new StoreConfigError(`cannot open the store at ${location}: ${(err as Error).message} — ${hint} (check DATABASE_URL)`);
}

/** The `files` row of a prepared file. */
function fileRow(prepared: PreparedFile, storedAt: string): Insertable<StoreDatabase['files']> {
  const file = prepared.file;
  return {
    sha256: prepared.sha256,
    path: file.path,
    name: file.name,
    bytes: file.bytes,
    profile_id: file.profileId,
    product_id: file.productId,
    profile_choice: file.profileChoice,
    data_rows: file.dataRows,
    run_count: file.runs.length,
    measurement_count: file.measurements.length,
    quarantine_count: file.quarantine.length,
    stored_at: storedAt,
  };
}

/** The `runs` rows of a prepared file stored as `fileId`. */
function runRowsOf(prepared: PreparedFile, fileId: number, lots: Map<string, LotRef>): RunRow[] {
  return prepared.file.runs.map((run, order) => ({
    file_id: fileId,
    lot_id: lots.get(run.lot)!.id,
    run_order: order,
    serial: run.serial,
    station: run.station,
    test_time: prepared.runTimes[order]!,
    declared_attempt: run.declaredAttempt,
    operator: run.operator,
    measurement_count: prepared.runCounts[order]!,
  }));
}

/** The file's quarantined rows as `quarantine` table rows. */
function quarantineRows(fileId: number, file: ParsedFile): Insertable<StoreDatabase['quarantine']>[] {
  return file.quarantine.map((q) => ({
    file_id: fileId,
    line: q.line,
    column_name: q.column,
    raw_value: q.rawValue,
    reason: q.reason,
    message: q.message,
  }));
}

/** Sorted distinct names over several prepared files (dictionary lookups in one statement). */
function unionOf(files: readonly PreparedFile[], names: (p: PreparedFile) => readonly string[]): string[] {
  const all = new Set<string>();
  for (const p of files) for (const n of names(p)) all.add(n);
  return [...all].sort();
}

/** Each run's readings of a prepared file, packed, with the stored ids of runs, parameters and corners. */
function packFileReadings(
  prepared: PreparedFile,
  runIds: Int32Array,
  parameterIds: Map<string, number>,
  cornerIds: Map<string, number>,
): RunReadingsRow[] {
  const file = prepared.file;
  const runs = Array.from(prepared.runCounts, (count) => ({
    length: count,
    at: 0,
    index: new Int32Array(count),
    parameterId: new Int32Array(count),
    cornerId: new Int32Array(count),
    lane: new Int32Array(count),
    value: new Float64Array(count),
    censoring: new Uint8Array(count),
    line: new Int32Array(count),
  }));
  file.measurements.forEach((m, i) => {
    const r = runs[m.run]!;
    const k = r.at++;
    r.index[k] = i;
    r.parameterId[k] = parameterIds.get(m.parameter)!;
    r.cornerId[k] = cornerIds.get(m.corner)!;
    r.lane[k] = m.lane ?? -1;
    r.value[k] = m.value;
    r.censoring[k] = censorCode(m.censoring);
    r.line[k] = m.line;
  });
  return runs.map((r, order) => ({
    run_id: runIds[order]!,
    reading_count: r.length,
    readings: packRunReadings(r, (k) => where(file, file.measurements[r.index[k]!]!)),
  }));
}
