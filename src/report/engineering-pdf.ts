/**
 * @module Engineering lot report (internal): page 1 the decision, its reasons and where to look; then the
 * findings (run-rule signals per chart × rule, PAT outliers), the failure Pareto, and one page per parameter
 * × corner with the I and MR chart of every lane, capability and baseline table and the lane-to-lane view.
 * Everything comes from the LotResult (and the decision, when there is one). Deterministic: the document
 * date is the decision time, else the last test time of the lot, never the clock.
 */
import type { CellResult, LimitView, LotResult, Reason } from '../domain/lot-result.js';
import type { DecisionRecord } from '../domain/decision.js';
import { resultSha256 } from './result-hash.js';
import { COLORS, FAST_DEFLATE_LEVEL, FONT, FONT_BOLD, createReportDocument, textLine } from './pdf-document.js';
import { columnWidthFor, drawTable, type TableRow } from './table-drawing.js';
import { chartRange, drawIChartPanel, drawLaneMeans, drawPareto, type Box } from './chart-drawing.js';
import { formatIndex, formatLimitValue, formatP, formatPercent, formatReading, formatValue, NONE } from './number-format.js';
import { laneName, laneNamingOf, lanePhrase, laneTag } from '../domain/lanes.js';
import { judgedCapability } from '../domain/judged-capability.js';
import { signalCounts, signalTable } from './signal-table.js';
import { drawStationEffects } from './engineering-stations.js';
import { drawTrend } from './engineering-trend.js';
import { limitInWords } from './limit-words.js';
import { parameterNames } from './certificate-rows.js';
import { printable, truncateChars } from './text-safety.js';
import { drawStationEvidence, stationEvidenceSubtitle } from './engineering-station-verdicts.js';
import { counted } from './counted.js';

export interface EngineeringReportOptions {
  /** Most serials listed per signal before "+n more" (default 16). */
  readonly serialsPerSignal?: number;
  /**
   * Most rows per list (signals, investigations, PAT outliers, failing units) before "… n more" (default
   * 300). Keeps a 10,000-unit lot's report to a readable, bounded size; the complete lists are in
   * lot-result.json and units.csv.
   */
  readonly maxListRows?: number;
  /** SHA-256 of this result's canonical JSON when the caller already has it (saves seconds on big lots). */
  readonly resultSha256?: string;
  /** Most chart × rule rows of the signal table (default 60); every signal is in signals.csv. */
  readonly maxSignalRows?: number;
}

const MARGIN = 28;

/** One page's worth of cells: a parameter at a corner, all its lanes. */
export interface ChartGroup {
  readonly parameter: string;
  readonly corner: string;
  readonly cells: readonly CellResult[];
}

/** Group cells by parameter × corner, keeping the result's order. */
export function chartGroups(result: LotResult): ChartGroup[] {
  const map = new Map<string, { parameter: string; corner: string; cells: CellResult[] }>();
  for (const cell of result.cells) {
    const k = `${cell.key.parameter}\u0000${cell.key.corner}`;
    const g = map.get(k);
    if (g) g.cells.push(cell);
    else map.set(k, { parameter: cell.key.parameter, corner: cell.key.corner, cells: [cell] });
  }
  return [...map.values()];
}

/** A bold section heading in ink, at (x, y). */
function sectionTitle(doc: PDFKit.PDFDocument, title: string, x: number, y: number): void {
  doc.font(FONT_BOLD).fontSize(9).fillColor(COLORS.ink).text(title, x, y);
}

/** Named destination of a chart page. */
function chartDest(parameter: string, corner: string): string {
  return `chart:${parameter}:${corner}`;
}

/** Where each section landed (1-based page numbers), for page 1's links. */
interface Layout {
  readonly findings: number;
  readonly pareto: number;
  readonly charts: ReadonlyMap<string, number>;
  readonly firstChart: number | null;
  /** Reasons listed in full on the findings page (page 1 showed only the first ones). */
  readonly allReasonsOnFindings: boolean;
}

/**
 * Render the engineering report. `decision` may be null for a lot not yet decided (the proposal is shown).
 * Page 1: the decision, its reasons and where to look (internal links); then the findings (run-rule
 * signals per chart × rule, PAT outliers), the failure Pareto with the failing units, and one page per
 * parameter × temperature with the I and MR chart of every lane.
 */
