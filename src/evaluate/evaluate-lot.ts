/**
 * @module Evaluate a lot — LotData + product spec + acceptance policy + (optional) baseline → LotResult.
 *
 * Pure: no I/O, no clock. Every number in both reports comes from here. Per chart (parameter × corner ×
 * lane): summary, individuals chart (phase II against the baseline when there is one, else phase I),
 * capability with bounds, consistency against the baseline, PAT; per unit: first-pass and final
 * conformance; per lot: yields, Pareto, stations, lane spread, the sampling plan, and the lot-level
 * hypothesis family that decides HOLD (see lot-tests.ts and acceptance/decide-lot.ts).
 */
import { lotContentHash } from '../domain/lot-content.js';
import type { AcceptancePolicy, CapabilityRule } from '../domain/acceptance-policy.js';
import type { Baseline, BaselineCell } from '../domain/baseline.js';
import { ALL_CORNERS, baselineCellKey } from '../domain/baseline.js';
import type { LotData } from '../domain/lot-data.js';
import { MODULE_LANE } from '../domain/lot-data.js';
import type {
  CapabilityView,
  CellResult,
  ChartView,
  ConsistencyView,
  LimitView,
  LotResult,
  PatView,
  Reason,
  SamplingView,
  UnitResult,
} from '../domain/lot-result.js';
import { chartPointUnit, chartRuleName } from '../domain/lot-result.js';
import type { ProductSpec } from '../domain/product-spec.js';
import type { ResolvedLimit } from '../domain/spec-limits.js';
import { cpkInterval, movingRangeEffectiveDf, processCapability } from '../spc/capability.js';
import { brownForsytheTest, equivalenceTost, fTest, kolmogorovSmirnovTwoSample, welchTTest } from '../spc/consistency.js';
import { describe, momentsOf, sortedCopy } from '../spc/descriptive.js';
import { imrChart } from '../spc/imr-chart.js';
import { laneSpread } from '../spc/lane-spread.js';
import { partAverageTest, patLimits } from '../spc/pat.js';
import {
  baselineLotsOutlierShares,
  excessOutlierPOverdispersed,
  expectedUnitOutlierShare,
  lotToLotOutlierVariance,
  type LotOutlierShare,
} from '../spc/pat-reference-share.js';
import { ruleName } from '../spc/run-rules.js';
import { movingRangeSigma } from '../spc/sigma-estimators.js';
import { boxCoxCapability } from '../spc/box-cox.js';
import { assertPositiveSigma } from '../spc/spc-error.js';
import { isStatisticsInputError, StatsInputError } from '../spc/stats-error.js';
import { lanePhrase, laneName, type LaneNaming } from '../domain/lanes.js';
import { laneNamingOf } from './lane-naming.js';
import { decideLot } from '../acceptance/decide-lot.js';
import { judgeSampling, type SamplingState } from './lot-sampling.js';
import { cellSeries, type CellSeries } from './cell-series.js';
import {
  capabilityBelowTest,
  laneShiftRetest,
  predictiveShiftTests,
  varianceTest,
  type CellComparison,
  type LotHypothesis,
} from './lot-tests.js';
import { laneMatrix } from './lane-matrix.js';
import { stationEffects } from './station-effects.js';
import { lotLaneStatistics } from '../spc/variance-components.js';
import { stepDownLaneAttribution, type LaneGroup } from './lane-step-down.js';
import {
  acrossCornerLaneTests,
  cornerAveragedMatrix,
  DEFAULT_ACROSS_CORNERS_SHARE,
  familyAlphaShares,
  DEFAULT_LANE_LOT_POOLING,
  laneLotComponents,
  splitFamilyAdjust,
} from './lane-across-corners.js';
import { LotqaError } from '../errors/lotqa-error.js';
import type { BaselineAcrossCorners, BaselineComponents } from '../domain/baseline.js';
import { buildLotView, releaseReadingColumns, type CellDef, type ChartSource, type LotView } from './lot-view.js';
import { judgeRuns, type RunConformance } from './unit-conformance.js';
import { certifyUnits, chartLimitPoints } from './certified-units.js';
import { laneShiftMargin, patOutlierAction, trendSettings } from '../domain/acceptance-policy.js';
import { lotTrends, type TrendHistoryLot } from './lot-trend.js';
import { lotDataHolds, withLotDataHolds } from './lot-data-holds.js';
import { hasNoUnitsToEvaluate, heldWithoutUnits, resultIdentity } from './held-without-units.js';
import { stationEvidenceField } from './station-evidence-view.js';
import { agreeing, counted } from '../domain/counted.js';
import { sevenDigits } from './seven-digits.js';

export interface BaselineRef {
  readonly version: number;
  readonly createdAt: string;
  readonly payload: Baseline;
}

export interface EvaluateLotInput {
  readonly lot: LotData;
  readonly spec: ProductSpec;
  readonly policy: AcceptancePolicy;
  readonly baseline: BaselineRef | null;
  readonly revision: number;
  /** Switching state of the product's sampling plan (attributes mode); normal inspection when absent. */
  readonly sampling?: SamplingState | null;
  /**
   * The product's earlier lots in test order (from the store: src/queries/product-trend.ts), for the
   * batch-to-batch trend; no trend charts when absent.
   */
  readonly history?: readonly TrendHistoryLot[] | null;
  /**
   * The caller loaded the lot only to evaluate it: once the measurement cube holds the readings, the
   * lot's reading columns are released (their buffers detached, so they read as empty afterwards) instead
   * of staying alive beside the cube and the result — 19 bytes a reading, ~40 MB at 10,000 units.
   */
  readonly releaseReadings?: boolean;
}

const HISTOGRAM_BINS = 24;

/** Rounds to 9 significant digits: the stored result stays exact to the instrument while ~40 % smaller. */
function r9(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(9)) : v;
}
function r9n(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : r9(v);
}
/**
 * Chart points rounded to 7 significant digits, in a plain array (a loop: Array.from would iterate). Pushed,
 * not written into `new Array(n)`: a holey array would make the result hash's JSON.stringify take its slow path.
 */
function sevenDigitPoints(points: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < points.length; i++) out.push(sevenDigits(points[i]!));
  return out;
}

function limitView(limit: ResolvedLimit | null, informative: boolean): LimitView {
  if (limit === null) return { value: null, expr: null, informative };
  return limit.kind === 'constant'
    ? { value: limit.value, expr: null, informative }
    : { value: null, expr: limit.expression.text, informative };
}

function constantOf(limit: ResolvedLimit | null): number | null {
  return limit !== null && limit.kind === 'constant' ? limit.value : null;
}

/**
 * The chart's histogram. `sorted` is `values` sorted ascending (the chart's shared sort): its ends are the
 * extremes a scan would find (the readings are finite), so only the binning walks the values.
 */
function histogram(values: Float64Array, sorted: Float64Array): { edges: number[]; counts: number[] } | null {
  if (values.length === 0) return null;
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  if (min === max) return { edges: [r9(min - 0.5), r9(max + 0.5)], counts: [values.length] };
  const width = (max - min) / HISTOGRAM_BINS;
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  binInto(values, min, width, counts);
  return { edges: Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => r9(min + i * width)), counts };
}

