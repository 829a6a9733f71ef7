/**
 * @module Baselines (SPC phase I frozen per product, versioned, at most one active) and the product's
 * sampling-switching state (Z1.4 normal / tightened / reduced, one per product, replaced each lot).
 */
import type { Selectable } from 'kysely';
import type { StoreDatabase } from '../database-schema.js';
import type { StoreDialect } from '../dialect/store-dialect.js';
import type { BaselineInput, BaselineRecord, SamplingStateRecord } from '../store.js';
import { RecordConflictError, RecordNotFoundError, StoreInputError } from '../store-errors.js';
import { checkBaseline, checkSamplingState } from '../stored-documents.js';
import { instantFromDb, jsonToDb, nowInstant, toStoredInstant } from '../stored-values.js';
import type { SamplingState } from '../../domain/stored-documents.js';
import { baselineState } from './baseline-approval-records.js';

type BaselineRow = Selectable<StoreDatabase['baselines']>;

export class BaselineRecords {
  readonly #dialect: StoreDialect;

  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
  }

  #toBaseline(r: BaselineRow): BaselineRecord {
    return {
      productId: r.product_id,
      version: r.version,
      createdAt: instantFromDb(r.created_at),
      createdBy: r.created_by,
      active: Boolean(r.active),
      state: baselineState(Boolean(r.active), r.approval ?? null),
      approval: r.approval ?? null,
      payload: checkBaseline(this.#dialect.jsonFromDb(r.payload), `baseline ${r.product_id} version ${r.version}`),
    };
  }

  async saveBaseline(input: BaselineInput): Promise<BaselineRecord> {
    const dialect = this.#dialect;
    const createdAt =
      input.createdAt === undefined ? nowInstant() : toStoredInstant(input.createdAt, `createdAt of baseline ${input.productId}`);
    const payload = jsonToDb(checkBaseline(input.payload, `the new baseline of ${input.productId}`));
    try {
      return await dialect.writeTransaction(async (trx) => {
        let version = input.version;
        if (version === undefined) {
          const max = await trx
            .selectFrom('baselines')
            .select((eb) => eb.fn.max('version').as('v'))
            .where('product_id', '=', input.productId)
            .executeTakeFirst();
          version = (max?.v ?? 0) + 1;
        }
        if (input.activate && input.propose)
          throw new StoreInputError(
            `baseline of ${input.productId}: a proposed baseline awaits approval, it cannot be activated when saved`,
          );
        if (input.activate) {
          await trx
            .updateTable('baselines')
            .set({ active: dialect.storedFalse })
            .where('product_id', '=', input.productId)
            .where('active', '=', dialect.storedTrue)
            .execute();
        }
        const row = await trx
          .insertInto('baselines')
          .values({
            product_id: input.productId,
            version,
            created_at: createdAt,
            created_by: input.createdBy,
            active: input.activate ? dialect.storedTrue : dialect.storedFalse,
            payload,
            ...(input.propose ? { approval: 'pending' as const } : {}),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return this.#toBaseline(row);
      });
    } catch (err) {
      if (dialect.isUniqueViolation(err)) {
        throw new RecordConflictError(
          `Baseline ${input.productId} version ${input.version ?? '(next)'} could not be saved: that version exists or another activation raced this one. Reload the baselines and retry.`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  async activateBaseline(productId: string, version: number): Promise<BaselineRecord> {
    const dialect = this.#dialect;
    try {
      return await dialect.writeTransaction(async (trx) => {
        const target = await trx
          .selectFrom('baselines')
          .select('id')
          .where('product_id', '=', productId)
          .where('version', '=', version)
          .executeTakeFirst();
        if (!target)
          throw new RecordNotFoundError(`Baseline ${productId} version ${version} does not exist`, {
            hint: `list the versions with \`lotqa baseline show --product ${productId}\``,
          });
        await trx
          .updateTable('baselines')
          .set({ active: dialect.storedFalse })
          .where('product_id', '=', productId)
          .where('active', '=', dialect.storedTrue)
          .where('id', '<>', target.id)
          .execute();
        const row = await trx
          .updateTable('baselines')
          .set({ active: dialect.storedTrue })
          .where('id', '=', target.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return this.#toBaseline(row);
      });
    } catch (err) {
      if (dialect.isUniqueViolation(err)) {
        throw new RecordConflictError(`Activating baseline ${productId} version ${version} raced another activation; reload and retry.`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  async activeBaseline(productId: string): Promise<BaselineRecord | null> {
    const row = await this.#dialect.db
      .selectFrom('baselines')
      .selectAll()
      .where('product_id', '=', productId)
      .where('active', '=', this.#dialect.storedTrue)
      .executeTakeFirst();
    return row ? this.#toBaseline(row) : null;
  }

  async listBaselines(productId: string): Promise<BaselineRecord[]> {
    const rows = await this.#dialect.db
      .selectFrom('baselines')
      .selectAll()
      .where('product_id', '=', productId)
      .orderBy('version')
      .execute();
    return rows.map((r) => this.#toBaseline(r));
  }

  async getBaseline(productId: string, version: number): Promise<BaselineRecord | null> {
    const row = await this.#dialect.db
      .selectFrom('baselines')
      .selectAll()
      .where('product_id', '=', productId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? this.#toBaseline(row) : null;
  }

  async saveSamplingState(productId: string, payload: SamplingState, updatedAt?: string): Promise<SamplingStateRecord> {
    const at = updatedAt === undefined ? nowInstant() : toStoredInstant(updatedAt, `updatedAt of sampling state ${productId}`);
    const json = jsonToDb(checkSamplingState(payload, `the new sampling state of ${productId}`));
    const row = await this.#dialect.writeTransaction((trx) =>
      trx
        .insertInto('sampling_state')
        .values({ product_id: productId, payload: json, updated_at: at })
        .onConflict((oc) => oc.column('product_id').doUpdateSet({ payload: json, updated_at: at }))
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    return this.#toSamplingState(row);
  }

  async samplingState(productId: string): Promise<SamplingStateRecord | null> {
    const row = await this.#dialect.db.selectFrom('sampling_state').selectAll().where('product_id', '=', productId).executeTakeFirst();
    return row ? this.#toSamplingState(row) : null;
  }

  #toSamplingState(row: Selectable<StoreDatabase['sampling_state']>): SamplingStateRecord {
    return {
      productId: row.product_id,
      payload: checkSamplingState(this.#dialect.jsonFromDb(row.payload), `the sampling state of ${row.product_id}`),
      updatedAt: instantFromDb(row.updated_at),
    };
  }
}
