/**
 * @module Files and their readings: storing a parsed file (file row, runs, packed readings,
 * quarantine) all or nothing and once per SHA-256, one file or a group-committed batch; rejected
 * files; listings of stored files and quarantined rows.
 */
import type { ParsedFile, RejectedFile } from '../../domain/measurement.js';
import { chunks, type StoreDialect, type StoreTrx } from '../dialect/store-dialect.js';
import type {
  BatchFileOutcome,
  QuarantineQuery,
  QuarantineRecord,
  RecordFileResult,
  RecordRejectedResult,
  StoredFile,
  StoredRejectedFile,
} from '../store.js';
import { FileStoreError } from '../store-errors.js';
import { instantFromDb, jsonToDb, normaliseSha256, nowInstant } from '../stored-values.js';
import {
  fileError,
  fileRow,
  packFileReadings,
  prepareParsedFile,
  quarantineRows,
  runRowsOf,
  unionOf,
  type LotRef,
  type PreparedFile,
} from './prepared-file.js';
import { PendingIds, StoredIds } from './stored-ids.js';
import { filesOfLot } from './lot-records.js';

export class FileRecords {
  readonly #dialect: StoreDialect;
  readonly #ids = new StoredIds();

  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
  }

  async recordParsedFile(file: ParsedFile): Promise<RecordFileResult> {
    const prepared = prepareParsedFile(file);
    const pending = new PendingIds();
    let result: RecordFileResult;
    try {
      result = await this.#dialect.writeTransaction(async (trx) => {
        const evidence: StationEvidenceRow[] = [];
        const stored = await this.#recordPrepared(trx, prepared, pending, evidence, nowInstant());
        await writeStationEvidence(trx, this.#dialect, evidence, this.#ids, pending);
        return stored;
      });
    } catch (err) {
      throw fileError(prepared.file.path, err);
    }
    // Only now are the new ids committed and safe to remember.
    this.#ids.remember(pending);
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
    if (this.#dialect.writesFileBatchesInBulk && files.length > 1) {
      const outcomes: BatchFileOutcome[] = new Array<BatchFileOutcome>(files.length);
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
    const outcomes: (BatchFileOutcome | undefined)[] = new Array<BatchFileOutcome | undefined>(files.length);
    if (files.length === 0) return outcomes;
    const dialect = this.#dialect;
    const committed = new PendingIds();
    try {
      await dialect.writeTransaction(async (trx) => {
        // The station evidence of the files kept, written once for the batch (one statement, not one per file).
        const evidence: StationEvidenceRow[] = [];
        // One instant for the transaction's files (they are committed together), as the bulk write does.
        const storedAt = nowInstant();
        for (const [i, file] of files.entries()) {
          let prepared: PreparedFile;
          try {
            prepared = prepareParsedFile(file);
          } catch (err) {
            outcomes[i] = { ok: false, error: err as Error };
            if (options.stopAtFailure) break;
            continue;
          }
          const pending = new PendingIds();
          const fileEvidence: StationEvidenceRow[] = [];
          await dialect.savepoint(trx, 'savepoint');
          try {
            outcomes[i] = { ok: true, result: await this.#recordPrepared(trx, prepared, pending, fileEvidence, storedAt) };
          } catch (err) {
            // Undo this file only; the files before it are kept and committed below.
            await dialect.savepoint(trx, 'rollback to savepoint');
            await dialect.savepoint(trx, 'release savepoint');
            outcomes[i] = { ok: false, error: fileError(file.path, err) };
            if (options.stopAtFailure) break;
            continue;
          }
          await dialect.savepoint(trx, 'release savepoint');
          committed.addAll(pending);
          evidence.push(...fileEvidence);
        }
        await writeStationEvidence(trx, dialect, evidence, this.#ids, committed);
      });
    } catch (err) {
      // The transaction failed (its commit, or the connection mid-way): none of the batch was kept. Every
      // file gets the error (Array.from, not map: map skips the holes of files not reached, and a batch
      // caller would find no outcome for them); with stopAtFailure the files not attempted stay undefined.
      const error = new FileStoreError(files.map((f) => f.path).join(', '), err);
      return Array.from(outcomes, (o) => (o === undefined && options.stopAtFailure ? undefined : { ok: false as const, error }));
    }
    this.#ids.remember(committed);
    return outcomes;
  }

  /**
   * Several files in one transaction with one statement per table (files, runs, readings, quarantine)
   * instead of one per file and table: every statement is a round trip, and round trips (socket writes
   * on both sides) were a PostgreSQL worker's largest cost after parsing. All or nothing: any error
   * rolls the whole batch back and is thrown.
   */
  async #recordBulk(batch: readonly PreparedFile[]): Promise<RecordFileResult[]> {
    const dialect = this.#dialect;
    const committed = new PendingIds();
    const results = await dialect.writeTransaction(async (trx) => {
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
      for (const p of unique) if (!newIds.has(p.sha256)) bySha.set(p.sha256, await duplicateFile(trx, p.sha256));
      if (fresh.length > 0) {
        const lotRefs = new Map<string, LotRef>();
        for (const p of fresh) for (const [lot, ref] of await this.#ids.lots(trx, p, committed)) lotRefs.set(lot, ref);
        const parameterIds = await this.#ids.parameters(
          trx,
          unionOf(fresh, (p) => p.parameters),
          committed,
        );
        const cornerIds = await this.#ids.corners(
          trx,
          unionOf(fresh, (p) => p.corners),
          committed,
        );
        const runIds = new Map(fresh.map((p) => [newIds.get(p.sha256)!, new Int32Array(p.file.runs.length)]));
        const runRows = fresh.flatMap((p) => runRowsOf(p, newIds.get(p.sha256)!, lotRefs));
        for (const row of await dialect.insertRuns(trx, runRows)) runIds.get(row.file_id)![row.run_order] = row.id;
        await dialect.insertRunReadings(
          trx,
          fresh.flatMap((p) => packFileReadings(p, runIds.get(newIds.get(p.sha256)!)!, parameterIds, cornerIds)),
        );
        await writeStationEvidence(
          trx,
          dialect,
          fresh.map((p) => ({ fileId: newIds.get(p.sha256)!, prepared: p })),
          this.#ids,
          committed,
        );
        const quarantine = fresh.flatMap((p) => quarantineRows(newIds.get(p.sha256)!, p.file));
        for (const part of chunks(quarantine, 6, dialect.maxParameters)) await trx.insertInto('quarantine').values(part).execute();
        for (const p of fresh) bySha.set(p.sha256, { status: 'stored', fileId: newIds.get(p.sha256)!, lots: p.lots });
      }
      return batch.map((p, i): RecordFileResult => {
        const first = bySha.get(p.sha256)!;
        return firstBySha.get(p.sha256) === i ? first : { status: 'duplicate', fileId: first.fileId, lots: first.lots };
      });
    });
    this.#ids.remember(committed);
    return results;
  }

  /** Writes one prepared file inside an open transaction (or savepoint), stored at `storedAt`. */
  async #recordPrepared(
    trx: StoreTrx,
    prepared: PreparedFile,
    pending: PendingIds,
    evidence: StationEvidenceRow[],
    storedAt: string,
  ): Promise<RecordFileResult> {
    const dialect = this.#dialect;
    // Idempotency: the unique sha256 decides. A concurrent insert of the same content waits for the
    // other transaction (PostgreSQL) or the write lock (SQLite) and then inserts nothing.
    const fileId = await dialect.insertFile(trx, fileRow(prepared, storedAt));
    if (fileId === undefined) return duplicateFile(trx, prepared.sha256);

    const lotRefs = await this.#ids.lots(trx, prepared, pending);
    const parameterIds = await this.#ids.parameters(trx, prepared.parameters, pending);
    const cornerIds = await this.#ids.corners(trx, prepared.corners, pending);
    const runIds = new Int32Array(prepared.file.runs.length);
    for (const row of await dialect.insertRuns(trx, runRowsOf(prepared, fileId, lotRefs))) runIds[row.run_order] = row.id;
    await dialect.insertRunReadings(trx, packFileReadings(prepared, runIds, parameterIds, cornerIds));
    if (prepared.station !== null) evidence.push({ fileId, prepared });
    for (const part of chunks(quarantineRows(fileId, prepared.file), 6, dialect.maxParameters))
      await trx.insertInto('quarantine').values(part).execute();
    return { status: 'stored' as const, fileId, lots: prepared.lots };
  }

  async recordRejectedFile(file: RejectedFile): Promise<RecordRejectedResult> {
    const sha256 = file.sha256 === null ? null : normaliseSha256(file.sha256, `SHA-256 of rejected file ${file.path}`);
    const dedupeKey = sha256 !== null ? `sha256:${sha256}` : `path:${file.path}:${file.bytes}`;
    return this.#dialect.writeTransaction(async (trx) => {
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
    const rows = await this.#dialect.db.selectFrom('rejected_files').selectAll().orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      path: r.path,
      name: r.name,
      sha256: r.sha256,
      bytes: r.bytes,
      reason: r.reason,
      message: r.message,
      line: r.line,
      receivedAt: instantFromDb(r.received_at),
    }));
  }

  async listFiles(lot?: string): Promise<StoredFile[]> {
    let query = this.#dialect.db.selectFrom('files').selectAll('files').orderBy('files.id');
    if (lot !== undefined) query = query.where('files.id', 'in', filesOfLot(this.#dialect.db, lot));
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
    let q = this.#dialect.db
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
    if (query.lot !== undefined) q = q.where('q.file_id', 'in', filesOfLot(this.#dialect.db, query.lot));
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      fileId: r.file_id,
      fileSha256: r.sha256,
      file: r.path,
      line: r.line,
      column: r.column_name,
      rawValue: r.raw_value,
      reason: r.reason,
      message: r.message,
    }));
  }
}

