/**
 * @module Vector charts for the engineering report, drawn straight into the PDF with pdfkit paths (no
 * canvas, no raster): the individuals chart with zones and run-rule marks, the sideways histogram with its
 * fitted normal curve, the lane-to-lane dot plot and the failure Pareto. Every number drawn is read from
 * the LotResult; only screen geometry is computed here.
 */
import type { CellResult, ChartView } from '../domain/lot-result.js';
import { COLORS, FONT, FONT_BOLD, textAt } from './pdf-document.js';
import { formatValue } from './number-format.js';
import { fitToWidth, printable } from './text-safety.js';
import { laneTag, type LaneNaming } from '../domain/lanes.js';
import { PathBytes } from './path-bytes.js';
import { columnEnvelope, type ColumnEnvelope } from './chart-columns.js';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Range {
  readonly min: number;
  readonly max: number;
}

/** "Nice" axis ticks (1, 2, 2.5, 5 × 10^k steps) covering [min, max] with about `count` intervals. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return ticks;
}

/**
 * A raw value (summary, limit) on the scale the cell's chart, capability and PAT numbers use: log10 for
 * parameters charted on a log scale (pre-FEC BER), where a non-positive value has no place (null).
 */
export function toChartScale(cell: CellResult, v: number | null): number | null {
  if (v === null) return null;
  if (cell.scale !== 'log10') return v;
  return v > 0 ? Math.log10(v) : null;
}

/** Tick label on the log10 scale: the raw value 10^v. */
function logTickLabel(v: number): string {
  return formatValue(10 ** v, 2);
}

/** Tick label: the value with trailing zeros dropped (6, 6.5, 1312.5). */
function tickLabel(v: number): string {
  const s = formatValue(v, 5);
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * The y range of a set of charts: data and control limits, plus a spec limit when it is close enough to be
 * useful (within 60 % of the data span); farther limits are named at the panel edge instead of squashing
 * the data into a line.
 */
export function chartRange(cells: readonly CellResult[]): Range {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of cells) {
    const ch = c.chart;
    const smin = toChartScale(c, c.summary.min);
    const smax = toChartScale(c, c.summary.max);
    if (ch) {
      lo = Math.min(lo, ch.lcl, smin ?? ch.lcl);
      hi = Math.max(hi, ch.ucl, smax ?? ch.ucl);
    } else if (smin !== null && smax !== null) {
      lo = Math.min(lo, smin);
      hi = Math.max(hi, smax);
    }
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { min: 0, max: 1 };
  const span = hi - lo || Math.abs(hi) * 0.1 || 1;
  for (const c of cells) {
    const steps = conditionalRange(c);
    for (const lim of [toChartScale(c, c.lsl.value), toChartScale(c, c.usl.value), steps.lsl?.max ?? null, steps.usl?.min ?? null]) {
      if (lim === null) continue;
      if (lim < lo && lo - lim <= 0.6 * span) lo = lim;
      if (lim > hi && lim - hi <= 0.6 * span) hi = lim;
    }
  }
  const pad = (hi - lo) * 0.06 || 1;
  return { min: lo - pad, max: hi + pad };
}

/** conditionalRange per cell: asked for by the page's common range and again by the cell's panel. */
const conditionalRanges = new WeakMap<CellResult, { lsl: Range | null; usl: Range | null }>();

/** Range (on the chart's scale) a conditional limit took over the charted units; null sides have none. */
export function conditionalRange(cell: CellResult): { lsl: Range | null; usl: Range | null } {
  let range = conditionalRanges.get(cell);
  if (range === undefined) {
    range = conditionalRangeOf(cell);
    conditionalRanges.set(cell, range);
  }
  return range;
}

function conditionalRangeOf(cell: CellResult): { lsl: Range | null; usl: Range | null } {
  const lp = cell.chart?.limitPoints;
  const of = (values: readonly (number | null)[] | null | undefined): Range | null => {
    if (!values) return null;
    const min = smallestOf(values);
    return Number.isFinite(min) ? { min, max: largestSeen } : null;
  };
  return { lsl: of(lp?.lsl), usl: of(lp?.usl) };
}

/** The largest value the last smallestOf call saw (-Infinity: none). */
let largestSeen = -Infinity;

/**
 * The smallest non-null value (Infinity: none), the largest left in largestSeen: a loop that ends in a
 * numeric return, unlike one followed by building a Range (see scanColumns in chart-columns.ts: that loop,
 * optimised mid-run, deoptimised on leaving, 49 times a report).
 */
function smallestOf(values: readonly (number | null)[]): number {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v === null) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  largestSeen = max;
  return min;
}