export async function renderEngineeringReport(
  result: LotResult,
  decision: DecisionRecord | null,
  options: EngineeringReportOptions = {},
): Promise<Buffer> {
  const hash = options.resultSha256 ?? resultSha256(result);
  const maxRows = options.maxListRows ?? 300;
  const maxSignalRows = options.maxSignalRows ?? 60;
  const date = new Date(decision?.decidedAt ?? result.quantity.lastTestTime ?? '2000-01-01T00:00:00Z');
  const { doc, finish } = createReportDocument({
    title: `Engineering lot report ${printable(result.lot)} r${result.revision}`,
    author: 'lotqa',
    subject: `Lot ${printable(result.lot)} revision ${result.revision}; result SHA-256 ${hash}`,
    keywords: `lotqa engineering report; ${hash}`,
    date,
    layout: 'landscape',
    margin: MARGIN,
    footerLeft: `Engineering lot report · ${result.lot} r${result.revision} · ${result.product.partNumber} · result SHA-256 ${hash.slice(0, 16)}… · INTERNAL`,
    // Internal document of large chart paths, never recorded by its hash: fast compression.
    deflateLevel: FAST_DEFLATE_LEVEL,
  });
  const outline = doc.outline;
  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;
  const pageNo = (): number => doc.bufferedPageRange().start + doc.bufferedPageRange().count;
  const flagged = heldLanes(result);

  // Page 1 is drawn last, when every section's page is known; its outline entry comes first.
  outline.addItem('Summary');
  doc.addNamedDestination('summary');
  const reasonsOnPage1 = page1ReasonCapacity(result);

  // ── Findings: reasons (when page 1 cannot hold them), signals, PAT outliers ─────────────
  doc.addPage();
  const findings = pageNo();
  outline.addItem('Findings: signals and PAT outliers');
  doc.addNamedDestination('findings');
  pageTitle(doc, 'Findings', 'Run-rule signals per chart × rule, PAT outliers, other unit-level findings');
  const chartPages = new Map<string, number>();
  const groups = chartGroups(result);
  // Chart pages follow the findings and the Pareto; their numbers are only known after drawing, so the
  // findings link to named destinations (resolved by the viewer) and print no page number.
  const allReasonsOnFindings = result.proposal.reasons.length > reasonsOnPage1;
  if (allReasonsOnFindings) {
    sectionTitle(doc, `Reasons for the ${decision ? 'decision' : 'proposal'} (all ${result.proposal.reasons.length})`, left, doc.y);
    doc.y += 2;
    drawTable(
      doc,
      reasonColumns(width),
      result.proposal.reasons.map((r) => reasonRow(result, r, 8, null)),
      {
        x: left,
        onNewPage: () => continuationTitle(doc, 'Findings (continued)'),
      },
    );
  }
  drawSignalTable(doc, result, left, width, maxSignalRows);
  doc.addNamedDestination('pat');
  drawPatOutliers(doc, result, left, width, maxRows);
  drawOtherInvestigations(doc, result, left, width, options.serialsPerSignal ?? 16, maxRows);

  // ── Pareto ───────────────────────────────────────────────────────────────
  doc.addPage();
  const pareto = pageNo();
  outline.addItem('Failure Pareto and failing units');
  doc.addNamedDestination('pareto');
  pageTitle(doc, 'Failure Pareto', 'Units failing at their first attempt and at their final attempt, by parameter × temperature × lane');
  drawParetoPage(doc, result, left, width, maxRows);

  // ── Station effects (src/report/engineering-stations.ts) ─────────────────
  if ((result.stationEffects ?? []).length > 0) {
    doc.addPage();
    outline.addItem('Station effects');
    doc.addNamedDestination('stations');
    pageTitle(doc, 'Station effects', 'Each test station against the others, per critical parameter × temperature');
    drawStationEffects(doc, result, left, width, () => continuationTitle(doc, 'Station effects (continued)'));
  }

  // ── Station verdicts and limits (only when the stations reported any) ───
  if (result.stationEvidence) {
    doc.addPage();
    outline.addItem('Station verdicts and limits');
    pageTitle(doc, 'Station verdicts and limits', stationEvidenceSubtitle(result));
    drawStationEvidence(doc, result, {
      left,
      width,
      maxRows,
      section: (title, y) => sectionTitle(doc, title, left, y),
      continued: () => continuationTitle(doc, 'Station verdicts and limits (continued)'),
    });
  }

  // ── Batch-to-batch trend (src/report/engineering-trend.ts) ──────────────
  if (result.trend !== undefined) {
    doc.addPage();
    outline.addItem('Batch-to-batch trend');
    doc.addNamedDestination('trend');
    pageTitle(
      doc,
      'Batch-to-batch trend',
      'Lot means over the product history on EWMA and CUSUM charts, per critical parameter × temperature',
    );
    drawTrend(doc, result, left, width, () => continuationTitle(doc, 'Batch-to-batch trend (continued)'));
  }

  // ── Charts per parameter × corner ────────────────────────────────────────
  const chartsRoot = outline.addItem('Control charts', { expanded: false });
  let currentParam = '';
  let paramItem: PDFKit.PDFOutline | null = null;
  let firstChart: number | null = null;
  for (const g of groups) {
    doc.addPage();
    const first = g.cells[0]!;
    if (g.parameter !== currentParam) {
      currentParam = g.parameter;
      paramItem = chartsRoot.addItem(`${printable(first.name)} (${g.parameter})`, { expanded: false });
    }
    paramItem!.addItem(`${cornerLabel(result, g.corner)}`);
    chartPages.set(chartDest(g.parameter, g.corner), pageNo());
    firstChart ??= pageNo();
    doc.addNamedDestination(chartDest(g.parameter, g.corner));
    drawGroupPage(doc, result, g, left, width, flagged);
  }

  // ── Page 1 ────────────────────────────────────────────────────────────────
  doc.switchToPage(doc.bufferedPageRange().start);
  pageTitle(
    doc,
    `Engineering lot report — ${result.lot} r${result.revision}`,
    `${result.product.partNumber} · ${result.product.description}`,
  );
  drawSummary(doc, result, decision, hash, left, width, {
    findings,
    pareto,
    charts: chartPages,
    firstChart,
    allReasonsOnFindings,
  });

  return finish();
}