/**
 * The station verdicts and limit sets of newly stored files (files without any write nothing). A limit
 * set is written once for every file that shares it.
 */
interface StationEvidenceRow {
  readonly fileId: number;
  readonly prepared: PreparedFile;
}

async function writeStationEvidence(
  trx: StoreTrx,
  dialect: StoreDialect,
  files: readonly StationEvidenceRow[],
  ids: StoredIds,
  pending: PendingIds,
): Promise<void> {
  const withEvidence = files.filter((f) => f.prepared.station !== null);
  if (withEvidence.length === 0) return;
  const sets = new Map<string, string>();
  for (const f of withEvidence) {
    const set = f.prepared.station!.limitSet;
    if (set !== null && !ids.hasLimitSet(set.sha256, pending)) sets.set(set.sha256, set.json);
  }
  for (const sha of sets.keys()) pending.limitSets.add(sha);
  const setRows = [...sets].map(([sha256, limits]) => ({ sha256, limits }));
  for (const part of chunks(setRows, 2, dialect.maxParameters))
    await trx
      .insertInto('station_limit_sets')
      .values(part)
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  const rows = withEvidence.map((f) => ({
    file_id: f.fileId,
    verdicts: jsonToDb(f.prepared.station!.verdicts),
    limit_set: f.prepared.station!.limitSet?.sha256 ?? null,
  }));
  for (const part of chunks(rows, 3, dialect.maxParameters)) await trx.insertInto('station_evidence').values(part).execute();
}

/** The stored file with this SHA-256 and the lots its runs belong to. */
async function duplicateFile(trx: StoreTrx, sha256: string): Promise<RecordFileResult> {
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
