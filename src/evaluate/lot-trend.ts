/**
 * @module Batch-to-batch trend — the sequence of lot means of each critical parameter × corner × lane over
 * the product's history, on an EWMA and a tabular CUSUM chart (the verified charts in src/spc), with the
 * baseline as phase I.
 *
 * Phase I: the centre is the baseline's grand mean of the chart; the σ of a lot mean is predicted from the
 * baseline's variance components (in within-lot σ): lot-to-lot σ² (+ the lane × lot σ² for a lane chart)
 * + the sampling error of the lot's own mean (1/n) + the error of the centre itself ((lotMeanVariance +
 * laneContrastVariance)/k, k baseline lots) — the same prediction as the lot-shift test, except that each
 * between-lot mean square is first replaced by its upper (1 − β) chi-square bound (policy `phaseOneBeta`;
 * see upperVarianceBound), since an underestimate from 5–10 baseline lots would be shared by every later lot. Each lot
 * mean is standardised by it, z = (x̄ − centre)/σ_pred, so the charts run on about N(0, 1) points (a little
 * narrower, by the bound) whatever the lot sizes.
 * Lot σ: each lot's bias-corrected ln s² (src/spc/log-variance.ts, Crowder & Hamilton 1992) on its own EWMA
 * and CUSUM, phase I from the baseline lots' own SDs the same way as the means: centre = their mean ln s²,
 * between-lot variance = max(0, bound of the observed variance − mean sampling variance ψ′(ν/2)), the
 * centre's error = that bound / k, plus the lot's own ψ′(ν/2). Baselines made before lotqa 0.4 kept no lot SDs: no σ
 * chart then.
 * Pure: the earlier lots come in as an input (read from the store by src/queries/product-trend.ts).
 */
import type { BaselineCell, BaselineComponents } from '../domain/baseline.js';
import { baselineCellKey } from '../domain/baseline.js';
import { cusumChart } from '../spc/cusum-chart.js';
import { ewmaChart } from '../spc/ewma-chart.js';
import { chiSquareQuantile } from '../spc/distributions.js';
import { logVariance } from '../spc/log-variance.js';

import type { TrendCellStat, TrendHistoryLot } from '../domain/trend-history.js';

export type { TrendCellStat, TrendHistoryLot };

export interface TrendSettings {
  readonly ewmaLambda: number;
  readonly ewmaL: number;
  readonly cusumK: number;
  readonly cusumH: number;
}

/** The chart settings and how phase I is estimated from the baseline. */
export interface TrendRunSettings extends TrendSettings {
  /**
   * β of the upper (1 − β) chi-square confidence bound that replaces each phase I between-lot mean square
   * (see {@link upperVarianceBound}).
   */
  readonly phaseOneBeta: number;
}

export interface TrendPhaseOne {
  readonly centre: number;
  /** Within-lot σ of the chart (parameter units, SPC scale). */
  readonly sigmaUnit: number;
  /** Between-lot variance of this chart's lot mean, in within-lot σ² (lot-to-lot + lane × lot). */
  readonly betweenVariance: number;
  /** Variance of the centre's own error, in within-lot σ². */
  readonly centreVariance: number;
}

/** Phase I of a chart's lot σ, on the bias-corrected ln s² scale. */
export interface SigmaPhaseOne {
  readonly centre: number;
  readonly betweenVariance: number;
  readonly centreVariance: number;
}

export interface TrendSignal {
  /** `ewma-sd` / `cusum-sd`: the chart of the lots' ln s² (lot σ). */
  readonly chart: 'ewma' | 'cusum' | 'ewma-sd' | 'cusum-sd';
  readonly direction: 'up' | 'down';
  /** The lots involved, oldest first (the EWMA's run beyond its limit, or the CUSUM's run since it left 0). */
  readonly lots: readonly string[];
}

export interface TrendSeries {
  readonly lots: readonly string[];
  readonly means: readonly number[];
  readonly sds: readonly (number | null)[];
  /** Standardised lot means (x̄ − centre)/σ_pred. */
  readonly z: readonly number[];
  readonly ewma: readonly number[];
  readonly ewmaLimit: readonly number[];
  readonly cusumUpper: readonly number[];
  readonly cusumLower: readonly number[];
  /** Signals in force at the last lot (the lot being judged), of both the mean and the σ charts. */
  readonly signals: readonly TrendSignal[];
  /** The lot-σ chart (lots with an SD of ≥ 2 readings), when the baseline kept its lots' SDs. */
  readonly sigma: TrendCharts | null;
}

/** One standardised series on EWMA and CUSUM. */
export interface TrendCharts {
  readonly lots: readonly string[];
  readonly z: readonly number[];
  readonly ewma: readonly number[];
  readonly ewmaLimit: readonly number[];
  readonly cusumUpper: readonly number[];
  readonly cusumLower: readonly number[];
}

/** σ of a lot mean of n units predicted from phase I, parameter units. */
export function predictedLotMeanSigma(p: TrendPhaseOne, n: number): number {
  return p.sigmaUnit * Math.sqrt(p.betweenVariance + p.centreVariance + 1 / n);
}

