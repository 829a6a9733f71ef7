/**
 * @module Certificate of Conformance: the customer-facing PDF for one accepted lot revision.
 *
 * Page 1 holds what a supplier-quality engineer checks first: the disposition and who approved it, the
 * company, customer and purchase order, product, lot, certified quantity, date, standards, test
 * conditions, sampling plan and what was done about PAT outliers, and the statement of conformance.
 * Then every parameter per test temperature with its limits as numbers (a conditional limit as the
 * range it took, its rule in words below the table) and the statistics over the certified units only,
 * in the parameter's declared resolution; the evidence hashes; and Appendix A, the certified serial
 * numbers. Internal matter (signals, stations, spec provenance notes, limit code, decision reasons)
 * stays off the document.
 *
 * Everything is read from the stored LotResult and DecisionRecord. Same inputs → identical bytes.
 * The renderer is pure and returns an unsigned PDF; `signPdf` (certificate-signing.ts) signs it.
 */
import { counted } from './counted.js';
import { signatureMeaningWords } from '../domain/e-signature.js';
import { existsSync } from 'node:fs';
import type { LotResult } from '../domain/lot-result.js';
import { isCertifiedUnit } from '../domain/lot-result.js';
import type { CertificateContext, DecisionRecord } from '../domain/decision.js';
import type { ProductSpec } from '../domain/product-spec.js';
import { resultSha256 } from './result-hash.js';
import { NoCertificateError, DecisionMismatchError, PlaceholderCompanyError } from './report-errors.js';
import { LotqaError } from '../errors/lotqa-error.js';
import {
  buildEvidence,
  certificateDocumentId,
  encodeEvidenceKeyword,
  EVIDENCE_ATTACHMENT,
  type CertificateEvidence,
  type CertificateIssue,
} from './certificate-evidence.js';
import { certificateRows, rowLaneText, type CertificateRow, type RowLimit } from './certificate-rows.js';
import { laneNamingOf, type LaneNaming } from '../domain/lanes.js';
import { certificateSummary, SUMMARY_ATTACHMENT } from './certificate-summary.js';
import { COLORS, FONT, FONT_BOLD, createReportDocument, textLine } from './pdf-document.js';
import { drawTable, type TableRow } from './table-drawing.js';
import { formatExact, formatIndex, formatReading, dateCode, isoDate, NONE } from './number-format.js';
import { printable } from './text-safety.js';

export { certificateRows, type CertificateRow } from './certificate-rows.js';

/** The company name lotqa's configuration starts with: never printed on a certificate that is not a draft. */
export const PLACEHOLDER_COMPANY = 'Example Photonics Ltd.';

export interface CertificateOptions {
  /** Parameter ids whose Cpk is shown (from the spec's `showCpkOnCertificate`; see cpkParametersFromSpec). */
  readonly cpkParameters?: readonly string[];
  /** Date codes printed on the certificate; derived (YYWW of the test period) when absent. */
  readonly dateCodes?: readonly string[];
  /** Title printed under the approver's name. */
  readonly approverTitle?: string;
  /**
   * SHA-256 of this result's canonical JSON, when the caller has just computed it from this very object
   * (writeLotReports does, from the JSON it writes). Saves seconds on a 10,000-unit lot; it is still
   * checked against the decision.
   */
  readonly resultSha256?: string;
  /** A draft: watermarked DRAFT on every page, never issued; allowed with the placeholder company. */
  readonly draft?: boolean;
  /**
   * Common name of the signing certificate when the PDF will be signed (printed as "Digitally signed
   * by …"); absent or null: the certificate says visibly that it is an unsigned draft.
   */
  readonly signedBy?: string | null;
  /** Revision of this certificate (1 = first issue). @defaultValue 1 */
  readonly certificateRevision?: number;
  /**
   * When this revision was issued (ISO-8601): printed as its date of issue, the document date and the
   * signing time. @defaultValue the decision's time (a first issue is dated by its decision)
   */
  readonly issuedAt?: string;
}

