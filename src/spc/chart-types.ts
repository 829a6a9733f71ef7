/**
 * @module chart-types — the plain result shapes every control chart returns, and the frozen baseline
 * that Phase II monitoring reads.
 *
 * A chart result carries everything a plot needs: the plotted points, centre line, control limits, the
 * 1σ/2σ zone lines, the σ used and how it was estimated, and the signals. Lines that are the same for
 * every point are plain numbers; lines that vary per point (unequal subgroup sizes, EWMA start-up) are
 * Float64Arrays aligned with `points` — read either with {@link valueAt}.
 */

/** A line that is constant (number) or given per point (aligned with the chart's points). */
export type PerPoint = number | Float64Array;

/** Reads a {@link PerPoint} line at point i. */
export function valueAt(line: PerPoint, i: number): number {
  return typeof line === 'number' ? line : (line[i] as number);
}

/** How σ̂ was obtained (names follow spc-reference §1.1). */
export type SigmaEstimator =
  | 'moving-range' // MR̄/d2(w)
  | 'mean-range' // mean of R_i/d2(n_i)
  | 'mean-sd' // mean of s_i/c4(n_i)
  | 'pooled-sd' // s_p/c4(d+1)
  | 'binomial' // p-chart family: √(p̄(1−p̄)/n)
  | 'poisson' // u/c charts: √(ū/n)
  | 'known'; // supplied by the caller (target design or frozen Phase I baseline)

export type ChartKind = 'individuals' | 'moving-range' | 'xbar' | 'range' | 'stddev' | 'ewma' | 'cusum' | 'p' | 'np' | 'u' | 'c';

/** Rule families a signal can come from. */
export type RuleSet = 'nelson' | 'western-electric' | 'limits' | 'ewma' | 'cusum';

/**
 * One out-of-control pattern. Convention (see run-rules.ts): one signal per episode — a continuing
 * run or overlapping firing windows extend the same signal instead of repeating it on every point.
 */
export interface Signal {
  readonly ruleSet: RuleSet;
  /** Rule number within its set (Nelson 1–8, Western Electric 1–8, limits/ewma 1, cusum 1 = upper, 2 = lower). */
  readonly rule: number;
  readonly name: string;
  /** Side of the centre line the pattern points to; null for patterns without a side (stratification, mixture, alternation). */
  readonly direction: 'up' | 'down' | null;
  /** Every point that forms the pattern: the union of the windows that fired, ascending (indices into the chart's points). */
  readonly indices: number[];
  /** The point at which the pattern first fired (the first point at which the rule's window was complete and met). */
  readonly index: number;
  /** CUSUM only: estimate of the shifted process mean at the first signal, μ0 ± (K + C/N). */
  readonly estimate?: number;
}

/** Centre, limits and zone lines of one chart. */
export interface ChartLimits {
  readonly centre: PerPoint;
  /** Standard error of the plotted statistic (the "σ" of the zones). */
  readonly standardError: PerPoint;
  readonly lcl: PerPoint;
  readonly ucl: PerPoint;
  /** centre ∓ 1·standardError (floored at 0 for non-negative statistics). */
  readonly lowerOneSigma: PerPoint;
  readonly upperOneSigma: PerPoint;
  /** centre ∓ 2·standardError (floored at 0 for non-negative statistics). */
  readonly lowerTwoSigma: PerPoint;
  readonly upperTwoSigma: PerPoint;
  /** True when any line differs between points. */
  readonly varying: boolean;
}

/** A Shewhart-type chart (individuals, MR, X̄, R, S, p, np, u, c). */
export interface ControlChart {
  readonly kind: ChartKind;
  readonly estimator: SigmaEstimator;
  /** σ̂ of one observation (process sigma); for attribute charts the σ of the plotted statistic at the nominal size, or NaN when sizes vary. */
  readonly sigma: number;
  /** L, the number of standard errors to the control limits. */
  readonly sigmaMultiplier: number;
  /** Plotted statistic, one per point (observation, subgroup or sample). */
  readonly points: Float64Array;
  /** For charts whose points start later than the observations (moving range): observation index of points[0]. */
  readonly pointOffset: number;
  /** Subgroup/sample size of each point (1 for individuals). */
  readonly sizes: PerPoint;
  readonly limits: ChartLimits;
  readonly signals: Signal[];
}

