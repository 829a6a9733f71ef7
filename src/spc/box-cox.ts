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
import { movingRangeEffectiveDf, processCapability } from './capability.js';
import { movingRangeSigma } from './sigma-estimators.js';
import { meanOf, sampleSdOf, sortedCopy } from './descriptive.js';
import { andersonDarlingSorted } from './normality.js';
import { StatsInputError } from './stats-error.js';

export const BOX_COX_LAMBDA_RANGE = [-5, 5] as const;

/** The Box–Cox transform of one positive value. */
export function boxCox(x: number, lambda: number): number {
  return Math.abs(lambda) < 1e-12 ? Math.log(x) : (x ** lambda - 1) / lambda;
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
  return { lambda, scale, transform: (x: number) => boxCox(x / scale, lambda) };
}

export interface BoxCoxCapability {
  readonly lambda: number;
  /** Cpk of the transformed readings against the transformed limits (within σ = MR̄/d2 of the transformed series). */
  readonly cpk: number;
  readonly cpkLower: number;
  /** Anderson–Darling p of the transformed readings. */
  readonly normalityP: number;
}

/**
 * Cpk on the Box–Cox scale, or why it does not apply (then the caller keeps normal theory): readings not all
 * positive, no limit a positive reading can reach, or transformed readings still clearly non-normal (heavy
 * symmetric tails, mixtures: a transformation does not make them normal, and pretending would move the index
 * arbitrarily). `values` in test order (the within σ is MR̄/d2 of consecutive readings).
 */
export function boxCoxCapability(
  values: Float64Array,
  options: {
    readonly lsl: number | null;
    readonly usl: number | null;
    readonly confidenceLevel: number;
    readonly normalityAlpha?: number;
    readonly subject?: string;
  },
): BoxCoxCapability | { readonly notApplied: string } {
  const threshold = skewThreshold(values);
  if (threshold === null) return { notApplied: 'the readings are not skewed to the right of a lower bound' };
  const shifted = values.map((v) => v - threshold);
  const fit0 = fitBoxCox(shifted, options.subject);
  const fit = { ...fit0, transform: (x: number) => (x > threshold ? fit0.transform(x - threshold) : -Infinity) };
  if (fit.lambda <= BOX_COX_LAMBDA_RANGE[0] + 1e-6 || fit.lambda >= BOX_COX_LAMBDA_RANGE[1] - 1e-6)
    return { notApplied: `λ reaches the end of [${BOX_COX_LAMBDA_RANGE.join(', ')}]: no Box–Cox shape fits these readings` };
  // A limit at or below the estimated lower bound τ is judged at τ itself (conservative: the true limit is
  // further out). On the Box–Cox scale τ maps to −1/λ for λ > 0 and to −∞ for λ ≤ 0 (that side cannot fail).
  const atBound = fit.lambda > 0 ? -1 / fit.lambda : null;
  const lsl = options.lsl === null ? null : options.lsl > threshold ? fit.transform(options.lsl) : atBound;
  const usl = options.usl !== null && options.usl > threshold ? fit.transform(options.usl) : null;
  const y = shifted.map(fit0.transform);
  if (lsl === null && usl === null) {
    const sorted = sortedCopy(y);
    const ad = andersonDarlingSorted(sorted, meanOf(y), sampleSdOf(y), options.subject);
    if (ad.pValue < (options.normalityAlpha ?? 0.01))
      return { notApplied: `the transformed readings are still clearly non-normal (Anderson–Darling p = ${ad.pValue.toExponential(2)})` };
    return { lambda: fit.lambda, cpk: Infinity, cpkLower: Infinity, normalityP: ad.pValue };
  }
  const within = movingRangeSigma(y, 2).sigma;
  const cap = processCapability(y, {
    lsl,
    usl,
    withinSigma: within,
    withinSigmaEstimator: 'MR̄/d2 of the Box–Cox transformed readings',
    withinSigmaDf: movingRangeEffectiveDf(y.length),
    confidenceLevel: options.confidenceLevel,
    ...(options.normalityAlpha !== undefined ? { normalityAlpha: options.normalityAlpha } : {}),
    ...(options.subject !== undefined ? { subject: options.subject } : {}),
  });
  const p = cap.normality?.pValue ?? 1;
  if (cap.governing !== 'normal')
    return { notApplied: `the transformed readings are still clearly non-normal (Anderson–Darling p = ${p.toExponential(2)})` };
  return { lambda: fit.lambda, cpk: cap.cpk, cpkLower: cap.intervals.cpk.lowerOneSided, normalityP: p };
}

/**
 * Lower bound τ of right-skewed readings from three order statistics, the quantile estimator of the
 * three-parameter lognormal threshold (Aitchison & Brown, The Lognormal Distribution, 1957):
 *   τ = (x₍₁₎·x₍ₙ₎ − m²)/(x₍₁₎ + x₍ₙ₎ − 2m),  m the median,
 * which lies below x₍₁₎ whenever the upper tail is the longer (x₍ₙ₎ − m > m − x₍₁₎). Null when it is not
 * (left-skewed or symmetric readings have no lower bound to measure from).
 */
export function skewThreshold(values: ArrayLike<number>): number | null {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n < 3) return null;
  const lo = sorted[0]!;
  const hi = sorted[n - 1]!;
  const m = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  const denominator = lo + hi - 2 * m;
  if (!(denominator > 0)) return null;
  return (lo * hi - m * m) / denominator;
}