/**
 * Counts each value in its bin. A function of its own: compiled while it ran on the first chart (on-stack
 * replacement) inside histogram, the loop bailed out on the code after it on every later chart (228 times
 * a 10,000-unit lot in one build).
 */
function binInto(values: Float64Array, min: number, width: number, counts: number[]): void {
  for (let i = 0; i < values.length; i++) counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((values[i]! - min) / width))]!++;
}

function capabilityRuleFor(policy: AcceptancePolicy, parameter: string): CapabilityRule {
  return policy.capability.parameters?.[parameter] ?? policy.capability.default;
}

/**
 * What the lot-level steps need of one evaluated chart. The chart's series is not kept: a 100,000-unit
 * lot's 228 series are ~300 MB, so the later steps that need a series again (lane matrices, station
 * effects) re-read it from the cube (cheap and identical), and the rest use the small statistics here.
 */
export interface CellWork {
  readonly def: CellDef;
  /** Uncensored readings on the SPC scale (what the chart, capability and tests use). */
  readonly exactN: number;
  /** Their mean (NaN when none) and sample SD (NaN when fewer than 2), as meanOf / sampleSdOf give them. */
  readonly exactMean: number;
  readonly exactSd: number;
  readonly result: CellResult;
  readonly comparison: CellComparison | null;
  readonly cpk: number | null;
  readonly cpkLower: number | null;
  /** Critical chart whose statistics could not be computed: the lot HOLDs (fail closed). */
  readonly unavailable: string | null;
  /** Share of the baseline's sample beyond this chart's static PAT limits (src/spc/pat-reference-share.ts); 0 without. */
  readonly patReferenceShare: number;
  /** Each baseline lot's share on this chart (src/spc/pat-reference-share.ts); empty without. */
  readonly patReferenceLots: readonly (LotOutlierShare | null)[];
}

function cellLabel(def: CellDef, naming: LaneNaming): string {
  return `${def.parameter.id} @ ${def.corner}${def.lane === null ? '' : ` ${lanePhrase(naming, def.lane)}`}`;
}

/** Fewest uncensored readings a critical chart needs for its statistics (a spread needs 3 for MR̄ and s). */
export const MIN_CRITICAL_VALUES = 3;
/** A lot whose σ falls below this share of the baseline's has collapsed spread (a stuck or saturated gauge). */
export const COLLAPSED_SPREAD_RATIO = 0.1;

/**
 * Why a critical chart's statistics cannot be trusted, or null when they can. Fail closed: a stuck gauge
 * reads one value on every unit and would otherwise pass every spec and shift test.
 */
function unavailableWhy(
  series: CellSeries,
  sortedExact: Float64Array,
  sd: number,
  base: BaselineCell | undefined,
  notes: readonly string[],
): string | null {
  const n = series.exact.length;
  const total = series.values.length;
  if (total === 0) return 'no readings at all';
  if (n === 0) return `all ${total} readings are censored (outside the instrument range), so no statistic can be computed`;
  if (n < MIN_CRITICAL_VALUES) return `only ${counted(n, 'uncensored reading')}; at least ${MIN_CRITICAL_VALUES} are needed`;
  // The ends of the chart's sorted readings (finite), not another scan.
  const min = sortedExact[0]!;
  const max = sortedExact[n - 1]!;
  if (min === max) return `every one of the ${n} readings is ${min}: zero spread — a stuck gauge or a fixed value written by the station`;
  if (base && base.sigmaUnit > 0 && sd < COLLAPSED_SPREAD_RATIO * base.sigmaUnit)
    return `the spread collapsed to ${((100 * sd) / base.sigmaUnit).toFixed(1)} % of the baseline σ (below ${100 * COLLAPSED_SPREAD_RATIO} %): a stuck or saturated gauge`;
  const broken = notes.find((x) => x.startsWith('no control chart:'));
  if (broken !== undefined) return broken;
  return null;
}

/**
 * One chart (parameter × corner × lane) of the lot: summary, individuals chart, capability, consistency
 * and PAT. Reads nothing but `view`'s cube, spec and units and the arguments, so a chart thread computes
 * exactly what the calling thread would.
 */