/** Parameter ids the product spec marks `showCpkOnCertificate`. */
export function cpkParametersFromSpec(spec: Pick<ProductSpec, 'parameters'>): string[] {
  return spec.parameters.filter((p) => p.showCpkOnCertificate === true).map((p) => p.id);
}

/** Whether the configured company is missing or still lotqa's placeholder. */
export function isPlaceholderCompany(context: Pick<CertificateContext, 'company'>): boolean {
  const name = context.company.name.trim();
  return name === '' || name === PLACEHOLDER_COMPANY;
}

const MARGIN = 36;

/**
 * Who approved, as printed: the automatic sign-off and its policy, the engineer's electronic signatures
 * (name, account, role, meaning, time) when the decision is signed, else the engineer's name.
 */
export function approverOf(result: LotResult, decision: DecisionRecord): string {
  if (decision.decidedKind === 'policy') return `Automatic sign-off (acceptance policy ${result.policy.id} v${result.policy.version})`;
  const signed = decision.signatures ?? [];
  return signed.length ? signed.map((s) => `${s.fullName} (${s.signer}, ${s.role})`).join('; ') : decision.decidedBy;
}

/** The deviation an engineer accepted the lot under (recorded in the reason as `[deviation: …]`). */
function deviationOf(decision: DecisionRecord): string | null {
  const m = /\[deviation: (.*)\]\s*$/.exec(decision.reason);
  return m ? m[1]! : null;
}

/**
 * Render the Certificate of Conformance (unsigned bytes). Throws NoCertificateError unless the decision
 * is ACCEPT, DecisionMismatchError when the decision is about another result, and PlaceholderCompanyError
 * when the company is lotqa's placeholder and this is not a draft.
 */
