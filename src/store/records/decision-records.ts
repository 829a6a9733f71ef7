/**
 * @module Decisions: the permanent records of who decided what about which exact LotResult. Never
 * updated (the database refuses); each carries a link of the decisions' hash chain.
 */
import type { Selectable } from 'kysely';
import type { DecisionRecord } from '../../domain/decision.js';
import type { StoreDatabase } from '../database-schema.js';
import type { StoreDialect } from '../dialect/store-dialect.js';
import type { DecisionStage, StoredDecision } from '../store.js';
import { DecisionConflictError } from '../store-errors.js';
import { instantFromDb, toStoredInstant } from '../stored-values.js';
import { chainContent, linkRow } from './hash-chain.js';

type DecisionRow = Selectable<StoreDatabase['decisions']>;

export class DecisionRecords {
  readonly #dialect: StoreDialect;

  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
  }

  async insertDecision(record: DecisionRecord): Promise<StoredDecision> {
    const dialect = this.#dialect;
    const stage: DecisionStage = record.disposition === 'HOLD' ? 'hold' : 'final';
    const decidedAt = toStoredInstant(record.decidedAt, `decidedAt of the decision on lot ${record.lot}`);
    try {
      return await dialect.writeTransaction(async (trx) => {
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
        const covered = {
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
        };
        const link = await linkRow(trx, 'decisions', chainContent(dialect, 'decisions', covered));
        const row = await trx
          .insertInto('decisions')
          .values({ ...covered, ...link })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toDecision(row);
      });
    } catch (err) {
      if (!dialect.isUniqueViolation(err)) throw err;
      // Lost a race: the other sign-off committed first. Report who won.
      const winner = await dialect.db
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
    const rows = await this.#dialect.db.selectFrom('decisions').selectAll().where('lot', '=', lot).orderBy('id').execute();
    return rows.map(toDecision);
  }

  async finalDecision(lot: string, revision: number): Promise<StoredDecision | null> {
    const row = await this.#dialect.db
      .selectFrom('decisions')
      .selectAll()
      .where('lot', '=', lot)
      .where('revision', '=', revision)
      .where('stage', '=', 'final')
      .executeTakeFirst();
    return row ? toDecision(row) : null;
  }
}

function conflict(record: DecisionRecord, stage: DecisionStage, existing: DecisionRow): DecisionConflictError {
  return new DecisionConflictError(
    record.lot,
    record.revision,
    stage,
    `${existing.disposition} by ${existing.decided_by} (${existing.decided_kind}) at ${instantFromDb(existing.decided_at)}`,
  );
}

/** A `decisions` row as the record the store hands out. */
export function toDecision(r: DecisionRow): StoredDecision {
  return {
    id: r.id,
    lot: r.lot,
    revision: r.revision,
    stage: r.stage,
    disposition: r.disposition,
    decidedBy: r.decided_by,
    decidedKind: r.decided_kind,
    decidedAt: instantFromDb(r.decided_at),
    reason: r.reason,
    resultSha256: r.result_sha256,
    specVersion: r.spec_version,
    policyVersion: r.policy_version,
    baselineVersion: r.baseline_version,
    supersedes: r.supersedes,
  };
}
