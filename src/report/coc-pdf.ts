/**
 * @module Certificate of Conformance: the customer-facing PDF for one accepted lot revision.
 * Everything on it is read from the stored LotResult and DecisionRecord; the only arithmetic is pooling
 * the per-lane summaries of a parameter × corner (min of minima, max of maxima, n-weighted mean, worst-lane
 * Cpk), which restates the stored numbers rather than re-estimating anything. Internal matter (signals,
 * stations, operators) stays off the page unless the context asks for stations.
 */
import { existsSync } from 'node:fs';
import type { CellResult, LotResult, LimitView } from '../domain/lot-result.js';
import type { CertificateContext, DecisionRecord } from '../domain/decision.js';
import type { ProductSpec } from '../domain/product-spec.js';
import { resultSha256 } from './result-hash.js';
import { NoCertificateError, DecisionMismatchError } from './report-errors.js';
import {
  buildEvidence,
  certificateDocumentId,
  encodeEvidenceKeyword,
  EVIDENCE_ATTACHMENT,
  type CertificateEvidence,
} from './certificate-evidence.js';
import { COLORS, FONT, FONT_BOLD, createReportDocument, textLine } from './pdf-document.js';
import { drawTable, type TableRow } from './table-drawing.js';
import { formatExact, formatIndex, formatLimit, formatValue, dateCode, isoDate, NONE } from './number-format.js';
import { printable } from './text-safety.js';

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
}

/** Parameter ids the product spec marks `showCpkOnCertificate`. */
export function cpkParametersFromSpec(spec: Pick<ProductSpec, 'parameters'>): string[] {
  return spec.parameters.filter((p) => p.showCpkOnCertificate === true).map((p) => p.id);
}

/** One certificate row: a parameter at a corner, pooled over its lanes. */
export interface CertificateRow {
  readonly parameter: string;
  readonly name: string;
  readonly corner: string;
  readonly unit: string;
  readonly lsl: string;
  readonly usl: string;
  readonly n: number;
  readonly min: number | null;
  readonly mean: number | null;
  readonly max: number | null;
  /** Worst-lane Cpk and its lower confidence bound. */
  readonly cpk: number | null;
  readonly cpkLower: number | null;
  readonly outOfSpec: number;
}

/** Pool a result's cells into certificate rows, in the result's parameter and corner order. */
export function certificateRows(result: LotResult): CertificateRow[] {
  const groups = new Map<string, CellResult[]>();
  for (const cell of result.cells) {
    const k = `${cell.key.parameter}\u0000${cell.key.corner}`;
    const g = groups.get(k);
    if (g) g.push(cell);
    else groups.set(k, [cell]);
  }
  const rows: CertificateRow[] = [];
  for (const cells of groups.values()) {
    const first = cells[0]!;
    let n = 0;
    let sum = 0;
    let min: number | null = null;
    let max: number | null = null;
    let cpk: number | null = null;
    let cpkLower: number | null = null;
    let outOfSpec = 0;
    for (const c of cells) {
      const s = c.summary;
      if (s.mean !== null) {
        n += s.n;
        sum += s.n * s.mean;
      }
      if (s.min !== null) min = min === null ? s.min : Math.min(min, s.min);
      if (s.max !== null) max = max === null ? s.max : Math.max(max, s.max);
      const cap = c.capability;
      if (cap?.cpk != null && (cpk === null || cap.cpk < cpk)) {
        cpk = cap.cpk;
        cpkLower = cap.cpkLower;
      }
      outOfSpec += c.failures;
    }
    rows.push({
      parameter: first.key.parameter,
      name: first.name,
      corner: first.key.corner,
      unit: first.unit,
      lsl: pooledLimit(cells.map((c) => c.lsl)),
      usl: pooledLimit(cells.map((c) => c.usl)),
      n,
      min,
      mean: n > 0 ? sum / n : null,
      max,
      cpk,
      cpkLower,
      outOfSpec,
    });
  }
  return rows;
}

function pooledLimit(limits: LimitView[]): string {
  const shown = [...new Set(limits.map(formatLimit))];
  if (shown.length === 1) return shown[0]!;
  const values = limits.map((l) => l.value).filter((v): v is number => v !== null);
  return values.length === limits.length ? `${formatExact(Math.min(...values))}…${formatExact(Math.max(...values))} by lane` : 'per lane';
}

/**
 * Render the Certificate of Conformance. Throws NoCertificateError unless the decision is ACCEPT, and
 * DecisionMismatchError when the decision is about another result. Same inputs → identical bytes.
 */