export async function renderCertificate(
  result: LotResult,
  decision: DecisionRecord,
  context: CertificateContext,
  options: CertificateOptions = {},
): Promise<Buffer> {
  if (decision.disposition !== 'ACCEPT') throw new NoCertificateError(result.lot, result.revision, decision.disposition);
  // Defence in depth (decideByEngineer refuses such an ACCEPT): a certificate of no unit certifies nothing.
  if (result.units.length === 0)
    throw new LotqaError(
      `lot ${result.lot} revision ${result.revision} has no evaluated unit: a Certificate of Conformance covers the units evaluated, and there are none`,
      { hint: `lotqa lot show ${result.lot} lists why (e.g. unresolved file conflicts: lotqa conflicts ${result.lot})` },
    );
  const hash = options.resultSha256 ?? resultSha256(result);
  if (decision.resultSha256 !== hash) throw new DecisionMismatchError('resultSha256', decision.resultSha256, hash);
  if (decision.lot !== result.lot) throw new DecisionMismatchError('lot', decision.lot, result.lot);
  if (decision.revision !== result.revision)
    throw new DecisionMismatchError('revision', String(decision.revision), String(result.revision));
  const draft = options.draft === true;
  if (!draft && isPlaceholderCompany(context)) throw new PlaceholderCompanyError(context.company.name);

  const status: CertificateIssue['status'] = draft ? 'draft' : options.signedBy ? 'signed' : 'unsigned';
  const certificateRevision = options.certificateRevision ?? 1;
  const docId = certificateDocumentId(hash, certificateRevision);
  const issue: CertificateIssue = {
    certificateRevision,
    customer: context.customer,
    purchaseOrder: context.purchaseOrder,
    shipTo: context.shipTo ?? null,
    documentId: docId,
    status,
  };
  const evidence = buildEvidence(result, decision, hash, issue);
  // The document's date: the decision for a first issue, the re-issue's own time for a later revision.
  const decidedAt = new Date(options.issuedAt ?? decision.decidedAt);
  const rows = certificateRows(result);
  const approver = approverOf(result, decision);
  const { doc, finish } = createReportDocument({
    title: `Certificate of Conformance ${printable(evidence.certificateNumber)}${draft ? ' (DRAFT)' : ''}`,
    author: printable(context.company.name),
    subject: `Lot ${printable(result.lot)} revision ${result.revision}, ${printable(result.product.partNumber)}; result SHA-256 ${hash}`,
    keywords: encodeEvidenceKeyword(evidence),
    date: decidedAt,
    layout: 'portrait',
    margin: MARGIN,
    footerLeft: `${evidence.certificateNumber} rev. ${certificateRevision} · ${docId} · ${printable(result.lot)} r${result.revision}${draft ? ' · DRAFT' : status === 'unsigned' ? ' · unsigned draft' : ''}`,
    ...(draft ? { watermark: 'DRAFT' } : {}),
  });
  attach(doc, EVIDENCE_ATTACHMENT, evidence, 'lotqa certificate evidence (verify with: lotqa verify <certificate.pdf>)', decidedAt);
  const summary = certificateSummary(result, decision, context, evidence, rows, approver, status, certificateRevision);
  attach(doc, SUMMARY_ATTACHMENT, summary, 'Lot summary: quantities, limits, statistics and certified serial numbers', decidedAt);

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;

  // ── Page 1 ────────────────────────────────────────────────────────────────
  drawCompanyBlock(doc, context, left, width);
  const titleY = doc.y + 4;
  doc.font(FONT_BOLD).fontSize(16).fillColor(COLORS.ink);
  textLine(doc, 'CERTIFICATE OF CONFORMANCE', left, titleY, width * 0.6);
  doc.font(FONT).fontSize(8.5).fillColor(COLORS.muted);
  textLine(doc, `No. ${evidence.certificateNumber}`, left + width * 0.5, titleY, width * 0.5, 'right');
  textLine(doc, `Revision ${certificateRevision} · Document ID ${docId}`, left + width * 0.5, titleY + 11, width * 0.5, 'right');
  doc.y = titleY + 26;
  drawStatusBand(doc, status, options.signedBy ?? null, left, width);

  const certifiedUnits = result.units.filter((u) => isCertifiedUnit(result, u));
  drawDisposition(doc, result, decision, approver, options.approverTitle, left, width);

  const q = result.quantity;
  const removed = q.units - result.yields.finalPassed;
  const excluded = result.certification?.excludedPatOutliers ?? 0;
  const codes = options.dateCodes ?? derivedDateCodes(result);
  const quantityDetail = [
    `${q.units} tested`,
    `${removed} nonconforming removed`,
    ...(excluded > 0 ? [`${counted(excluded, 'PAT outlier')} excluded`] : []),
  ];
  const leftPairs: [string, string][] = [
    ['Customer', context.customer ?? 'not stated'],
    ['Purchase order', context.purchaseOrder ?? 'not stated'],
    ...(context.shipTo ? ([['Ship to', context.shipTo]] as [string, string][]) : []),
    ['Part number', result.product.partNumber],
    ['Product', `${result.product.description} (${result.product.formFactor})`],
    ['Specification', `${result.product.productId} version ${result.product.specVersion}`],
  ];
  const rightPairs: [string, string][] = [
    ['Lot / revision', `${result.lot} / r${result.revision}`],
    ['Quantity certified', `${counted(certifiedUnits.length, 'unit')} (${quantityDetail.join(', ')})`],
    ['Date of issue', isoDate(options.issuedAt ?? decision.decidedAt)],
    ['Test period', q.firstTestTime && q.lastTestTime ? `${isoDate(q.firstTestTime)} to ${isoDate(q.lastTestTime)}` : NONE],
    ['Date codes', codes.length > 0 ? codes.join(', ') : NONE],
  ];
  if (context.showStations) rightPairs.push(['Test stations', q.stations.join(', ')]);
  const pairsTop = doc.y;
  drawKeyValues(doc, leftPairs, left, width / 2 - 8, 84);
  const afterLeft = doc.y;
  doc.y = pairsTop;
  drawKeyValues(doc, rightPairs, left + width / 2 + 4, width / 2 - 4, 92);
  doc.y = Math.max(afterLeft, doc.y);

  section(doc, 'Standards and documents tested against', left);
  doc.font(FONT).fontSize(8).fillColor(COLORS.ink);
  for (const s of result.product.standards) doc.text(`•  ${printable(s.id)}: ${printable(s.title)}`, left + 6, doc.y, { width: width - 6 });
  if (result.product.standards.length === 0) doc.text('The product specification lists no external standard.', left + 6, doc.y);

  section(doc, 'Test conditions, sampling and screening', left);
  doc.font(FONT).fontSize(8).fillColor(COLORS.ink);
  const corners = result.product.corners.map((c) => `${formatExact(c.caseTemperatureC)} °C`).join(', ');
  const conditions = [
    `Case temperatures ${corners}; ${counted(result.product.laneCount, 'optical lane')} per unit; every parameter below measured on every certified unit at the temperatures listed.`,
    samplingSentence(result),
    patSentence(result, decision, approver),
  ];
  for (const line of conditions) doc.text(line, left + 6, doc.y, { width: width - 6 });

  section(doc, 'Statement of conformance', left);
  const deviation = deviationOf(decision);
  doc
    .font(FONT)
    .fontSize(8.5)
    .fillColor(COLORS.ink)
    .text(statement(result, context, certifiedUnits.length, deviation), left, doc.y, { width, align: 'justify' });

  // ── Results ───────────────────────────────────────────────────────────────
  ensureSpace(doc, 90);
  section(doc, `Test results per parameter and case temperature (${counted(certifiedUnits.length, 'certified unit')})`, left);
  drawResults(doc, rows, new Set(options.cpkParameters ?? []), left, width, laneNamingOf(result.product));

  ensureSpace(doc, 110);
  section(doc, 'Evidence', left);
  drawEvidence(doc, evidence, left, width);

  // ── Appendix A: serial numbers ───────────────────────────────────────────
  doc.addPage();
  drawSerialAppendix(doc, certifiedUnits.map((u) => u.serial).sort(), result, left, width);

  return finish();
}