/** Chart families that a Phase I baseline can freeze. */
export type BaselineChart = 'imr' | 'xbar-r' | 'xbar-s' | 'p' | 'np' | 'u' | 'c';

/** A point removed from a Phase I baseline and why. */
export interface RemovedPoint {
  /** Index in the original Phase I data (observation, subgroup or sample). */
  readonly index: number;
  readonly reason: string;
  /** Phase I iteration (1-based) in which it was removed. */
  readonly iteration: number;
}

/**
 * Frozen Phase I limits: plain JSON (numbers, strings, arrays, null) so it can be stored and read back
 * unchanged. Phase II evaluates new data against these values without re-estimating anything.
 */
export interface FrozenLimits {
  readonly version: 1;
  readonly chart: BaselineChart;
  /** Process centre: mean (variables), p̄ (p/np: fraction), ū (u/c: per unit). */
  readonly centre: number;
  /** σ̂ of one observation for variables charts; null for attribute charts (σ follows from centre and n). */
  readonly sigma: number | null;
  readonly estimator: SigmaEstimator;
  /** Subgroup size the baseline was built with (null when sizes varied); 1 for individuals. */
  readonly subgroupSize: number | null;
  /** Moving-range span for I-MR (2 by default); null otherwise. */
  readonly span: number | null;
  readonly sigmaMultiplier: number;
  /** Points kept in the baseline, and those removed with their assignable causes. */
  readonly baselineCount: number;
  readonly removed: RemovedPoint[];
}

/**
 * Builds the limit and zone lines centre ± k·se (k = 1, 2, L). With `floorAtZero` the lower lines
 * stop at 0 (ranges, SDs, counts and fractions cannot be negative). Returns plain numbers when both
 * inputs are constant, so equal-size charts collapse to one limit pair.
 */
export function shewhartLimits(centre: PerPoint, standardError: PerPoint, L: number, floorAtZero: boolean, length: number): ChartLimits {
  const lower = (c: number, s: number, k: number): number => (floorAtZero ? Math.max(0, c - k * s) : c - k * s);
  if (typeof centre === 'number' && typeof standardError === 'number') {
    return {
      centre,
      standardError,
      lcl: lower(centre, standardError, L),
      ucl: centre + L * standardError,
      lowerOneSigma: lower(centre, standardError, 1),
      upperOneSigma: centre + standardError,
      lowerTwoSigma: lower(centre, standardError, 2),
      upperTwoSigma: centre + 2 * standardError,
      varying: false,
    };
  }
  const cl = new Float64Array(length);
  const se = new Float64Array(length);
  const lcl = new Float64Array(length);
  const ucl = new Float64Array(length);
  const l1 = new Float64Array(length);
  const u1 = new Float64Array(length);
  const l2 = new Float64Array(length);
  const u2 = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const c = valueAt(centre, i);
    const s = valueAt(standardError, i);
    cl[i] = c;
    se[i] = s;
    lcl[i] = lower(c, s, L);
    ucl[i] = c + L * s;
    l1[i] = lower(c, s, 1);
    u1[i] = c + s;
    l2[i] = lower(c, s, 2);
    u2[i] = c + 2 * s;
  }
  return {
    centre: cl,
    standardError: se,
    lcl,
    ucl,
    lowerOneSigma: l1,
    upperOneSigma: u1,
    lowerTwoSigma: l2,
    upperTwoSigma: u2,
    varying: true,
  };
}

/** Beyond-limits signals (strict) for charts without run rules (R, S, MR, EWMA): one per point. */
export function beyondLimitSignals(
  points: ArrayLike<number>,
  lcl: PerPoint,
  ucl: PerPoint,
  ruleSet: RuleSet,
  name = '1 point beyond the control limits',
): Signal[] {
  const out: Signal[] = [];
  for (let i = 0; i < points.length; i++) {
    const x = points[i] as number;
    const u = valueAt(ucl, i);
    const l = valueAt(lcl, i);
    if (x > u || x < l) out.push({ ruleSet, rule: 1, name, direction: x > u ? 'up' : 'down', indices: [i], index: i });
  }
  return out;
}
