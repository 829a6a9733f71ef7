/**
 * @module Engineering lot report (internal): summary, one page per parameter × corner with a chart per
 * lane, capability and baseline table and lane-to-lane view, then the failure Pareto and the signal list.
 * Everything comes from the LotResult (and the decision, when there is one). Deterministic: the document
 * date is the decision time, else the last test time of the lot, never the clock.
 */
import type { CellResult, LotResult, Reason } from '../domain/lot-result.js';
import { chartPointSerials, chartRuleName } from '../domain/lot-result.js';
import type { DecisionRecord } from '../domain/decision.js';
import { resultSha256 } from './result-hash.js';
import { COLORS, FONT, FONT_BOLD, createReportDocument, textLine } from './pdf-document.js';
import { drawTable, type TableRow } from './table-drawing.js';
import { chartRange, drawIChartPanel, drawLaneMeans, drawPareto, type Box } from './chart-drawing.js';
import { formatIndex, formatLimit, formatP, formatPercent, formatValue, NONE } from './number-format.js';
import { printable, truncateChars } from './text-safety.js';

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

/** Render the engineering report. `decision` may be null for a lot not yet decided (the proposal is shown). */
export async function renderEngineeringReport(
  result: LotResult,
  decision: DecisionRecord | null,
  options: EngineeringReportOptions = {},
): Promise<Buffer> {
  const hash = options.resultSha256 ?? resultSha256(result);
  const maxRows = options.maxListRows ?? 300;
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
  });
  const outline = doc.outline;
  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;

  // ── Summary ───────────────────────────────────────────────────────────────
  outline.addItem('Summary');
  pageTitle(
    doc,
    `Engineering lot report — ${result.lot} r${result.revision}`,
    `${result.product.partNumber} · ${result.product.description}`,
  );
  drawSummary(doc, result, decision, hash, left, width);

  // ── Charts per parameter × corner ────────────────────────────────────────
  const groups = chartGroups(result);
  const chartsRoot = outline.addItem('Control charts', { expanded: false });
  let currentParam = '';
  let paramItem: PDFKit.PDFOutline | null = null;
  for (const g of groups) {
    doc.addPage();
    const first = g.cells[0]!;
    if (g.parameter !== currentParam) {
      currentParam = g.parameter;
      paramItem = chartsRoot.addItem(`${printable(first.name)} (${g.parameter})`, { expanded: false });
    }
    paramItem!.addItem(`${cornerLabel(result, g.corner)}`);
    drawGroupPage(doc, result, g, left, width);
  }

  // ── Pareto ───────────────────────────────────────────────────────────────
  doc.addPage();
  outline.addItem('Failure Pareto');
  pageTitle(doc, 'Failure Pareto', 'Final-attempt failing units by parameter × corner × lane');
  drawParetoPage(doc, result, left, width, maxRows);

  // ── Signals and investigations ───────────────────────────────────────────
  doc.addPage();
  outline.addItem('Signals and investigations');
  pageTitle(doc, 'Signals and investigations', 'Run-rule signals per chart, PAT outliers and other unit-level findings, with unit serials');
  drawSignals(doc, result, left, width, options.serialsPerSignal ?? 16, maxRows);

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