function attach(doc: PDFKit.PDFDocument, name: string, value: unknown, description: string, date: Date): void {
  doc.file(Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8'), {
    name,
    type: 'application/json',
    description,
    creationDate: date,
    modifiedDate: date,
  });
}

function derivedDateCodes(result: LotResult): string[] {
  const q = result.quantity;
  if (!q.firstTestTime || !q.lastTestTime) return [];
  const a = dateCode(q.firstTestTime);
  const b = dateCode(q.lastTestTime);
  return a === b ? [a] : [a, b];
}

function samplingSentence(result: LotResult): string {
  const s = result.sampling;
  const plan = s.standard
    ? ` (${printable(s.standard)}${s.severity ? `, ${printable(s.severity)} inspection` : ''}${s.codeLetter ? `, code letter ${printable(s.codeLetter)}` : ''}; sample ${s.sampleSize}${s.acceptanceNumber !== null ? `, Ac ${s.acceptanceNumber}` : ''}${s.rejectionNumber !== null ? ` / Re ${s.rejectionNumber}` : ''}; ${s.nonconforming} nonconforming found)`
    : '';
  return `Inspection: ${printable(s.description)}${plan}.`;
}

/** What was done about PAT outliers, true to the policy the result was evaluated under. */
function patSentence(result: LotResult, decision: DecisionRecord, approver: string): string {
  if (!result.cells.some((c) => c.pat !== null)) return 'Part average testing (PAT) was not applied to this lot.';
  const outliers = result.units.filter((u) => u.patOutlier && u.final === 'pass').length;
  // The PAT width (k robust σ) is the policy's; the result does not record it, so the text does not state it.
  const intro = 'Part average testing (PAT): units inside the specification but outside the PAT limits of the acceptance policy were';
  switch (result.certification?.patAction) {
    case 'exclude-units':
      return outliers === 0
        ? 'Part average testing (PAT): no unit was outside the PAT limits of the acceptance policy (per parameter, temperature and lane).'
        : `${intro} screened out: ${counted(outliers, 'such unit is', 'such units are')} excluded and not covered by this certificate.`;
    case 'hold-lot':
      return outliers === 0
        ? 'Part average testing (PAT): no unit was outside the PAT limits; any such unit would have held the lot for engineering review.'
        : `${intro} reviewed: ${counted(outliers, 'such unit', 'such units')} held the lot for engineering review and are included after acceptance by ${decision.decidedKind === 'engineer' ? approver : 'the reviewing engineer'}.`;
    default:
      return outliers === 0
        ? 'Part average testing (PAT) was evaluated for information; no unit was outside the PAT limits.'
        : `Part average testing (PAT) was evaluated for information only: ${counted(outliers, 'unit')} inside the specification but outside the PAT limits ${outliers === 1 ? 'is' : 'are'} included in this certificate.`;
  }
}