function pageTitle(doc: PDFKit.PDFDocument, title: string, subtitle: string): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.font(FONT_BOLD).fontSize(13).fillColor(COLORS.ink);
  textLine(doc, title, left, MARGIN - 6, width);
  doc.font(FONT).fontSize(8).fillColor(COLORS.muted);
  textLine(doc, subtitle, left, MARGIN + 10, width);
  doc
    .moveTo(left, MARGIN + 21)
    .lineTo(left + width, MARGIN + 21)
    .lineWidth(0.8)
    .stroke(COLORS.ink);
  doc.fillColor(COLORS.ink);
  doc.x = left;
  doc.y = MARGIN + 27;
}

function cornerLabel(result: LotResult, corner: string): string {
  const c = result.product.corners.find((x) => x.id === corner);
  return c ? `${printable(c.name)}` : printable(corner);
}

function dispositionColor(d: string): string {
  return d === 'ACCEPT' ? COLORS.accept : d === 'REJECT' ? COLORS.reject : COLORS.hold;
}

/** Lanes (0-based) named in a HOLD or REJECT reason, per parameter × corner. */
function heldLanes(result: LotResult): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const r of result.proposal.reasons) {
    if (r.severity === 'INFO' || r.parameter === undefined || r.corner === undefined || r.lane === undefined || r.lane === null) continue;
    const k = `${r.parameter}\u0000${r.corner}`;
    let set = out.get(k);
    if (!set) out.set(k, (set = new Set()));
    set.add(r.lane);
  }
  return out;
}

/** How many reasons page 1 lists before sending the reader to the findings page. */
function page1ReasonCapacity(result: LotResult): number {
  return Math.min(result.proposal.reasons.length, 14);
}

function reasonColumns(width: number): { header: string; width: number; wrap?: boolean; align?: 'left' | 'right' }[] {
  return [
    { header: 'Severity', width: 48 },
    { header: 'Code', width: 96 },
    { header: 'Where', width: 150 },
    { header: 'Message', width: width - 294 - 190, wrap: true },
    { header: 'Units', width: 150, wrap: true },
    { header: 'Look at', width: 40 },
  ];
}

