/**
 * @module Lot evaluations: one row per revision of a lot, with the LotResult it produced (megabytes for
 * a large lot: the heads are read without it).
 */
import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { StoreDatabase } from '../database-schema.js';
import type { StoreDialect } from '../dialect/store-dialect.js';
import type { EvaluationHead, EvaluationInput, EvaluationRecord, StoredInputDocument } from '../store.js';
import { chainContent, linkRow } from './hash-chain.js';
import { lotPageSummary } from '../../domain/lot-page-summary.js';
import { insertLotPageSummary } from './lot-page-summary-records.js';
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
      ...inputHashesOf(r),
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
        const inputs = input.inputs;
        if (inputs) {
          // Each document once, by its content hash (the same spec serves every lot of its product).
          for (const doc of [inputs.spec, inputs.policy, inputs.baseline]) {
            if (!doc) continue;
            await trx
              .insertInto('input_documents')
              .values({ sha256: doc.sha256, kind: doc.kind, document_id: doc.id, content: jsonToDb(doc.document), stored_at: evaluatedAt })
              .onConflict((oc) => oc.column('sha256').doNothing())
              .execute();
          }
        }
        const covered = {
          lot: input.lot,
          revision,
          content_hash: input.contentHash,
          result_sha256: input.resultSha256,
          evaluated_at: evaluatedAt,
          spec_sha256: inputs?.spec.sha256 ?? null,
          policy_sha256: inputs?.policy.sha256 ?? null,
          baseline_sha256: inputs?.baseline?.sha256 ?? null,
          inputs_sha256: inputs?.sha256 ?? null,
        };
        const link = await linkRow(trx, 'lot_evaluations', chainContent(dialect, 'lot_evaluations', covered));
        const row = await trx
          .insertInto('lot_evaluations')
          .values({
            ...covered,
            ...link,
            // PostgreSQL's jsonb parses the text either way; SQLite keeps the (canonical) string as given.
            result: resultText(dialect, input),
            proposal: input.result.proposal.disposition,
            units: input.result.quantity.units,
            file_count: input.result.fileHashes.length,
            first_pass_yield: input.result.yields.firstPass,
            final_yield: input.result.yields.final,
          })
          .returning(['revision', 'evaluated_at'])
          .executeTakeFirstOrThrow();
        // The lot page's few kilobytes, so the console never reads this result to show the lot (0010).
        await insertLotPageSummary(trx, input.resultSha256, lotPageSummary({ ...input.result, revision: row.revision }));
        // The caller's result object is what was stored: parsing a 25 MB JSON back would only cost time.
        return {
          lot: input.lot,
          revision: row.revision,
          contentHash: input.contentHash,
          resultSha256: input.resultSha256,
          specSha256: covered.spec_sha256,
          policySha256: covered.policy_sha256,
          baselineSha256: covered.baseline_sha256,
          inputsSha256: covered.inputs_sha256,
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
      .select([
        'lot',
        'revision',
        'content_hash',
        'result_sha256',
        'evaluated_at',
        'spec_sha256',
        'policy_sha256',
        'baseline_sha256',
        'inputs_sha256',
      ])
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
          ...inputHashesOf(row),
          evaluatedAt: instantFromDb(row.evaluated_at),
        }
      : null;
  }

  async listEvaluations(lot: string): Promise<EvaluationRecord[]> {
    const rows = await this.#dialect.db.selectFrom('lot_evaluations').selectAll().where('lot', '=', lot).orderBy('revision').execute();
    return rows.map((r) => this.#toEvaluation(r));
  }

  async inputDocument(sha256: string): Promise<StoredInputDocument | null> {
    const row = await this.#dialect.db.selectFrom('input_documents').selectAll().where('sha256', '=', sha256).executeTakeFirst();
    return row ? { sha256: row.sha256, kind: row.kind, id: row.document_id, document: this.#dialect.jsonFromDb(row.content) } : null;
  }
}

/**
 * The result column's value: the caller's canonical JSON when given. UTF-8 bytes go to SQLite as a blob
 * cast to TEXT (the same stored text, without a 25 MB JavaScript string and its encoding); PostgreSQL's
 * jsonb takes text.
 */
function resultText(dialect: StoreDialect, input: EvaluationInput): string | RawBuilder<string> {
  const json = input.resultJson;
  if (json === undefined) return jsonToDb(input.result);
  if (typeof json === 'string') return json;
  if (dialect.backend === 'sqlite') return sql<string>`cast(${Buffer.from(json.buffer, json.byteOffset, json.byteLength)} as text)`;
  return Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8');
}

function inputHashesOf(r: Pick<EvaluationRow, 'spec_sha256' | 'policy_sha256' | 'baseline_sha256' | 'inputs_sha256'>) {
  return { specSha256: r.spec_sha256, policySha256: r.policy_sha256, baselineSha256: r.baseline_sha256, inputsSha256: r.inputs_sha256 };
}