function statement(result: LotResult, context: CertificateContext, certified: number, deviation: string | null): string {
  const supplied =
    context.customer && context.purchaseOrder
      ? `, supplied to ${printable(context.customer)} under purchase order ${printable(context.purchaseOrder)},`
      : context.purchaseOrder
        ? `, supplied under purchase order ${printable(context.purchaseOrder)},`
        : context.customer
          ? `, supplied to ${printable(context.customer)},`
          : '';
  return (
    `We certify that ${certified === 1 ? 'the unit' : `the ${certified} units`} of lot ${printable(result.lot)} (revision ${result.revision}) listed in Appendix A${supplied} ` +
    `${certified === 1 ? 'was' : 'were'} manufactured, inspected and tested in accordance with the product specification and the documents listed above, and that every ` +
    `certified unit conforms to the limits below at every test temperature` +
    (deviation ? `, except as accepted under deviation ${printable(deviation)}` : '') +
    `. Test records are retained and available on request.`
  );
}

function drawCompanyBlock(doc: PDFKit.PDFDocument, context: CertificateContext, left: number, width: number): void {
  const top = doc.page.margins.top;
  const logo = context.company.logoPath;
  let textWidth = width;
  if (logo) {
    if (!existsSync(logo)) throw new Error(`Company logo "${logo}" not found: fix company.logoPath in the configuration or remove it.`);
    doc.image(logo, left + width - 130, top, { fit: [130, 44], align: 'right' });
    textWidth = width - 140;
  }
  doc.font(FONT_BOLD).fontSize(13).fillColor(COLORS.ink);
  textLine(doc, context.company.name, left, top, textWidth);
  doc.font(FONT).fontSize(8).fillColor(COLORS.muted);
  let y = top + 17;
  textLine(doc, context.company.address.slice(0, 4).join(' · '), left, y, textWidth);
  y += 11;
  y = Math.max(y, logo ? top + 46 : y) + 2;
  doc
    .moveTo(left, y)
    .lineTo(left + width, y)
    .lineWidth(1)
    .stroke(COLORS.ink);
  doc.fillColor(COLORS.ink);
  doc.y = y + 4;
}

function drawStatusBand(
  doc: PDFKit.PDFDocument,
  status: CertificateIssue['status'],
  signedBy: string | null,
  left: number,
  width: number,
): void {
  const y = doc.y;
  const [fill, ink, text] =
    status === 'signed'
      ? ['#e8f3ec', COLORS.accept, `Digitally signed by ${printable(signedBy ?? '')}; check it in your PDF reader's signature panel.`]
      : status === 'unsigned'
        ? ['#fdf2e2', COLORS.hold, 'UNSIGNED DRAFT: no digital signature (the issuer has not configured a signing certificate).']
        : ['#fbe9e7', COLORS.reject, 'DRAFT for review: not an issued certificate of conformance.'];
  doc.save().rect(left, y, width, 16).fill(fill).restore();
  doc.font(FONT_BOLD).fontSize(8).fillColor(ink);
  textLine(doc, text, left + 6, y + 4.5, width - 12);
  doc.fillColor(COLORS.ink);
  doc.y = y + 22;
}

