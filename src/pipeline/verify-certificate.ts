/**
 * @module `lotqa verify <certificate.pdf>`: is this file a certificate this store issued, unaltered, and
 * does it still describe the lot?
 *
 * 1. The file's SHA-256 is looked up among the issued-certificate records. No match: the file is
 *    altered (it claims an issued certificate number, and lotqa says which of its fields differ from
 *    what was issued) or unknown (no lotqa evidence, or a number this store never issued).
 * 2. A match is re-derived: the stored result must still hash to what was certified, the decision must
 *    be about it, and the evidence the file carries must equal the evidence built again from the stored
 *    result, the decision and the recorded issue (customer, PO, ship-to, revision, document id).
 * 3. Its standing: a revision superseded by a re-issue is no longer valid; a lot with new files or a
 *    newer evaluation has changed since.
 *
 * Beside the verdict, which lotqa evaluated the certified revision (version and build time, from the lot's
 * `evaluated` audit event, lotqa-build.ts): a fact for the reader, never part of any hash or of the verdict.
 *
 * Exit codes: 0 an issued, unaltered, current certificate of the lot's current content; 4 altered,
 * unknown or superseded; 5 the lot has changed since.
 */
import { createHash } from 'node:crypto';
import { standingDecision } from '../domain/decision.js';
import { ExitCode } from '../errors/lotqa-error.js';
import {
  compareEvidence,
  readCertificateEvidence,
  type CertificateEvidence,
  type CertificateIssue,
  type EvidenceDifference,
} from '../report/certificate-evidence.js';
import { EvidenceNotFoundError } from '../report/report-errors.js';
import { resultSha256 } from '../report/result-hash.js';
import type { CertificateStanding, Store } from '../store/store.js';
import type { LotqaBuild } from './lotqa-build.js';

export type VerifyVerdict = 'valid' | 'altered' | 'unknown' | 'superseded' | 'lot-changed';

export interface VerifyOutcome {
  readonly verdict: VerifyVerdict;
  readonly exitCode: ExitCode;
  /** SHA-256 of the file checked. */
  readonly pdfSha256: string;
  readonly lot: string | null;
  readonly revision: number | null;
  readonly certificateNumber: string | null;
  readonly certificateRevision: number | null;
  /** The issued record the file is (by SHA-256), when it is one. */
  readonly certificate: CertificateStanding | null;
  /** Field by field, what the file says against what the store re-derives. */
  readonly differences: readonly EvidenceDifference[];
  /** What was found, one sentence each, for a person. */
  readonly findings: readonly string[];
  /** True only for the verdict 'valid'. */
  readonly matches: boolean;
  /** The lot's files are the ones certified (null when the lot is not known). */
  readonly dataUnchanged: boolean | null;
  /**
   * The lotqa (version, build time when run from a build) that evaluated the revision the file names, as
   * recorded in that revision's `evaluated` audit event; null when the store holds no such record.
   */
  readonly evaluatedBy: LotqaBuild | null;
}

/** What the certificate's bytes and the store say, before the evaluating lotqa is looked up. */
type Judged = Omit<VerifyOutcome, 'evaluatedBy'>;

const EXIT: Record<VerifyVerdict, ExitCode> = {
  valid: ExitCode.ok,
  altered: ExitCode.verifyMismatch,
  unknown: ExitCode.verifyMismatch,
  superseded: ExitCode.verifyMismatch,
  'lot-changed': ExitCode.lotChangedSince,
};

export async function verifyCertificate(store: Store, pdf: Uint8Array): Promise<VerifyOutcome> {
  const judged = await judgeCertificate(store, pdf);
  const evaluatedBy = judged.lot !== null && judged.revision !== null ? await evaluatingLotqa(store, judged.lot, judged.revision) : null;
  return { ...judged, evaluatedBy };
}

/**
 * The lotqa recorded in the `evaluated` audit event of `lot` revision `revision` (the last one, should the
 * revision have been recorded twice); null for a lot the store does not know or an event from before
 * lotqa recorded itself.
 */