export function evaluateChart(
  view: ChartSource,
  def: CellDef,
  policy: AcceptancePolicy,
  base: BaselineCell | undefined,
  failures: number,
): CellWork {
  const series = cellSeries(view, def);
  const naming = laneNamingOf(view.spec);
  const notes: string[] = [];
  const limits = def.limits;
  const log = def.parameter.spcScale === 'log10';
  // Capability and PAT compare the SPC-scale values with limits on the same scale.
  const onScale = (x: number | null): number | null => (x === null ? null : log ? (x > 0 ? Math.log10(x) : null) : x);
  const lsl = limits.informativeLsl ? null : onScale(constantOf(limits.lsl));
  const usl = onScale(constantOf(limits.usl));
  if (log) notes.push('charts, capability, consistency and PAT computed on log10 of the value');
  // Sorted once per chart and shared by the summary, capability (A–D, percentiles), KS, Brown–Forsythe and PAT.
  const sortedExact = sortedCopy(series.exact);
  const exact = series.exact;
  // meanOf and sampleSdOf (NaN for none / fewer than 2) from one compensated sum.
  const moments = momentsOf(exact);
  const exactMean = moments.mean;
  const exactSd = moments.sd;
  // On the linear scale the uncensored readings are exactly `exact`, so the summary can use the same sort
  // and the same mean and SD.
  const summaryRaw =
    series.values.length > 0 ? describe(series.values, series.censoring, log ? {} : { sortedUncensored: sortedExact, moments }) : null;
  const summary = {
    n: summaryRaw?.n ?? 0,
    censoredBelow: summaryRaw?.censoredBelow ?? 0,
    censoredAbove: summaryRaw?.censoredAbove ?? 0,
    mean: r9n(summaryRaw?.mean),
    sd: r9n(summaryRaw?.sd),
    min: r9n(summaryRaw?.min.value),
    max: r9n(summaryRaw?.max.value),
    median: r9n(summaryRaw?.median),
    q1: r9n(summaryRaw?.q1),
    q3: r9n(summaryRaw?.q3),
  };
  const censoredOmitted = series.values.length - exact.length;
  if (censoredOmitted > 0) notes.push(`${counted(censoredOmitted, 'censored reading')} left out of chart, capability and tests`);

  let chart: ChartView | null = null;
  const rules = { set: policy.runRules.ruleSet, rules: policy.runRules.rules };
  try {
    if (base && exact.length >= 1 && base.limits.sigma !== null && base.limits.sigma > 0) {
      const imr = imrChart(exact, { frozen: { centre: base.limits.centre, sigma: base.limits.sigma }, rules });
      chart = chartView(imr, 'phase-2', series);
    } else if (exact.length >= 3) {
      const imr = imrChart(exact, { rules });
      chart = chartView(imr, 'phase-1', series);
    }
  } catch (err) {
    if (!isStatisticsInputError(err)) throw err;
    notes.push(`no control chart: ${err.message}`);
  }

  let capability: CapabilityView | null = null;
  let cpk: number | null = null;
  let cpkLower: number | null = null;
  const rule = capabilityRuleFor(policy, def.parameter.id);
  if ((lsl !== null || usl !== null) && exact.length >= 3 && chart !== null) {
    try {
      // The lot's own MR̄/d2 (what a phase-I chart of it would use), not the frozen baseline σ.
      const ownSigma = chart.phase === 'phase-1' ? chart.sigma : movingRangeSigma(exact, 2).sigma;
      assertPositiveSigma(ownSigma, 'I-MR chart');
      const cap = processCapability(exact, {
        lsl,
        usl,
        target: onScale(limits.target),
        withinSigma: ownSigma,
        withinSigmaEstimator: 'MR̄/d2 (moving range of 2)',
        // MR̄/d2 has ≈ 0.62(N − 1) effective df, not N − 1: the bounds must be as wide as that.
        withinSigmaDf: movingRangeEffectiveDf(exact.length),
        confidenceLevel: rule.confidence,
        subject: cellLabel(def, naming),
        sortedValues: sortedExact,
        moments,
      });
      cpk = cap.cpk;
      cpkLower = cap.intervals.cpk.lowerOneSided;
      let judgedBy: 'normal-theory' | 'box-cox' = 'normal-theory';
      let capabilityNote = cap.targetSource === 'midpoint' ? 'Cpm target = mid-spec (no target in the spec)' : null;
      // Only where there is a lower limit: the route never touches an upper-only spec (the long tail).
      if ((rule.nonNormal ?? 'normal-theory') === 'box-cox' && cap.governing === 'percentile' && lsl !== null) {
        // Clearly non-normal readings: the bounded (lower) side of a right-skewed parameter is judged on the
        // Box–Cox scale, where normal theory would invent a tail below the bound (src/spc/box-cox.ts).
        const bc = boxCoxCapability(exact, { lsl, subject: cellLabel(def, naming) });
        let said: string;
        if ('notApplied' in bc) said = `readings clearly non-normal; Box–Cox not applied (${bc.notApplied}): Cpk judged by normal theory`;
        else {
          const judged = Math.min(bc.cpl, cap.cpu ?? Infinity);
          said = `readings clearly non-normal: the lower side judged by percentiles of a Box–Cox model above the estimated bound ${bc.threshold.toPrecision(4)} (λ = ${bc.lambda.toFixed(3)}, transformed A–D p = ${bc.normalityP.toFixed(3)}): CPL ${bc.cpl.toFixed(3)}, Cpk ${judged.toFixed(3)} (normal theory: ${cap.cpk.toFixed(3)})`;
          cpk = judged;
          judgedBy = 'box-cox';
          cpkLower = Number.isFinite(judged)
            ? cpkInterval(judged, exact.length, rule.confidence, movingRangeEffectiveDf(exact.length)).lowerOneSided
            : judged;
        }
        notes.push(said);
        capabilityNote = capabilityNote === null ? said : `${capabilityNote}; ${said}`;
      }
      capability = {
        n: cap.n,
        sigmaWithin: r9(cap.withinSigma),
        sigmaOverall: r9(cap.overallSigma),
        cp: r9n(cap.cp),
        cpLower: r9n(cap.intervals.cp?.lowerOneSided),
        cpk: r9n(cap.cpk),
        cpkLower: r9n(cap.intervals.cpk.lowerOneSided),
        cpkUpper: r9n(cap.intervals.cpk.upper),
        cpm: r9n(cap.cpm),
        pp: r9n(cap.pp),
        ppk: r9n(cap.ppk),
        ppmWithin: r9n(cap.expectedPpmWithin.total),
        ppmOverall: r9n(cap.expectedPpmOverall.total),
        ppmObserved: r9n(cap.observedPpm.total),
        confidence: cap.confidenceLevel,
        normality: {
          a2: r9n(cap.normality?.aSquared),
          a2Adjusted: r9n(cap.normality?.aSquaredStar),
          p: r9n(cap.normality?.pValue),
        },
        governing: cap.governing,
        percentile: cap.percentile ? { pp: r9n(cap.percentile.pp), ppk: r9n(cap.percentile.ppk) } : null,
        note: capabilityNote,
        // The decision's Cpk, so no document can show a figure the decision did not use.
        judgedBy,
        judgedCpk: r9n(cpk),
        judgedCpkLower: r9n(cpkLower),
      };
    } catch (err) {
      if (!isStatisticsInputError(err)) throw err;
      notes.push(`no capability: ${err.message}`);
    }
  } else if (limits.lsl?.kind === 'expression' || limits.usl?.kind === 'expression') {
    notes.push('limit depends on other readings of the unit: judged per unit, no capability index');
  }

  let consistency: ConsistencyView | null = null;
  let comparison: CellComparison | null = null;
  // The baseline sample sorted once, for Brown–Forsythe, KS and the static PAT limits.
  let sortedBaseSample: Float64Array | null = null;
  const sortedBase = (sample: readonly number[]): Float64Array => (sortedBaseSample ??= sortedCopy(sample));
  if (base && exact.length >= 3 && base.sigmaUnit > 0) {
    try {
      // On the SPC scale (log10 for log-scale parameters), like the baseline.
      const lotSummary = { n: exact.length, mean: exactMean, sd: exactSd };
      const baseSummary = { n: base.n, mean: base.mean, sd: base.sigmaUnit };
      comparison = {
        parameter: def.parameter.id,
        corner: def.corner,
        lane: def.lane,
        n: lotSummary.n,
        mean: lotSummary.mean,
        sd: lotSummary.sd,
        baselineMean: base.mean,
        baselineSigma: base.sigmaUnit,
        baselineN: base.n,
        baselineDf: base.dfUnit,
      };
      const welch = welchTTest(lotSummary, baseSummary);
      const f = fTest(lotSummary, baseSummary);
      const sample = Float64Array.from(base.sample);
      const sortedSample = sortedBase(base.sample);
      const bf = sample.length >= 3 ? brownForsytheTest([exact, sample], { sortedGroups: [sortedExact, sortedSample] }) : null;
      const ks = sample.length >= 3 ? kolmogorovSmirnovTwoSample(sortedExact, sortedSample, { sorted: true }) : null;
      const margin = policy.consistency.equivalenceMargin;
      const tost = margin !== undefined ? equivalenceTost(lotSummary, baseSummary, margin * base.sigmaUnit) : null;
      const shiftSigma = (lotSummary.mean - base.mean) / base.sigmaUnit;
      consistency = {
        baselineMean: r9(base.mean),
        baselineSigma: r9(base.sigmaUnit),
        meanShiftSigma: r9(shiftSigma),
        meanShiftZ: r9(shiftSigma / Math.sqrt((lotSummary.sd / base.sigmaUnit) ** 2 / lotSummary.n + 1 / base.n)),
        meanShiftP: r9(welch.pValue),
        varianceRatio: r9n(f.f),
        varianceP: r9n(f.pValueLotLarger),
        welch: { statistic: r9(welch.t), p: r9n(welch.pValue), df: [r9(welch.df)] },
        fTest: { statistic: r9(f.f), p: r9n(f.pValueTwoSided), df: [f.df1, f.df2] },
        brownForsythe: bf ? { statistic: r9(bf.w), p: r9n(bf.pValue), df: [bf.df1, bf.df2] } : null,
        ks: ks ? { statistic: r9(ks.d), p: r9n(ks.pValue) } : null,
        tost: tost ? { margin: r9(tost.margin), p: r9(tost.pValue), equivalent: tost.equivalent } : null,
      };
    } catch (err) {
      if (!isStatisticsInputError(err)) throw err;
      notes.push(`no baseline comparison: ${err.message}`);
    }
  }

  let pat: PatView | null = null;
  let patReferenceShare = 0;
  let patReferenceLots: (LotOutlierShare | null)[] = [];
  if (exact.length >= 8) {
    try {
      const staticLimits =
        base && base.sample.length >= 8 ? patLimits(sortedBase(base.sample), policy.consistency.pat.k, { sorted: true }) : null;
      const res = partAverageTest(exact, { lsl, usl, k: policy.consistency.pat.k, staticLimits, sortedValues: sortedExact });
      if (staticLimits && base!.lotSizes.length >= 2) {
        patReferenceLots = baselineLotsOutlierShares(base!.sample, base!.lotSizes, staticLimits, policy.consistency.pat.k, lsl, usl);
        const judged = patReferenceLots.filter((x) => x !== null);
        patReferenceShare = judged.length === 0 ? 0 : judged.reduce((a, x) => a + x.share, 0) / judged.length;
      }
      if (!(res.dynamic.robustSigma > 0))
        throw new StatsInputError('the interquartile range is 0 (quantized readings): robust sigma undefined');
      pat = {
        lower: r9n(res.lower),
        upper: r9n(res.upper),
        kind: staticLimits ? 'static+dynamic' : 'dynamic',
        outliers: res.outliers.map((o) => ({ serial: view.units[series.exactUnitIndex[o.index]!]!.serial, value: r9(o.value) })),
      };
    } catch (err) {
      if (!isStatisticsInputError(err)) throw err;
      notes.push(`no PAT: ${err.message}`);
    }
  }

  const result: CellResult = {
    key: { parameter: def.parameter.id, corner: def.corner, lane: def.lane },
    name: def.parameter.name,
    unit: def.parameter.unit,
    scale: log ? 'log10' : 'linear',
    critical: def.parameter.critical,
    lsl: limitView(limits.lsl, limits.informativeLsl),
    usl: limitView(limits.usl, false),
    target: limits.target,
    summary,
    failures,
    chart,
    histogram: histogram(exact, sortedExact),
    capability,
    consistency,
    pat,
    notes,
  };
  const unavailable = def.parameter.critical ? unavailableWhy(series, sortedExact, exactSd, base, notes) : null;
  if (unavailable !== null) notes.push(`statistics cannot be computed: ${unavailable}`);
  return {
    def,
    exactN: exact.length,
    exactMean,
    exactSd,
    result,
    comparison,
    cpk,
    cpkLower,
    unavailable,
    patReferenceShare,
    patReferenceLots,
  };

  function chartView(imr: ReturnType<typeof imrChart>, phase: 'phase-1' | 'phase-2', s: CellSeries): ChartView {
    const ind = imr.individuals;
    const lim = ind.limits;
    const num = (x: number | Float64Array): number => (typeof x === 'number' ? x : x[0]!);
    return {
      kind: 'individuals',
      phase,
      estimator: phase === 'phase-2' ? 'baseline (frozen MR̄/d2)' : 'MR̄/d2 (moving range of 2)',
      centre: r9(num(lim.centre)),
      sigma: r9(ind.sigma),
      lcl: r9(num(lim.lcl)),
      ucl: r9(num(lim.ucl)),
      points: sevenDigitPoints(ind.points),
      // Strictly increasing unit indices: as many as there are units means point i is unit i.
      unitIndex: s.exactUnitIndex.length === view.units.length ? null : Array.from(s.exactUnitIndex),
      censoredOmitted: s.values.length - s.exact.length,
      movingRange: { centre: r9(num(imr.movingRange.limits.centre)), ucl: r9(num(imr.movingRange.limits.ucl)) },
      ruleSet: rules.set,
      rules: (rules.rules ?? [1, 2, 3, 4, 5, 6, 7, 8]).map((rule) => ({ name: ruleName(rules.set, rule), rule })),
      // Keys in canonical (sorted) order: the result hash then writes each of these small records natively.
      signals: ind.signals.map((sig) => ({ direction: sig.direction, indices: sig.indices, rule: sig.rule })),
      // An expression limit at every point, while the chart's units are at hand (certified-units.ts).
      ...chartLimitPoints(view, def, s.exactUnitIndex),
    };
  }
}