function drawDisposition(
  doc: PDFKit.PDFDocument,
  result: LotResult,
  decision: DecisionRecord,
  approver: string,
  title: string | undefined,
  left: number,
  width: number,
): void {
  const y = doc.y;
  doc.save().roundedRect(left, y, 150, 40, 3).lineWidth(1.5).stroke(COLORS.accept).restore();
  doc.font(FONT_BOLD).fontSize(15).fillColor(COLORS.accept);
  textLine(doc, 'ACCEPTED', left, y + 6, 150, 'center');
  doc.font(FONT).fontSize(7.5);
  textLine(doc, 'lot conforms', left, y + 26, 150, 'center');
  const x = left + 164;
  const w = width - 164;
  doc.fillColor(COLORS.ink).font(FONT_BOLD).fontSize(9);
  textLine(doc, `Approved by: ${approver}`, x, y + 2, w);
  doc.font(FONT).fontSize(8.5);
  let line = y + 15;
  if (title) {
    textLine(doc, title, x, line, w);
    line += 11;
  }
  textLine(doc, `Date: ${isoDate(decision.decidedAt)}  (${decision.decidedAt})`, x, line, w);
  line += 11;
  for (const s of decision.signatures ?? []) {
    textLine(doc, `E-signed: ${signatureMeaningWords(s)}`, x, line, w);
    line += 11;
  }
  const deviation = deviationOf(decision);
  if (deviation) {
    doc.fillColor(COLORS.hold);
    textLine(doc, `Accepted under deviation: ${deviation}`, x, line, w);
    doc.fillColor(COLORS.ink);
    line += 11;
  }
  void result;
  doc.x = left;
  doc.y = Math.max(y + 46, line + 4);
}

function drawKeyValues(doc: PDFKit.PDFDocument, pairs: readonly [string, string][], left: number, width: number, keyW: number): void {
  for (const [k, v] of pairs) {
    const y = doc.y;
    doc.font(FONT_BOLD).fontSize(8).fillColor(COLORS.muted).text(k, left, y, { width: keyW, lineBreak: false });
    doc.font(FONT).fillColor(COLORS.ink);
    // Input-derived values wrap over at most three lines and are cut there.
    doc.text(printable(v), left + keyW, y, { width: width - keyW, height: 31, ellipsis: true });
    doc.y = Math.max(doc.y, y + 11) + 1;
  }
}

function section(doc: PDFKit.PDFDocument, title: string, left: number): void {
  doc.y += 6;
  doc.font(FONT_BOLD).fontSize(9.5).fillColor(COLORS.ink).text(title, left, doc.y);
  doc.y += 1.5;
}