export async function evaluatingLotqa(store: Store, lot: string, revision: number): Promise<LotqaBuild | null> {
  const events = (await store.auditTrail(lot)).filter(
    (e) => e.kind === 'evaluated' && (e.payload as { revision?: unknown }).revision === revision,
  );
  const lotqa = (events.at(-1)?.payload as { lotqa?: { version?: unknown; builtAt?: unknown } } | undefined)?.lotqa;
  if (lotqa === undefined || typeof lotqa.version !== 'string') return null;
  return { version: lotqa.version, ...(typeof lotqa.builtAt === 'string' ? { builtAt: lotqa.builtAt } : {}) };
}

async function judgeCertificate(store: Store, pdf: Uint8Array): Promise<Judged> {
  const pdfSha256 = createHash('sha256').update(pdf).digest('hex');
  let evidence: CertificateEvidence | null = null;
  try {
    evidence = readCertificateEvidence(pdf);
  } catch (err) {
    if (!(err instanceof EvidenceNotFoundError)) throw err;
  }
  const base = { pdfSha256, lot: evidence?.lot ?? null, revision: evidence?.revision ?? null };
  const outcome = (
    verdict: VerifyVerdict,
    findings: string[],
    rest: Partial<Pick<VerifyOutcome, 'certificate' | 'differences' | 'dataUnchanged' | 'lot' | 'revision'>> = {},
  ): Judged => ({
    ...base,
    certificateNumber: rest.certificate?.payload.certificateNumber ?? evidence?.certificateNumber ?? null,
    certificateRevision: rest.certificate?.certificateRevision ?? evidence?.issue?.certificateRevision ?? null,
    certificate: null,
    differences: [],
    dataUnchanged: null,
    ...rest,
    verdict,
    exitCode: EXIT[verdict],
    findings,
    matches: verdict === 'valid',
  });

  const issued = await store.certificatesByPdf(pdfSha256);
  const record = issued.at(-1) ?? null;
  if (!record) {
    if (!evidence)
      return outcome('unknown', [
        `no certificate issued by this store has SHA-256 ${pdfSha256}, and the file carries no lotqa evidence: it is not a lotqa certificate`,
      ]);
    const revisions = await store.certificateRevisions(evidence.certificateNumber);
    if (revisions.length === 0)
      return outcome('unknown', [
        `the file claims certificate ${evidence.certificateNumber} of lot ${evidence.lot} revision ${evidence.revision}, which this store never issued (SHA-256 ${pdfSha256} matches no issued certificate)`,
      ]);
    const claimed =
      revisions.find((c) => c.certificateRevision === evidence.issue?.certificateRevision) ?? revisions[revisions.length - 1]!;
    const { differences } = await rederive(store, evidence, claimed);
    return outcome(
      'altered',
      [
        `the file claims certificate ${evidence.certificateNumber} revision ${evidence.issue?.certificateRevision ?? '?'}, but its bytes are not any issued revision: SHA-256 ${pdfSha256}, issued ${revisions.map((c) => `r${c.certificateRevision} ${c.pdfSha256}`).join(', ')}`,
        differences.length > 0
          ? `what it says differs from what was issued in: ${differences.map((d) => d.field).join(', ')}`
          : 'what it says matches the issued evidence, so the change is elsewhere in the document (text, figures, signature)',
      ],
      { differences, certificate: null },
    );
  }

  // The file is an issued document: re-derive it from the store.
  const lotRevision = { lot: record.lot, revision: record.revision };
  const derived = evidence
    ? await rederive(store, evidence, record)
    : {
        differences: [{ field: 'pdfSha256', certificate: 'no evidence block', store: record.pdfSha256 } as EvidenceDifference],
        problems: [],
      };
  if (derived.differences.length > 0 || derived.problems.length > 0)
    return outcome(
      'altered',
      [
        `the file is certificate ${record.payload.certificateNumber} revision ${record.certificateRevision} as issued, but the store no longer re-derives it`,
        ...derived.problems,
        ...derived.differences.map((d) => `${d.field}: certificate ${d.certificate} / store ${d.store}`),
      ],
      { ...lotRevision, certificate: record, differences: derived.differences },
    );
  if (record.supersededBy !== null) {
    const next = (await store.certificateRevisions(record.payload.certificateNumber)).find(
      (c) => c.certificateRevision === record.supersededBy,
    );
    return outcome(
      'superseded',
      [
        `certificate ${record.payload.certificateNumber} revision ${record.certificateRevision} was superseded by revision ${record.supersededBy}${next ? `, issued ${next.issuedAt} by ${next.payload.issuedBy ?? next.payload.signer} (${next.payload.reason ?? 're-issue'})` : ''}; only the current revision is valid`,
      ],
      { ...lotRevision, certificate: record },
    );
  }
  const evaluation = (await store.getEvaluation(record.lot, record.revision))!;
  const currentContent = await store.lotContentHash(record.lot);
  const latest = await store.latestEvaluationHead(record.lot);
  const dataUnchanged = currentContent === evaluation.contentHash;
  if (!dataUnchanged || (latest !== null && latest.revision !== record.revision)) {
    return outcome(
      'lot-changed',
      [
        `the file is certificate ${record.payload.certificateNumber} revision ${record.certificateRevision}, unaltered, but the lot has changed since`,
        ...(dataUnchanged
          ? []
          : [
              `lot ${record.lot} has other files now (content ${currentContent.slice(0, 12)}…, certified ${evaluation.contentHash.slice(0, 12)}…)`,
            ]),
        ...(latest !== null && latest.revision !== record.revision
          ? [`lot ${record.lot} was evaluated again as revision ${latest.revision}; the certificate is about revision ${record.revision}`]
          : []),
      ],
      { ...lotRevision, certificate: record, dataUnchanged },
    );
  }
  return outcome(
    'valid',
    [
      `the file is certificate ${record.payload.certificateNumber} revision ${record.certificateRevision} (document ${record.documentId}) exactly as issued ${record.issuedAt}, re-derived from the stored result, and the lot's current content`,
    ],
    { ...lotRevision, certificate: record, dataUnchanged },
  );
}

