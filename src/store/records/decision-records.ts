/**
 * @module Decisions and certificates: the permanent records of who decided what about which exact
 * LotResult, and of every certificate issued. Neither is ever updated (decisions: the database refuses).
 */
import type { Selectable } from 'kysely';
import type { DecisionRecord } from '../../domain/decision.js';
import type { StoreDatabase } from '../database-schema.js';
import type { StoreDialect } from '../dialect/store-dialect.js';
import type { CertificateInput, CertificateRecord, DecisionStage, StoredDecision } from '../store.js';
import { DecisionConflictError, RecordConflictError } from '../store-errors.js';
import { checkCertificatePayload, checkDecisionSignatures } from '../stored-documents.js';
import { instantFromDb, jsonToDb, normaliseSha256, toStoredInstant } from '../stored-values.js';

type DecisionRow = Selectable<StoreDatabase['decisions']>;
type CertificateRow = Selectable<StoreDatabase['certificates']>;

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
            signatures: record.signatures?.length
              ? jsonToDb(checkDecisionSignatures(record.signatures, `the signatures of the decision on lot ${record.lot}`))
              : null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toDecision(row, dialect);
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
    return rows.map((r) => toDecision(r, this.#dialect));
  }

  async finalDecision(lot: string, revision: number): Promise<StoredDecision | null> {
    const row = await this.#dialect.db
      .selectFrom('decisions')
      .selectAll()
      .where('lot', '=', lot)
      .where('revision', '=', revision)
      .where('stage', '=', 'final')
      .executeTakeFirst();
    return row ? toDecision(row, this.#dialect) : null;
  }

  #toCertificate(r: CertificateRow): CertificateRecord {
    return toCertificate(this.#dialect, r);
  }

  async recordCertificate(input: CertificateInput): Promise<CertificateRecord> {
    const dialect = this.#dialect;
    const issuedAt = toStoredInstant(input.issuedAt, `issuedAt of certificate ${input.documentId}`);
    const pdfSha256 = normaliseSha256(input.pdfSha256, `pdfSha256 of certificate ${input.documentId}`);
    try {
      const row = await dialect.writeTransaction((trx) =>
        trx
          .insertInto('certificates')
          .values({
            lot: input.lot,
            revision: input.revision,
            document_id: input.documentId,
            pdf_sha256: pdfSha256,
            path: input.path,
            issued_at: issuedAt,
            payload: jsonToDb(checkCertificatePayload(input.payload, `the record of certificate ${input.documentId}`)),
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      return this.#toCertificate(row);
    } catch (err) {
      if (dialect.isUniqueViolation(err)) {
        throw new RecordConflictError(
          `Certificate document id "${input.documentId}" is already issued; give the new certificate its own document number.`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  async getCertificate(documentId: string): Promise<CertificateRecord | null> {
    const row = await this.#dialect.db.selectFrom('certificates').selectAll().where('document_id', '=', documentId).executeTakeFirst();
    return row ? this.#toCertificate(row) : null;
  }

  async listCertificates(lot: string): Promise<CertificateRecord[]> {
    const rows = await this.#dialect.db.selectFrom('certificates').selectAll().where('lot', '=', lot).orderBy('id').execute();
    return rows.map((r) => this.#toCertificate(r));
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

/** A `certificates` row as the record the store hands out (its payload checked). */
export function toCertificate(dialect: Pick<StoreDialect, 'jsonFromDb'>, r: CertificateRow): CertificateRecord {
  return {
    id: r.id,
    lot: r.lot,
    revision: r.revision,
    documentId: r.document_id,
    pdfSha256: r.pdf_sha256,
    path: r.path,
    issuedAt: instantFromDb(r.issued_at),
    payload: checkCertificatePayload(dialect.jsonFromDb(r.payload), `the record of certificate ${r.document_id}`),
  };
}

/** A `decisions` row as the record the store hands out (its signatures checked). */
export function toDecision(r: DecisionRow, dialect: Pick<StoreDialect, 'jsonFromDb'>): StoredDecision {
  const signed = r.signatures === null || r.signatures === undefined ? null : dialect.jsonFromDb(r.signatures);
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
    ...(signed === null ? {} : { signatures: checkDecisionSignatures(signed, `the signatures of decision ${r.id} (lot ${r.lot})`) }),
  };
}
