/**
 * @module The machine-readable evidence a certificate carries, so `lotqa verify <certificate.pdf>` can
 * re-derive the LotResult from the store and say whether the paper still matches the data.
 *
 * The evidence is written twice: as the PDF file attachment `lotqa-evidence.json` (what a person or a
 * PDF tool sees) and in the Keywords metadata as `lotqa-evidence-v1:<base64url of canonical JSON>`. The
 * reader uses the Keywords copy: pdfkit writes the info dictionary uncompressed with an ASCII string, so
 * a byte search finds it without a PDF parser at runtime.
 */
import type { LotResult } from '../domain/lot-result.js';
import type { DecisionRecord } from '../domain/decision.js';
import { lotContentHash } from '../domain/lot-content.js';
import { canonicalJson, resultSha256 } from './result-hash.js';
import { EvidenceNotFoundError } from './report-errors.js';

export const EVIDENCE_MARKER = 'lotqa-evidence-v1:';
export const EVIDENCE_ATTACHMENT = 'lotqa-evidence.json';

export interface CertificateEvidence {
  readonly format: 'lotqa/coc-evidence';
  readonly version: 1;
  readonly certificateNumber: string;
  readonly lot: string;
  readonly revision: number;
  readonly disposition: string;
  /** SHA-256 of the canonical JSON of the certified LotResult. */
  readonly resultSha256: string;
  /** SHA-256 over the sorted input-file hashes, as stored in the LotResult. */
  readonly contentHash: string;
  readonly fileCount: number;
  /** SHA-256 of the sorted list of input-file hashes joined by newlines (recomputed here). */
  readonly fileListSha256: string;
  readonly specVersion: string;
  readonly policyId: string;
  readonly policyVersion: string;
  readonly baselineVersion: number | null;
  readonly lotqaVersion: string;
  readonly signer: string;
  readonly decidedAt: string;
  /** Units the certificate covers (absent on certificates of lotqa < 0.2). */
  readonly certifiedUnits?: number;
  /** How this document was issued; what the store re-derives does not depend on it. */
  readonly issue?: CertificateIssue;
}

/** What a certificate document says about its own issue (printed and in the evidence). */
export interface CertificateIssue {
  /** 1 for the first issue of the certificate number; each re-issue is the next revision. */
  readonly certificateRevision: number;
  readonly customer: string | null;
  readonly purchaseOrder: string | null;
  /** Absent on certificates issued before lotqa kept a ship-to address. */
  readonly shipTo?: string | null;
  /** The document id of this revision (absent on certificates of lotqa < 0.3). */
  readonly documentId?: string;
  /** signed: carries the company's digital signature; unsigned: no signing certificate configured; draft: not issued. */
  readonly status: 'signed' | 'unsigned' | 'draft';
}

/** Evidence fields re-derived from the stored result and decision (the ones verify compares). */
const DERIVED_FIELDS = [
  'format',
  'version',
  'certificateNumber',
  'lot',
  'revision',
  'disposition',
  'resultSha256',
  'contentHash',
  'fileCount',
  'fileListSha256',
  'specVersion',
  'policyId',
  'policyVersion',
  'baselineVersion',
  'lotqaVersion',
  'signer',
  'decidedAt',
] as const satisfies readonly (keyof CertificateEvidence)[];

/** Certificate number: lot, revision and the first 8 hex digits of the result hash. */
export function certificateNumber(lot: string, revision: number, hash: string): string {
  return `CoC-${lot}-r${revision}-${hash.slice(0, 8)}`;
}

/**
 * Document id: the first 16 hex digits of the result hash, upper case (short enough to read aloud), and
 * for a re-issue its certificate revision (`LQ-…-2`): one id per issued document.
 */
export function certificateDocumentId(hash: string, certificateRevision = 1): string {
  const base = `LQ-${hash.slice(0, 16).toUpperCase()}`;
  return certificateRevision === 1 ? base : `${base}-${certificateRevision}`;
}