/** The evidence a certificate carries against the evidence built again from the store for `record`. */
async function rederive(
  store: Store,
  evidence: CertificateEvidence,
  record: CertificateStanding,
): Promise<{ differences: EvidenceDifference[]; problems: string[] }> {
  const problems: string[] = [];
  const evaluation = await store.getEvaluation(record.lot, record.revision);
  if (!evaluation) return { differences: [], problems: [`the store has no evaluation of lot ${record.lot} revision ${record.revision}`] };
  const decision = standingDecision(await store.listDecisions(record.lot), record.revision);
  if (!decision) return { differences: [], problems: [`the store has no decision for lot ${record.lot} revision ${record.revision}`] };
  const recomputed = resultSha256(evaluation.result);
  if (recomputed !== evaluation.resultSha256)
    problems.push(`the stored result re-hashes to ${recomputed}, not the ${evaluation.resultSha256} it was stored under`);
  if (record.payload.resultSha256 !== evaluation.resultSha256)
    problems.push(
      `the certificate record certifies result ${record.payload.resultSha256}, the stored evaluation is ${evaluation.resultSha256}`,
    );
  const recorded = record.payload.issue;
  const issue: CertificateIssue | undefined = recorded
    ? {
        certificateRevision: record.certificateRevision,
        customer: recorded.customer,
        purchaseOrder: recorded.purchaseOrder,
        shipTo: recorded.shipTo,
        documentId: record.documentId,
        status: recorded.status,
      }
    : undefined;
  const { differences } = compareEvidence(evidence, evaluation.result, decision, issue);
  return { differences: [...differences], problems };
}