function ensureSpace(doc: PDFKit.PDFDocument, needed: number): void {
  if (doc.y + needed > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function limitCell(l: RowLimit, mark: string | null): string {
  const text = `${l.text}${mark ? ` [${mark}]` : ''}`;
  return l.informative && l.text !== NONE ? `${text} (info)` : text;
}

/** Marks a Cpk computed on the Box–Cox scale; the footnote says so in the customer's words. */
const BOX_COX_MARK = '*';
export const BOX_COX_FOOTNOTE = `${BOX_COX_MARK} Cpk of skewed parameters is computed from the percentiles of a fitted Box–Cox distribution (ISO 22514-4 percentile method).`;

function drawResults(
  doc: PDFKit.PDFDocument,
  rows: readonly CertificateRow[],
  cpkSet: ReadonlySet<string>,
  left: number,
  width: number,
  naming: LaneNaming,
): void {
  const showCpk = rows.some((r) => cpkSet.has(r.parameter));
  // Conditional limits get a footnote letter per distinct rule.
  const rules = new Map<string, { mark: string; text: string }>();
  const markOf = (r: CertificateRow, side: 'LSL' | 'USL', l: RowLimit): string | null => {
    if (!l.rule) return null;
    const key = `${r.parameter}|${side}|${l.rule.words}`;
    let e = rules.get(key);
    if (!e) {
      e = { mark: String.fromCharCode(97 + (rules.size % 26)), text: `${side} of ${parameterLabel(r.name)}: ${l.rule.words}` };
      rules.set(key, e);
    }
    return e.mark;
  };
  const tableRows: TableRow[] = rows.map((r) => [
    parameterLabel(r.name),
    r.caseTemperatureC === null ? r.corner : `${formatExact(r.caseTemperatureC)} °C`,
    rowLaneText(r, naming),
    r.unit,
    limitCell(r.lsl, markOf(r, 'LSL', r.lsl)),
    limitCell(r.usl, markOf(r, 'USL', r.usl)),
    String(r.n),
    formatReading(r.min, r.decimals),
    formatReading(r.mean, r.decimals),
    formatReading(r.max, r.decimals),
    ...(showCpk
      ? [
          cpkSet.has(r.parameter)
            ? `${formatIndex(r.cpk)}${r.cpkBy === 'box-cox' ? BOX_COX_MARK : ''}${r.cpkLower !== null ? ` (≥${formatIndex(r.cpkLower)})` : ''}`
            : NONE,
        ]
      : []),
    { text: 'PASS', color: COLORS.accept, bold: true },
  ]);
  // The spec's lane labels ("1271 nm A") are printed whole, never cut to "1271…": the Lanes column widens
  // from the Parameter column (which wraps) to the widest label; channel numbers keep the 30 pt column.
  doc.font(FONT).fontSize(6.8);
  const lanesWidth = Math.min(74, Math.max(30, ...rows.map((r) => Math.ceil(doc.widthOfString(rowLaneText(r, naming))) + 6)));
  const columns = [
    { header: 'Parameter', width: (showCpk ? 96 : 144) - (lanesWidth - 30), wrap: true },
    { header: 'Temp.', width: 30 },
    { header: 'Lanes', width: lanesWidth },
    { header: 'Unit', width: 28 },
    { header: 'LSL', width: 68, align: 'right' as const, wrap: true },
    { header: 'USL', width: 40, align: 'right' as const, wrap: true },
    { header: 'n', width: 28, align: 'right' as const },
    { header: 'Min', width: 38, align: 'right' as const },
    { header: 'Mean', width: 38, align: 'right' as const },
    { header: 'Max', width: 38, align: 'right' as const },
    ...(showCpk ? [{ header: 'Cpk (LB)', width: 58, align: 'right' as const }] : []),
    { header: 'Result', width: 30, align: 'center' as const },
  ];
  const tableWidth = columns.reduce((a, c) => a + c.width, 0);
  drawTable(doc, columns, tableRows, { x: left + Math.max(0, (width - tableWidth) / 2), fontSize: 6.8, padding: 2 });
  doc.font(FONT).fontSize(6.8).fillColor(COLORS.muted);
  const certifiedOnly = rows.every((r) => r.certifiedOnly);
  const notes = [
    certifiedOnly
      ? 'Min / mean / max over the certified units only (units removed at final test or excluded are not included), in the resolution the specification declares. n = readings (units × lanes).'
      : 'Min / mean / max over every unit tested (this result was evaluated before statistics over certified units were recorded). n = readings (units × lanes).',
    'Lanes: "all" = every lane of every unit, pooled, when all lanes share the same limits; "—" = measured once per module. (info) = informative limit, reported but not judged.',
    ...(showCpk ? ['Cpk: worst lane over every unit tested; LB = its one-sided lower confidence bound.'] : []),
    ...(rows.some((r) => cpkSet.has(r.parameter) && r.cpkBy === 'box-cox') ? [BOX_COX_FOOTNOTE] : []),
    ...[...rules.values()].map(
      (r) => `[${r.mark}] Conditional limit. ${printable(r.text)}. The table shows the range this limit took over the certified units.`,
    ),
  ];
  for (const n of notes) doc.text(n, left, doc.y, { width });
  doc.fillColor(COLORS.ink);
}

/** A parameter's name without the spec's ", each lane" (the Lanes column says it). */
function parameterLabel(name: string): string {
  return name.replace(/,\s*(each|per) lane$/i, '');
}

function drawEvidence(doc: PDFKit.PDFDocument, e: CertificateEvidence, left: number, width: number): void {
  const rows: [string, string][] = [
    ['Result SHA-256', e.resultSha256],
    ['Input files', `${e.fileCount} station files; SHA-256 of the sorted file hashes ${e.fileListSha256}`],
    ['Versions', `specification ${e.specVersion}, acceptance policy ${e.policyId} v${e.policyVersion}, lotqa ${e.lotqaVersion}`],
    ['Attachments', `${EVIDENCE_ATTACHMENT} (evidence), ${SUMMARY_ATTACHMENT} (quantities, limits, statistics, serial numbers)`],
  ];
  for (const [k, v] of rows) {
    const y = doc.y;
    doc.font(FONT_BOLD).fontSize(7.5).fillColor(COLORS.muted).text(k, left, y, { width: 84, lineBreak: false });
    doc
      .font(FONT)
      .fillColor(COLORS.ink)
      .text(printable(v), left + 84, y, { width: width - 84, height: 20, ellipsis: true });
    doc.y = Math.max(doc.y, y + 10);
  }
}

/** Appendix A: every certified serial, sorted, in columns. */
function drawSerialAppendix(doc: PDFKit.PDFDocument, serials: readonly string[], result: LotResult, left: number, width: number): void {
  const title = (cont: boolean): void => {
    doc.font(FONT_BOLD).fontSize(10).fillColor(COLORS.ink);
    textLine(
      doc,
      `Appendix A — serial numbers of the ${counted(serials.length, 'certified unit')}, lot ${result.lot} r${result.revision}${cont ? ' (continued)' : ''}`,
      left,
      doc.page.margins.top,
      width,
    );
    doc.y = doc.page.margins.top + 18;
  };
  title(false);
  const lineH = 9;
  const fast = serials.every((s) => PLAIN_ASCII.test(s) && s.length <= 40);
  // Printable-ASCII serials (the usual case) are set in Courier, a standard PDF font, as one text object
  // per page: laying out 10,000 strings one by one in the embedded font took seconds (fontkit shapes
  // each string). Anything else goes through the embedded font, one serial at a time.
  doc
    .font(fast ? 'Courier' : FONT)
    .fontSize(7)
    .fillColor(COLORS.ink);
  const widest = Math.min(width, Math.max(40, ...serials.slice(0, 2000).map((s) => doc.widthOfString(fast ? s : printable(s)))) + 10);
  const cols = Math.max(1, Math.floor(width / widest));
  const colW = width / cols;
  let i = 0;
  while (i < serials.length) {
    const top = doc.y;
    const rowsPerPage = Math.max(1, Math.floor((doc.page.height - doc.page.margins.bottom - top) / lineH));
    const ops: string[] = [];
    // Column-major within a page, so a reader scans down each column in order.
    for (let c = 0; c < cols && i < serials.length; c++) {
      for (let r = 0; r < rowsPerPage && i < serials.length; r++, i++) {
        const x = left + c * colW;
        const y = top + r * lineH;
        if (fast) ops.push(`1 0 0 1 ${x.toFixed(2)} ${(doc.page.height - y - 7 * 0.75).toFixed(2)} Tm (${pdfString(serials[i]!)}) Tj`);
        else textLine(doc, serials[i]!, x, y, colW - 6);
      }
    }
    if (fast && ops.length > 0) writeStandardFontText(doc, ops);
    if (i < serials.length) {
      doc.addPage();
      title(true);
      doc
        .font(fast ? 'Courier' : FONT)
        .fontSize(7)
        .fillColor(COLORS.ink);
    }
  }
}

const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/** A PDF literal string body: backslash, parentheses escaped (ASCII input only). */
function pdfString(s: string): string {
  return s.replace(/[\\()]/g, (c) => `\\${c}`);
}

/**
 * Text operators in the current standard font, in one text object on the current page. Registers the
 * font in the page's resources the way pdfkit's own text() does (pdfkit 0.20: `_font.id`, `_font.ref()`).
 */
function writeStandardFontText(doc: PDFKit.PDFDocument, ops: readonly string[]): void {
  const internal = doc as unknown as {
    _font: { id: string; ref(): unknown };
    _fontSize: number;
    page: { fonts: Record<string, unknown>; height: number };
  };
  const font = internal._font;
  internal.page.fonts[font.id] ??= font.ref();
  doc.save();
  doc.addContent(`1 0 0 -1 0 ${internal.page.height} cm`);
  doc.addContent(`BT /${font.id} ${internal._fontSize} Tf`);
  doc.addContent(ops.join('\n'));
  doc.addContent('ET');
  doc.restore();
}