/**
 * Batch-to-batch trend of every critical chart against the baseline (phase I), with the reasons the
 * policy's trend action gives its signals. The lot's own statistics are always recorded (later lots read
 * them as their history); charts need a baseline and an action other than `off`. Null without a history input.
 */
function lotTrend(
  input: EvaluateLotInput,
  work: readonly CellWork[],
  naming: LaneNaming,
  notes: string[],
): { view: NonNullable<LotResult['trend']>; reasons: Reason[] } | null {
  const s = trendSettings(input.policy);
  const { baseline } = input;
  if (input.history === undefined || input.history === null) return null;
  // On the chart's scale (log10 for log-scale parameters such as BER), like the baseline's centre and
  // variance components: a lot mean in linear units against a log10 centre would signal on every lot.
  const onChartScale = (w: CellWork): { n: number; mean: number; sd: number | null } | null =>
    w.exactN === 0 ? null : { n: w.exactN, mean: r9(w.exactMean), sd: w.exactN >= 2 ? r9(w.exactSd) : null };
  const lotStats: NonNullable<LotResult['trend']>['lot'] = [];
  for (const w of work) {
    const st = onChartScale(w);
    if (w.def.parameter.critical && st !== null)
      lotStats.push({ parameter: w.def.parameter.id, corner: w.def.corner, lane: w.def.lane, ...st });
  }
  const settingsView = {
    action: s.action,
    ewmaLambda: s.ewmaLambda,
    ewmaL: s.ewmaL,
    cusumK: s.cusumK,
    cusumH: s.cusumH,
    phaseOneBeta: s.phaseOneBeta,
  };
  if (s.action === 'off' || baseline === null) return { view: { ...settingsView, lot: lotStats, charts: [] }, reasons: [] };
  const comps = new Map((baseline.payload.components ?? []).map((c) => [`${c.parameter}|${c.corner}`, c]));
  const cells = new Map(baseline.payload.cells.map((c) => [baselineCellKey(c.parameter, c.corner, c.lane), c]));
  const charts = [];
  for (const w of work) {
    const st = onChartScale(w);
    if (!w.def.parameter.critical || w.unavailable !== null || st === null) continue;
    const cell = cells.get(baselineCellKey(w.def.parameter.id, w.def.corner, w.def.lane));
    const comp = comps.get(`${w.def.parameter.id}|${w.def.corner}`);
    if (cell === undefined || comp === undefined) {
      notes.push(`${cellLabel(w.def, naming)}: no trend chart — the baseline has no variance components for it`);
      continue;
    }
    const current = { parameter: w.def.parameter.id, corner: w.def.corner, lane: w.def.lane, ...st };
    charts.push({ cell, comp, current });
  }
  const firstTest = input.lot.runs.reduce<string | null>((a, r) => (a === null || r.testTime < a ? r.testTime : a), null);
  const trends = lotTrends(charts, input.history, baseline.payload.lots, input.lot.lot, s, firstTest);
  const reasons: Reason[] = [];
  for (const t of trends) {
    const where = `${t.key.parameter} @ ${t.key.corner}${t.key.lane === null ? '' : ` ${lanePhrase(naming, t.key.lane)}`}`;
    for (const sig of t.series.signals) {
      const of = sig.chart.endsWith('-sd') ? 'lot ln s²' : 'lot means';
      const chartName = sig.chart.startsWith('ewma')
        ? `EWMA of ${of} (λ = ${s.ewmaLambda}) beyond its ${s.ewmaL}-standard-error limit`
        : `${sig.direction === 'up' ? 'upper' : 'lower'} CUSUM of ${of} above h = ${s.cusumH} (k = ${s.cusumK})`;
      reasons.push({
        code: `trend-${sig.chart}`,
        severity: s.action === 'hold' ? 'HOLD' : 'INFO',
        message: `${where}: ${chartName} — the lot ${sig.chart.endsWith('-sd') ? 'σ' : 'mean'} is drifting ${sig.direction} over lots ${sig.lots.join(', ')} against the baseline (trend action ${s.action})`,
        parameter: t.key.parameter,
        corner: t.key.corner,
        lane: t.key.lane,
        rule: sig.chart,
        value: r9(t.series.ewma[t.series.ewma.length - 1]!),
      });
    }
  }
  const view: NonNullable<LotResult['trend']> = {
    ...settingsView,
    lot: lotStats,
    charts: trends.map((t) => ({
      parameter: t.key.parameter,
      corner: t.key.corner,
      lane: t.key.lane,
      lots: [...t.series.lots],
      means: t.series.means.map(r9),
      sds: t.series.sds.map(r9n),
      z: t.series.z.map(r9),
      ewma: t.series.ewma.map(r9),
      ewmaLimit: t.series.ewmaLimit.map(r9),
      cusumUpper: t.series.cusumUpper.map(r9),
      cusumLower: t.series.cusumLower.map(r9),
      signals: t.series.signals.map((x) => ({ chart: x.chart, direction: x.direction, lots: [...x.lots] })),
      ...(t.series.sigma === null
        ? {}
        : {
            sigma: {
              lots: [...t.series.sigma.lots],
              z: t.series.sigma.z.map(r9),
              ewma: t.series.sigma.ewma.map(r9),
              ewmaLimit: t.series.sigma.ewmaLimit.map(r9),
              cusumUpper: t.series.sigma.cusumUpper.map(r9),
              cusumLower: t.series.sigma.cusumLower.map(r9),
            },
          }),
    })),
  };
  return { view, reasons };
}

