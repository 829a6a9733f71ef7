/**
 * @module Lot evaluations: one row per revision of a lot, with the LotResult it produced (megabytes for
 * a large lot: the heads are read without it).
 */
import type { Selectable } from 'kysely';
import type { StoreDatabase } from '../database-schema.js';
import type { StoreDialect } from '../dialect/store-dialect.js';
import type { EvaluationHead, EvaluationInput, EvaluationRecord } from '../store.js';
import { RecordConflictError } from '../store-errors.js';
import { checkLotResult } from '../stored-documents.js';
import { instantFromDb, jsonToDb, nowInstant, toStoredInstant } from '../stored-values.js';

type EvaluationRow = Selectable<StoreDatabase['lot_evaluations']>;

export class EvaluationRecords {
  readonly #dialect: StoreDialect;

  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
  }

  #toEvaluation(r: EvaluationRow): EvaluationRecord {
    return {
      lot: r.lot,
      revision: r.revision,
      contentHash: r.content_hash,
      resultSha256: r.result_sha256,
      result: checkLotResult(this.#dialect.jsonFromDb(r.result), `the stored result of lot ${r.lot} revision ${r.revision}`),
      evaluatedAt: instantFromDb(r.evaluated_at),
    };
  }

  async saveEvaluation(input: EvaluationInput): Promise<EvaluationRecord> {
    const dialect = this.#dialect;
    const evaluatedAt =
      input.evaluatedAt === undefined ? nowInstant() : toStoredInstant(input.evaluatedAt, `evaluatedAt of lot ${input.lot}`);
    try {
      return await dialect.writeTransaction(async (trx) => {
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
            proposal: input.result.proposal.disposition,
            units: input.result.quantity.units,
            file_count: input.result.fileHashes.length,
            first_pass_yield: input.result.yields.firstPass,
            final_yield: input.result.yields.final,
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
      if (dialect.isUniqueViolation(err)) {
        throw new RecordConflictError(
          `Lot ${input.lot} evaluation revision ${input.revision ?? '(next)'} is already stored (another evaluation raced this one); reload and retry.`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  async getEvaluation(lot: string, revision: number): Promise<EvaluationRecord | null> {
    const row = await this.#dialect.db
      .selectFrom('lot_evaluations')
      .selectAll()
      .where('lot', '=', lot)
      .where('revision', '=', revision)
      .executeTakeFirst();
    return row ? this.#toEvaluation(row) : null;
  }

  async latestEvaluation(lot: string): Promise<EvaluationRecord | null> {
    const row = await this.#dialect.db
      .selectFrom('lot_evaluations')
      .selectAll()
      .where('lot', '=', lot)
      .orderBy('revision', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? this.#toEvaluation(row) : null;
  }

  async latestEvaluationHead(lot: string): Promise<EvaluationHead | null> {
    const row = await this.#dialect.db
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
    const rows = await this.#dialect.db.selectFrom('lot_evaluations').selectAll().where('lot', '=', lot).orderBy('revision').execute();
    return rows.map((r) => this.#toEvaluation(r));
  }
}