/**
 * Upper (1 − β) confidence bound of the variance a mean square of `df` degrees of freedom estimates:
 * df·s² / χ²_β(df) (s² ~ σ²·χ²_df/df). Why a bound and not s² itself: phase I's between-lot variance
 * comes from 5–10 baseline lots (4–9 df), and every later lot is standardised by the same estimate, so an
 * underestimate makes a whole history signal (conditional in-control performance: Jones & Steiner 2012;
 * Saleh, Mahmoud, Keefe & Woodall 2015 bound the conditional in-control ARL the same way).
 */
export function upperVarianceBound(meanSquare: number, df: number, beta: number): number {
  return (df * meanSquare) / chiSquareQuantile(beta, df);
}

/**
 * Phase I of one chart from the baseline (null when the baseline has no components for it). The observed
 * between-lot mean squares (lot means, and lane contrasts for a lane chart) are replaced by their upper
 * (1 − β) bounds before their sampling parts are taken off, in the between-lot variance and the centre's
 * error alike: both are estimated by the same mean square.
 */
export function trendPhaseOne(cell: BaselineCell, comp: BaselineComponents, beta: number): TrendPhaseOne | null {
  if (!(cell.sigmaUnit > 0) || comp.lots < 2) return null;
  const lane = cell.lane !== null && comp.laneLotSigma !== null && comp.laneLotDf > 0;
  const lotMs = upperVarianceBound(comp.lotMeanVariance, comp.lotDf, beta);
  const laneMs = lane ? upperVarianceBound(comp.laneContrastVariance, comp.laneLotDf, beta) : 0;
  // A lane contrast carries its own offset and −1/(L − 1) of each other lane's: var = σ²_b · L/(L − 1).
  const L = comp.lanes.length;
  const laneLot = lane && L >= 2 ? (Math.max(0, laneMs - comp.laneContrastSamplingVariance) * (L - 1)) / L : 0;
  return {
    centre: cell.mean,
    sigmaUnit: cell.sigmaUnit,
    betweenVariance: Math.max(0, lotMs - comp.lotMeanSamplingVariance) + laneLot,
    centreVariance: (lotMs + laneMs) / comp.lots,
  };
}

/**
 * Phase I of the lot σ from the baseline lots' own SDs (null without them or with fewer than 2 usable lots);
 * the observed variance of their ln s² (k − 1 df) replaced by its upper (1 − β) bound, as for the means
 * (`beta` null: the point estimate, what the log-variance tests check against simulation).
 */
export function sigmaPhaseOne(cell: BaselineCell, beta: number | null = null): SigmaPhaseOne | null {
  if (cell.lotSds === undefined) return null;
  const ys: number[] = [];
  let sampling = 0;
  cell.lotSds.forEach((sd, j) => {
    const n = cell.lotSizes[j] ?? 0;
    if (!(n >= 2 && sd > 0)) return;
    const l = logVariance(sd, n);
    ys.push(l.y);
    sampling += l.variance;
  });
  const k = ys.length;
  if (k < 2) return null;
  const centre = ys.reduce((a, y) => a + y, 0) / k;
  const observed = ys.reduce((a, y) => a + (y - centre) ** 2, 0) / (k - 1);
  const v = beta === null ? observed : upperVarianceBound(observed, k - 1, beta);
  return { centre, betweenVariance: Math.max(0, v - sampling / k), centreVariance: v / k };
}

/** z of each lot's ln s² against the σ phase I (points without a usable SD left out). */
export function sigmaZ(
  p: SigmaPhaseOne,
  points: readonly { lot: string; n: number; sd: number | null }[],
): { lots: string[]; z: number[] } {
  const lots: string[] = [];
  const z: number[] = [];
  for (const x of points) {
    if (x.sd === null || !(x.sd > 0) || !(x.n >= 2)) continue;
    const l = logVariance(x.sd, x.n);
    lots.push(x.lot);
    z.push((l.y - p.centre) / Math.sqrt(p.betweenVariance + p.centreVariance + l.variance));
  }
  return { lots, z };
}

