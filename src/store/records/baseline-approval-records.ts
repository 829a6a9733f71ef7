/**
 * @module A proposed baseline's approval: approvers' electronic signatures (append-only,
 * `baseline_signatures`) and the step each final signature takes on the baseline, in the same
 * transaction — approved (and made the product's only active baseline) or rejected. A baseline leaves
 * `pending` once: the update is conditional on it, so of two racing approvers exactly one wins.
 */
import type { Selectable } from 'kysely';
import type { ESignature } from '../../domain/e-signature.js';
import type { StoreDatabase } from '../database-schema.js';
import type { StoreDialect, StoreTrx } from '../dialect/store-dialect.js';
import { RecordConflictError, RecordNotFoundError } from '../store-errors.js';
import { checkDecisionSignatures } from '../stored-documents.js';
import { jsonToDb } from '../stored-values.js';

/** Where a stored baseline stands. */
export type BaselineState = 'proposed' | 'active' | 'superseded' | 'rejected';

/** The state of a baseline row: active wins; then its approval; an inactive one never rejected nor pending was replaced. */
export function baselineState(active: boolean, approval: 'pending' | 'approved' | 'rejected' | null): BaselineState {
  if (active) return 'active';
  if (approval === 'pending') return 'proposed';
  if (approval === 'rejected') return 'rejected';
  return 'superseded';
}

export interface BaselineSignatureInput {
  readonly productId: string;
  readonly version: number;
  readonly verdict: 'approve' | 'reject';
  readonly reason: string;
  readonly signature: ESignature;
}

export interface BaselineSignatureRecord extends BaselineSignatureInput {
  readonly id: number;
}

export class BaselineApprovalRecords {
  readonly #dialect: StoreDialect;

  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
  }

  /** Records a signature that does not settle the baseline (the first of two under the two-person rule). */
  async addSignature(input: BaselineSignatureInput): Promise<BaselineSignatureRecord> {
    return this.#dialect.writeTransaction(async (trx) => {
      await this.#pendingId(trx, input.productId, input.version);
      return this.#insert(trx, input);
    });
  }

  /** The baseline's signatures, oldest first. */
  async signatures(productId: string, version: number): Promise<BaselineSignatureRecord[]> {
    const rows = await this.#dialect.db
      .selectFrom('baseline_signatures')
      .selectAll()
      .where('product_id', '=', productId)
      .where('version', '=', version)
      .orderBy('id')
      .execute();
    return rows.map((r) => this.#toSignature(r));
  }

  /** Records the final approving signature and makes the baseline the product's only active one. */
  async approve(input: BaselineSignatureInput): Promise<BaselineSignatureRecord> {
    const dialect = this.#dialect;
    return dialect.writeTransaction(async (trx) => {
      const id = await this.#pendingId(trx, input.productId, input.version);
      await trx
        .updateTable('baselines')
        .set({ active: dialect.storedFalse })
        .where('product_id', '=', input.productId)
        .where('active', '=', dialect.storedTrue)
        .execute();
      await this.#settle(trx, id, input, { active: dialect.storedTrue, approval: 'approved' });
      return this.#insert(trx, input);
    });
  }

  /** Records the rejecting signature; the baseline is never used. */
  async reject(input: BaselineSignatureInput): Promise<BaselineSignatureRecord> {
    return this.#dialect.writeTransaction(async (trx) => {
      const id = await this.#pendingId(trx, input.productId, input.version);
      await this.#settle(trx, id, input, { approval: 'rejected' });
      return this.#insert(trx, input);
    });
  }

  async #pendingId(trx: StoreTrx, productId: string, version: number): Promise<number> {
    const row = await trx
      .selectFrom('baselines')
      .select(['id', 'approval', 'active'])
      .where('product_id', '=', productId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) throw new RecordNotFoundError(`baseline ${productId} version ${version} does not exist`);
    if (row.approval !== 'pending')
      throw new RecordConflictError(
        `baseline ${productId} version ${version} is not awaiting approval: it is ${baselineState(Boolean(row.active), row.approval ?? null)}`,
      );
    return row.id;
  }

  async #settle(
    trx: StoreTrx,
    id: number,
    input: BaselineSignatureInput,
    set: { active?: boolean | number; approval: 'approved' | 'rejected' },
  ): Promise<void> {
    const done = await trx.updateTable('baselines').set(set).where('id', '=', id).where('approval', '=', 'pending').executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1)
      throw new RecordConflictError(
        `baseline ${input.productId} version ${input.version} was settled by another approver meanwhile; reload it`,
      );
  }

  async #insert(trx: StoreTrx, input: BaselineSignatureInput): Promise<BaselineSignatureRecord> {
    const [signature] = checkDecisionSignatures([input.signature], `the signature on baseline ${input.productId} v${input.version}`);
    const row = await trx
      .insertInto('baseline_signatures')
      .values({
        product_id: input.productId,
        version: input.version,
        verdict: input.verdict,
        reason: input.reason,
        signature: jsonToDb(signature),
        signed_at: signature!.signedAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return this.#toSignature(row);
  }

  #toSignature(r: Selectable<StoreDatabase['baseline_signatures']>): BaselineSignatureRecord {
    const [signature] = checkDecisionSignatures([this.#dialect.jsonFromDb(r.signature)], `baseline signature ${r.id}`);
    return { id: r.id, productId: r.product_id, version: r.version, verdict: r.verdict, reason: r.reason, signature: signature! };
  }
}