function drawSummary(
  doc: PDFKit.PDFDocument,
  result: LotResult,
  decision: DecisionRecord | null,
  hash: string,
  left: number,
  width: number,
): void {
  const top = doc.y;
  const disposition = decision?.disposition ?? result.proposal.disposition;
  const color = dispositionColor(disposition);
  doc.save().roundedRect(left, top, 170, 52, 4).lineWidth(2).stroke(color).restore();
  doc.font(FONT_BOLD).fontSize(20).fillColor(color);
  textLine(doc, disposition, left, top + 8, 170, 'center');
  doc.font(FONT).fontSize(7.5).fillColor(COLORS.muted);
  textLine(doc, decision ? `decided by ${decision.decidedBy}` : 'PROPOSED by policy — not yet decided', left + 4, top + 34, 162, 'center');

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
      `${result.quantity.units} units, ${result.quantity.runs} test runs, ${result.quantity.files} files, ${result.quantity.quarantinedRows} quarantined rows`,
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
  doc.y = Math.max(y, top + 58) + 6;

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
      ['First-pass', String(yl.firstPassPassed), formatPercent(yl.firstPass)],
      ['Final', String(yl.finalPassed), formatPercent(yl.final)],
      ['Indeterminate', String(yl.indeterminate), NONE],
      ['PAT outliers', String(result.units.filter((u) => u.patOutlier).length), NONE],
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
    result.stations.map((s) => [s.station, String(s.units), formatPercent(s.firstPassYield), formatPercent(s.finalYield)]),
    { x: left + 240 },
  );
  const afterStations = doc.y;
  doc
    .font(FONT_BOLD)
    .fontSize(9)
    .text('Top failure modes', left + 520, yTop);
  doc.y = yTop + 13;
  const pareto = result.pareto.slice(0, 6);
  drawTable(
    doc,
    [
      { header: 'Parameter', width: 110 },
      { header: 'Corner', width: 50 },
      { header: 'Lane', width: 30, align: 'right' },
      { header: 'Units', width: 40, align: 'right' },
    ],
    pareto.length > 0
      ? pareto.map((p) => [p.parameter, p.corner, p.lane === null ? NONE : String(p.lane), String(p.units)])
      : [['no failures', '', '', '']],
    { x: left + 520 },
  );
  doc.y = Math.max(afterYields, afterStations, doc.y) + 6;

  sectionTitle(doc, `Reasons for the ${decision ? 'decision' : 'proposal'} (${result.proposal.reasons.length})`, left, doc.y);
  doc.y += 2;
  drawTable(
    doc,
    [
      { header: 'Severity', width: 50 },
      { header: 'Code', width: 90 },
      { header: 'Where', width: 130 },
      { header: 'Message', width: width - 270 - 150, wrap: true },
      { header: 'Units', width: 150, wrap: true },
    ],
    result.proposal.reasons.map((r) => reasonRow(r, 8)),
    { x: left, onNewPage: () => continuationTitle(doc, 'Summary (continued)') },
  );
  const s = result.sampling;
  sectionTitle(doc, 'Sampling', left, doc.y + 2);
  doc
    .font(FONT)
    .fontSize(7.5)
    .text(
      printable(
        `${s.mode}: ${s.description}. n = ${s.sampleSize}${s.acceptanceNumber !== null ? `, Ac ${s.acceptanceNumber}` : ''}${s.rejectionNumber !== null ? `, Re ${s.rejectionNumber}` : ''}, nonconforming ${s.nonconforming}, verdict ${s.verdict}. Family of ${result.family.tests} tests at α = ${result.family.alpha} (${result.family.correction}).`,
      ),
      left,
      doc.y,
      { width },
    );
  for (const note of result.notes.slice(0, 6))
    doc.fillColor(COLORS.muted).text(`Note: ${truncateChars(printable(note), 300)}`, left, doc.y, { width });
  doc.fillColor(COLORS.ink);
}

function continuationTitle(doc: PDFKit.PDFDocument, title: string): number {
  pageTitle(doc, title, '');
  return doc.y;
}