/**
 * The PAT-outlier share a healthy lot of this product shows anyway (its baseline lots judged as a lot is, over
 * every chart of a unit) and how improbable the lot's own count is for it (src/spc/pat-reference-share.ts).
 */
function patReferenceOf(work: readonly CellWork[], units: readonly UnitResult[]): { share: number; excessP: number } {
  const share = expectedUnitOutlierShare(work.map((w) => w.patReferenceShare));
  const extra = lotToLotOutlierVariance(work.map((w) => w.patReferenceLots));
  return { share, excessP: excessOutlierPOverdispersed(units.filter((u) => u.patOutlier).length, units.length, share, extra) };
}

/**
 * The lot's PAT-outlier count as one hypothesis of the lot's family (issue 14): H0 "the lot's share of outlier
 * units is no more than its baseline's", tested by the count's upper tail for the baseline's share
 * (`excessP`). The practical gate (share above the baseline's plus the policy's allowance) is part of the test,
 * as the margin is of a shift test: below it the p-value is 1, so p ≥ the tail's p and stays a valid p-value.
 * Inside the family the count takes its place in the policy's correction beside the lot, lane, station,
 * spread and capability tests, so the lot's family-wise false-alarm rate is the policy's α, not α plus the
 * PAT test's own α.
 */
export function patCountHypothesis(
  reference: { readonly share: number; readonly excessP: number },
  outlierUnits: number,
  units: number,
  maxOutlierShare: number,
): LotHypothesis {
  const share = units === 0 ? 0 : outlierUnits / units;
  const allowed = reference.share + maxOutlierShare;
  return {
    kind: 'pat-outliers',
    parameter: 'PAT outlier units',
    corner: ALL_CORNERS,
    lane: null,
    estimate: share,
    threshold: allowed,
    p: share > allowed ? reference.excessP : 1,
  };
}

/** Adds the person-facing lane name beside the 0-based lane index of a reason (JSON readers see both). */
function nameLane(r: Reason, naming: LaneNaming): void {
  if (typeof r.lane === 'number') r.laneName = laneName(naming, r.lane);
}

/** Most serials listed on one investigation (the chart's signals hold every point). */
const INVESTIGATION_SERIALS = 50;

/**
 * One investigation per chart and run rule, not per signal: a 10,000-unit lot off its baseline fires tens
 * of thousands of episodes, which no engineer reads one by one (and which made the stored result ~20 MB).
 * Each names how often the rule fired, in which direction, on how many units, and the first serials.
 */
function signalInvestigations(def: CellDef, chart: ChartView, units: readonly UnitResult[], naming: LaneNaming): Reason[] {
  const byRule = new Map<
    string,
    { ruleSet: string; rule: number; name: string; count: number; up: number; down: number; points: Set<number> }
  >();
  for (const s of chart.signals) {
    const key = `${chart.ruleSet}-${s.rule}`;
    let g = byRule.get(key);
    if (g === undefined) {
      g = { ruleSet: chart.ruleSet, rule: s.rule, name: chartRuleName(chart, s.rule), count: 0, up: 0, down: 0, points: new Set() };
      byRule.set(key, g);
    }
    g.count++;
    if (s.direction === 'up') g.up++;
    else if (s.direction === 'down') g.down++;
    // Indexed: for-of made an iterator result per index (~11 MB of heap in a 10,000-unit lot).
    for (let k = 0; k < s.indices.length; k++) g.points.add(s.indices[k]!);
  }
  const out: Reason[] = [];
  for (const [key, g] of byRule) {
    const direction = g.up > 0 && g.down > 0 ? ` (${g.up} up, ${g.down} down)` : g.up > 0 ? ', up' : g.down > 0 ? ', down' : '';
    const serials: string[] = [];
    for (const i of g.points) {
      if (serials.length >= INVESTIGATION_SERIALS) break;
      serials.push(units[chartPointUnit(chart, i)]!.serial);
    }
    out.push({
      code: 'run-rule',
      severity: 'INFO',
      message: `${cellLabel(def, naming)}: ${g.ruleSet} rule ${g.rule} (${g.name}) ${g.count === 1 ? 'fired once' : `fired ${g.count} times`}${direction} on ${counted(g.points.size, 'unit')}`,
      parameter: def.parameter.id,
      corner: def.corner,
      lane: def.lane,
      rule: key,
      serials,
    });
  }
  return out;
}