/** Widest point count drawn as individual points; above it the chart shows a min–max envelope per column. */
export function envelopeThreshold(plotWidth: number): number {
  return Math.floor(plotWidth * 2);
}

/** One buffer for the points of every panel drawn (one at a time): not 80 KB of new memory per chart. */
let pointScratch = new Float64Array(0);

/** The chart's points as doubles, in a buffer the next panel reuses (valid until then). */
function pointsAsDoubles(points: readonly number[]): Float64Array {
  if (pointScratch.length < points.length) pointScratch = new Float64Array(Math.max(points.length, 2 * pointScratch.length));
  const view = pointScratch.subarray(0, points.length);
  view.set(points);
  return view;
}

export interface IChartPanelOptions {
  readonly title: string;
  readonly range: Range;
  /** Label the y axis with numbers (first column of a grid only, to save ink). */
  readonly yLabels: boolean;
  /** Share of the panel height given to the moving-range chart under the individuals chart. @defaultValue 0.3 */
  readonly mrShare?: number;
}

/** Result of drawing a panel, for the page note ("n points shown as envelope"). */
export interface PanelInfo {
  readonly enveloped: boolean;
  /** Point count above which this panel draws an envelope. */
  readonly threshold: number;
  readonly signalsMarked: number;
  /** A conditional (expression) limit was drawn per unit. */
  readonly conditionalLimits: boolean;
}

/**
 * An individuals chart of one cell with a sideways histogram sharing its y axis:
 * 1σ/2σ zones shaded, CL solid green, UCL/LCL dashed red, LSL/USL solid purple, points in test order,
 * points in a run-rule signal red with the rule number above the last point of each signal.
 */