export async function renderCertificate(
  result: LotResult,
  decision: DecisionRecord,
  context: CertificateContext,
  options: CertificateOptions = {},
): Promise<Buffer> {
  if (decision.disposition !== 'ACCEPT') throw new NoCertificateError(result.lot, result.revision, decision.disposition);
  const hash = options.resultSha256 ?? resultSha256(result);
  if (decision.resultSha256 !== hash) throw new DecisionMismatchError('resultSha256', decision.resultSha256, hash);
  if (decision.lot !== result.lot) throw new DecisionMismatchError('lot', decision.lot, result.lot);
  if (decision.revision !== result.revision)
    throw new DecisionMismatchError('revision', String(decision.revision), String(result.revision));

  const evidence = buildEvidence(result, decision, hash);
  const docId = certificateDocumentId(hash);
  const decidedAt = new Date(decision.decidedAt);
  const { doc, finish } = createReportDocument({
    title: `Certificate of Conformance ${printable(evidence.certificateNumber)}`,
    author: printable(context.company.name),
    subject: `Lot ${printable(result.lot)} revision ${result.revision}, ${printable(result.product.partNumber)}; result SHA-256 ${hash}`,
    keywords: encodeEvidenceKeyword(evidence),
    date: decidedAt,
    layout: 'portrait',
    margin: 40,
    footerLeft: `${docId} · ${evidence.certificateNumber} · result SHA-256 ${hash.slice(0, 16)}…`,
  });
  const json = Buffer.from(JSON.stringify(evidence, null, 2) + '\n', 'utf8');
  doc.file(json, {
    name: EVIDENCE_ATTACHMENT,
    type: 'application/json',
    description: 'lotqa certificate evidence (verify with: lotqa verify <certificate.pdf>)',
    creationDate: decidedAt,
    modifiedDate: decidedAt,
  });

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;

  drawCompanyBlock(doc, context, left, width);
  doc.font(FONT_BOLD).fontSize(17).fillColor(COLORS.ink);
  textLine(doc, 'CERTIFICATE OF CONFORMANCE', left, doc.y + 6, width, 'center');
  doc.font(FONT).fontSize(9).fillColor(COLORS.muted);
  textLine(doc, `Certificate No. ${evidence.certificateNumber}    Document ID ${docId}`, left, doc.y + 26, width, 'center');
  doc.y += 44;
  doc.fillColor(COLORS.ink);

  const q = result.quantity;
  const rejected = q.units - result.yields.finalPassed;
  const codes = options.dateCodes ?? derivedDateCodes(result);
  const ident: [string, string][] = [
    ['Customer', context.customer ?? NONE],
    ['Purchase order', context.purchaseOrder ?? NONE],
    ['Part number', result.product.partNumber],
    ['Product', `${result.product.description} (${result.product.formFactor})`],
    ['Lot / revision', `${result.lot} / r${result.revision}`],
    ['Quantity', `${result.yields.finalPassed} conforming units certified (${q.units} tested, ${rejected} nonconforming removed)`],
    ['Date codes', codes.length > 0 ? codes.join(', ') : NONE],
    ['Test period', q.firstTestTime && q.lastTestTime ? `${isoDate(q.firstTestTime)} to ${isoDate(q.lastTestTime)}` : NONE],
    ['Test conditions', result.product.corners.map((c) => `${c.name}`).join('; ') + `; ${result.product.laneCount} lanes per unit`],
    ['Specification', `${result.product.productId} version ${result.product.specVersion}`],
  ];
  if (context.showStations) ident.push(['Test stations', q.stations.join(', ')]);
  drawKeyValues(doc, ident, left, width);

  section(doc, 'Standards and documents tested against', left);
  doc.font(FONT).fontSize(8.5).fillColor(COLORS.ink);
  for (const s of result.product.standards) {
    doc.text(`•  ${printable(s.id)} — ${printable(s.title)}`, left + 6, doc.y, { width: width - 6 });
  }
  if (result.product.standards.length === 0) doc.text('None listed in the product specification.', left + 6, doc.y);

  section(doc, 'Statement of conformance', left);
  doc
    .font(FONT)
    .fontSize(8.5)
    .text(
      `We certify that the ${result.yields.finalPassed} units of lot ${printable(result.lot)} (revision ${result.revision}) supplied under the purchase order above ` +
        `were manufactured, inspected and tested in accordance with the product specification and the documents listed, and that every ` +
        `certified unit conforms to the limits below at every test temperature. Test records are retained and available on request.`,
      left,
      doc.y,
      { width, align: 'justify' },
    );

  section(doc, 'Test results per parameter and temperature (all lanes)', left);
  const cpkSet = new Set(options.cpkParameters ?? []);
  const showCpk = cpkSet.size > 0;
  const rows = certificateRows(result);
  const anyRemoved = rows.some((r) => r.outOfSpec > 0);
  const tableRows: TableRow[] = rows.map((r) => [
    r.name,
    cornerName(result, r.corner),
    r.unit,
    r.lsl,
    r.usl,
    String(r.n),
    formatValue(r.min),
    formatValue(r.mean),
    formatValue(r.max),
    ...(showCpk
      ? [cpkSet.has(r.parameter) ? `${formatIndex(r.cpk)}${r.cpkLower !== null ? ` (≥${formatIndex(r.cpkLower)})` : ''}` : NONE]
      : []),
    String(r.outOfSpec),
    { text: r.outOfSpec === 0 ? 'PASS' : 'PASS*', color: COLORS.accept, bold: true },
  ]);
  const base = [
    { header: 'Parameter', width: showCpk ? 96 : 120, wrap: true },
    { header: 'Corner', width: 36 },
    { header: 'Unit', width: 34 },
    { header: 'LSL', width: 52, align: 'right' as const, wrap: true },
    { header: 'USL', width: 36, align: 'right' as const },
    { header: 'n', width: 28, align: 'right' as const },
    { header: 'Min', width: 38, align: 'right' as const },
    { header: 'Mean', width: 38, align: 'right' as const },
    { header: 'Max', width: 38, align: 'right' as const },
  ];
  const columns = [
    ...base,
    ...(showCpk ? [{ header: 'Cpk (LB)', width: 58, align: 'right' as const }] : []),
    { header: 'Fails', width: showCpk ? 27 : 40, align: 'right' as const },
    { header: 'Result', width: showCpk ? 36 : 52, align: 'center' as const },
  ];
  const tableWidth = columns.reduce((a, c) => a + c.width, 0);
  drawTable(doc, columns, tableRows, { x: left + (width - tableWidth) / 2, fontSize: 7 });
  doc.font(FONT).fontSize(7).fillColor(COLORS.muted);
  const notes = [
    'n = measurements (units × lanes); Fails = measurements outside the limits. Min / mean / max over all lanes of all units tested. (info) = informative limit, reported but not judged.',
    ...(showCpk ? ['Cpk: worst lane; LB = its lower confidence bound.'] : []),
    ...(anyRemoved ? ['* Nonconforming units were removed at final test; the certified quantity contains conforming units only.'] : []),
  ];
  for (const n of notes) doc.text(n, left, doc.y, { width });
  doc.fillColor(COLORS.ink);

  ensureSpace(doc, 120);
  section(doc, 'Sampling plan', left);
  const s = result.sampling;
  const plan = [
    printable(s.description),
    s.standard
      ? `${printable(s.standard)}${s.severity ? `, ${printable(s.severity)} inspection` : ''}${s.codeLetter ? `, code letter ${printable(s.codeLetter)}` : ''}`
      : null,
    `Sample size ${s.sampleSize}${s.acceptanceNumber !== null ? `, Ac ${s.acceptanceNumber}` : ''}${s.rejectionNumber !== null ? ` / Re ${s.rejectionNumber}` : ''}; nonconforming found ${s.nonconforming}; verdict ${s.verdict}.`,
    result.cells.some((c) => c.pat !== null)
      ? 'Part average testing (PAT) applied: units outside the PAT limits are held for engineering review.'
      : null,
  ].filter((x): x is string => x !== null);
  doc.font(FONT).fontSize(8.5);
  for (const line of plan) doc.text(line, left, doc.y, { width });

  ensureSpace(doc, 150);
  section(doc, 'Disposition and approval', left);
  drawApproval(doc, decision, options.approverTitle, left, width);

  ensureSpace(doc, 110);
  section(doc, 'Evidence', left);
  drawEvidence(doc, evidence, left, width);

  return finish();
}

