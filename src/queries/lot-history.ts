/**
 * @module A lot's history: every evaluated revision with its summary (what the policy proposed, units,
 * files, yields), the decisions made on it and the one that stands, and the certificates issued for
 * it. No LotResult document is read.
 */
import { standingDecision } from '../domain/decision.js';
import type { Disposition } from '../domain/lot-result.js';
import { toCertificate } from '../store/records/certificate-records.js';
import { toDecision } from '../store/records/decision-records.js';
import type { CertificateRecord, Store, StoredDecision } from '../store/store.js';
import { instantFromDb } from '../store/stored-values.js';

export interface RevisionSummary {
  readonly revision: number;
  readonly evaluatedAt: string;
  /** The lot content (its files) this revision evaluated. */
  readonly contentHash: string;
  /** SHA-256 of the revision's canonical LotResult: what decisions and certificates name. */
  readonly resultSha256: string;
  readonly proposal: Disposition | null;
  readonly units: number | null;
  readonly files: number | null;
  readonly firstPassYield: number | null;
  readonly finalYield: number | null;
  /** Every decision on this revision, in the order recorded (a HOLD, then at most one final). */
  readonly decisions: readonly StoredDecision[];
  /** Its ACCEPT/REJECT, else its HOLD, else null. */
  readonly standing: StoredDecision | null;
  readonly certificates: readonly CertificateRecord[];
}

export interface LotHistory {
  readonly lot: string;
  /** Oldest revision first. */
  readonly revisions: readonly RevisionSummary[];
}

/** The lot's revisions, decisions and certificates (empty revisions when never evaluated). */
export async function lotHistory(store: Store, lot: string): Promise<LotHistory> {
  const { db } = store.reads;
  const evaluations = await db
    .selectFrom('lot_evaluations')
    .select([
      'revision',
      'evaluated_at',
      'content_hash',
      'result_sha256',
      'proposal',
      'units',
      'file_count',
      'first_pass_yield',
      'final_yield',
    ])
    .where('lot', '=', lot)
    .orderBy('revision')
    .execute();
  const decisions = (await db.selectFrom('decisions').selectAll().where('lot', '=', lot).orderBy('id').execute()).map(toDecision);
  const certificates = (await db.selectFrom('certificates').selectAll().where('lot', '=', lot).orderBy('id').execute()).map((c) =>
    toCertificate(store.reads, c),
  );
  return {
    lot,
    revisions: evaluations.map((e) => ({
      revision: e.revision,
      evaluatedAt: instantFromDb(e.evaluated_at),
      contentHash: e.content_hash,
      resultSha256: e.result_sha256,
      proposal: e.proposal,
      units: e.units,
      files: e.file_count,
      firstPassYield: e.first_pass_yield,
      finalYield: e.final_yield,
      decisions: decisions.filter((d) => d.revision === e.revision),
      standing: standingDecision(decisions, e.revision),
      certificates: certificates.filter((c) => c.revision === e.revision),
    })),
  };
}