/** EWMA and CUSUM of standardised points, and the signals in force at the last one. */
function chartsOf(
  lots: readonly string[],
  z: readonly number[],
  s: TrendSettings,
  names: { ewma: TrendSignal['chart']; cusum: TrendSignal['chart'] },
): { charts: TrendCharts; signals: TrendSignal[] } {
  const ewma = ewmaChart(z, { lambda: s.ewmaLambda, sigmaMultiplier: s.ewmaL, target: 0, sigma: 1 });
  const cusum = cusumChart(z, { target: 0, sigma: 1, k: s.cusumK, h: s.cusumH });
  const last = z.length - 1;
  const signals: TrendSignal[] = [];
  const ucl = ewma.limits.ucl;
  const limitAt = (t: number): number => (typeof ucl === 'number' ? ucl : ucl[t]!);
  const zt = ewma.points[last]!;
  if (Math.abs(zt) > limitAt(last)) {
    let from = last;
    while (from > 0 && Math.abs(ewma.points[from - 1]!) > limitAt(from - 1) && Math.sign(ewma.points[from - 1]!) === Math.sign(zt)) from--;
    signals.push({ chart: names.ewma, direction: zt > 0 ? 'up' : 'down', lots: lots.slice(from) });
  }
  if (cusum.upper[last]! > cusum.H) signals.push({ chart: names.cusum, direction: 'up', lots: lots.slice(last - cusum.nUpper[last]! + 1) });
  if (cusum.lower[last]! > cusum.H)
    signals.push({ chart: names.cusum, direction: 'down', lots: lots.slice(last - cusum.nLower[last]! + 1) });
  return {
    charts: {
      lots,
      z,
      ewma: Array.from(ewma.points),
      ewmaLimit: Array.from({ length: z.length }, (_, t) => limitAt(t)),
      cusumUpper: Array.from(cusum.upper),
      cusumLower: Array.from(cusum.lower),
    },
    signals,
  };
}

/**
 * The EWMA and CUSUM of a chart's lot means (oldest first; the last is the lot being judged) and the
 * signals in force at the last lot.
 */
export function trendSeries(
  p: TrendPhaseOne,
  points: readonly { lot: string; n: number; mean: number; sd: number | null }[],
  s: TrendSettings,
  sigmaP: SigmaPhaseOne | null = null,
): TrendSeries {
  const z = points.map((x) => (x.mean - p.centre) / predictedLotMeanSigma(p, x.n));
  const lots = points.map((x) => x.lot);
  const means = chartsOf(lots, z, s, { ewma: 'ewma', cusum: 'cusum' });
  const signals = [...means.signals];
  let sigma: TrendCharts | null = null;
  const current = points[points.length - 1];
  if (sigmaP !== null && current !== undefined && current.sd !== null && current.sd > 0 && current.n >= 2) {
    const sz = sigmaZ(sigmaP, points);
    const c = chartsOf(sz.lots, sz.z, s, { ewma: 'ewma-sd', cusum: 'cusum-sd' });
    sigma = c.charts;
    signals.push(...c.signals);
  }
  return {
    lots,
    means: points.map((x) => x.mean),
    sds: points.map((x) => x.sd),
    z,
    ewma: means.charts.ewma,
    ewmaLimit: means.charts.ewmaLimit,
    cusumUpper: means.charts.cusumUpper,
    cusumLower: means.charts.cusumLower,
    signals,
    sigma,
  };
}

export interface TrendChartInput {
  readonly cell: BaselineCell;
  readonly comp: BaselineComponents;
  readonly current: TrendCellStat;
}

/**
 * Every chart's trend: the earlier lots (baseline lots left out: they are phase I; lots first tested after
 * the current one left out too, so re-evaluating an old lot does not read its future) followed by the
 * current lot. A chart an earlier lot lacks simply has no point for that lot.
 */
/**
 * The history lots a trend chart of `currentLot` is drawn from: tested no later than it, neither itself nor
 * a baseline lot (phase I). What the evaluation's input hash covers (src/domain/evaluation-inputs.ts).
 */
export function trendHistoryUsed(
  history: readonly TrendHistoryLot[],
  baselineLots: readonly string[],
  currentLot: string,
  currentAt: string | null,
): TrendHistoryLot[] {
  const skip = new Set([...baselineLots, currentLot]);
  return history.filter((h) => !skip.has(h.lot) && (currentAt === null || h.at <= currentAt));
}

export function lotTrends(
  charts: readonly TrendChartInput[],
  history: readonly TrendHistoryLot[],
  baselineLots: readonly string[],
  currentLot: string,
  s: TrendRunSettings,
  currentAt: string | null = null,
): { key: TrendCellStat; series: TrendSeries }[] {
  const earlier = trendHistoryUsed(history, baselineLots, currentLot, currentAt);
  const byLot = earlier.map((h) => new Map(h.cells.map((c) => [baselineCellKey(c.parameter, c.corner, c.lane), c])));
  const out: { key: TrendCellStat; series: TrendSeries }[] = [];
  for (const { cell, comp, current } of charts) {
    const p = trendPhaseOne(cell, comp, s.phaseOneBeta);
    if (p === null || !(current.n >= 1) || !Number.isFinite(current.mean)) continue;
    const k = baselineCellKey(cell.parameter, cell.corner, cell.lane);
    const points: { lot: string; n: number; mean: number; sd: number | null }[] = [];
    earlier.forEach((h, i) => {
      const c = byLot[i]!.get(k);
      if (c !== undefined && c.n >= 1 && Number.isFinite(c.mean)) points.push({ lot: h.lot, n: c.n, mean: c.mean, sd: c.sd });
    });
    points.push({ lot: currentLot, n: current.n, mean: current.mean, sd: current.sd });
    out.push({ key: current, series: trendSeries(p, points, s, sigmaPhaseOne(cell, s.phaseOneBeta)) });
  }
  return out;
}