function derivedDateCodes(result: LotResult): string[] {
  const q = result.quantity;
  if (!q.firstTestTime || !q.lastTestTime) return [];
  const a = dateCode(q.firstTestTime);
  const b = dateCode(q.lastTestTime);
  return a === b ? [a] : [a, b];
}

function cornerName(result: LotResult, id: string): string {
  const c = result.product.corners.find((x) => x.id === id);
  return c ? `${formatExact(c.caseTemperatureC)} °C` : id;
}

function drawCompanyBlock(doc: PDFKit.PDFDocument, context: CertificateContext, left: number, width: number): void {
  const top = doc.page.margins.top;
  const logo = context.company.logoPath;
  let textWidth = width;
  if (logo) {
    if (!existsSync(logo)) throw new Error(`Company logo "${logo}" not found: fix company.logoPath in the configuration or remove it.`);
    doc.image(logo, left + width - 130, top, { fit: [130, 48], align: 'right' });
    textWidth = width - 140;
  }
  doc.font(FONT_BOLD).fontSize(13).fillColor(COLORS.ink);
  textLine(doc, context.company.name, left, top, textWidth);
  doc.font(FONT).fontSize(8.5).fillColor(COLORS.muted);
  let y = top + 18;
  for (const line of context.company.address.slice(0, 4)) {
    textLine(doc, line, left, y, textWidth);
    y += 11;
  }
  y = Math.max(y, logo ? top + 52 : y) + 4;
  doc
    .moveTo(left, y)
    .lineTo(left + width, y)
    .lineWidth(1)
    .stroke(COLORS.ink);
  doc.fillColor(COLORS.ink);
  doc.y = y + 4;
}

