/**
 * @module The lot pages' summaries (migration 0010): one small JSON per evaluated revision, keyed by the
 * result's SHA-256, written with the evaluation (and by the console for results stored before 0010), so
 * a lot's page never reads its megabytes of LotResult. A cache of derived data: not hash-chained, never
 * evidence; a summary whose result hash differs from the evaluation's is ignored by its readers.
 */
import type { Kysely, Transaction } from 'kysely';
import type { LotPageSummary } from '../../domain/lot-page-summary.js';
import type { StoreDatabase } from '../database-schema.js';
import type { StoreDialect } from '../dialect/store-dialect.js';
import { jsonToDb } from '../stored-values.js';

export interface StoredLotPageSummary {
  readonly resultSha256: string;
  readonly summary: LotPageSummary;
}

/** Inserts the summary unless one is stored for (lot, revision) already (the first one stays). */
export async function insertLotPageSummary(
  db: Kysely<StoreDatabase> | Transaction<StoreDatabase>,
  resultSha256: string,
  summary: LotPageSummary,
): Promise<void> {
  await db
    .insertInto('lot_page_summaries')
    .values({ lot: summary.lot, revision: summary.revision, result_sha256: resultSha256, summary: jsonToDb(summary) })
    .onConflict((oc) => oc.columns(['lot', 'revision']).doNothing())
    .execute();
}

export class LotPageSummaryRecords {
  readonly #dialect: StoreDialect;

  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
  }

  /** The stored summary of the revision, or null (evaluated before 0010 and never viewed since). */
  async get(lot: string, revision: number): Promise<StoredLotPageSummary | null> {
    const row = await this.#dialect.db
      .selectFrom('lot_page_summaries')
      .select(['result_sha256', 'summary'])
      .where('lot', '=', lot)
      .where('revision', '=', revision)
      .executeTakeFirst();
    return row ? { resultSha256: row.result_sha256, summary: this.#dialect.jsonFromDb(row.summary) as LotPageSummary } : null;
  }

  /** Stores a summary made from a stored result (for evaluations stored before 0010). */
  async save(resultSha256: string, summary: LotPageSummary): Promise<void> {
    await this.#dialect.writeTransaction((trx) => insertLotPageSummary(trx, resultSha256, summary));
  }
}
