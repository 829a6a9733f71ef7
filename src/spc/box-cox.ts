/**
 * @module Box–Cox route to capability for clearly non-normal, positive readings (Box & Cox 1964, "An analysis
 * of transformations", JRSS B 26:211–252; the route of ISO 22514-2 §6 and Minitab's "Box–Cox transformation"
 * capability option).
 *
 * Why: a bounded, skewed parameter (TDECQ above its floor, extinction ratio, SMSR) judged with normal-theory
 * Cpk is wrong in both directions: with its long tail toward the limit the index is optimistic; with its
 * short, bounded tail toward the limit it is pessimistic, and a lot of a line that cannot produce a failing
 * unit is held for "Cpk below 1.33" — a false alarm. The empirical percentile indices (capability.ts) need
 * ~740 readings before the 0.135 % quantiles are more than the sample extremes, so a 200-unit lot cannot use
 * them for a decision. Box–Cox estimates one shape parameter λ from the lot, transforms readings and limits
 * by the same increasing map, and computes Cpk where the data are normal.
 *
 * y(λ) = (x^λ − 1)/λ (λ ≠ 0), ln x (λ = 0); λ maximises the profile log-likelihood
 *   ℓ(λ) = −(n/2)·ln σ̂²(λ) + (λ − 1)·Σ ln xᵢ,  σ̂²(λ) the variance (divisor n) of the y(λ)
 * over λ ∈ [−5, 5] (a grid of 0.05, then golden-section search). Readings are divided by their geometric
 * mean first: that is an affine change of every y(λ), so λ̂ and every capability index are unchanged, and
 * x^λ stays finite for wavelengths of 1310 nm at λ = ±5.
 */
import { movingRangeSigma } from './sigma-estimators.js';
import { meanOf, quantileType7, sampleSdOf, sortedCopy } from './descriptive.js';
import { andersonDarlingSorted } from './normality.js';
import { StatsInputError } from './stats-error.js';

export const BOX_COX_LAMBDA_RANGE = [-5, 5] as const;

/** The Box–Cox transform of one positive value. */
export function boxCox(x: number, lambda: number): number {
  return Math.abs(lambda) < 1e-12 ? Math.log(x) : (x ** lambda - 1) / lambda;
}

/** The inverse of {@link boxCox}: the positive value whose transform is y; 0 where y lies below the range (λ > 0, λy + 1 ≤ 0). */
export function inverseBoxCox(y: number, lambda: number): number {
  if (Math.abs(lambda) < 1e-12) return Math.exp(y);
  const base = lambda * y + 1;
  if (!(base > 0)) return lambda > 0 ? 0 : Number.POSITIVE_INFINITY;
  return base ** (1 / lambda);
}

function profileLogLikelihood(z: Float64Array, sumLog: number, lambda: number): number {
  const n = z.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += boxCox(z[i]!, lambda);
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (boxCox(z[i]!, lambda) - mean) ** 2;
  return -(n / 2) * Math.log(ss / n) + (lambda - 1) * sumLog;
}

export interface BoxCoxFit {
  readonly lambda: number;
  /** Geometric mean the readings were divided by (transform limits with {@link BoxCoxFit.transform}). */
  readonly scale: number;
  /** The fitted increasing map, for readings and limits alike. */
  readonly transform: (x: number) => number;
  /** Its inverse (a transformed quantile back on the readings' scale). */
  readonly inverse: (y: number) => number;
}

/** Maximum-likelihood λ of the Box–Cox transform of positive readings. */
export function fitBoxCox(values: ArrayLike<number>, subject?: string): BoxCoxFit {
  const n = values.length;
  if (n < 3) throw new StatsInputError(`the Box–Cox transform needs at least 3 readings, got ${n}`, subject);
  let sumLn = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!(v > 0) || !Number.isFinite(v))
      throw new StatsInputError(`reading ${i + 1} is ${v}: the Box–Cox transform needs positive readings`, subject);
    sumLn += Math.log(v);
  }
  const scale = Math.exp(sumLn / n);
  const z = Float64Array.from({ length: n }, (_, i) => values[i]! / scale);
  let sumLog = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of z) {
    sumLog += Math.log(v);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) throw new StatsInputError(`all ${n} readings are equal: no Box–Cox shape can be estimated`, subject);
  const [lo, hi] = BOX_COX_LAMBDA_RANGE;
  let best = lo;
  let bestL = -Infinity;
  for (let l = lo; l <= hi + 1e-9; l += 0.05) {
    const ll = profileLogLikelihood(z, sumLog, l);
    if (ll > bestL) {
      bestL = ll;
      best = l;
    }
  }
  // Golden-section search within one grid step either side (the profile likelihood is unimodal there).
  let a = Math.max(lo, best - 0.05);
  let b = Math.min(hi, best + 0.05);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = profileLogLikelihood(z, sumLog, c);
  let fd = profileLogLikelihood(z, sumLog, d);
  while (b - a > 1e-9) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = profileLogLikelihood(z, sumLog, c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = profileLogLikelihood(z, sumLog, d);
    }
  }
  const lambda = (a + b) / 2;
  return {
    lambda,
    scale,
    transform: (x: number) => boxCox(x / scale, lambda),
    inverse: (y: number) => scale * inverseBoxCox(y, lambda),
  };
}

