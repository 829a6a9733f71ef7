/**
 * @module The console's analysis charts of one parameter × corner (× lane), shaped from the numbers the
 * stored LotResult already holds — the browser only draws them:
 * - `lanes`: each lane's lot mean with its 95 % t interval against the baseline's mean and unit σ band;
 * - `histogram`: the cell's stored bins with LSL/USL/target and the stored capability (Cpk/Ppk and bounds);
 * - `stations`: per test station, the mean ± 95 % t interval of the chart's points, beside the stored
 *   station effect (station against the others, in within-lot σ);
 * - `trend`: the product's lot means (and σ) with the stored EWMA/CUSUM and their limits.
 * The means and intervals of `lanes` and `stations` are of the chart's points (final attempts, exact
 * readings, SPC scale, 7 significant digits) — the sample the lot's consistency tests used.
 */
import { judgedCapability, type CapabilityRoute } from '../domain/judged-capability.js';
import { laneName, type LaneNaming } from '../domain/lanes.js';
import type { LotResultPart } from '../queries/lot-result-part.js';
import { chartPointUnit, type CellResult, type LotResult } from '../domain/lot-result.js';
import { tQuantile } from '../spc/distributions.js';

export const CHART_KINDS = ['lanes', 'histogram', 'stations', 'trend'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];
export const isChartKind = (k: string): k is ChartKind => (CHART_KINDS as readonly string[]).includes(k);

/** Confidence of the mean intervals drawn (two-sided). */
export const MEAN_CONFIDENCE = 0.95;

/** n, mean, sample SD (n − 1) and the two-sided t interval of the mean of some values. */
export interface MeanInterval {
  readonly n: number;
  readonly mean: number;
  readonly sd: number | null;
  /** Null below 2 values (no spread to estimate). */
  readonly low: number | null;
  readonly high: number | null;
  /** t quantile used, with n − 1 df. */
  readonly t: number | null;
}

/** Mean and its t interval: x̄ ± t(1 − α/2, n − 1)·s/√n (NIST/SEMATECH e-Handbook 7.2.2.1). */
export function meanInterval(values: ArrayLike<number>, confidence = MEAN_CONFIDENCE): MeanInterval | null {
  const n = values.length;
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  if (n < 2) return { n, mean, sd: null, low: null, high: null, t: null };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const t = tQuantile(1 - (1 - confidence) / 2, n - 1);
  const half = (t * sd) / Math.sqrt(n);
  return { n, mean, sd, low: mean - half, high: mean + half, t };
}

function onScale(v: number | null, scale: 'linear' | 'log10'): number | null {
  if (v === null) return null;
  if (scale === 'linear') return v;
  return v > 0 ? Math.log10(v) : null;
}

interface ChartHead {
  readonly lot: string;
  readonly revision: number;
  readonly parameter: string;
  readonly corner: string;
  readonly name: string;
  readonly unit: string;
  readonly scale: 'linear' | 'log10';
}

function head(result: LotResultPart, revision: number, cell: CellResult): ChartHead {
  return {
    lot: result.lot,
    revision,
    parameter: cell.key.parameter,
    corner: cell.key.corner,
    name: cell.name,
    unit: cell.unit,
    scale: cell.scale,
  };
}

export interface LaneMeansChart extends ChartHead {
  readonly kind: 'lanes';
  readonly confidence: number;
  readonly baselineVersion: number | null;
  readonly lanes: readonly {
    readonly lane: number | null;
    readonly laneName: string;
    readonly n: number;
    readonly mean: number;
    readonly sd: number | null;
    readonly low: number | null;
    readonly high: number | null;
    readonly baselineMean: number | null;
    readonly baselineSigma: number | null;
    readonly meanShiftSigma: number | null;
    readonly meanShiftP: number | null;
    readonly signals: number;
  }[];
}

/** Every lane of the parameter × corner (one entry for a per-module parameter), lane order. */
export function laneMeansChart(result: LotResultPart, revision: number, cell: CellResult, naming: LaneNaming): LaneMeansChart {
  const cells = result.cells
    .filter((c) => c.key.parameter === cell.key.parameter && c.key.corner === cell.key.corner && c.chart)
    .sort((a, b) => (a.key.lane ?? -1) - (b.key.lane ?? -1));
  const lanes = [];
  for (const c of cells) {
    const m = meanInterval(c.chart!.points);
    if (!m) continue;
    lanes.push({
      lane: c.key.lane,
      laneName: laneName(naming, c.key.lane),
      n: m.n,
      mean: m.mean,
      sd: m.sd,
      low: m.low,
      high: m.high,
      baselineMean: c.consistency?.baselineMean ?? null,
      baselineSigma: c.consistency?.baselineSigma ?? null,
      meanShiftSigma: c.consistency?.meanShiftSigma ?? null,
      meanShiftP: c.consistency?.meanShiftP ?? null,
      signals: c.chart!.signals.length,
    });
  }
  return {
    ...head(result, revision, cell),
    kind: 'lanes',
    confidence: MEAN_CONFIDENCE,
    baselineVersion: result.baseline?.version ?? null,
    lanes,
  };
}

export interface HistogramChart extends ChartHead {
  readonly kind: 'histogram';
  readonly edges: readonly number[];
  readonly counts: readonly number[];
  /** On the chart's scale; null when absent or per unit (an expression). */
  readonly lsl: number | null;
  readonly usl: number | null;
  readonly target: number | null;
  readonly capability: {
    readonly n: number;
    readonly confidence: number;
    readonly cpk: number | null;
    readonly cpkLower: number | null;
    readonly cpkUpper: number | null;
    readonly ppk: number | null;
    readonly cp: number | null;
    readonly pp: number | null;
    readonly sigmaWithin: number;
    readonly sigmaOverall: number;
    readonly governing: string;
    /** The route and Cpk the lot decision judged by (cpk/cpkLower above are normal theory). */
    readonly judgedBy: CapabilityRoute;
    readonly judgedCpk: number | null;
    readonly judgedCpkLower: number | null;
  } | null;
}

