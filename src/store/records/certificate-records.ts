/**
 * @module Issued certificates: one record per issue, never changed (the database refuses). A
 * certificate number belongs to one lot revision; a re-issue (another customer or purchase order,
 * corrected company data) is the next revision of that number, and the revisions before it stand as
 * superseded. Each record carries a link of the certificates' hash chain.
 */
import type { Selectable } from 'kysely';
import type { StoreDatabase } from '../database-schema.js';
import type { StoreDialect } from '../dialect/store-dialect.js';
import type { CertificateInput, CertificateRecord, CertificateStanding } from '../store.js';
import { RecordConflictError } from '../store-errors.js';
import { checkCertificatePayload } from '../stored-documents.js';
import { instantFromDb, jsonToDb, normaliseSha256, toStoredInstant } from '../stored-values.js';
import { chainContent, linkRow } from './hash-chain.js';

type CertificateRow = Selectable<StoreDatabase['certificates']>;

export class CertificateRecords {
  readonly #dialect: StoreDialect;

  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
  }

  async recordCertificate(input: CertificateInput): Promise<CertificateRecord> {
    const dialect = this.#dialect;
    const issuedAt = toStoredInstant(input.issuedAt, `issuedAt of certificate ${input.documentId}`);
    const pdfSha256 = normaliseSha256(input.pdfSha256, `pdfSha256 of certificate ${input.documentId}`);
    const payload = checkCertificatePayload(input.payload, `the record of certificate ${input.documentId}`);
    try {
      const row = await dialect.writeTransaction(async (trx) => {
        const covered = {
          lot: input.lot,
          revision: input.revision,
          document_id: input.documentId,
          pdf_sha256: pdfSha256,
          path: input.path,
          issued_at: issuedAt,
          payload: jsonToDb(payload),
          certificate_number: payload.certificateNumber,
          certificate_revision: input.certificateRevision ?? 1,
        };
        const link = await linkRow(trx, 'certificates', chainContent(dialect, 'certificates', covered));
        return trx
          .insertInto('certificates')
          .values({ ...covered, ...link })
          .returningAll()
          .executeTakeFirstOrThrow();
      });
      return toCertificate(dialect, row);
    } catch (err) {
      if (dialect.isUniqueViolation(err)) {
        throw new RecordConflictError(
          `Certificate ${payload.certificateNumber} revision ${input.certificateRevision ?? 1} (document id "${input.documentId}") is already issued; a re-issue is the next revision.`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  async getCertificate(documentId: string): Promise<CertificateRecord | null> {
    const row = await this.#dialect.db.selectFrom('certificates').selectAll().where('document_id', '=', documentId).executeTakeFirst();
    return row ? toCertificate(this.#dialect, row) : null;
  }

  async listCertificates(lot: string): Promise<CertificateRecord[]> {
    const rows = await this.#dialect.db.selectFrom('certificates').selectAll().where('lot', '=', lot).orderBy('id').execute();
    return rows.map((r) => toCertificate(this.#dialect, r));
  }

  async certificateRevisions(certificateNumber: string): Promise<CertificateStanding[]> {
    const rows = await this.#dialect.db
      .selectFrom('certificates')
      .selectAll()
      .where('certificate_number', '=', certificateNumber)
      .orderBy('certificate_revision')
      .execute();
    return withStanding(rows.map((r) => toCertificate(this.#dialect, r)));
  }

  async certificatesByPdf(pdfSha256: string): Promise<CertificateStanding[]> {
    const rows = await this.#dialect.db
      .selectFrom('certificates')
      .select('certificate_number')
      .where('pdf_sha256', '=', pdfSha256.toLowerCase())
      .execute();
    const out: CertificateStanding[] = [];
    for (const number of new Set(rows.map((r) => r.certificate_number)))
      out.push(...(await this.certificateRevisions(number)).filter((c) => c.pdfSha256 === pdfSha256.toLowerCase()));
    return out;
  }
}

/** Each revision with the one after it (its replacement), the last one current. */
function withStanding(revisions: readonly CertificateRecord[]): CertificateStanding[] {
  return revisions.map((c, i) => ({ ...c, supersededBy: revisions[i + 1]?.certificateRevision ?? null }));
}

/** A `certificates` row as the record the store hands out (its payload checked). */
export function toCertificate(dialect: Pick<StoreDialect, 'jsonFromDb'>, r: CertificateRow): CertificateRecord {
  return {
    id: r.id,
    lot: r.lot,
    revision: r.revision,
    certificateRevision: r.certificate_revision,
    documentId: r.document_id,
    pdfSha256: r.pdf_sha256,
    path: r.path,
    issuedAt: instantFromDb(r.issued_at),
    payload: checkCertificatePayload(dialect.jsonFromDb(r.payload), `the record of certificate ${r.document_id}`),
  };
}
