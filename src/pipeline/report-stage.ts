/**
 * @module Report stage — writes a decided lot revision's outputs (LotResult JSON, unit CSV, engineering
 * report, and for an ACCEPT the Certificate of Conformance) and records the certificate in the store.
 * Everything is drawn from the stored evaluation and decision; nothing is recomputed.
 *
 * Issuance is a record, never an overwrite: a lot revision's certificate has one number, and each issue
 * of it a revision. Asked again with the same printed inputs (company, customer, PO, ship-to, signed or
 * not), nothing new is issued and the issued file is left as it is; with other inputs, or an explicit
 * re-issue reason, the next revision is issued and recorded with who and why, and the one before it
 * stands superseded (its bytes kept in the folder's `superseded/`). Checking a file: verify-certificate.ts.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { standingDecision, type CertificateContext } from '../domain/decision.js';
import { findProduct, UnknownCatalogEntryError } from '../domain/catalog.js';
import type { ProductSpec } from '../domain/product-spec.js';
import { LotqaError } from '../errors/lotqa-error.js';
import { certificateDocumentId, certificateNumber } from '../report/certificate-evidence.js';
import { cpkParametersFromSpec, isPlaceholderCompany } from '../report/coc-pdf.js';
import { loadSigningCredential } from '../report/certificate-signing.js';
import { lotReportDir, writeLotReports, type WrittenReports } from '../report/write-lot-reports.js';
import { safeFileName } from '../report/text-safety.js';
import type { CertificatePayload } from '../domain/stored-documents.js';
import { setLotShipment, withShipment } from './lot-shipment.js';
import type { CertificateRecord, EvaluationRecord, Store, StoredDecision } from '../store/store.js';
import { LotStageError, systemClock, type Clock } from './lot-stages.js';
import { timedPhase } from './phase-timings.js';

export interface IssueReportsOptions {
  readonly outDir: string;
  /**
   * The company, signing and display settings; its customer, purchase order and ship-to, when given,
   * are stored with the lot first (audited) — the certificate prints what the lot's shipment holds.
   */
  readonly context: CertificateContext;
  readonly coc?: boolean;
  readonly engineering?: boolean;
  readonly preview?: boolean;
  readonly revision?: number;
  readonly clock?: Clock;
  /** The certificate as a watermarked DRAFT: written, never recorded as issued. @defaultValue false */
  readonly draft?: boolean;
  /** Environment the signing password is read from. @defaultValue process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** How to find the lot's product spec by id (the configured catalogs); shipped specs only by default. */
  readonly findSpec?: (productId: string) => ProductSpec;
  /** Who issues (recorded with the certificate and its audit event). @defaultValue the decision's signer */
  readonly issuedBy?: string;
  /**
   * Why a new revision is issued. Given, it issues a new revision even when nothing printed changed
   * (e.g. a lost or damaged copy must not be replaced silently); absent, a re-issue says what changed.
   */
  readonly reissueReason?: string;
  /**
   * The lot's evaluation as this process has it (just evaluated or read), used instead of reading it
   * from the store again when it is the revision asked for; with its canonical JSON bytes when they are
   * at hand (written as lot-result.json as they are, not serialised and hashed again).
   */
  readonly evaluation?: { readonly record: EvaluationRecord; readonly resultJson?: Uint8Array | undefined };
}

export interface IssuedReports extends WrittenReports {
  readonly lot: string;
  readonly revision: number;
  readonly decision: StoredDecision | null;
  /** A new certificate revision was recorded by this call. */
  readonly certificateRecorded: boolean;
  /** The current issued certificate of this revision (recorded now or before), when there is one. */
  readonly certificate: CertificateRecord | null;
}

/** What a certificate prints besides the stored result and decision, as its record keeps it. */
export type IssueInputs = NonNullable<CertificatePayload['issue']>;