export function drawIChartPanel(doc: PDFKit.PDFDocument, cell: CellResult, box: Box, opts: IChartPanelOptions): PanelInfo {
  const axisW = opts.yLabels ? 30 : 4;
  const histW = Math.min(44, box.w * 0.2);
  const titleH = 10;
  const mrH = cell.chart ? Math.round((box.h - titleH) * (opts.mrShare ?? 0.3)) : 0;
  const plot: Box = { x: box.x + axisW, y: box.y + titleH, w: box.w - axisW - histW - 4, h: box.h - titleH - 10 - mrH };
  const hist: Box = { x: plot.x + plot.w + 2, y: plot.y, w: histW, h: plot.h };
  const { min, max } = opts.range;
  const sy = (v: number): number => plot.y + plot.h - ((v - min) / (max - min)) * plot.h;
  const inRange = (v: number): boolean => v >= min && v <= max;
  const chart = cell.chart;
  // The points as doubles: arrays parsed from JSON come as small-integer, double or mixed arrays, and each
  // kind met by the point loops threw their optimised code away (dozens of deoptimisations per report).
  const values = chart ? pointsAsDoubles(chart.points) : null;
  // Above the envelope threshold, the points' and moving ranges' columns in one pass (chart-columns.ts).
  const threshold = envelopeThreshold(plot.w);
  const envelope =
    chart && values
      ? columnEnvelope(
          values,
          Math.max(1, Math.floor(plot.w)),
          values.length > threshold,
          values.length - 1 > threshold,
          chart.movingRange.ucl,
        )
      : null;

  // Title
  doc.font(FONT_BOLD).fontSize(7).fillColor(COLORS.ink);
  const nSignals = chart?.signals.length ?? 0;
  const title = `${opts.title}${nSignals > 0 ? `  ·  ${nSignals} signal${nSignals > 1 ? 's' : ''}` : ''}`;
  textAt(doc, fitToWidth(doc, printable(title), box.w - axisW), plot.x, box.y);

  doc.save();
  doc.rect(plot.x, plot.y, plot.w, plot.h).fill('#ffffff');
  if (chart) {
    // Zones: ±2σ lightly, ±1σ a shade darker, clipped to the plot.
    doc.save();
    doc.rect(plot.x, plot.y, plot.w, plot.h).clip();
    zoneBand(doc, plot, sy(chart.centre + 2 * chart.sigma), sy(chart.centre - 2 * chart.sigma), COLORS.zone);
    zoneBand(doc, plot, sy(chart.centre + chart.sigma), sy(chart.centre - chart.sigma), COLORS.zone2);
    doc.restore();
  }
  // Grid + y labels
  const ticks = niceTicks(min, max, 4);
  doc.lineWidth(0.3);
  doc.font(FONT).fontSize(5.5).fillColor(COLORS.muted);
  for (const t of ticks) {
    const y = sy(t);
    doc
      .moveTo(plot.x, y)
      .lineTo(plot.x + plot.w, y)
      .stroke(COLORS.grid);
    if (opts.yLabels) {
      const s = cell.scale === 'log10' ? logTickLabel(t) : tickLabel(t);
      textAt(doc, s, plot.x - 2 - doc.widthOfString(s), y - 2.5);
    }
  }
  let info: PanelInfo = { enveloped: false, threshold: envelopeThreshold(plot.w), signalsMarked: 0, conditionalLimits: false };
  if (chart) {
    hLine(doc, plot, sy(chart.centre), COLORS.centre, 0.7, false);
    if (inRange(chart.ucl)) hLine(doc, plot, sy(chart.ucl), COLORS.control, 0.7, true);
    if (inRange(chart.lcl)) hLine(doc, plot, sy(chart.lcl), COLORS.control, 0.7, true);
    const lp = chart.limitPoints;
    let conditional = false;
    if (lp) {
      doc.save();
      doc.rect(plot.x, plot.y, plot.w, plot.h).clip();
      if (lp.lsl) conditional = drawLimitSteps(doc, lp.lsl, plot, sy, 'lower') || conditional;
      if (lp.usl) conditional = drawLimitSteps(doc, lp.usl, plot, sy, 'upper') || conditional;
      doc.restore();
    }
    info = { ...drawPoints(doc, chart, values!, envelope!, plot, sy), conditionalLimits: conditional };
  }
  // Spec limits across chart and histogram; off-scale ones named at the edge.
  for (const [label, raw] of [
    ['LSL', cell.lsl.value],
    ['USL', cell.usl.value],
  ] as const) {
    const lim = toChartScale(cell, raw);
    if (lim === null || raw === null) continue;
    if (inRange(lim)) {
      const y = sy(lim);
      doc
        .moveTo(plot.x, y)
        .lineTo(hist.x + hist.w, y)
        .lineWidth(0.8)
        .stroke(COLORS.spec);
      doc.font(FONT).fontSize(5).fillColor(COLORS.spec);
      textAt(doc, label, hist.x + hist.w - doc.widthOfString(label), y - 6);
    } else {
      const s = `${label} ${formatValue(raw)} ${lim > max ? '↑' : '↓'}`;
      doc.font(FONT).fontSize(5).fillColor(COLORS.spec);
      textAt(doc, s, hist.x + hist.w - doc.widthOfString(s), lim > max ? plot.y + 1 : plot.y + plot.h - 7);
    }
  }
  // Conditional limits entirely off the plotted range: named at the edge with the range they took.
  const cr = conditionalRange(cell);
  for (const [label, r] of [
    ['LSL', cr.lsl],
    ['USL', cr.usl],
  ] as const) {
    if (r === null || (r.max >= min && r.min <= max)) continue;
    const below = r.max < min;
    const fmt = (v: number): string => (cell.scale === 'log10' ? logTickLabel(v) : tickLabel(v));
    const s = `${label} ${fmt(r.min)}…${fmt(r.max)} (per unit) ${below ? '↓' : '↑'}`;
    doc.font(FONT).fontSize(5).fillColor(COLORS.spec);
    textAt(doc, s, hist.x + hist.w - doc.widthOfString(s), below ? plot.y + plot.h - 7 : plot.y + 1);
  }
  if (cell.histogram) drawSideHistogram(doc, cell, hist, sy, min, max);
  doc.rect(plot.x, plot.y, plot.w, plot.h).lineWidth(0.5).stroke(COLORS.rule);
  // x axis: first and last test-order index
  doc.font(FONT).fontSize(5).fillColor(COLORS.muted);
  const n = chart?.points.length ?? 0;
  textAt(doc, '1', plot.x, plot.y + plot.h + 1.5);
  const last = `${n} (test order)`;
  textAt(doc, last, plot.x + plot.w - doc.widthOfString(last), plot.y + plot.h + 1.5);
  if (chart && mrH > 12) {
    drawMovingRange(
      doc,
      chart,
      values!,
      envelope!,
      { x: plot.x, y: plot.y + plot.h + 9, w: plot.w, h: mrH - 9 },
      opts.yLabels,
      cell.scale === 'log10',
    );
  }
  doc.restore();
  doc.fillColor(COLORS.ink);
  return info;
}