/** The cell's stored histogram, or null when it has none (no exact reading). */
export function histogramChart(result: LotResultPart, revision: number, cell: CellResult): HistogramChart | null {
  if (!cell.histogram) return null;
  const c = cell.capability;
  return {
    ...head(result, revision, cell),
    kind: 'histogram',
    edges: cell.histogram.edges,
    counts: cell.histogram.counts,
    lsl: onScale(cell.lsl.value, cell.scale),
    usl: onScale(cell.usl.value, cell.scale),
    target: onScale(cell.target, cell.scale),
    capability: c
      ? {
          n: c.n,
          confidence: c.confidence,
          cpk: c.cpk,
          cpkLower: c.cpkLower,
          cpkUpper: c.cpkUpper,
          ppk: c.ppk,
          cp: c.cp,
          pp: c.pp,
          sigmaWithin: c.sigmaWithin,
          sigmaOverall: c.sigmaOverall,
          governing: c.governing,
          judgedBy: judgedCapability(c).by,
          judgedCpk: judgedCapability(c).cpk,
          judgedCpkLower: judgedCapability(c).cpkLower,
        }
      : null,
  };
}

export interface StationsChart extends ChartHead {
  readonly kind: 'stations';
  readonly lane: number | null;
  readonly laneName: string;
  readonly confidence: number;
  readonly stations: readonly {
    readonly station: string;
    readonly n: number;
    readonly mean: number;
    readonly low: number | null;
    readonly high: number | null;
    /** The stored station effect of the parameter × corner (units' mean over lanes), null when none. */
    readonly againstOthersSigma: number | null;
    readonly held: boolean;
  }[];
}

/** The chart's points grouped by the station of each unit's final attempt, stations sorted by name. */
export function stationsChart(result: LotResultPart, revision: number, cell: CellResult, naming: LaneNaming): StationsChart | null {
  const chart = cell.chart;
  if (!chart) return null;
  const by = new Map<string, number[]>();
  for (let i = 0; i < chart.points.length; i++) {
    const unit = result.units[chartPointUnit(chart, i)];
    if (!unit) throw new RangeError(`chart point ${i} of ${cell.name} names no unit of lot ${result.lot}`);
    const list = by.get(unit.station) ?? [];
    list.push(chart.points[i]!);
    by.set(unit.station, list);
  }
  const effects = (result.stationEffects ?? []).find((e) => e.parameter === cell.key.parameter && e.corner === cell.key.corner);
  const held = new Set(
    result.proposal.reasons
      .filter((r) => r.code === 'station-shift' && r.parameter === cell.key.parameter && r.corner === cell.key.corner)
      .map((r) => r.station),
  );
  const stations = [...by.keys()].sort().map((station) => {
    const m = meanInterval(by.get(station)!)!;
    return {
      station,
      n: m.n,
      mean: m.mean,
      low: m.low,
      high: m.high,
      againstOthersSigma: effects?.stations.find((s) => s.station === station)?.againstOthersSigma ?? null,
      held: held.has(station),
    };
  });
  return {
    ...head(result, revision, cell),
    kind: 'stations',
    lane: cell.key.lane,
    laneName: laneName(naming, cell.key.lane),
    confidence: MEAN_CONFIDENCE,
    stations,
  };
}

type TrendChartView = NonNullable<LotResult['trend']>['charts'][number];

export interface TrendChart extends ChartHead {
  readonly kind: 'trend';
  readonly lane: number | null;
  readonly laneName: string;
  readonly action: string;
  readonly ewmaLambda: number;
  readonly ewmaL: number;
  readonly cusumK: number;
  readonly cusumH: number;
  readonly lots: readonly string[];
  readonly means: readonly number[];
  readonly sds: readonly (number | null)[];
  readonly z: readonly number[];
  readonly ewma: readonly number[];
  readonly ewmaLimit: readonly number[];
  readonly cusumUpper: readonly number[];
  readonly cusumLower: readonly number[];
  readonly signals: TrendChartView['signals'];
}

/** The stored batch-to-batch trend of the cell, or a sentence saying why there is none. */
export function trendChart(
  result: LotResultPart,
  revision: number,
  cell: CellResult,
  naming: LaneNaming,
): { chart: TrendChart } | { none: string } {
  const t = result.trend;
  if (!t) return { none: `lot ${result.lot} was evaluated without trend statistics (before lotqa 0.3)` };
  if (t.action === 'off') return { none: 'trend charts are switched off by the policy (trend.action off)' };
  const c = t.charts.find((x) => x.parameter === cell.key.parameter && x.corner === cell.key.corner && x.lane === cell.key.lane);
  if (!c)
    return {
      none: result.baseline
        ? `${cell.name} has no trend chart (only critical charts are trended)`
        : 'no trend charts: the product has no baseline with variance components yet',
    };
  return {
    chart: {
      ...head(result, revision, cell),
      kind: 'trend',
      lane: cell.key.lane,
      laneName: laneName(naming, cell.key.lane),
      action: t.action,
      ewmaLambda: t.ewmaLambda,
      ewmaL: t.ewmaL,
      cusumK: t.cusumK,
      cusumH: t.cusumH,
      lots: c.lots,
      means: c.means,
      sds: c.sds,
      z: c.z,
      ewma: c.ewma,
      ewmaLimit: c.ewmaLimit,
      cusumUpper: c.cusumUpper,
      cusumLower: c.cusumLower,
      signals: c.signals,
    },
  };
}
