/**
 * @module Report stage — writes a decided lot revision's outputs (LotResult JSON, unit CSV, engineering
 * report, and for an ACCEPT the Certificate of Conformance) and records the certificate in the store.
 * Everything is drawn from the stored evaluation and decision; nothing is recomputed.
 *
 * Idempotent: one certificate per lot revision. A second run finds the recorded certificate and rewrites
 * nothing but missing files (the PDFs are deterministic, so a rewrite would be byte-identical anyway).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { standingDecision, type CertificateContext, type DecisionRecord } from '../domain/decision.js';
import { findProduct, UnknownCatalogEntryError } from '../domain/catalog.js';
import type { ProductSpec } from '../domain/product-spec.js';
import { LotqaError } from '../errors/lotqa-error.js';
import {
  certificateDocumentId,
  certificateNumber,
  compareEvidence,
  readCertificateEvidence,
  type EvidenceComparison,
} from '../report/certificate-evidence.js';
import { cpkParametersFromSpec, isPlaceholderCompany } from '../report/coc-pdf.js';
import { loadSigningCredential } from '../report/certificate-signing.js';
import { writeLotReports, type WrittenReports } from '../report/write-lot-reports.js';
import { resultSha256 } from '../report/result-hash.js';
import type { Store, StoredDecision } from '../store/store.js';
import { LotStageError, systemClock, type Clock } from './lot-stages.js';

export interface IssueReportsOptions {
  readonly outDir: string;
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
}

export interface IssuedReports extends WrittenReports {
  readonly lot: string;
  readonly revision: number;
  readonly decision: StoredDecision | null;
  readonly certificateRecorded: boolean;
}

export async function issueReports(store: Store, lot: string, options: IssueReportsOptions): Promise<IssuedReports> {
  const evaluation = options.revision !== undefined ? await store.getEvaluation(lot, options.revision) : await store.latestEvaluation(lot);
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
  // The spec decides which Cpk columns the certificate shows: a spec lotqa cannot find stops the report
  // (a certificate quietly missing its Cpk column would differ from the one issued before).
  let spec: ProductSpec;
  try {
    spec = (options.findSpec ?? findProduct)(result.product.productId);
  } catch (err) {
    if (!(err instanceof UnknownCatalogEntryError)) throw err;
    throw new LotqaError(
      `lot ${lot} is product ${result.product.productId}, whose spec is not in the catalogs, so its reports cannot be written`,
      {
        hint: `Pass the spec file with --product <file>, or add its folder to "catalogDirs" (LOTQA_CATALOG_DIRS).`,
        cause: err,
      },
    );
  }
  const cpkParameters = cpkParametersFromSpec(spec);
  const draft = options.draft === true;
  // The signing key is opened only when a certificate will be issued (never for a draft or a HOLD).
  const wantsCoc = (options.coc ?? true) && decision?.disposition === 'ACCEPT' && !draft && !isPlaceholderCompany(options.context);
  const signing = wantsCoc ? loadSigningCredential(options.context.signing ?? undefined, options.env ?? process.env) : null;
  const written = await writeLotReports({
    result,
    decision,
    context: options.context,
    outDir: options.outDir,
    coc: options.coc ?? true,
    engineering: options.engineering ?? true,
    preview: options.preview ?? false,
    certificateOptions: { cpkParameters },
    signing,
    draft,
  });
  let certificateRecorded = false;
  // A draft is never an issued certificate: it is not recorded.
  if (written.coc && decision && written.cocStatus !== 'draft') {
    const documentId = certificateDocumentId(evaluation.resultSha256);
    const existing = await store.getCertificate(documentId);
    if (!existing) {
      const pdf = await readFile(written.coc);
      try {
        await store.recordCertificate({
          lot,
          revision: evaluation.revision,
          documentId,
          pdfSha256: createHash('sha256').update(pdf).digest('hex'),
          path: written.coc,
          issuedAt: (options.clock ?? systemClock).now(),
          payload: {
            certificateNumber: certificateNumber(lot, evaluation.revision, evaluation.resultSha256),
            resultSha256: evaluation.resultSha256,
            signer: decision.decidedBy,
          },
        });
        certificateRecorded = true;
        await store.appendAudit({
          lot,
          kind: 'certificate-issued',
          actor: decision.decidedBy,
          payload: { revision: evaluation.revision, documentId, path: written.coc },
        });
      } catch (err) {
        // A concurrent report job recorded it first: one certificate per revision either way.
        if (!(await store.getCertificate(documentId))) throw err;
      }
    }
  }
  return { ...written, lot, revision: evaluation.revision, decision, certificateRecorded };
}

export interface VerifyOutcome extends EvidenceComparison {
  readonly lot: string;
  readonly revision: number;
  /** The lot's current data still hashes to what the certificate names. */
  readonly dataUnchanged: boolean;
}

/**
 * Re-derives a certificate from the store: the evidence embedded in the PDF is compared with the stored
 * evaluation and decision of that revision, and the lot's current files are hashed again.
 */
export async function verifyCertificate(store: Store, pdfBytes: Uint8Array): Promise<VerifyOutcome> {
  const evidence = readCertificateEvidence(pdfBytes);
  const evaluation = await store.getEvaluation(evidence.lot, evidence.revision);
  if (!evaluation)
    throw new LotStageError(
      `the store has no evaluation of lot ${evidence.lot} revision ${evidence.revision}: this certificate was not issued from this store`,
    );
  const result = evaluation.result;
  const decision: DecisionRecord | null = standingDecision(await store.listDecisions(evidence.lot), evidence.revision);
  if (!decision) throw new LotStageError(`the store has no decision for lot ${evidence.lot} revision ${evidence.revision}`);
  const comparison = compareEvidence(evidence, result, decision);
  const recomputed = resultSha256(result);
  const differences = [...comparison.differences];
  if (recomputed !== evaluation.resultSha256)
    differences.push({ field: 'resultSha256', certificate: evaluation.resultSha256, store: `stored result re-hashes to ${recomputed}` });
  const dataUnchanged = (await store.lotContentHash(evidence.lot)) === evidence.contentHash;
  return {
    ...comparison,
    matches: comparison.matches && differences.length === comparison.differences.length,
    differences,
    lot: evidence.lot,
    revision: evidence.revision,
    dataUnchanged,
  };
}
