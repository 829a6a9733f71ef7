/**
 * @module Engineering report section: batch-to-batch trend — per critical parameter × corner, the EWMA of
 * each lane's standardised lot mean over the product's lots (after the baseline) between its limits, so an
 * engineer sees a slow drift building before it reaches a spec limit (issue 14 item 6). Charts with a trend
 * signal at this lot are drawn in the hold colour and listed above the panels.
 */
import type { LotResult } from '../domain/lot-result.js';
import { COLORS, FONT, FONT_BOLD } from './pdf-document.js';
import { counted } from './counted.js';

type TrendView = NonNullable<LotResult['trend']>;
type TrendChart = TrendView['charts'][number];

/** Lane line colours (cycled); a signalling lane is drawn in the hold colour. */
const LANE_COLORS = ['#1f4e8c', '#2e7d32', '#6a1b9a', '#00838f', '#5d4037', '#455a64', '#ad1457', '#827717'];

export interface TrendPanel {
  readonly parameter: string;
  readonly corner: string;
  readonly charts: readonly TrendChart[];
}

/** Charts grouped per parameter × corner, in the result's order; exported for tests. */
export function trendPanels(result: LotResult): TrendPanel[] {
  const out: TrendPanel[] = [];
  for (const c of result.trend?.charts ?? []) {
    const last = out[out.length - 1];
    if (last && last.parameter === c.parameter && last.corner === c.corner) (last.charts as TrendChart[]).push(c);
    else out.push({ parameter: c.parameter, corner: c.corner, charts: [c] });
  }
  return out;
}

function drawPanel(doc: PDFKit.PDFDocument, p: TrendPanel, x: number, y: number, w: number, h: number): void {
  const signalled = p.charts.some((c) => c.signals.length > 0);
  doc
    .font(signalled ? FONT_BOLD : FONT)
    .fontSize(7.5)
    .fillColor(signalled ? COLORS.hold : COLORS.ink)
    .text(`${p.parameter} · ${p.corner}${signalled ? ' — trend signal' : ''}`, x, y, { width: w, lineBreak: false });
  const top = y + 11;
  const plotH = h - 22;
  const n = Math.max(...p.charts.map((c) => c.ewma.length));
  const lim = Math.max(...p.charts.map((c) => c.ewmaLimit[c.ewmaLimit.length - 1] ?? 1));
  let span = lim * 1.3;
  for (const c of p.charts) for (const v of [...c.ewma, ...(c.sigma?.ewma ?? [])]) span = Math.max(span, Math.abs(v) * 1.1);
  const sy = (v: number): number => top + plotH / 2 - (v / span) * (plotH / 2);
  const sx = (i: number, len: number): number => x + (n <= 1 ? w / 2 : ((i + (n - len)) / (n - 1)) * w);
  doc.save().lineWidth(0.5).strokeColor(COLORS.rule).rect(x, top, w, plotH).stroke().restore();
  doc
    .save()
    .lineWidth(0.5)
    .strokeColor(COLORS.centre)
    .moveTo(x, sy(0))
    .lineTo(x + w, sy(0))
    .stroke()
    .restore();
  // The limits of the longest chart (exact, widening to the asymptote).
  const longest = p.charts.reduce((a, c) => (c.ewmaLimit.length > a.ewmaLimit.length ? c : a));
  for (const sign of [1, -1]) {
    doc.save().lineWidth(0.6).dash(2, { space: 2 }).strokeColor(COLORS.control);
    longest.ewmaLimit.forEach((l, i) => {
      const px = sx(i, longest.ewmaLimit.length);
      if (i === 0) doc.moveTo(px, sy(sign * l));
      else doc.lineTo(px, sy(sign * l));
    });
    doc.stroke().undash().restore();
  }
  p.charts.forEach((c, li) => {
    const colour = c.signals.length > 0 ? COLORS.hold : LANE_COLORS[li % LANE_COLORS.length]!;
    doc
      .save()
      .lineWidth(c.signals.length > 0 ? 1.2 : 0.7)
      .strokeColor(colour);
    c.ewma.forEach((v, i) => {
      const px = sx(i, c.ewma.length);
      if (i === 0) doc.moveTo(px, sy(v));
      else doc.lineTo(px, sy(v));
    });
    doc.stroke().restore();
    // The lot-σ EWMA (ln s²) dotted in the lane's colour, on the same standardised scale and limits.
    const sig = c.sigma;
    if (sig !== undefined && sig.ewma.length > 0) {
      doc.save().lineWidth(0.6).dash(0.8, { space: 1.6 }).strokeColor(colour);
      sig.ewma.forEach((v, i) => {
        const px = sx(i, sig.ewma.length);
        if (i === 0) doc.moveTo(px, sy(v));
        else doc.lineTo(px, sy(v));
      });
      doc.stroke().undash().restore();
    }
    const lastX = sx(c.ewma.length - 1, c.ewma.length);
    doc
      .save()
      .fillColor(colour)
      .circle(lastX, sy(c.ewma[c.ewma.length - 1]!), 1.6)
      .fill()
      .restore();
  });
  doc
    .font(FONT)
    .fontSize(6)
    .fillColor(COLORS.muted)
    .text(`${counted(n, 'lot')} · ±${lim.toFixed(2)}`, x, top + plotH + 2, { width: w, lineBreak: false });
}