/**
 * The moving-range chart of an individuals chart: |xᵢ − xᵢ₋₁| in test order, MR̄ (centre) and its UCL
 * (D4·MR̄) from the stored chart; above the envelope threshold, a max per column.
 */
function drawMovingRange(
  doc: PDFKit.PDFDocument,
  chart: ChartView,
  pts: Float64Array,
  envelope: ColumnEnvelope,
  plot: Box,
  yLabels: boolean,
  log: boolean,
): void {
  const n = pts.length;
  const count = Math.max(0, n - 1);
  const top = envelope.mrTop > 0 ? envelope.mrTop * 1.08 : 1;
  const sy = (v: number): number => plot.y + plot.h - (Math.min(v, top) / top) * plot.h;
  doc.rect(plot.x, plot.y, plot.w, plot.h).fill('#ffffff');
  hLine(doc, plot, sy(chart.movingRange.centre), COLORS.centre, 0.5, false);
  hLine(doc, plot, sy(chart.movingRange.ucl), COLORS.control, 0.5, true);
  if (count > 0) {
    const sx = (i: number): number => plot.x + (count === 1 ? plot.w / 2 : (i / (count - 1)) * plot.w);
    const ops = new PathBytes();
    const hi = envelope.mrHi;
    if (hi === null) {
      for (let i = 0; i < count; i++)
        ops
          .num(sx(i))
          .num(sy(Math.abs(pts[i + 1]! - pts[i]!)))
          .op(i === 0 ? 'm' : 'l', '\n');
      addPath(doc, ops);
      doc.lineWidth(0.35).stroke('#7f98bb');
    } else {
      const cols = hi.length;
      const bottom = plot.y + plot.h;
      for (let c = 0; c < cols; c++) {
        const x = plot.x + (c + 0.5) * (plot.w / cols);
        ops
          .num(x)
          .num(bottom)
          .op('m', ' ')
          .num(x)
          .num(Math.min(plot.y + plot.h - 0.3, sy(hi[c]!)))
          .op('l', '\n');
      }
      addPath(doc, ops);
      doc.lineWidth(0.7).stroke('#7f98bb');
    }
  }
  doc.rect(plot.x, plot.y, plot.w, plot.h).lineWidth(0.4).stroke(COLORS.rule);
  doc.font(FONT).fontSize(5).fillColor(COLORS.muted);
  textAt(doc, 'MR', plot.x + 2, plot.y + 1);
  if (yLabels) {
    const label = formatValue(chart.movingRange.ucl, log ? 2 : 3);
    textAt(doc, label, plot.x - 2 - doc.widthOfString(label), sy(chart.movingRange.ucl) - 2.5);
    textAt(doc, '0', plot.x - 2 - doc.widthOfString('0'), plot.y + plot.h - 3);
  }
}