function issueInputs(context: CertificateContext, status: IssueInputs['status']): IssueInputs {
  return {
    company: { name: context.company.name, address: [...context.company.address] },
    customer: context.customer,
    purchaseOrder: context.purchaseOrder,
    shipTo: context.shipTo ?? null,
    status,
  };
}

/** In words, what a re-issue changes ("customer "A" → "B""); empty when nothing printed changes. */
export function issueChanges(before: IssueInputs | undefined, after: IssueInputs): string[] {
  if (!before) return ['the issue before it did not record what it printed'];
  const q = (v: string | null): string => (v === null ? 'none' : `"${v}"`);
  const changes: string[] = [];
  if (before.customer !== after.customer) changes.push(`customer ${q(before.customer)} → ${q(after.customer)}`);
  if (before.purchaseOrder !== after.purchaseOrder) changes.push(`purchase order ${q(before.purchaseOrder)} → ${q(after.purchaseOrder)}`);
  if (before.shipTo !== after.shipTo) changes.push(`ship-to ${q(before.shipTo)} → ${q(after.shipTo)}`);
  if (before.company.name !== after.company.name) changes.push(`company ${q(before.company.name)} → ${q(after.company.name)}`);
  if (before.company.address.join('\n') !== after.company.address.join('\n')) changes.push('company address corrected');
  if (before.status !== after.status) changes.push(`${before.status} → ${after.status}`);
  return changes;
}

async function fileSha256(path: string): Promise<string | null> {
  try {
    return createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  } catch {
    return null;
  }
}

/** With `LOTQA_TIMINGS=1`: `report` as a whole, and each of its parts as `report: <part>`. */
export async function issueReports(store: Store, lot: string, options: IssueReportsOptions): Promise<IssuedReports> {
  return timedPhase('report', () => issueTimedReports(store, lot, options));
}

const reportPart = <T>(part: string, work: () => Promise<T> | T): Promise<T> => timedPhase(`report: ${part}`, work);