function drawKeyValues(doc: PDFKit.PDFDocument, pairs: readonly [string, string][], left: number, width: number): void {
  const keyW = 100;
  for (const [k, v] of pairs) {
    const y = doc.y;
    doc.font(FONT_BOLD).fontSize(8.5).fillColor(COLORS.muted).text(k, left, y, { width: keyW, lineBreak: false });
    doc.font(FONT).fillColor(COLORS.ink);
    // Input-derived values wrap over at most two lines and are cut there.
    doc.text(printable(v), left + keyW, y, { width: width - keyW, height: 22, ellipsis: true });
    doc.y = Math.max(doc.y, y + 12);
  }
}

function section(doc: PDFKit.PDFDocument, title: string, left: number): void {
  doc.y += 7;
  doc.font(FONT_BOLD).fontSize(10).fillColor(COLORS.ink).text(title, left, doc.y);
  doc.y += 2;
}

function ensureSpace(doc: PDFKit.PDFDocument, needed: number): void {
  if (doc.y + needed > doc.page.height - doc.page.margins.bottom) {
    doc.addPage();
  }
}

function drawApproval(doc: PDFKit.PDFDocument, decision: DecisionRecord, title: string | undefined, left: number, width: number): void {
  const y = doc.y + 2;
  doc.save().roundedRect(left, y, 130, 30, 3).lineWidth(1.5).stroke(COLORS.accept).restore();
  doc.font(FONT_BOLD).fontSize(15).fillColor(COLORS.accept);
  textLine(doc, decision.disposition, left, y + 7, 130, 'center');
  doc.fillColor(COLORS.ink).font(FONT).fontSize(8.5);
  const approver = decision.decidedKind === 'policy' ? `Automatic sign-off (${decision.decidedBy})` : decision.decidedBy;
  const x = left + 150;
  const w = width - 150;
  doc.font(FONT_BOLD);
  textLine(doc, `Approved by: ${approver}`, x, y, w);
  doc.font(FONT);
  if (title) textLine(doc, title, x, y + 12, w);
  textLine(doc, `Date: ${isoDate(decision.decidedAt)} (${decision.decidedAt})`, x, y + (title ? 24 : 12), w);
  const sigY = y + 48;
  doc
    .moveTo(x, sigY)
    .lineTo(x + 200, sigY)
    .lineWidth(0.5)
    .stroke(COLORS.ink);
  doc
    .fontSize(7)
    .fillColor(COLORS.muted)
    .text('Signature', x, sigY + 2, { lineBreak: false });
  doc.fillColor(COLORS.ink);
  doc.x = left;
  doc.y = sigY + 14;
}

function drawEvidence(doc: PDFKit.PDFDocument, e: CertificateEvidence, left: number, width: number): void {
  const rows: [string, string][] = [
    ['Result SHA-256', e.resultSha256],
    ['Input files', `${e.fileCount} files; SHA-256 of sorted file hashes ${e.fileListSha256}`],
    ['Content hash', e.contentHash],
    [
      'Versions',
      `spec ${e.specVersion}, policy ${e.policyId} v${e.policyVersion}, baseline ${e.baselineVersion ?? 'none'}, lotqa ${e.lotqaVersion}`,
    ],
    ['Signer', e.signer],
    ['Verify', `lotqa verify <this file>  (evidence attached as ${EVIDENCE_ATTACHMENT})`],
  ];
  for (const [k, v] of rows) {
    const y = doc.y;
    doc.font(FONT_BOLD).fontSize(7.5).fillColor(COLORS.muted).text(k, left, y, { width: 90, lineBreak: false });
    doc
      .font(FONT)
      .fillColor(COLORS.ink)
      .text(printable(v), left + 90, y, { width: width - 90, height: 20, ellipsis: true });
    doc.y = Math.max(doc.y, y + 10);
  }
}