function reasonRow(r: Reason, maxSerials: number): TableRow {
  const where = [r.parameter, r.corner, r.lane !== undefined && r.lane !== null ? `lane ${r.lane}` : null, r.rule]
    .filter(Boolean)
    .join(' · ');
  const serials = r.serials ?? [];
  return [
    { text: r.severity, color: r.severity === 'INFO' ? COLORS.muted : dispositionColor(r.severity), bold: true },
    r.code,
    where || NONE,
    r.message,
    serials.length === 0 ? NONE : serialList(serials, maxSerials),
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

function drawGroupPage(doc: PDFKit.PDFDocument, result: LotResult, g: ChartGroup, left: number, width: number): void {
  const first = g.cells[0]!;
  const limits = `LSL ${formatLimit(first.lsl)} · USL ${formatLimit(first.usl)} ${printable(first.unit)}`;
  pageTitle(
    doc,
    `${first.name} — ${cornerLabel(result, g.corner)}`,
    `${g.parameter} · ${first.unit} · ${limits}${first.critical ? ' · critical' : ''}${first.scale === 'log10' ? ' · SPC on log10 scale (axis shows the value)' : ''} · ${first.chart ? `${first.chart.kind} chart, ${first.chart.phase}, σ by ${first.chart.estimator}` : 'no chart'}`,
  );
  const top = doc.y;
  const { cols, rows } = grid(g.cells.length);
  const chartsH = rows === 1 ? 250 : rows === 2 ? 290 : 330;
  const cellW = width / cols;
  const cellH = chartsH / rows;
  const range = chartRange(g.cells);
  let enveloped = false;
  let threshold = Infinity;
  let marked = 0;
  g.cells.forEach((cell, i) => {
    const c = i % cols;
    const r = Math.floor(i / cols);
    const box: Box = { x: left + c * cellW, y: top + r * cellH, w: cellW - 6, h: cellH - 4 };
    const info = drawIChartPanel(doc, cell, box, {
      title: cell.key.lane === null ? 'Module' : `Lane ${cell.key.lane}`,
      range,
      yLabels: c === 0,
    });
    enveloped ||= info.enveloped;
    threshold = Math.min(threshold, info.threshold);
    marked += info.signalsMarked;
  });
  // Legend / method line
  let y = top + chartsH + 2;
  doc.font(FONT).fontSize(6).fillColor(COLORS.muted);
  const n = first.chart?.points.length ?? 0;
  const legend =
    'Green: centre line · red dashed: UCL/LCL (±3σ) · shaded: ±1σ and ±2σ zones · purple: LSL/USL · red points: run-rule signal (number = rule) · right: histogram with fitted normal curve. ' +
    (enveloped
      ? `${n} points per chart drawn as a min–max envelope per 1 pt column (more than ${threshold} points); signal points drawn individually.`
      : '');
  doc.text(legend, left, y, { width, lineBreak: true });
  y = doc.y + 3;

  // Table (left) + lane means (right)
  const tableW = width - 215;
  doc.y = y;
  const rowsData: TableRow[] = g.cells.map((c) => {
    const cap = c.capability;
    const con = c.consistency;
    const signals = c.chart?.signals.length ?? 0;
    const cpkText = cap?.cpk != null ? `${formatIndex(cap.cpk)} [${formatIndex(cap.cpkLower)}, ${formatIndex(cap.cpkUpper)}]` : NONE;
    const lowCpk = cap?.cpkLower != null && cap.cpkLower < 1.33;
    return [
      c.key.lane === null ? 'module' : `L${c.key.lane}`,
      String(c.summary.n),
      formatValue(c.summary.mean),
      formatValue(c.summary.sd, 3),
      formatValue(c.summary.min),
      formatValue(c.summary.max),
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
  const scale = tableW / colW.reduce((a, b) => a + b, 0);
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
    headers.map((h, i) => ({ header: h, width: colW[i]! * scale, align: i === 0 ? ('left' as const) : ('right' as const) })),
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
  );
  doc.font(FONT).fontSize(6).fillColor(COLORS.muted);
  const notes = [
    `Δμ (σ): lot mean minus baseline mean in baseline σ; p(Δμ): two-sided p of the lot mean against the baseline lot-mean distribution.`,
    marked > 0 ? `${marked} points in run-rule signals on this page; serials on the “Signals and investigations” page.` : '',
    ...g.cells.flatMap((c) => c.notes.map((n) => `${c.key.lane === null ? 'module' : `L${c.key.lane}`}: ${n}`)),
  ].filter(Boolean);
  doc.text(truncateChars(printable(notes.join(' ')), 900), left, belowTable + 2, { width: tableW, height: 40, ellipsis: true });
  doc.fillColor(COLORS.ink);
}

function drawParetoPage(doc: PDFKit.PDFDocument, result: LotResult, left: number, width: number, maxRows: number): void {
  const bars = result.pareto.slice(0, 25).map((p) => ({
    label: `${p.parameter} · ${p.corner}${p.lane === null ? '' : ` · lane ${p.lane}`}`,
    count: p.units,
  }));
  const total = result.pareto.reduce((a, p) => a + p.units, 0);
  if (bars.length === 0) {
    doc
      .font(FONT)
      .fontSize(10)
      .text('No final-attempt failures in this lot.', left, doc.y + 10);
  } else {
    drawPareto(doc, { x: left, y: doc.y + 6, w: width, h: Math.min(bars.length * 16, 400) }, bars, total);
    doc.y = doc.y + 6 + Math.min(bars.length * 16, 400) + 8;
    if (result.pareto.length > 25)
      doc
        .font(FONT)
        .fontSize(7)
        .fillColor(COLORS.muted)
        .text(`${result.pareto.length - 25} further failure modes not shown.`, left, doc.y);
  }
  const failing = result.units.filter((u) => u.final !== 'pass');
  sectionTitle(doc, `Failing units (${failing.length})`, left, doc.y + 8);
  doc.y += 2;
  drawTable(
    doc,
    [
      { header: 'Serial', width: 180 },
      { header: 'Station', width: 80 },
      { header: 'Attempts', width: 45, align: 'right' },
      { header: 'Final', width: 45 },
      { header: 'Failures (parameter · corner · lane: value vs limit)', width: width - 350, wrap: true },
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
            `${f.parameter} · ${f.corner}${f.lane === null ? '' : ` · L${f.lane}`}: ${formatValue(f.value)} ${f.side === 'below-lsl' ? '<' : f.side === 'above-usl' ? '>' : '?'} ${formatValue(f.limit)}`,
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

function drawSignals(doc: PDFKit.PDFDocument, result: LotResult, left: number, width: number, maxSerials: number, maxRows: number): void {
  // Rows only for the signals listed (a big lot has tens of thousands); serials come from the units.
  const rows: TableRow[] = [];
  let total = 0;
  for (const c of result.cells) {
    const chart = c.chart;
    if (chart === null) continue;
    total += chart.signals.length;
    for (const s of chart.signals) {
      if (rows.length >= maxRows) break;
      const serials = chartPointSerials(result, chart, s.indices.slice(0, maxSerials));
      rows.push([
        c.key.parameter,
        c.key.corner,
        c.key.lane === null ? NONE : String(c.key.lane),
        `${chart.ruleSet} ${s.rule}`,
        `${chartRuleName(chart, s.rule)}${s.direction ? ` (${s.direction})` : ''}`,
        serialList(serials, maxSerials) + (s.indices.length > maxSerials ? ` … +${s.indices.length - maxSerials} more` : ''),
      ]);
    }
  }
  doc.font(FONT_BOLD).fontSize(9).text(`Run-rule signals (${total})`, left, doc.y);
  doc.y += 2;
  const onNewPage = (): number => continuationTitle(doc, 'Signals and investigations (continued)');
  drawTable(
    doc,
    [
      { header: 'Parameter', width: 100 },
      { header: 'Corner', width: 45 },
      { header: 'Lane', width: 30, align: 'right' },
      { header: 'Rule', width: 50 },
      { header: 'Signal', width: 190 },
      { header: 'Units (serials)', width: width - 415, wrap: true },
    ],
    rows.length > 0 ? rows : [['none', '', '', '', '', '']],
    { x: left, onNewPage },
  );
  moreNote(doc, total, maxRows, 'signals', 'lot-result.json (cells[].chart.signals)', left);
  sectionTitle(doc, `Investigations (${result.investigations.length})`, left, doc.y + 6);
  doc.y += 2;
  drawTable(
    doc,
    [
      { header: 'Severity', width: 50 },
      { header: 'Code', width: 90 },
      { header: 'Where', width: 200 },
      { header: 'Message', width: 200, wrap: true },
      { header: 'Units', width: width - 540, wrap: true },
    ],
    result.investigations.length > 0
      ? result.investigations.slice(0, maxRows).map((r) => reasonRow(r, maxSerials))
      : [['none', '', '', '', '']],
    { x: left, onNewPage },
  );
  moreNote(doc, result.investigations.length, maxRows, 'investigations', 'lot-result.json (investigations)', left);
  const pat = result.cells.flatMap((c) => (c.pat?.outliers ?? []).map((o) => ({ c, o })));
  sectionTitle(doc, `PAT outliers (${pat.length})`, left, doc.y + 6);
  doc.y += 2;
  drawTable(
    doc,
    [
      { header: 'Serial', width: 200 },
      { header: 'Parameter', width: 120 },
      { header: 'Corner', width: 60 },
      { header: 'Lane', width: 40, align: 'right' },
      { header: 'Value', width: 70, align: 'right' },
      { header: 'PAT limits', width: 150, align: 'right' },
      { header: 'Kind', width: width - 640 },
    ],
    pat.length > 0
      ? pat
          .slice(0, maxRows)
          .map(({ c, o }) => [
            o.serial,
            c.key.parameter,
            c.key.corner,
            c.key.lane === null ? NONE : String(c.key.lane),
            formatValue(o.value),
            `${formatValue(c.pat!.lower)} … ${formatValue(c.pat!.upper)}`,
            c.pat!.kind,
          ])
      : [['none', '', '', '', '', '', '']],
    { x: left, onNewPage },
  );
  moreNote(doc, pat.length, maxRows, 'PAT outliers', 'lot-result.json (cells[].pat)', left);
}