function drawSummary(
  doc: PDFKit.PDFDocument,
  result: LotResult,
  decision: DecisionRecord | null,
  hash: string,
  left: number,
  width: number,
  layout: Layout,
): void {
  const top = doc.y;
  const disposition = decision?.disposition ?? result.proposal.disposition;
  const color = dispositionColor(disposition);
  doc.save().roundedRect(left, top, 170, 52, 4).lineWidth(2).stroke(color).restore();
  doc.font(FONT_BOLD).fontSize(20).fillColor(color);
  textLine(doc, disposition, left, top + 8, 170, 'center');
  doc.font(FONT).fontSize(7.5).fillColor(COLORS.muted);
  textLine(doc, decision ? `decided by ${decision.decidedBy}` : 'PROPOSED by policy — not yet decided', left + 4, top + 34, 162, 'center');

  const cert = result.certification;
  const kv: [string, string][] = [
    [
      'Decision',
      decision
        ? `${decision.disposition} by ${decision.decidedBy} (${decision.decidedKind}) at ${decision.decidedAt}`
        : `none yet; policy proposes ${result.proposal.disposition}`,
    ],
    ['Decision reason', decision ? decision.reason : NONE],
    [
      'Product / spec',
      `${result.product.productId} ${result.product.partNumber}, spec ${result.product.specVersion}; policy ${result.policy.id} v${result.policy.version}`,
    ],
    [
      'Baseline',
      result.baseline
        ? `v${result.baseline.version} (${result.baseline.createdAt}) from ${result.baseline.lots.join(', ')}`
        : 'none (phase I: limits from this lot)',
    ],
    [
      'Quantity',
      `${result.quantity.units} units, ${result.quantity.runs} test runs, ${result.quantity.files} files, ${result.quantity.quarantinedRows} quarantined rows` +
        (cert
          ? `; ${cert.units} certifiable (PAT ${cert.patAction}${cert.excludedPatOutliers > 0 ? `, ${cert.excludedPatOutliers} excluded` : ''})`
          : ''),
    ],
    ['Test period', `${result.quantity.firstTestTime ?? NONE} to ${result.quantity.lastTestTime ?? NONE}`],
    ['Result SHA-256', hash],
  ];
  const x = left + 185;
  const w = width - 185;
  let y = top;
  for (const [k, v] of kv) {
    doc.font(FONT_BOLD).fontSize(7.5).fillColor(COLORS.muted);
    doc.text(k, x, y, { lineBreak: false });
    doc.font(FONT).fillColor(COLORS.ink);
    textLine(doc, v, x + 78, y, w - 78);
    y += 10.5;
  }
  doc.y = Math.max(y, top + 58) + 4;

  // Where to look: the sections, with internal links.
  const sig = signalCounts(result);
  const failing = result.units.filter((u) => u.final !== 'pass').length;
  const looks: { text: string; dest: string; page: number | null }[] = [
    {
      text: `Run-rule signals: ${sig.signals} on ${counted(sig.chartRules, 'chart × rule combination')} of ${counted(sig.charts, 'chart')} (full list: signals.csv)`,
      dest: 'findings',
      page: layout.findings,
    },
    { text: `PAT outliers: ${counted(sig.patOutlierUnits, 'unit')}`, dest: 'pat', page: layout.findings },
    {
      text: `Failure Pareto and failing units: ${counted(failing, 'unit')} not passing their final attempt`,
      dest: 'pareto',
      page: layout.pareto,
    },
    ...(layout.firstChart !== null
      ? [
          {
            text: `Control charts (I and MR per lane): ${layout.charts.size} parameter × temperature pages`,
            dest: 'charts',
            page: layout.firstChart,
          },
        ]
      : []),
  ];
  sectionTitle(doc, 'Where to look', left, doc.y);
  let ly = doc.y + 1;
  doc.font(FONT).fontSize(7.5);
  for (const l of looks) {
    const label = l.page !== null ? `p. ${l.page}` : '';
    doc.fillColor(COLORS.point).font(FONT_BOLD).text(label, left, ly, { lineBreak: false });
    doc
      .fillColor(COLORS.ink)
      .font(FONT)
      .text(l.text, left + 32, ly, { lineBreak: false });
    const dest = l.dest === 'charts' ? [...layout.charts.keys()][0]! : l.dest;
    doc.goTo(left, ly - 1, 32 + doc.widthOfString(l.text), 10, dest);
    ly += 10;
  }
  doc.y = ly + 4;

  // Yields and stations side by side
  const yTop = doc.y;
  const yl = result.yields;
  doc.font(FONT_BOLD).fontSize(9).text('Yields', left, yTop);
  doc.y = yTop + 13;
  drawTable(
    doc,
    [
      { header: 'Measure', width: 110 },
      { header: 'Units', width: 50, align: 'right' },
      { header: 'Yield', width: 55, align: 'right' },
    ],
    [
      // No unit evaluated (e.g. every run held out by conflicts): no yield, not 0 %.
      ['First-pass', String(yl.firstPassPassed), result.quantity.units === 0 ? NONE : formatPercent(yl.firstPass)],
      ['Final', String(yl.finalPassed), result.quantity.units === 0 ? NONE : formatPercent(yl.final)],
      ['Indeterminate', String(yl.indeterminate), NONE],
      ['PAT outliers', String(sig.patOutlierUnits), NONE],
    ],
    { x: left },
  );
  const afterYields = doc.y;
  doc
    .font(FONT_BOLD)
    .fontSize(9)
    .text('Stations', left + 240, yTop);
  doc.y = yTop + 13;
  drawTable(
    doc,
    [
      { header: 'Station', width: 110 },
      { header: 'Units', width: 45, align: 'right' },
      { header: 'FPY', width: 50, align: 'right' },
      { header: 'Final', width: 50, align: 'right' },
    ],
    result.stations.slice(0, 4).map((s) => [s.station, String(s.units), formatPercent(s.firstPassYield), formatPercent(s.finalYield)]),
    { x: left + 240 },
  );
  const afterStations = doc.y;
  const s = result.sampling;
  doc
    .font(FONT_BOLD)
    .fontSize(9)
    .text('Sampling and tests', left + 520, yTop);
  doc
    .font(FONT)
    .fontSize(7)
    .fillColor(COLORS.ink)
    .text(
      printable(
        `${s.description}. n = ${s.sampleSize}${s.acceptanceNumber !== null ? `, Ac ${s.acceptanceNumber}` : ''}${s.rejectionNumber !== null ? `, Re ${s.rejectionNumber}` : ''}, nonconforming ${s.nonconforming}, verdict ${s.verdict}. Family of ${result.family.tests} lot-level tests at α = ${result.family.alpha} (${result.family.correction}).`,
      ),
      left + 520,
      yTop + 13,
      { width: width - 520, height: 50, ellipsis: true },
    );
  doc.y = Math.max(afterYields, afterStations, doc.y) + 4;

  const reasons = result.proposal.reasons;
  const shown = page1ReasonCapacity(result);
  sectionTitle(
    doc,
    `Reasons for the ${decision ? 'decision' : 'proposal'} (${reasons.length}${shown < reasons.length ? `; the first ${shown} here, all on page ${layout.findings}` : ''})`,
    left,
    doc.y,
  );
  doc.y += 2;
  let drawn = 0;
  drawTable(
    doc,
    reasonColumns(width),
    reasons.length > 0 ? reasons.slice(0, shown).map((r) => reasonRow(result, r, 6, layout)) : [['none', '', '', '', '', '']],
    { x: left, stopAtPageEnd: (n) => (drawn = n) },
  );
  if (drawn < Math.min(shown, reasons.length)) {
    doc.font(FONT).fontSize(7).fillColor(COLORS.muted);
    doc.text(`… ${counted(reasons.length - drawn, 'more reason', 'more reasons')} on page ${layout.findings}.`, left, doc.y, {
      lineBreak: false,
    });
  }
  for (const note of result.notes.slice(0, 2)) {
    if (doc.y > doc.page.height - MARGIN - 20) break;
    doc
      .font(FONT)
      .fontSize(7)
      .fillColor(COLORS.muted)
      .text(`Note: ${truncateChars(printable(note), 300)}`, left, doc.y, { width, height: 10 });
  }
  doc.fillColor(COLORS.ink);
}