/**
 * A conditional limit as a stepped line: each unit's own limit over its slot of the x axis (purple, like
 * the constant spec limits). Above the envelope threshold each 1 pt column shows its tightest limit
 * (largest LSL, smallest USL). Returns whether anything was drawn.
 */
function drawLimitSteps(
  doc: PDFKit.PDFDocument,
  values: readonly (number | null)[],
  plot: Box,
  sy: (v: number) => number,
  side: 'lower' | 'upper',
): boolean {
  const n = values.length;
  if (n === 0) return false;
  const cols = n > envelopeThreshold(plot.w) ? Math.max(1, Math.floor(plot.w)) : n;
  const step = tightestPerColumn(values, cols, side);
  const w = plot.w / cols;
  const ops = new PathBytes();
  let open = false;
  for (let c = 0; c < cols; c++) {
    const v = step[c]!;
    if (Number.isNaN(v)) {
      open = false;
      continue;
    }
    const y = sy(v);
    ops
      .num(plot.x + c * w)
      .num(y)
      .op(open ? 'l' : 'm', '\n')
      .num(plot.x + (c + 1) * w)
      .num(y)
      .op('l', '\n');
    open = true;
  }
  if (ops.empty) return false;
  addPath(doc, ops);
  doc.lineWidth(0.6).stroke(COLORS.spec);
  return true;
}

/**
 * Each column's tightest limit (NaN: no unit's limit in it). A function of its own so that the loop's
 * optimised code returns at once: optimised on the stack mid-loop, it lacked type feedback for the
 * drawing after it and left by a deoptimisation on every chart that has conditional limits.
 */
function tightestPerColumn(values: readonly (number | null)[], cols: number, side: 'lower' | 'upper'): Float64Array {
  const n = values.length;
  const step = new Float64Array(cols).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    const c = cols === n ? i : Math.min(cols - 1, Math.floor((i / n) * cols));
    const cur = step[c]!;
    step[c] = Number.isNaN(cur) ? v : side === 'lower' ? Math.max(cur, v) : Math.min(cur, v);
  }
  return step;
}

function zoneBand(doc: PDFKit.PDFDocument, plot: Box, yTop: number, yBottom: number, color: string): void {
  doc.rect(plot.x, yTop, plot.w, yBottom - yTop).fill(color);
}

function hLine(doc: PDFKit.PDFDocument, plot: Box, y: number, color: string, width: number, dashed: boolean): void {
  if (y < plot.y || y > plot.y + plot.h) return;
  doc.save();
  if (dashed) doc.dash(3, { space: 2 });
  doc
    .moveTo(plot.x, y)
    .lineTo(plot.x + plot.w, y)
    .lineWidth(width)
    .stroke(color);
  if (dashed) doc.undash();
  doc.restore();
}

function clampY(plot: Box, y: number): number {
  return Math.min(plot.y + plot.h, Math.max(plot.y, y));
}

/**
 * Appends a chart's many path segments to the page as one content chunk: pdfkit's moveTo/lineTo allocate a
 * byte array per operator, which on a 243-chart report is most of the drawing time and garbage.
 */
function addPath(doc: PDFKit.PDFDocument, ops: PathBytes): void {
  // Bytes go into the content stream as they are (a string would be copied char by char).
  if (!ops.empty) doc.addContent(ops.finish());
}

/** A dot as a zero-length round-capped stroke: `x y m x+0.01 y l`. */
function dot(path: PathBytes, x: number, y: number): void {
  path
    .num(x)
    .num(y)
    .op('m', ' ')
    .num(x + 0.01)
    .num(y)
    .op('l', '\n');
}

/**
 * The chart points in a run-rule signal, each once, in the order the signals first name them (the order
 * their dots are drawn in). A stamp per point instead of a Set: a 10,000-unit report marks 135,000 points.
 */
export function markedPoints(signals: ChartView['signals'], n: number): number[] {
  const seen = new Uint8Array(n);
  const marked: number[] = [];
  for (const s of signals)
    for (const i of s.indices) {
      if (!(i >= 0 && i < n)) continue;
      if (!Number.isInteger(i)) return markedPointsOf(signals, n); // not a point index: as a Set keeps it
      if (seen[i] === 0) {
        seen[i] = 1;
        marked.push(i);
      }
    }
  return marked;
}