export function buildEvidence(
  result: LotResult,
  decision: DecisionRecord,
  hash: string = resultSha256(result),
  issue?: CertificateIssue,
): CertificateEvidence {
  return {
    ...(issue ? { issue } : {}),
    ...(result.certification ? { certifiedUnits: result.certification.units } : {}),
    format: 'lotqa/coc-evidence',
    version: 1,
    certificateNumber: certificateNumber(result.lot, result.revision, hash),
    lot: result.lot,
    revision: result.revision,
    disposition: decision.disposition,
    resultSha256: hash,
    contentHash: result.contentHash,
    fileCount: result.fileHashes.length,
    fileListSha256: lotContentHash(result.fileHashes),
    specVersion: result.product.specVersion,
    policyId: result.policy.id,
    policyVersion: result.policy.version,
    baselineVersion: result.baseline?.version ?? null,
    lotqaVersion: result.lotqaVersion,
    signer: decision.decidedBy,
    decidedAt: decision.decidedAt,
  };
}

/** `lotqa-evidence-v1:<base64url>` for the Keywords entry (ASCII only, no PDF string escapes needed). */
export function encodeEvidenceKeyword(evidence: CertificateEvidence): string {
  return EVIDENCE_MARKER + Buffer.from(canonicalJson(evidence), 'utf8').toString('base64url');
}

/**
 * Recover the evidence from a certificate's bytes. Takes the last marker in the file (an incremental
 * update appends, so the last one is what a viewer shows). Throws EvidenceNotFoundError when absent or
 * unreadable.
 */
export function readCertificateEvidence(pdf: Uint8Array): CertificateEvidence {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const at = text.lastIndexOf(EVIDENCE_MARKER);
  if (at < 0) throw new EvidenceNotFoundError('marker not found');
  const match = /^[A-Za-z0-9_-]+/.exec(text.slice(at + EVIDENCE_MARKER.length, at + EVIDENCE_MARKER.length + 20_000));
  if (!match) throw new EvidenceNotFoundError('empty evidence');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(match[0], 'base64url').toString('utf8'));
  } catch (err) {
    throw new EvidenceNotFoundError(`evidence is not valid JSON: ${String(err)}`);
  }
  if (!isEvidence(parsed)) throw new EvidenceNotFoundError('evidence has an unknown format');
  return parsed;
}

function isEvidence(v: unknown): v is CertificateEvidence {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    o.format === 'lotqa/coc-evidence' &&
    o.version === 1 &&
    typeof o.lot === 'string' &&
    typeof o.revision === 'number' &&
    typeof o.resultSha256 === 'string' &&
    typeof o.contentHash === 'string' &&
    typeof o.fileListSha256 === 'string' &&
    typeof o.signer === 'string'
  );
}

export interface EvidenceDifference {
  /** An evidence field, or `issue.<field>` for what the issue printed. */
  readonly field: keyof CertificateEvidence | `issue.${keyof CertificateIssue}` | 'pdfSha256';
  readonly certificate: string;
  readonly store: string;
}

export interface EvidenceComparison {
  readonly matches: boolean;
  readonly differences: readonly EvidenceDifference[];
}

/**
 * Compare a certificate's evidence with a LotResult re-derived from the store and its stored decision.
 * Every field is recomputed from the store side; any difference means the certificate no longer
 * describes the data (tampered PDF, changed files, re-evaluation under another spec/policy/baseline).
 */
export function compareEvidence(
  evidence: CertificateEvidence,
  result: LotResult,
  decision: DecisionRecord,
  issue?: CertificateIssue,
): EvidenceComparison {
  const expected = buildEvidence(result, decision);
  const differences: EvidenceDifference[] = [];
  for (const field of DERIVED_FIELDS) {
    const a = evidence[field];
    const b = expected[field];
    if (a !== b) differences.push({ field, certificate: String(a), store: String(b) });
  }
  // What this issue printed besides the result (customer, PO, ship-to, revision, id), when recorded.
  if (issue) {
    for (const key of ['certificateRevision', 'customer', 'purchaseOrder', 'shipTo', 'documentId', 'status'] as const) {
      const a = evidence.issue?.[key] ?? null;
      const b = issue[key] ?? null;
      if (a !== b) differences.push({ field: `issue.${key}`, certificate: String(a), store: String(b) });
    }
  }
  if (decision.resultSha256 !== expected.resultSha256) {
    differences.push({ field: 'resultSha256', certificate: evidence.resultSha256, store: `decision is about ${decision.resultSha256}` });
  }
  return { matches: differences.length === 0, differences };
}