function continuationTitle(doc: PDFKit.PDFDocument, title: string): number {
  pageTitle(doc, title, '');
  return doc.y;
}

function reasonRow(result: LotResult, r: Reason, maxSerials: number, layout: Layout | null): TableRow {
  const where = [
    r.parameter,
    r.corner,
    r.lane !== undefined && r.lane !== null ? lanePhrase(laneNamingOf(result.product), r.lane) : null,
    r.rule,
  ]
    .filter(Boolean)
    .join(' · ');
  const serials = r.serials ?? [];
  const dest = r.parameter !== undefined && r.corner !== undefined ? chartDest(r.parameter, r.corner) : null;
  const page = dest !== null ? (layout?.charts.get(dest) ?? null) : null;
  void result;
  return [
    { text: r.severity, color: r.severity === 'INFO' ? COLORS.muted : dispositionColor(r.severity), bold: true },
    r.code,
    where || NONE,
    r.message,
    serials.length === 0 ? NONE : serialList(serials, maxSerials),
    dest !== null ? { text: page !== null ? `p. ${page}` : 'chart', color: COLORS.point, link: dest } : '',
  ];
}

function serialList(serials: readonly string[], max: number): string {
  const shown = serials.slice(0, max).map((s) => truncateChars(printable(s), 40));
  return shown.join(', ') + (serials.length > max ? ` … +${serials.length - max} more` : '');
}

function grid(count: number): { cols: number; rows: number } {
  if (count <= 1) return { cols: 1, rows: 1 };
  if (count <= 2) return { cols: 2, rows: 1 };
  if (count <= 4) return { cols: 4, rows: 1 };
  if (count <= 8) return { cols: 4, rows: 2 };
  return { cols: 4, rows: Math.ceil(count / 4) };
}

/** A limit for the chart page title: the constant in the declared resolution, or the rule in words. */
function limitText(result: LotResult, l: LimitView, decimals: number | undefined): string {
  const body =
    l.value !== null ? formatLimitValue(l.value, decimals) : l.expr !== null ? limitInWords(l.expr, parameterNames(result)) : NONE;
  return l.informative && body !== NONE ? `${body} (info)` : body;
}