/** markedPoints for indices that need not be integers (kept as given, like the Set it replaces). */
function markedPointsOf(signals: ChartView['signals'], n: number): number[] {
  const marked = new Set<number>();
  for (const s of signals) for (const i of s.indices) if (i >= 0 && i < n) marked.add(i);
  return [...marked];
}

function drawPoints(
  doc: PDFKit.PDFDocument,
  chart: ChartView,
  pts: Float64Array,
  envelope: ColumnEnvelope,
  plot: Box,
  sy: (v: number) => number,
): Omit<PanelInfo, 'conditionalLimits'> {
  const n = pts.length;
  const threshold = envelopeThreshold(plot.w);
  if (n === 0) return { enveloped: false, threshold, signalsMarked: 0 };
  const sx = (i: number): number => plot.x + (n === 1 ? plot.w / 2 : (i / (n - 1)) * plot.w);
  const enveloped = n > threshold;
  if (!enveloped) {
    const line = new PathBytes();
    for (let i = 0; i < n; i++)
      line
        .num(sx(i))
        .num(clampY(plot, sy(pts[i]!)))
        .op(i === 0 ? 'm' : 'l', '\n');
    addPath(doc, line);
    doc.lineWidth(0.3).stroke('#8fa8c8');
    // Dots as zero-length round-capped strokes: two path operators per point instead of four Béziers.
    const r = n > 120 ? 0.55 : 0.9;
    const dots = new PathBytes();
    for (let i = 0; i < n; i++) dot(dots, sx(i), clampY(plot, sy(pts[i]!)));
    addPath(doc, dots);
    doc
      .save()
      .lineCap('round')
      .lineWidth(2 * r)
      .stroke(COLORS.point)
      .restore();
  } else {
    // One path: a vertical min–max segment per column of ~1 pt, stroked 0.7 pt wide. Constant size whatever
    // n is; half the segments of 0.5 pt columns for the same look (the content stream is deflated per page).
    const lo = envelope.lo!;
    const hi = envelope.hi!;
    const cols = lo.length;
    const segments = new PathBytes();
    for (let c = 0; c < cols; c++) {
      if (!(hi[c]! >= lo[c]!)) continue;
      const x = plot.x + (c + 0.5) * (plot.w / cols);
      const y1 = clampY(plot, sy(hi[c]!));
      const y2 = clampY(plot, sy(lo[c]!));
      segments
        .num(x)
        .num(y1)
        .op('m', ' ')
        .num(x)
        .num(Math.max(y2, y1 + 0.3))
        .op('l', '\n');
    }
    addPath(doc, segments);
    doc.lineWidth(0.7).stroke(COLORS.point);
  }
  // Signals: red points; the rule number above the last point of each signal (at most 12 labels).
  const marked = markedPoints(chart.signals, n);
  const marks = new PathBytes();
  for (const i of marked) dot(marks, sx(i), clampY(plot, sy(pts[i]!)));
  addPath(doc, marks);
  if (marked.length > 0) doc.save().lineCap('round').lineWidth(2.6).stroke(COLORS.signal).restore();
  doc.font(FONT_BOLD).fontSize(5).fillColor(COLORS.signal);
  const labelled = new Set<string>();
  let labels = 0;
  for (const s of chart.signals) {
    const i = s.indices[s.indices.length - 1];
    if (i === undefined || i < 0 || i >= n || labels >= 12) continue;
    const x = sx(i);
    const y = clampY(plot, sy(pts[i]!));
    const key = `${Math.round(x / 6)}:${s.rule}`;
    if (labelled.has(key)) continue;
    labelled.add(key);
    const t = String(s.rule);
    const above = s.direction !== 'down';
    textAt(doc, t, x - doc.widthOfString(t) / 2, above ? Math.max(plot.y, y - 7.5) : Math.min(plot.y + plot.h - 6, y + 2));
    labels++;
  }
  return { enveloped, threshold, signalsMarked: marked.length };
}