async function issueTimedReports(store: Store, lot: string, options: IssueReportsOptions): Promise<IssuedReports> {
  const given = options.evaluation;
  const reuse =
    given !== undefined && given.record.lot === lot && (options.revision === undefined || options.revision === given.record.revision);
  const evaluation = reuse
    ? given.record
    : await reportPart('load evaluation', () =>
        options.revision !== undefined ? store.getEvaluation(lot, options.revision) : store.latestEvaluation(lot),
      );
  if (!evaluation) {
    throw new LotStageError(
      `lot ${lot}${options.revision !== undefined ? ` revision ${options.revision}` : ''} has not been evaluated: run \`lotqa run\` or \`lotqa evaluate ${lot}\` first`,
    );
  }
  const result = evaluation.result;
  const decision = standingDecision(await store.listDecisions(lot), evaluation.revision);
  if (decision && decision.resultSha256 !== evaluation.resultSha256) {
    throw new LotStageError(
      `decision ${decision.id} of lot ${lot} r${evaluation.revision} certifies a different result (${decision.resultSha256.slice(0, 12)}…) than the stored evaluation (${evaluation.resultSha256.slice(0, 12)}…); the store is inconsistent — investigate before issuing anything`,
    );
  }
  const issuedBy = options.issuedBy ?? decision?.decidedBy ?? 'lotqa';
  // A customer, purchase order or ship-to given now is stored with the lot (audited); what the lot's
  // shipment holds is what the certificate prints, also when the command gave none (HOLD → decide → report).
  const { shipment } = await setLotShipment(
    store,
    lot,
    {
      customer: options.context.customer ?? undefined,
      purchaseOrder: options.context.purchaseOrder ?? undefined,
      shipTo: options.context.shipTo ?? undefined,
    },
    { by: issuedBy, reason: options.reissueReason ?? 'given with the reports' },
  );
  const context = withShipment(options.context, shipment);
  const cpkParameters = cpkParametersFromSpec(await specOfEvaluation(store, lot, evaluation, options.findSpec));
  const draft = options.draft === true;
  // The signing key is opened only when a certificate will be issued (never for a draft or a HOLD).
  const wantsCoc = (options.coc ?? true) && decision?.disposition === 'ACCEPT' && !draft && !isPlaceholderCompany(context);
  const signing = wantsCoc ? loadSigningCredential(context.signing ?? undefined, options.env ?? process.env) : null;

  // Which revision of the lot revision's certificate this is: the current one when it printed exactly
  // this, else the next (a re-issue, superseding the current one).
  const number = certificateNumber(lot, evaluation.revision, evaluation.resultSha256);
  const revisions = wantsCoc || draft ? await store.certificateRevisions(number) : [];
  const current = revisions.at(-1) ?? null;
  const issue = issueInputs(context, signing ? 'signed' : 'unsigned');
  // A signed certificate is never replaced by an unsigned one because this process has no signing key:
  // without another change it stands as issued; with one, the re-issue is refused until signing is set up.
  const downgrade = current?.payload.issue?.status === 'signed' && issue.status === 'unsigned';
  const changes = current ? issueChanges(current.payload.issue, issue).filter((c) => !(downgrade && c === 'signed → unsigned')) : [];
  const reissue = current !== null && (changes.length > 0 || options.reissueReason !== undefined);
  if (reissue && downgrade)
    throw new LotqaError(
      `certificate ${number} revision ${current.certificateRevision} of lot ${lot} is signed; a re-issue${changes.length > 0 ? ` (${changes.join('; ')})` : ''} without the company's signing certificate would replace it with an unsigned one`,
      {
        hint: 'Configure "signing" (p12Path and LOTQA_SIGNING_P12_PASSWORD) where the certificate is re-issued, then run the command again.',
      },
    );
  const certificateRevision = current === null ? 1 : reissue ? current.certificateRevision + 1 : current.certificateRevision;
  // A first issue is dated by its decision; a later revision by its own issue time (recorded with it), so
  // writing the same revision again gives the same bytes.
  const issuedNow = (options.clock ?? systemClock).now();
  const issuedAt =
    certificateRevision === 1 || decision === null
      ? (decision?.decidedAt ?? issuedNow)
      : reissue || current === null
        ? issuedNow
        : current.issuedAt;
  const lotDir = lotReportDir(options.outDir, lot);
  // The current certificate, unchanged and in place: not rendered again.
  const inPlace =
    current !== null && (await fileSha256(join(lotDir, `coc-${safeFileName(lot)}-r${evaluation.revision}.pdf`))) === current.pdfSha256;
  const keep = wantsCoc && current !== null && !reissue && inPlace;
  // Signed as issued, missing here, and no key to sign it again: say so rather than write an unsigned copy.
  const cannotRewrite = wantsCoc && current !== null && !reissue && !inPlace && downgrade;

  const written = await writeLotReports({
    result,
    decision,
    context,
    outDir: options.outDir,
    coc: (options.coc ?? true) && !keep && !cannotRewrite,
    engineering: options.engineering ?? true,
    preview: options.preview ?? false,
    certificateOptions: { cpkParameters, certificateRevision, issuedAt },
    signing,
    draft,
    timed: reportPart,
    ...(reuse && given.resultJson ? { canonicalResult: { bytes: given.resultJson, sha256: evaluation.resultSha256 } } : {}),
  });
  const reports: WrittenReports = keep
    ? {
        ...written,
        coc: join(lotDir, `coc-${safeFileName(lot)}-r${evaluation.revision}.pdf`),
        cocStatus: current.payload.issue?.status ?? issue.status,
        cocSkipped: null,
      }
    : cannotRewrite
      ? {
          ...written,
          cocSkipped: `certificate ${number} revision ${current.certificateRevision} is signed and not in ${lotDir}; configure "signing" to write it again (issued copy: ${current.path})`,
        }
      : written;
  let certificateRecorded = false;
  let certificate: CertificateRecord | null = current;
  // A draft is never an issued certificate: it is not recorded.
  if (written.coc && decision && written.cocStatus !== null && written.cocStatus !== 'draft') {
    const pdfSha256 = (await fileSha256(written.coc))!;
    if (current !== null && !reissue) {
      // The same certificate written again (its file was missing): it must be the very document issued.
      if (pdfSha256 !== current.pdfSha256)
        throw new LotqaError(
          `certificate ${number} revision ${current.certificateRevision} of lot ${lot} renders differently now than when it was issued (SHA-256 ${pdfSha256.slice(0, 12)}… instead of ${current.pdfSha256.slice(0, 12)}…); ${written.coc} is not the issued document`,
          { hint: `Issue a new revision on purpose: lotqa report ${lot} --coc --reissue-reason "<why>" --by <name>.` },
        );
    } else {
      const documentId = certificateDocumentId(evaluation.resultSha256, certificateRevision);
      const reason = current === null ? 'first issue' : (options.reissueReason ?? `re-issued: ${changes.join('; ')}`);
      try {
        certificate = await store.recordCertificate({
          lot,
          revision: evaluation.revision,
          certificateRevision,
          documentId,
          pdfSha256,
          path: written.coc,
          issuedAt: certificateRevision === 1 ? issuedNow : issuedAt,
          payload: {
            certificateNumber: number,
            resultSha256: evaluation.resultSha256,
            signer: decision.decidedBy,
            issue,
            issuedBy,
            reason,
          },
        });
        certificateRecorded = true;
        await store.appendAudit({
          lot,
          kind: 'certificate-issued',
          actor: issuedBy,
          payload: {
            revision: evaluation.revision,
            documentId,
            path: written.coc,
            certificateNumber: number,
            certificateRevision,
            supersedes: current?.documentId ?? null,
            reason,
            pdfSha256,
          },
        });
      } catch (err) {
        // A concurrent report job recorded this revision first: fine when it is this very document.
        const theirs = (await store.certificateRevisions(number)).find((c) => c.certificateRevision === certificateRevision);
        if (!theirs || theirs.pdfSha256 !== pdfSha256) throw err;
        certificate = theirs;
      }
    }
  }
  return { ...reports, lot, revision: evaluation.revision, decision, certificateRecorded, certificate };
}