function drawGroupPage(
  doc: PDFKit.PDFDocument,
  result: LotResult,
  g: ChartGroup,
  left: number,
  width: number,
  flagged: ReadonlyMap<string, ReadonlySet<number>>,
): void {
  const first = g.cells[0]!;
  const dec = first.decimals;
  const limits = `LSL ${limitText(result, first.lsl, dec)} · USL ${limitText(result, first.usl, dec)} ${printable(first.unit)}`;
  pageTitle(
    doc,
    `${first.name} — ${cornerLabel(result, g.corner)}`,
    `${g.parameter} · ${first.unit} · ${limits}${first.critical ? ' · critical' : ''}${first.scale === 'log10' ? ' · SPC on log10 scale (axis shows the value)' : ''} · ${first.chart ? `${first.chart.kind} chart, ${first.chart.phase}, σ by ${first.chart.estimator}` : 'no chart'}`,
  );
  const top = doc.y;
  const { cols, rows } = grid(g.cells.length);
  const chartsH = rows === 1 ? 250 : rows === 2 ? 300 : 330;
  const cellW = width / cols;
  const cellH = chartsH / rows;
  const range = chartRange(g.cells);
  let enveloped = false;
  let threshold = Infinity;
  let marked = 0;
  let conditional = false;
  g.cells.forEach((cell, i) => {
    const c = i % cols;
    const r = Math.floor(i / cols);
    const box: Box = { x: left + c * cellW, y: top + r * cellH, w: cellW - 6, h: cellH - 4 };
    const info = drawIChartPanel(doc, cell, box, {
      title: cell.key.lane === null ? 'Module' : `Lane ${laneName(laneNamingOf(result.product), cell.key.lane)}`,
      range,
      yLabels: c === 0,
    });
    enveloped ||= info.enveloped;
    threshold = Math.min(threshold, info.threshold);
    marked += info.signalsMarked;
    conditional ||= info.conditionalLimits;
  });
  // Legend / method line
  let y = top + chartsH + 2;
  doc.font(FONT).fontSize(6).fillColor(COLORS.muted);
  const n = first.chart?.points.length ?? 0;
  const legend =
    'Individuals (top) and moving range (MR, below) per lane. Green: centre line · red dashed: UCL/LCL (±3σ; MR: D4·MR̄) · shaded: ±1σ and ±2σ zones · purple: LSL/USL' +
    (conditional ? ' (stepped: the conditional limit of each unit)' : '') +
    ' · red points: run-rule signal (number = rule) · right: histogram with fitted normal curve. ' +
    (enveloped
      ? `${n} points per chart drawn as a min–max envelope per 1 pt column (more than ${threshold} points); signal points drawn individually.`
      : '');
  doc.text(legend, left, y, { width, lineBreak: true });
  y = doc.y + 3;

  // Table (left) + lane means (right)
  const tableW = width - 215;
  doc.y = y;
  let boxCoxShown = false;
  const rowsData: TableRow[] = g.cells.map((c) => {
    const cap = c.capability;
    const con = c.consistency;
    const signals = c.chart?.signals.length ?? 0;
    // The Cpk the decision judged the lane by (Box–Cox where the policy's non-normal route applied).
    const judged = cap ? judgedCapability(cap) : null;
    const boxCox = judged?.by === 'box-cox';
    boxCoxShown ||= boxCox;
    const cpkText =
      judged?.cpk != null
        ? `${formatIndex(judged.cpk)}${boxCox ? '*' : ''} [${formatIndex(judged.cpkLower)}, ${formatIndex(judged.cpkUpper)}]`
        : NONE;
    const lowCpk = judged?.cpkLower != null && judged.cpkLower < 1.33;
    const d = c.decimals;
    return [
      laneTag(laneNamingOf(result.product), c.key.lane),
      String(c.summary.n),
      formatReading(c.summary.mean, d === undefined ? undefined : d + 1),
      formatReading(c.summary.sd, d === undefined ? undefined : d + 1),
      formatReading(c.summary.min, d),
      formatReading(c.summary.max, d),
      formatIndex(cap?.cp),
      { text: cpkText, color: lowCpk ? COLORS.hold : COLORS.ink },
      formatIndex(cap?.ppk),
      formatValue(cap?.ppmWithin ?? null, 2),
      { text: String(c.failures), color: c.failures > 0 ? COLORS.reject : COLORS.ink, bold: c.failures > 0 },
      String(c.pat?.outliers.length ?? 0),
      con ? formatValue(con.meanShiftSigma, 2) : NONE,
      con ? formatP(con.meanShiftP) : NONE,
      con?.varianceRatio != null ? formatValue(con.varianceRatio, 3) : NONE,
      { text: String(signals), color: signals > 0 ? COLORS.signal : COLORS.ink, bold: signals > 0 },
    ];
  });
  const colW = [32, 30, 44, 38, 44, 44, 30, 78, 30, 40, 28, 26, 36, 40, 34, 30];
  const colSum = colW.reduce((a, b) => a + b, 0);
  const scale = tableW / colSum;
  // A spec's lane labels are printed whole: the Lane column widens and the others share what is left.
  const laneW = columnWidthFor(
    doc,
    g.cells.map((c) => laneTag(laneNamingOf(result.product), c.key.lane)),
    6.5,
    1.8,
    colW[0]! * scale,
  );
  const widths =
    laneW === colW[0]! * scale
      ? colW.map((w) => w * scale)
      : [laneW, ...colW.slice(1).map((w) => (w * (tableW - laneW)) / (colSum - colW[0]!))];
  const headers = [
    'Lane',
    'n',
    'Mean',
    'SD',
    'Min',
    'Max',
    'Cp',
    'Cpk [95% CI]',
    'Ppk',
    'ppm',
    'Fails',
    'PAT',
    'Δμ (σ)',
    'p(Δμ)',
    's²/σ²',
    'Sig.',
  ];
  drawTable(
    doc,
    headers.map((h, i) => ({ header: h, width: widths[i]!, align: i === 0 ? ('left' as const) : ('right' as const) })),
    rowsData,
    { x: left, fontSize: 6.5, padding: 1.8 },
  );
  const belowTable = doc.y;
  const spread = result.laneSpread.find((s) => s.parameter === g.parameter && s.corner === g.corner);
  const laneMeans = spread?.laneMeans ?? g.cells.map((c) => c.summary.mean);
  // Baseline means of a log10 cell are on the log scale while lane means are raw: only linear cells get the rings.
  const baselineMeans = g.cells.map((c) => (c.scale === 'linear' ? (c.consistency?.baselineMean ?? null) : null));
  drawLaneMeans(
    doc,
    { x: left + tableW + 15, y, w: 200, h: Math.min(130, doc.page.height - MARGIN - 20 - y) },
    laneMeans,
    baselineMeans,
    first.unit,
    flagged.get(`${g.parameter}\u0000${g.corner}`) ?? new Set(),
    laneNamingOf(result.product),
  );
  doc.font(FONT).fontSize(6).fillColor(COLORS.muted);
  const notes = [
    `Δμ (σ): lot mean minus baseline mean in baseline σ; p(Δμ): two-sided p of the lot mean against the baseline lot-mean distribution.`,
    boxCoxShown
      ? 'Cpk*: judged on the Box–Cox scale (readings clearly non-normal, lower limit; ISO 22514-4), lower one-sided bound only; the normal-theory Cpk is in the lane note.'
      : '',
    marked > 0
      ? `${marked} points in run-rule signals on this page; counts on the Findings page, every signal with its serials in signals.csv.`
      : '',
    ...g.cells.flatMap((c) => c.notes.map((n) => `${laneTag(laneNamingOf(result.product), c.key.lane)}: ${n}`)),
  ].filter(Boolean);
  doc.text(truncateChars(printable(notes.join(' ')), 900), left, belowTable + 2, { width: tableW, height: 40, ellipsis: true });
  doc.fillColor(COLORS.ink);
}