/** The lot's family of lot-level hypotheses (see lot-tests.ts). */
function lotHypotheses(
  view: LotView,
  work: readonly CellWork[],
  policy: AcceptancePolicy,
  components: readonly BaselineComponents[],
  acrossCorners: readonly BaselineAcrossCorners[],
  units: number,
  notes: string[],
  laneGroups: LaneGroup[],
  baselineLots: number | null,
): LotHypothesis[] {
  const out: LotHypothesis[] = [];
  const c = policy.consistency;
  const byCell = new Map<string, CellWork>();
  for (const w of work) {
    byCell.set(baselineCellKey(w.def.parameter.id, w.def.corner, w.def.lane), w);
    if (w.comparison === null) continue;
    const v = varianceTest(w.comparison, c.maxVarianceRatio);
    if (v) out.push(v);
  }
  for (const comp of components) {
    const cells = comp.lanes.map((lane) => byCell.get(baselineCellKey(comp.parameter, comp.corner, lane)));
    if (cells.some((w) => w === undefined)) continue;
    try {
      const matrix = laneMatrix(
        cells.map((w) => cellSeries(view, w!.def)),
        comp.sigmas,
        units,
      );
      const stats = lotLaneStatistics(matrix, comp.lanes.length);
      const laneMargin = laneShiftMargin(policy, baselineLots);
      const tests = predictiveShiftTests(comp, stats, c.maxMeanShiftSigma, laneMargin);
      const lanesAt = tests.flatMap((h, i) => (h.kind === 'lane-shift' ? [out.length + i] : []));
      if (lanesAt.length > 0) laneGroups.push({ indices: lanesAt, retest: laneShiftRetest(comp, comp.corner, matrix, laneMargin) });
      out.push(...tests);
    } catch (err) {
      if (!isStatisticsInputError(err)) throw err;
      notes.push(`${comp.parameter} @ ${comp.corner}: lot and lane shifts not tested — ${err.message}`);
    }
  }
  if ((c.laneAcrossCornersAlphaShare ?? DEFAULT_ACROSS_CORNERS_SHARE) > 0)
    for (const ac of acrossCorners) {
      const cells = ac.corners.map((corner) => ac.lanes.map((lane) => byCell.get(baselineCellKey(ac.parameter, corner, lane))));
      if (cells.some((row) => row.some((w) => w === undefined))) continue;
      try {
        const matrix = cornerAveragedMatrix(
          cells.map((row, k) =>
            laneMatrix(
              row.map((w) => cellSeries(view, w!.def)),
              ac.sigmas[k]!,
              units,
            ),
          ),
        );
        const laneMargin = laneShiftMargin(policy, baselineLots);
        const tests = acrossCornerLaneTests(ac, lotLaneStatistics(matrix, ac.lanes.length), laneMargin);
        laneGroups.push({ indices: tests.map((_, i) => out.length + i), retest: laneShiftRetest(ac, ALL_CORNERS, matrix, laneMargin) });
        out.push(...tests);
      } catch (err) {
        if (!isStatisticsInputError(err)) throw err;
        notes.push(`${ac.parameter} @ ${ALL_CORNERS}: lane shifts not tested — ${err.message}`);
      }
    }
  for (const w of work) {
    if (!w.def.parameter.critical || w.cpk === null) continue;
    const rule = capabilityRuleFor(policy, w.def.parameter.id);
    if ((rule.judge ?? 'evidence-below') !== 'evidence-below' || w.exactN < rule.minSampleSize) continue;
    const n = w.exactN;
    const h = capabilityBelowTest(w.def.parameter.id, w.def.corner, w.def.lane, w.cpk, n, rule.minimum, movingRangeEffectiveDf(n));
    if (h) out.push(h);
  }
  return out;
}

export function evaluateLot(input: EvaluateLotInput): LotResult {
  const opened = openEvaluation(input);
  if (opened.kind === 'held') return opened.result;
  const { view } = opened;
  const judged = judgeUnits(view);
  const baseCells = baselineCellsByKey(input.baseline?.payload.cells ?? []);
  const work: CellWork[] = new Array<CellWork>(view.cells.length);
  for (const i of chartOrder(view.cells)) {
    const def = view.cells[i]!;
    const k = baselineCellKey(def.parameter.id, def.corner, def.lane);
    work[i] = evaluateChart(view, def, input.policy, baseCells.get(k), judged.finalFailureCount.get(k) ?? 0);
  }
  return finishEvaluation(input, view, judged, work);
}

/**
 * The order the charts are evaluated in: one chart of each parameter in turn (the first of every
 * parameter, then the second…), not parameter after parameter. Each chart is a pure function placed by
 * its index, so the result is the same; but the statistics take different branches per parameter (an
 * expression limit, an upper limit only, a log scale, censored readings), and V8 compiles a hot function
 * for the branches it has seen: in spec order every new parameter met code compiled without its branches,
 * which bailed out and was compiled again (partAverageTest 12 times, processCapability 5, ~20–60 ms each).
 * Interleaved, every kind of chart has run before the first of those compilations.
 */
export function chartOrder(cells: readonly CellDef[]): number[] {
  const byParameter = new Map<number, number[]>();
  cells.forEach((c, i) => {
    const list = byParameter.get(c.parameterIndex);
    if (list) list.push(i);
    else byParameter.set(c.parameterIndex, [i]);
  });
  const groups = [...byParameter.values()];
  const order: number[] = [];
  for (let round = 0; order.length < cells.length; round++) for (const g of groups) if (round < g.length) order.push(g[round]!);
  return order;
}

/**
 * The first step of a lot's evaluation: the lot as a view to judge (its measurement cube filled), or the
 * HELD result of a lot with no unit left to evaluate. `sharedCube`: the cube in shared memory, so chart
 * threads read it where it is (src/pipeline/chart-threads.ts).
 */
export function openEvaluation(
  input: EvaluateLotInput,
  options: { readonly sharedCube?: boolean } = {},
): { readonly kind: 'view'; readonly view: LotView } | { readonly kind: 'held'; readonly result: LotResult } {
  const { lot, spec, baseline } = input;
  if (baseline !== null && baseline.payload.components === undefined)
    throw new LotqaError(
      `baseline v${baseline.version} of ${spec.productId} was made by an older lotqa (format 1, no lot-to-lot variance components), so lots cannot be judged against it`,
      {
        hint: `re-create it from the same qualified lots: lotqa baseline create --product ${spec.productId} --lots ${baseline.payload.lots.join(',')}`,
        exitCode: 2,
      },
    );
  // Files but no unit left (every run held out by unresolved conflicts): HELD with the reasons, fail closed.
  if (hasNoUnitsToEvaluate(lot)) return { kind: 'held', result: heldWithoutUnits(input) };
  const view = buildLotView(lot, spec, { shared: options.sharedCube === true });
  if (input.releaseReadings === true) releaseReadingColumns(lot);
  return { kind: 'view', view };
}

