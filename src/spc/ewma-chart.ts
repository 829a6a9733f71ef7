/**
 * @module ewma-chart — exponentially weighted moving average chart, spc-reference §3.1.
 *
 * z_t = λ x_t + (1 − λ) z_(t−1), z_0 = μ0. Limits are the EXACT time-varying ones
 * μ0 ± L σ_t with σ_t² = σ² λ/(2−λ) [1 − (1−λ)^(2t)] / n (constant n), or in general the exact recursion
 * σ_t² = (1−λ)² σ_(t−1)² + λ² σ²/n_t (varying subgroup sizes). This is qcc's choice; the asymptote
 * μ0 ± L σ/√n · √(λ/(2−λ)) is exposed too so a chart can draw it, but signals use the exact limits
 * (a signal is z_t strictly outside them).
 */
import type { ControlChart, PerPoint, Signal } from './chart-types.js';
import { beyondLimitSignals, shewhartLimits } from './chart-types.js';
import { movingRangeSigma } from './sigma-estimators.js';
import { SpcInputError, assertFiniteSeries, assertMinLength, assertPositiveSigma, assertSigmaMultiplier } from './spc-error.js';

export interface EwmaOptions {
  /** Smoothing constant λ, 0 < λ ≤ 1 (0.05–0.25 usual). */
  readonly lambda: number;
  /** L, standard errors to the limits. @defaultValue 3 */
  readonly sigmaMultiplier?: number;
  /** μ0, the target / Phase I mean. Estimated as the (size-weighted) mean of the data when omitted. */
  readonly target?: number;
  /** σ of one observation. Estimated as MR̄/d2(2) when omitted (individuals only). */
  readonly sigma?: number;
  /** Size of the subgroup behind each plotted mean. @defaultValue 1 */
  readonly sizes?: number | ArrayLike<number>;
}

export interface EwmaChart extends ControlChart {
  readonly kind: 'ewma';
  readonly lambda: number;
  readonly target: number;
  /** The charted observations (or subgroup means) x_t. */
  readonly observations: Float64Array;
  /** Asymptotic limits (constant subgroup size only; null when sizes vary). */
  readonly asymptote: { readonly lcl: number; readonly ucl: number; readonly standardError: number } | null;
}

function checkLambda(lambda: number): void {
  if (!Number.isFinite(lambda) || lambda <= 0 || lambda > 1) {
    throw new SpcInputError(`EWMA λ must be in (0, 1] (0.05–0.25 is usual; 1 gives a Shewhart chart); got ${String(lambda)}`, {
      value: lambda,
    });
  }
}

/**
 * EWMA chart of individual values or subgroup means.
 *
 * @example
 * // Montgomery Table 9.1 design: λ = 0.1, L = 2.7, μ0 = 10, σ = 1
 * const chart = ewmaChart(x, { lambda: 0.1, sigmaMultiplier: 2.7, target: 10, sigma: 1 });
 */
export function ewmaChart(values: ArrayLike<number>, options: EwmaOptions): EwmaChart {
  const { lambda } = options;
  checkLambda(lambda);
  const L = options.sigmaMultiplier ?? 3;
  assertSigmaMultiplier(L);
  assertFiniteSeries(values, 'EWMA chart');
  const n = values.length;
  if (n === 0) throw new SpcInputError('EWMA chart: the series is empty; give at least 1 point');
  const sizesOpt = options.sizes ?? 1;
  if (typeof sizesOpt !== 'number' && sizesOpt.length !== n) {
    throw new SpcInputError(`EWMA chart: ${sizesOpt.length} sizes for ${n} points; give one size per point or a single number`);
  }
  const sizeAt = (i: number): number => (typeof sizesOpt === 'number' ? sizesOpt : (sizesOpt[i] as number));
  let constantSize = true;
  for (let i = 0; i < n; i++) {
    const s = sizeAt(i);
    if (!Number.isInteger(s) || s < 1)
      throw new SpcInputError(`EWMA chart: size at point ${i} must be a positive integer, got ${String(s)}`, { index: i, value: s });
    if (s !== sizeAt(0)) constantSize = false;
  }

  let target = options.target;
  if (target === undefined) {
    let sw = 0;
    let s = 0;
    for (let i = 0; i < n; i++) {
      s += sizeAt(i) * (values[i] as number);
      sw += sizeAt(i);
    }
    target = s / sw;
  }
  let sigma = options.sigma;
  let estimator: ControlChart['estimator'] = 'known';
  if (sigma === undefined) {
    if (!constantSize || sizeAt(0) !== 1)
      throw new SpcInputError('EWMA chart of subgroup means: pass sigma (e.g. from the X̄-R/X̄-S Phase I baseline)');
    assertMinLength(values, 2, 'EWMA chart');
    sigma = movingRangeSigma(values).sigma;
    estimator = 'moving-range';
  }
  assertPositiveSigma(sigma, 'EWMA chart');
  if (!Number.isFinite(target)) throw new SpcInputError(`EWMA chart: target must be a finite number, got ${String(target)}`);

  const z = new Float64Array(n);
  const se = new Float64Array(n);
  const q = 1 - lambda;
  let prev = target;
  let variance = 0;
  let q2t = 1; // (1−λ)^(2t)
  for (let t = 0; t < n; t++) {
    prev = lambda * (values[t] as number) + q * prev;
    z[t] = prev;
    if (constantSize) {
      q2t *= q * q;
      se[t] = (sigma / Math.sqrt(sizeAt(0))) * Math.sqrt((lambda / (2 - lambda)) * (1 - q2t));
    } else {
      variance = q * q * variance + (lambda * lambda * sigma * sigma) / sizeAt(t);
      se[t] = Math.sqrt(variance);
    }
  }
  const limits = shewhartLimits(target, se, L, false, n);
  const asymSe = constantSize ? (sigma / Math.sqrt(sizeAt(0))) * Math.sqrt(lambda / (2 - lambda)) : NaN;
  const signals: Signal[] = beyondLimitSignals(z, limits.lcl, limits.ucl, 'ewma', 'EWMA beyond its control limits');
  const sizes: PerPoint = constantSize ? sizeAt(0) : Float64Array.from({ length: n }, (_, i) => sizeAt(i));
  return {
    kind: 'ewma',
    estimator,
    sigma,
    sigmaMultiplier: L,
    points: z,
    pointOffset: 0,
    sizes,
    limits,
    signals,
    lambda,
    target,
    observations: Float64Array.from(values),
    asymptote: constantSize ? { lcl: target - L * asymSe, ucl: target + L * asymSe, standardError: asymSe } : null,
  };
}

/** Exact EWMA standard error at period t (1-based) for constant n, in units of σ/√n. */
export function ewmaStandardErrorFactor(lambda: number, t: number): number {
  checkLambda(lambda);
  return Math.sqrt((lambda / (2 - lambda)) * (1 - Math.pow(1 - lambda, 2 * t)));
}