function drawParetoPage(doc: PDFKit.PDFDocument, result: LotResult, left: number, width: number, maxRows: number): void {
  // LotResult.pareto counts units failing at their FIRST attempt; cells[].failures counts final-attempt failures.
  const finalOf = new Map(result.cells.map((c) => [`${c.key.parameter}\u0000${c.key.corner}\u0000${c.key.lane}`, c.failures]));
  const bars = result.pareto.slice(0, 25).map((p) => ({
    label: `${p.parameter} · ${p.corner}${p.lane === null ? '' : ` · ${lanePhrase(laneNamingOf(result.product), p.lane)}`}`,
    count: p.units,
    final: finalOf.get(`${p.parameter}\u0000${p.corner}\u0000${p.lane}`) ?? 0,
  }));
  const total = result.pareto.reduce((a, p) => a + p.units, 0);
  if (bars.length === 0) {
    doc
      .font(FONT)
      .fontSize(10)
      .text('No unit failed a limit at its first attempt.', left, doc.y + 10);
  } else {
    doc
      .font(FONT)
      .fontSize(7.5)
      .fillColor(COLORS.muted)
      .text(
        'Bars: units failing this limit at their first attempt (retests may pass them). "final": units still failing it at their final attempt (not certified).',
        left,
        doc.y + 2,
      );
    drawPareto(doc, { x: left, y: doc.y + 4, w: width, h: Math.min(bars.length * 16, 380) }, bars, total);
    doc.y = doc.y + 4 + Math.min(bars.length * 16, 380) + 8;
    if (result.pareto.length > 25)
      doc
        .font(FONT)
        .fontSize(7)
        .fillColor(COLORS.muted)
        .text(`${result.pareto.length - 25} further failure modes not shown.`, left, doc.y);
  }
  const failing = result.units.filter((u) => u.final !== 'pass');
  sectionTitle(doc, `Failing units (${failing.length}): final attempt not passing`, left, doc.y + 8);
  doc.y += 2;
  drawTable(
    doc,
    [
      { header: 'Serial', width: 170 },
      { header: 'Station', width: 80 },
      { header: 'Attempts', width: 50, align: 'right' },
      { header: 'Final', width: 60 },
      { header: 'Failures (parameter · corner · lane: value vs limit)', width: width - 360, wrap: true },
    ],
    failing.slice(0, maxRows).map((u) => [
      u.serial,
      u.station,
      String(u.attempts),
      { text: u.final, color: COLORS.reject, bold: true },
      u.failures
        .slice(0, 8)
        .map(
          (f) =>
            `${f.parameter} · ${f.corner}${f.lane === null ? '' : ` · ${laneTag(laneNamingOf(result.product), f.lane)}`}: ${formatValue(f.value)} ${f.side === 'below-lsl' ? '<' : f.side === 'above-usl' ? '>' : '?'} ${formatValue(f.limit)}`,
        )
        .join('; ') + (u.failures.length > 8 ? ` … +${u.failures.length - 8} more` : ''),
    ]),
    { x: left, onNewPage: () => continuationTitle(doc, 'Failure Pareto (continued)') },
  );
  moreNote(doc, failing.length, maxRows, 'failing units', 'units.csv', left);
}

/** "… n more" under a capped list, naming where the complete list is. */
function moreNote(doc: PDFKit.PDFDocument, total: number, shown: number, what: string, where: string, left: number): void {
  if (total <= shown) return;
  doc
    .font(FONT)
    .fontSize(7.5)
    .fillColor(COLORS.muted)
    .text(`… ${total - shown} more ${what} not listed here; the complete list is in ${where}.`, left, doc.y);
  doc.fillColor(COLORS.ink);
}