/**
 * The product spec an evaluation was made under: the document stored by its hash (so a re-issue does
 * not depend on what is installed now), else — evaluations stored before lotqa kept it — the catalogs.
 */
async function specOfEvaluation(
  store: Store,
  lot: string,
  evaluation: EvaluationRecord,
  findSpec: ((productId: string) => ProductSpec) | undefined,
): Promise<Pick<ProductSpec, 'parameters'>> {
  if (evaluation.specSha256) {
    const stored = await store.inputDocument(evaluation.specSha256);
    if (stored && stored.kind === 'product') return stored.document as Pick<ProductSpec, 'parameters'>;
  }
  // The spec decides which Cpk columns the certificate shows: a spec lotqa cannot find stops the report
  // (a certificate quietly missing its Cpk column would differ from the one issued before).
  try {
    return (findSpec ?? findProduct)(evaluation.result.product.productId);
  } catch (err) {
    if (!(err instanceof UnknownCatalogEntryError)) throw err;
    throw new LotqaError(
      `lot ${lot} is product ${evaluation.result.product.productId}, whose spec is not in the catalogs, so its reports cannot be written`,
      {
        hint: `Pass the spec file with --product <file>, or add its folder to "catalogDirs" (LOTQA_CATALOG_DIRS).`,
        cause: err,
      },
    );
  }
}

/** Checking a certificate file lives in verify-certificate.ts; re-exported for callers of this module. */
export { verifyCertificate, type VerifyOutcome } from './verify-certificate.js';
