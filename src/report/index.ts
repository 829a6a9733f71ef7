/**
 * @module Report stage: Certificate of Conformance, engineering SPC report, JSON and CSV exports, and
 * the LotResult hash every other stage uses.
 */
export { canonicalJson, resultSha256, sha256Hex, CanonicalJsonError } from './result-hash.js';
export {
  renderCertificate,
  certificateRows,
  cpkParametersFromSpec,
  isPlaceholderCompany,
  PLACEHOLDER_COMPANY,
  type CertificateOptions,
  type CertificateRow,
} from './coc-pdf.js';
export { signPdf, loadSigningCredential, readSigningCredential, type SigningCredential } from './certificate-signing.js';
export { certificateSummary, SUMMARY_ATTACHMENT, type CertificateSummary } from './certificate-summary.js';
export { renderEngineeringReport, chartGroups, type EngineeringReportOptions } from './engineering-pdf.js';
export {
  buildEvidence,
  readCertificateEvidence,
  compareEvidence,
  certificateNumber,
  certificateDocumentId,
  type CertificateEvidence,
  type EvidenceComparison,
  type EvidenceDifference,
} from './certificate-evidence.js';
export { writeUnitResultsCsv, neutraliseCell, UNIT_CSV_COLUMNS } from './unit-results-csv.js';
export { writeLotResultJson } from './lot-result-json.js';
export { writeLotReports, lotReportDir, type WriteLotReportsInput, type WrittenReports } from './write-lot-reports.js';
export { safeFileName, printable } from './text-safety.js';
export { NoCertificateError, DecisionMismatchError, EvidenceNotFoundError, PlaceholderCompanyError } from './report-errors.js';
