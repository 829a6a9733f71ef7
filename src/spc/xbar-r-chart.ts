/**
 * @module xbar-r-chart — X̄ and R charts for subgroups, constant or varying sizes (spc-reference §1.2, §1.4).
 *
 * Centre x̿ = Σ n_i x̄_i / Σ n_i (size-weighted, as qcc); σ̂ = mean of R_i/d2(n_i) by default, or the
 * pooled SD s_p/c4(d+1). X̄ limits x̿ ± L σ̂/√n_i; R chart centre d2(n_i)σ̂, limits (d2(n_i) ± L d3(n_i))σ̂
 * floored at 0. With equal sizes the limits collapse to one pair (= x̿ ± A2 R̄, D3 R̄ / D4 R̄ for L = 3).
 */
import type { ControlChart, FrozenLimits, PerPoint, SigmaEstimator } from './chart-types.js';
import { beyondLimitSignals, shewhartLimits } from './chart-types.js';
import { d2, d3 } from './constants.js';
import { evaluateRules, type RuleSelection } from './run-rules.js';
import { meanRangeSigma, meanSdSigma, pooledSdSigma, subgroupStats, type SubgroupInput, type SubgroupStats } from './sigma-estimators.js';
import { SpcInputError, assertPositiveSigma, assertSigmaMultiplier } from './spc-error.js';

export type SubgroupSigmaEstimator = 'mean-range' | 'mean-sd' | 'pooled-sd';

export interface SubgroupChartOptions {
  /** L, standard errors to the limits. @defaultValue 3 */
  readonly sigmaMultiplier?: number;
  /** How σ̂ is estimated. @defaultValue 'mean-range' for X̄-R, 'mean-sd' for X̄-S */
  readonly estimator?: SubgroupSigmaEstimator;
  /** Run rules for the X̄ chart. @defaultValue `{ set: 'nelson', rules: [1] }` */
  readonly rules?: RuleSelection | readonly RuleSelection[];
  /** Phase II: frozen centre and σ̂ from a Phase I baseline; nothing is re-estimated. */
  readonly frozen?: Pick<FrozenLimits, 'centre' | 'sigma'> & Partial<Pick<FrozenLimits, 'sigmaMultiplier'>>;
}

export interface XbarRChart {
  readonly xbar: ControlChart;
  readonly range: ControlChart;
  readonly stats: SubgroupStats;
}

/** Size-weighted grand mean Σ n_i x̄_i / Σ n_i. */
export function grandMean(stats: SubgroupStats): number {
  let s = 0;
  for (let i = 0; i < stats.count; i++) s += (stats.sizes[i] as number) * (stats.means[i] as number);
  return s / stats.totalObservations;
}

/** Estimates σ̂ with the chosen estimator. */
export function estimateSubgroupSigma(stats: SubgroupStats, estimator: SubgroupSigmaEstimator): number {
  switch (estimator) {
    case 'mean-range':
      return meanRangeSigma(stats);
    case 'mean-sd':
      return meanSdSigma(stats);
    case 'pooled-sd':
      return pooledSdSigma(stats).sigma;
    default:
      throw new SpcInputError(`unknown sigma estimator "${String(estimator)}"; use mean-range, mean-sd or pooled-sd`);
  }
}

/** One value per subgroup, or a single number when all sizes are equal. */
export function perSubgroup(stats: SubgroupStats, f: (n: number) => number): PerPoint {
  if (stats.equalSizes) return f(stats.sizes[0] as number);
  const out = new Float64Array(stats.count);
  const memo = new Map<number, number>();
  for (let i = 0; i < stats.count; i++) {
    const n = stats.sizes[i] as number;
    let v = memo.get(n);
    if (v === undefined) {
      v = f(n);
      memo.set(n, v);
    }
    out[i] = v;
  }
  return out;
}

/** Centre and σ̂ for a subgroup chart: estimated (Phase I) or frozen (Phase II). */
export function resolveCentreSigma(
  stats: SubgroupStats,
  options: SubgroupChartOptions,
  defaultEstimator: SubgroupSigmaEstimator,
  what: string,
): { centre: number; sigma: number; estimator: SigmaEstimator; L: number } {
  const L = options.sigmaMultiplier ?? options.frozen?.sigmaMultiplier ?? 3;
  assertSigmaMultiplier(L);
  let centre: number;
  let sigma: number;
  let estimator: SigmaEstimator;
  if (options.frozen) {
    if (options.frozen.sigma === null)
      throw new SpcInputError(`${what}: the frozen baseline has no sigma; it was not built for a variables chart`);
    centre = options.frozen.centre;
    sigma = options.frozen.sigma;
    estimator = 'known';
    for (let i = 0; i < stats.count; i++) {
      if ((stats.sizes[i] as number) < 2)
        throw new SpcInputError(`${what}: subgroup ${i} has size 1; use the I-MR chart for single values`, { index: i });
    }
  } else {
    estimator = options.estimator ?? defaultEstimator;
    sigma = estimateSubgroupSigma(stats, estimator);
    centre = grandMean(stats);
  }
  assertPositiveSigma(sigma, what);
  return { centre, sigma, estimator, L };
}

/** The X̄ chart from subgroup statistics, a centre and σ̂. */
export function xbarChartFromStats(
  stats: SubgroupStats,
  centre: number,
  sigma: number,
  estimator: SigmaEstimator,
  L: number,
  rules: RuleSelection | readonly RuleSelection[],
): ControlChart {
  const se = perSubgroup(stats, (n) => sigma / Math.sqrt(n));
  const limits = shewhartLimits(centre, se, L, false, stats.count);
  const points = Float64Array.from(stats.means);
  return {
    kind: 'xbar',
    estimator,
    sigma,
    sigmaMultiplier: L,
    points,
    pointOffset: 0,
    sizes: stats.equalSizes ? (stats.sizes[0] as number) : Float64Array.from(stats.sizes),
    limits,
    signals: evaluateRules(points, limits, rules),
  };
}

/**
 * X̄ and R charts.
 *
 * @example
 * const { xbar, range } = xbarRChart(pistonRingSubgroups);          // 25 × 5, Phase I
 * const later = xbarRChart(newSubgroups, { frozen: baseline });      // Phase II
 */
export function xbarRChart(subgroups: SubgroupInput, options: SubgroupChartOptions = {}): XbarRChart {
  const stats = subgroupStats(subgroups);
  const { centre, sigma, estimator, L } = resolveCentreSigma(stats, options, 'mean-range', 'X̄-R chart');
  for (let i = 0; i < stats.count; i++) {
    if ((stats.sizes[i] as number) > 100)
      throw new SpcInputError(`X̄-R chart: subgroup ${i} has ${stats.sizes[i]} values; use the X̄-S chart for subgroups above 100`, {
        index: i,
      });
  }
  const xbar = xbarChartFromStats(stats, centre, sigma, estimator, L, options.rules ?? { set: 'nelson', rules: [1] });
  const rCentre = perSubgroup(stats, (n) => d2(n) * sigma);
  const rSe = perSubgroup(stats, (n) => d3(n) * sigma);
  const rLimits = shewhartLimits(rCentre, rSe, L, true, stats.count);
  const rPoints = Float64Array.from(stats.ranges);
  const range: ControlChart = {
    kind: 'range',
    estimator,
    sigma,
    sigmaMultiplier: L,
    points: rPoints,
    pointOffset: 0,
    sizes: xbar.sizes,
    limits: rLimits,
    signals: beyondLimitSignals(rPoints, rLimits.lcl, rLimits.ucl, 'limits'),
  };
  return { xbar, range, stats };
}