/** Every unit's first-pass and final verdict, and the counts the charts and the Pareto take from them. */
export interface JudgedUnits {
  readonly units: UnitResult[];
  /** Units failing at their final attempt, per chart (baselineCellKey). */
  readonly finalFailureCount: ReadonlyMap<string, number>;
  readonly paretoCount: ReadonlyMap<string, { parameter: string; corner: string; lane: number | null; units: number }>;
}

/** Units: first-pass and final conformance. */
export function judgeUnits(view: LotView): JudgedUnits {
  // Every unit's first and final run, judged cell by cell (unit-conformance.ts), each run once.
  const runVerdicts = judgeRuns(
    view,
    view.units.flatMap((u) => [u.firstRun, u.finalRun]),
  );
  const verdictOf = (run: number): RunConformance => runVerdicts[run]!;
  const finalFailureCount = new Map<string, number>();
  const paretoCount = new Map<string, { parameter: string; corner: string; lane: number | null; units: number }>();
  const units: UnitResult[] = view.units.map((u) => {
    const first = verdictOf(u.firstRun);
    const final = verdictOf(u.finalRun);
    for (const f of final.failures) {
      const k = baselineCellKey(f.parameter, f.corner, f.lane);
      finalFailureCount.set(k, (finalFailureCount.get(k) ?? 0) + 1);
    }
    for (const f of first.failures) {
      if (f.side !== 'below-lsl' && f.side !== 'above-usl') continue;
      const k = baselineCellKey(f.parameter, f.corner, f.lane);
      const e = paretoCount.get(k) ?? { parameter: f.parameter, corner: f.corner, lane: f.lane, units: 0 };
      e.units++;
      paretoCount.set(k, e);
    }
    // Keys in canonical (sorted) order: the result hash writes a passing unit's record natively.
    return {
      attempts: u.runs.length,
      failures: final.failures.map((f) => ({ ...f, value: r9n(f.value), limit: r9n(f.limit) })),
      final: final.verdict,
      finalTestTime: u.finalTestTime,
      firstPass: first.verdict,
      firstPassFailures: first.failures.length,
      patOutlier: false,
      serial: u.serial,
      station: u.station,
    };
  });
  return { units, finalFailureCount, paretoCount };
}

/** A baseline's cells by baselineCellKey. */
export function baselineCellsByKey(cells: readonly BaselineCell[]): Map<string, BaselineCell> {
  const byKey = new Map<string, BaselineCell>();
  for (const c of cells) byKey.set(baselineCellKey(c.parameter, c.corner, c.lane), c);
  return byKey;
}

/**
 * Each unit's final-attempt readings of one parameter and corner, unit-major (unit × lane), censored or
 * missing readings NaN. Its own function, not a loop inside finishEvaluation: a hot loop is compiled on
 * the spot (on-stack replacement) together with the function around it, and finishEvaluation is large.
 */
function finalLaneMatrix(view: LotView, pi: number, ci: number, laneCount: number): Float64Array {
  const matrix = new Float64Array(view.units.length * laneCount);
  const { values, censoring } = view.cube;
  for (let l = 0; l < laneCount; l++) {
    // One cell per lane, read run by run: slot = cellBase + run (measurement-cube.ts).
    const base = view.cube.cellBase(pi, ci, l);
    for (let ui = 0; ui < view.units.length; ui++) {
      const slot = base + view.units[ui]!.finalRun;
      matrix[ui * laneCount + l] = censoring[slot] === 0 ? values[slot]! : Number.NaN;
    }
  }
  return matrix;
}

/**
 * The lot-level steps after the charts: `work` holds every chart of `view.cells`, in that order (however
 * and wherever they were evaluated, so the result is the same).
 */