export interface BoxCoxCapability {
  readonly lambda: number;
  /** Estimated lower bound τ the readings were measured from ({@link skewThreshold}). */
  readonly threshold: number;
  /**
   * CPL by the percentile (ISO 22514-4) method on the fitted Box–Cox model: (x₅₀ − LSL)/(x₅₀ − x₀.₁₃₅),
   * the quantiles back-transformed from ȳ and ȳ − 3σ_y (σ_y = MR̄/d2 of the transformed series). Measured on
   * the readings' own scale, so an LSL at or below the estimated bound gives a finite, proportionate figure
   * instead of the unbounded one a transformed limit near the bound would.
   */
  readonly cpl: number;
  /** Anderson–Darling p of the transformed readings. */
  readonly normalityP: number;
}

/**
 * CPL of right-skewed readings on the Box–Cox scale of their distance from an estimated lower bound, or why
 * it does not apply (the caller keeps normal theory): not right-skewed, no LSL, or transformed readings still
 * clearly non-normal (heavy symmetric tails, mixtures: a transformation does not make them normal).
 *
 * Only the bounded (short-tail) side: normal theory puts 0.135 % of a healthy bounded parameter beyond
 * mean − 3σ where it has no readings at all, and holds the lot for a tail it cannot have. The long-tail side
 * keeps normal theory: extrapolating a long tail from 200 readings through τ̂ and λ̂ is too unstable to hold a
 * lot on (a healthy generated TDECQ chart, normal-theory Cpk 1.47 and empirical percentile Ppk 1.14, came out
 * at 0.90). `values` in test order (the within σ is MR̄/d2 of consecutive readings).
 */
export function boxCoxCapability(
  values: Float64Array,
  options: { readonly lsl: number | null; readonly normalityAlpha?: number; readonly subject?: string },
): BoxCoxCapability | { readonly notApplied: string } {
  if (options.lsl === null) return { notApplied: 'no lower limit: the long upper tail stays with normal theory' };
  const threshold = skewThreshold(values);
  if (threshold === null) return { notApplied: 'the readings are not skewed to the right of a lower bound' };
  const shifted = values.map((v) => v - threshold);
  for (const v of shifted) if (!(v > 0)) return { notApplied: 'a reading lies at or below the estimated lower bound' };
  const fit = fitBoxCox(shifted, options.subject);
  if (fit.lambda <= BOX_COX_LAMBDA_RANGE[0] + 1e-6 || fit.lambda >= BOX_COX_LAMBDA_RANGE[1] - 1e-6)
    return { notApplied: `λ reaches the end of [${BOX_COX_LAMBDA_RANGE.join(', ')}]: no Box–Cox shape fits these readings` };
  const y = shifted.map(fit.transform);
  const ad = andersonDarlingSorted(sortedCopy(y), meanOf(y), sampleSdOf(y), options.subject);
  if (ad.pValue < (options.normalityAlpha ?? 0.01))
    return { notApplied: `the transformed readings are still clearly non-normal (Anderson–Darling p = ${ad.pValue.toExponential(2)})` };
  const within = movingRangeSigma(y, 2).sigma;
  if (!(within > 0)) return { notApplied: 'the transformed readings have no moving range' };
  // Percentile method (ISO 22514-4, Clements 1989) on the fitted model: the median and the 0.135 % point
  // back on the readings' scale (measured from τ). A transformed LSL near τ would run to −∞ on the Box–Cox
  // scale (λ ≤ 0) and turn an estimate of τ into a Cpk of 60; the percentile ratio stays proportionate.
  const ybar = meanOf(y);
  const median = fit.inverse(ybar);
  const low = fit.inverse(ybar - 3 * within);
  const cpl = (median - (options.lsl - threshold)) / (median - low);
  return { lambda: fit.lambda, threshold, cpl, normalityP: ad.pValue };
}

/**
 * Lower bound τ of right-skewed readings from three quantiles, the quantile estimator of the three-parameter
 * lognormal threshold (Aitchison & Brown, The Lognormal Distribution, 1957): for a lognormal above τ the
 * quantiles symmetric about the median satisfy (x_p − τ)(x_{1−p} − τ) = (m − τ)², so
 *   τ = (x_p·x_{1−p} − m²)/(x_p + x_{1−p} − 2m),  m the median.
 * With p = 5 % (R type-7 quantiles) rather than the sample extremes: at 200 readings the extremes scatter
 * so much that τ lands next to the smallest reading, and the fitted tail toward an upper limit is then far too
 * long (a healthy TDECQ lot of Cpk 1.4 came out at 0.9). Null when the upper tail is not the longer one
 * (symmetric or left-skewed readings have no lower bound to measure from).
 */
export function skewThreshold(values: ArrayLike<number>, p = SKEW_THRESHOLD_QUANTILE): number | null {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length < 3) return null;
  const lo = quantileType7(sorted, p);
  const hi = quantileType7(sorted, 1 - p);
  const m = quantileType7(sorted, 0.5);
  const denominator = lo + hi - 2 * m;
  if (!(denominator > 0)) return null;
  return (lo * hi - m * m) / denominator;
}

/** Tail quantile of {@link skewThreshold}. */
export const SKEW_THRESHOLD_QUANTILE = 0.05;