/** Draws the section at doc.y (the caller has titled the page); `onNewPage` titles a continuation page. */
export function drawTrend(doc: PDFKit.PDFDocument, result: LotResult, left: number, width: number, onNewPage: () => number): void {
  const t = result.trend;
  const panels = trendPanels(result);
  if (!t || panels.length === 0) {
    doc
      .font(FONT)
      .fontSize(9)
      .fillColor(COLORS.muted)
      .text(
        t && t.action === 'off'
          ? 'Trend charts are switched off by the policy (trend.action off).'
          : 'No trend charts: the product has no baseline with variance components yet.',
        left,
        doc.y + 6,
        { width },
      );
    return;
  }
  doc
    .font(FONT)
    .fontSize(7.5)
    .fillColor(COLORS.muted)
    .text(
      `EWMA (λ = ${t.ewmaLambda}, limits ±${t.ewmaL} standard errors) of each lane's lot mean, standardised against the baseline's prediction (lot-to-lot σ, lane × lot σ, the lot's own sampling error and the baseline centre's error${t.phaseOneBeta !== undefined ? `; the between-lot variances at their upper ${Math.round((1 - t.phaseOneBeta) * 100)} % confidence bound, for the few baseline lots they come from` : ''}), over the product's lots after the baseline, oldest left, this lot right. A tabular CUSUM (k = ${t.cusumK}, h = ${t.cusumH}) runs on the same points. Dotted: the same EWMA of each lot's σ (bias-corrected ln s² against the baseline lots' own spread), with its own CUSUM. Trend action: ${t.action}.`,
      left,
      doc.y + 2,
      { width },
    );
  const reasons = result.proposal.reasons.filter((r) => r.code.startsWith('trend-'));
  for (const r of reasons.slice(0, 6))
    doc
      .font(FONT_BOLD)
      .fontSize(7.5)
      .fillColor(r.severity === 'HOLD' ? COLORS.hold : COLORS.ink)
      .text(`${r.severity}: ${r.message}`, left, doc.y + 2, { width });
  if (reasons.length > 6)
    doc
      .font(FONT)
      .fontSize(7.5)
      .fillColor(COLORS.muted)
      .text(`… and ${counted(reasons.length - 6, 'more trend signal', 'more trend signals')} (all in the LotResult).`, left, doc.y + 2, {
        width,
      });
  const cols = 3;
  const gap = 14;
  const pw = (width - gap * (cols - 1)) / cols;
  const ph = 110;
  let y = doc.y + 8;
  const bottom = doc.page.height - doc.page.margins.bottom;
  panels.forEach((p, i) => {
    const col = i % cols;
    if (col === 0 && i > 0) y += ph + 8;
    if (col === 0 && y + ph > bottom) {
      doc.addPage();
      y = onNewPage() + 6;
    }
    drawPanel(doc, p, left + col * (pw + gap), y, pw, ph);
  });
  doc.y = y + ph + 8;
  doc.x = left;
}