export function finishEvaluation(input: EvaluateLotInput, view: LotView, judged: JudgedUnits, work: readonly CellWork[]): LotResult {
  const { lot, spec, policy, baseline } = input;
  const naming = laneNamingOf(spec);
  const { units, paretoCount } = judged;

  const serialIndex = new Map(units.map((u, i) => [u.serial, i]));
  for (const w of work) for (const o of w.result.pat?.outliers ?? []) units[serialIndex.get(o.serial)!]!.patOutlier = true;

  // What a certificate covers: statistics and conditional-limit ranges over the certified units only.
  const certified = certifyUnits(view, units, work, patOutlierAction(policy));

  // Yields.
  const n = units.length;
  const firstPassPassed = units.filter((u) => u.firstPass === 'pass').length;
  const finalPassed = units.filter((u) => u.final === 'pass').length;
  const indeterminate = units.filter((u) => u.final === 'indeterminate').length;

  // Stations (by the station of the final attempt).
  const stationMap = new Map<string, { units: number; fp: number; fin: number }>();
  units.forEach((u) => {
    const s = stationMap.get(u.station) ?? { units: 0, fp: 0, fin: 0 };
    s.units++;
    if (u.firstPass === 'pass') s.fp++;
    if (u.final === 'pass') s.fin++;
    stationMap.set(u.station, s);
  });

  // Lane spread per lane-scope parameter × corner.
  const laneSpreadRows: LotResult['laneSpread'] = [];
  if (spec.laneCount >= 2) {
    for (const p of spec.parameters) {
      if (p.scope !== 'lane') continue;
      for (const corner of [...new Set(view.cells.filter((c) => c.parameter.id === p.id).map((c) => c.corner))]) {
        const matrix = finalLaneMatrix(view, view.cube.parameterIndex(p.id)!, view.cube.cornerIndex(corner)!, spec.laneCount);
        try {
          const ls = laneSpread(matrix, spec.laneCount);
          laneSpreadRows.push({
            parameter: p.id,
            corner,
            laneMeans: ls.laneMeans.map(r9n),
            laneRange: r9n(ls.laneMeanRange),
            unitSpreadMedian: r9n(ls.range.median),
            unitSpreadMax: r9n(ls.range.max),
          });
        } catch {
          // A parameter with no readings at this corner has no spread; its cells already carry notes.
        }
      }
    }
  }

  // Lot-level hypothesis family.
  // Without a baseline no chart has a comparison, so the family holds the capability tests alone.
  const notes: string[] = [];
  const laneGroups: LaneGroup[] = [];
  const family = lotHypotheses(
    view,
    work,
    policy,
    baseline?.payload.components ?? [],
    (baseline?.payload.acrossCorners ?? []).map((ac) =>
      laneLotComponents(ac, policy.consistency.laneLotPooling ?? DEFAULT_LANE_LOT_POOLING),
    ),
    view.units.length,
    notes,
    laneGroups,
    baseline?.payload.lots.length ?? null,
  );

  // Station effects: each station against the others, per critical parameter × corner (in the same family).
  const stationRows: NonNullable<LotResult['stationEffects']> = [];
  if (stationMap.size >= 2) {
    const unitStations = view.units.map((u) => u.station);
    const compOf = new Map((baseline?.payload.components ?? []).map((c) => [`${c.parameter}|${c.corner}`, c]));
    const groups = new Map<string, CellWork[]>();
    for (const w of work) {
      if (!w.def.parameter.critical || w.unavailable !== null) continue;
      const k = `${w.def.parameter.id}|${w.def.corner}`;
      groups.set(k, [...(groups.get(k) ?? []), w]);
    }
    const margin = policy.consistency.maxStationShiftSigma ?? policy.consistency.maxMeanShiftSigma;
    for (const [k, g] of groups) {
      const comp = compOf.get(k);
      const cells = comp ? comp.lanes.map((lane) => g.find((w) => w.def.lane === lane)) : g;
      if (cells.some((w) => w === undefined)) continue;
      const sigmas = comp ? comp.sigmas : cells.map((w) => w!.exactSd);
      if (!sigmas.every((x) => x > 0)) continue;
      const first = cells[0]!.def;
      const r = stationEffects(
        first.parameter.id,
        first.corner,
        cells.map((w) => cellSeries(view, w!.def)),
        sigmas,
        unitStations,
        margin,
        comp?.stationOffsets ?? [],
      );
      if (r.hypotheses.length > 0) laneGroups.push({ indices: r.hypotheses.map((_, i) => family.length + i), retest: r.retest });
      family.push(...r.hypotheses);
      stationRows.push({
        parameter: first.parameter.id,
        corner: first.corner,
        stations: r.effects.map((e) => ({
          station: e.station,
          units: e.units,
          mean: r9(e.mean),
          againstOthersSigma: r9n(e.againstOthersSigma),
        })),
      });
    }
  }
  // The PAT-outlier count judged against the baseline's own share, in the same family.
  const patReference = patReferenceOf(work, units);
  if (baseline !== null)
    family.push(
      patCountHypothesis(patReference, units.filter((u) => u.patOutlier).length, units.length, policy.consistency.pat.maxOutlierShare),
    );
  // Lanes and stations are attributed step-down (src/evaluate/lane-step-down.ts) so one moved lane or
  // station does not name its sisters.
  const { hypotheses, adjusted } = stepDownLaneAttribution(
    family,
    laneGroups,
    (hs) =>
      splitFamilyAdjust(
        hs.map((h) => h.p),
        hs.map((h) => h.kind === 'lane-shift' && h.corner === ALL_CORNERS),
        policy.consistency.laneAcrossCornersAlphaShare ?? DEFAULT_ACROSS_CORNERS_SHARE,
        policy.consistency.correction,
      ),
    policy.consistency.alpha,
  );

  const sampling: SamplingView = judgeSampling(policy, view, units, input.sampling ?? null, lotContentHash(lot.fileHashes));

  // Investigations: unit-level signals and PAT outliers, for an engineer; they do not hold the lot.
  const investigations: Reason[] = [];
  for (const w of work) {
    const chart = w.result.chart;
    if (chart !== null) investigations.push(...signalInvestigations(w.def, chart, units, naming));
    const outliers = w.result.pat?.outliers ?? [];
    if (outliers.length > 0) {
      investigations.push({
        code: 'pat-outlier',
        severity: 'INFO',
        message: `${cellLabel(w.def, naming)}: ${counted(outliers.length, 'PAT outlier')} outside [${w.result.pat!.lower}, ${w.result.pat!.upper}] ${w.def.parameter.unit}`,
        parameter: w.def.parameter.id,
        corner: w.def.corner,
        lane: w.def.lane,
        serials: outliers.slice(0, 50).map((o) => o.serial),
      });
    }
  }

  const trend = lotTrend(input, work, naming, notes);

  const policyProposal = decideLot({
    policy,
    hypotheses,
    adjusted,
    alphaShares: familyAlphaShares(
      hypotheses.map((h) => h.kind === 'lane-shift' && h.corner === ALL_CORNERS),
      policy.consistency.laneAcrossCornersAlphaShare ?? DEFAULT_ACROSS_CORNERS_SHARE,
    ),
    units,
    yields: { firstPass: n === 0 ? 0 : firstPassPassed / n, final: n === 0 ? 0 : finalPassed / n },
    sampling,
    capabilityBounds: work
      .filter((w) => w.def.parameter.critical && w.cpkLower !== null)
      .map((w) => ({
        parameter: w.def.parameter.id,
        corner: w.def.corner,
        lane: w.def.lane,
        lower: w.cpkLower!,
        n: w.exactN,
      })),
    hasBaseline: baseline !== null,
    unavailable: work
      .filter((w) => w.unavailable !== null)
      .map((w) => ({ parameter: w.def.parameter.id, corner: w.def.corner, lane: w.def.lane, why: w.unavailable! })),
    naming,
    trendReasons: trend?.reasons ?? [],
    patReference,
  });
  for (const r of investigations) nameLane(r, naming);
  const proposal = withLotDataHolds(policyProposal, lotDataHolds(lot));

  const times = lot.runs.map((r) => r.testTime).sort();
  if (!baseline)
    notes.push('No baseline for this product yet: the lot is judged on specs and capability alone (no lot-to-lot consistency).');
  if (view.ignoredReadings > 0)
    notes.push(
      `${counted(view.ignoredReadings, 'stored reading')} ${agreeing(view.ignoredReadings, 'names', 'name')} parameters, corners or lanes the spec does not define; not judged.`,
    );

  return {
    ...resultIdentity({ lot, spec, policy, baseline, revision: input.revision }),
    quantity: {
      units: n,
      runs: lot.runs.length,
      files: lot.fileHashes.length,
      quarantinedRows: lot.quarantinedRows,
      firstTestTime: times[0] ?? null,
      lastTestTime: times[times.length - 1] ?? null,
      stations: [...stationMap.keys()].sort(),
    },
    yields: {
      firstPass: r9(n === 0 ? 0 : firstPassPassed / n),
      final: r9(n === 0 ? 0 : finalPassed / n),
      firstPassPassed,
      finalPassed,
      indeterminate,
    },
    sampling,
    cells: certified.cells,
    units,
    pareto: [...paretoCount.values()].sort((a, b) => b.units - a.units || a.parameter.localeCompare(b.parameter)),
    stations: [...stationMap.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([station, s]) => ({ station, units: s.units, firstPassYield: r9(s.fp / s.units), finalYield: r9(s.fin / s.units) })),
    laneSpread: laneSpreadRows,
    stationEffects: stationRows,
    ...(trend ? { trend: trend.view } : {}),
    investigations,
    family: { tests: hypotheses.length, alpha: policy.consistency.alpha, correction: policy.consistency.correction },
    proposal,
    notes,
    certification: certified.certification,
    ...stationEvidenceField(lot, spec, units),
  };
}

export { MODULE_LANE };