/** Sideways histogram (bars grow to the right) and the normal curve fitted with the stored mean and sd. */
function drawSideHistogram(doc: PDFKit.PDFDocument, cell: CellResult, box: Box, sy: (v: number) => number, min: number, max: number): void {
  const hgm = cell.histogram!;
  const maxCount = Math.max(1, ...hgm.counts);
  const total = hgm.counts.reduce((a, b) => a + b, 0);
  doc.save();
  doc.rect(box.x, box.y, box.w, box.h).clip();
  for (let i = 0; i < hgm.counts.length; i++) {
    const a = hgm.edges[i];
    const b = hgm.edges[i + 1];
    const c = hgm.counts[i]!;
    if (a === undefined || b === undefined || c === 0) continue;
    const y1 = sy(Math.min(max, b));
    const y2 = sy(Math.max(min, a));
    if (y2 <= y1) continue;
    doc.rect(box.x, y1, (c / maxCount) * box.w * 0.95, y2 - y1);
  }
  doc.fillOpacity(0.85).fillAndStroke('#a9bfdc', '#ffffff');
  doc.fillOpacity(1);
  // The fitted normal uses the stored mean and overall sd; on a log10 cell the chart's own estimates (log scale).
  const logScale = cell.scale === 'log10';
  const mu = logScale ? (cell.chart?.centre ?? null) : cell.summary.mean;
  const sd = logScale ? (cell.capability?.sigmaOverall ?? cell.chart?.sigma ?? null) : cell.summary.sd;
  const first = hgm.edges[0];
  const lastEdge = hgm.edges[hgm.edges.length - 1];
  if (mu !== null && sd !== null && sd > 0 && first !== undefined && lastEdge !== undefined && total > 0) {
    const binW = (lastEdge - first) / Math.max(1, hgm.counts.length);
    const steps = 60;
    for (let k = 0; k <= steps; k++) {
      const v = min + ((max - min) * k) / steps;
      const dens = (total * binW * Math.exp(-0.5 * ((v - mu) / sd) ** 2)) / (sd * Math.sqrt(2 * Math.PI));
      const x = box.x + (dens / maxCount) * box.w * 0.95;
      if (k === 0) doc.moveTo(x, sy(v));
      else doc.lineTo(x, sy(v));
    }
    doc.lineWidth(0.6).stroke('#1f3d66');
  }
  doc.restore();
  doc.rect(box.x, box.y, box.w, box.h).lineWidth(0.3).stroke(COLORS.grid);
}

/**
 * Lane-to-lane view: each lane's mean as a dot (from laneSpread), the baseline mean as a hollow ring when
 * there is one, with the page's range on a horizontal axis so lanes line up by eye.
 */