/** Run-rule signals as a table per chart × rule with counts; the complete list is signals.csv. */
function drawSignalTable(doc: PDFKit.PDFDocument, result: LotResult, left: number, width: number, maxRows: number): void {
  const counts = signalCounts(result);
  const rows = signalTable(result);
  sectionTitle(
    doc,
    `Run-rule signals: ${counted(counts.signals, 'signal')} on ${counted(counts.chartRules, 'chart × rule combination')} of ${counted(counts.charts, 'chart')}`,
    left,
    doc.y + 2,
  );
  doc
    .font(FONT)
    .fontSize(7)
    .fillColor(COLORS.muted)
    .text(
      'A signal is one episode of a run rule on one chart (parameter × temperature × lane). Signals do not hold a lot by themselves; look for a rule firing on many lanes or temperatures of one parameter. Every signal with its units is in signals.csv beside this report.',
      left,
      doc.y,
      { width },
    );
  doc.fillColor(COLORS.ink);
  doc.y += 2;
  const laneText = (lane: number | null): string => (lane === null ? 'module' : laneName(laneNamingOf(result.product), lane));
  const laneW = columnWidthFor(
    doc,
    rows.slice(0, maxRows).map((r) => laneText(r.cell.key.lane)),
    7,
    2.5,
    40,
  );
  const tableRows: TableRow[] = rows.slice(0, maxRows).map((r) => {
    const c = r.cell;
    return [
      c.key.parameter,
      c.key.corner,
      laneText(c.key.lane),
      `${r.ruleSet} ${r.rule}`,
      r.ruleName,
      { text: String(r.count), bold: true, color: COLORS.signal },
      String(r.up),
      String(r.down),
      String(r.units),
      { text: 'chart', color: COLORS.point, link: chartDest(c.key.parameter, c.key.corner) },
    ];
  });
  drawTable(
    doc,
    [
      { header: 'Parameter', width: 120 },
      { header: 'Corner', width: 50 },
      { header: 'Lane', width: laneW, align: 'right' },
      { header: 'Rule', width: 60 },
      { header: 'Rule name', width: width - 480 - laneW, wrap: true },
      { header: 'Signals', width: 50, align: 'right' },
      { header: 'Up', width: 40, align: 'right' },
      { header: 'Down', width: 40, align: 'right' },
      { header: 'Units', width: 50, align: 'right' },
      { header: 'Look at', width: 70 },
    ],
    tableRows.length > 0 ? tableRows : [['none', '', '', '', '', '', '', '', '', '']],
    { x: left, fontSize: 7, onNewPage: () => continuationTitle(doc, 'Findings (continued)') },
  );
  moreNote(doc, rows.length, maxRows, 'chart × rule combinations', 'signals.csv', left);
}

/** PAT outliers: units inside the spec but outside the PAT limits, and what the policy did with them. */
function drawPatOutliers(doc: PDFKit.PDFDocument, result: LotResult, left: number, width: number, maxRows: number): void {
  const pat = result.cells.flatMap((c) => (c.pat?.outliers ?? []).map((o) => ({ c, o })));
  const units = new Set(pat.map((p) => p.o.serial)).size;
  const action = result.certification?.patAction;
  const what =
    action === 'exclude-units'
      ? 'not certified (policy: exclude-units)'
      : action === 'hold-lot'
        ? 'the lot is held for review (policy: hold-lot)'
        : 'reported only, certified with the lot (policy: report-only)';
  sectionTitle(doc, `PAT outliers: ${counted(units, 'unit')}, ${counted(pat.length, 'reading')}; ${what}`, left, doc.y + 6);
  doc.y += 2;
  const byUnit = new Map(result.units.map((u) => [u.serial, u]));
  const laneText = (lane: number | null): string => (lane === null ? NONE : laneName(laneNamingOf(result.product), lane));
  const laneW = columnWidthFor(
    doc,
    pat.slice(0, maxRows).map(({ c }) => laneText(c.key.lane)),
    7.5,
    2.5,
    40,
  );
  drawTable(
    doc,
    [
      { header: 'Serial', width: 180 },
      { header: 'Parameter', width: 130 },
      { header: 'Corner', width: 60 },
      { header: 'Lane', width: laneW, align: 'right' },
      { header: 'Value', width: 70, align: 'right' },
      { header: 'PAT limits', width: 150, align: 'right' },
      { header: 'Final test', width: 60 },
      { header: 'Look at', width: width - 650 - laneW },
    ],
    pat.length > 0
      ? pat
          .slice(0, maxRows)
          .map(({ c, o }) => [
            o.serial,
            c.key.parameter,
            c.key.corner,
            laneText(c.key.lane),
            c.scale === 'log10' ? formatValue(o.value) : formatReading(o.value, c.decimals),
            `${formatValue(c.pat!.lower)} … ${formatValue(c.pat!.upper)}${c.scale === 'log10' ? ' (log10)' : ''}`,
            byUnit.get(o.serial)?.final ?? NONE,
            { text: 'chart', color: COLORS.point, link: chartDest(c.key.parameter, c.key.corner) },
          ])
      : [['none', '', '', '', '', '', '', '']],
    { x: left, onNewPage: () => continuationTitle(doc, 'Findings (continued)') },
  );
  moreNote(doc, pat.length, maxRows, 'PAT outlier readings', 'lot-result.json (cells[].pat)', left);
}

/** Investigations other than run-rule signals and PAT outliers (those have their own tables). */
function drawOtherInvestigations(
  doc: PDFKit.PDFDocument,
  result: LotResult,
  left: number,
  width: number,
  maxSerials: number,
  maxRows: number,
): void {
  const other = result.investigations.filter((r) => r.code !== 'run-rule' && r.code !== 'pat-outlier');
  if (other.length === 0) return;
  sectionTitle(doc, `Other findings (${other.length})`, left, doc.y + 6);
  doc.y += 2;
  drawTable(
    doc,
    reasonColumns(width),
    other.slice(0, maxRows).map((r) => reasonRow(result, r, maxSerials, null)),
    {
      x: left,
      onNewPage: () => continuationTitle(doc, 'Findings (continued)'),
    },
  );
  moreNote(doc, other.length, maxRows, 'findings', 'lot-result.json (investigations)', left);
}