export function drawLaneMeans(
  doc: PDFKit.PDFDocument,
  box: Box,
  laneMeans: readonly (number | null)[],
  baselineMeans: readonly (number | null)[],
  unit: string,
  /** Lanes (0-based) named in a HOLD reason: drawn in red. */
  flagged: ReadonlySet<number> = new Set(),
  naming: LaneNaming = {},
): void {
  doc.font(FONT_BOLD).fontSize(7).fillColor(COLORS.ink);
  textAt(doc, 'Lane means vs baseline', box.x, box.y);
  const label = (lane: number): string => (laneMeans.length === 1 ? 'module' : laneTag(naming, lane));
  // The label gutter fits the widest lane name (a spec's "1271 nm A" is wider than "L3").
  doc.font(FONT).fontSize(5.5);
  const gutter = Math.max(26, Math.ceil(Math.max(...laneMeans.map((_, lane) => doc.widthOfString(label(lane)))) + 3));
  const plot: Box = { x: box.x + gutter, y: box.y + 12, w: box.w - gutter - 8, h: box.h - 26 };
  const values = [...laneMeans, ...baselineMeans].filter((v): v is number => v !== null);
  if (values.length === 0) return;
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const pad = (hi - lo) * 0.15 || Math.abs(hi) * 0.01 || 1;
  lo -= pad;
  hi += pad;
  const sx = (v: number): number => plot.x + ((v - lo) / (hi - lo)) * plot.w;
  const rowH = plot.h / Math.max(1, laneMeans.length);
  doc.font(FONT).fontSize(5.5);
  for (const t of niceTicks(lo, hi, 4)) {
    const x = sx(t);
    doc
      .moveTo(x, plot.y)
      .lineTo(x, plot.y + plot.h)
      .lineWidth(0.3)
      .stroke(COLORS.grid);
    const s = tickLabel(t);
    doc.fillColor(COLORS.muted);
    textAt(doc, s, x - doc.widthOfString(s) / 2, plot.y + plot.h + 2);
  }
  laneMeans.forEach((m, lane) => {
    const y = plot.y + rowH * (lane + 0.5);
    const hot = flagged.has(lane);
    doc.fillColor(hot ? COLORS.signal : COLORS.muted);
    textAt(doc, label(lane), box.x, y - 2.5);
    doc
      .moveTo(plot.x, y)
      .lineTo(plot.x + plot.w, y)
      .lineWidth(0.2)
      .stroke(COLORS.grid);
    const b = baselineMeans[lane];
    if (b !== null && b !== undefined) {
      // Baseline: an open diamond; the shift from it to the lot mean as a line.
      const bx = sx(b);
      if (m !== null)
        doc
          .moveTo(bx, y)
          .lineTo(sx(m), y)
          .lineWidth(hot ? 1.2 : 0.6)
          .stroke(hot ? COLORS.signal : '#9db1cf');
      doc
        .moveTo(bx, y - 2.6)
        .lineTo(bx + 2.6, y)
        .lineTo(bx, y + 2.6)
        .lineTo(bx - 2.6, y)
        .closePath()
        .lineWidth(0.6)
        .stroke(COLORS.muted);
    }
    if (m !== null) doc.circle(sx(m), y, 2).fill(hot ? COLORS.signal : COLORS.point);
  });
  doc.rect(plot.x, plot.y, plot.w, plot.h).lineWidth(0.4).stroke(COLORS.rule);
  doc.fillColor(COLORS.muted).fontSize(5.5);
  const legend = `● lot mean   ◇ baseline mean   red: lane named in a HOLD reason   (${printable(unit)})`;
  textAt(doc, legend, plot.x + plot.w - doc.widthOfString(legend), plot.y + plot.h + 9);
  doc.fillColor(COLORS.ink);
}

export interface ParetoBar {
  readonly label: string;
  /** Units failing at their first attempt. */
  readonly count: number;
  /** Units still failing at their final attempt, when known. */
  readonly final?: number;
}

/** Horizontal Pareto bars, largest first, with counts and the cumulative share of failures. */
export function drawPareto(doc: PDFKit.PDFDocument, box: Box, bars: readonly ParetoBar[], totalFailures: number): void {
  const labelW = 190;
  const rowH = Math.min(16, box.h / Math.max(1, bars.length));
  const maxCount = Math.max(1, ...bars.map((b) => b.count));
  const barW = box.w - labelW - 200;
  let cum = 0;
  doc.font(FONT).fontSize(7.5);
  bars.forEach((b, i) => {
    const y = box.y + i * rowH;
    cum += b.count;
    doc.fillColor(COLORS.ink);
    textAt(doc, fitToWidth(doc, printable(b.label), labelW - 6), box.x, y + rowH / 2 - 4);
    const w = (b.count / maxCount) * barW;
    doc.rect(box.x + labelW, y + 2, Math.max(0.5, w), rowH - 4).fill(COLORS.control);
    const pct = totalFailures > 0 ? `   cum. ${((cum / totalFailures) * 100).toFixed(0)} %` : '';
    const fin = b.final !== undefined ? ` · final ${b.final}` : '';
    doc.fillColor(COLORS.ink);
    textAt(doc, `${b.count} first attempt${fin}${pct}`, box.x + labelW + w + 4, y + rowH / 2 - 4);
  });
  doc
    .moveTo(box.x + labelW, box.y)
    .lineTo(box.x + labelW, box.y + bars.length * rowH)
    .lineWidth(0.5)
    .stroke(COLORS.ink);
}
