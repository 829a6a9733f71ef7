/**
 * @module cusum-chart — tabular (two one-sided) CUSUM, spc-reference §3.2 (Montgomery ch. 9; Page 1954).
 *
 * With K = kσ_x̄ and H = hσ_x̄ (σ_x̄ = σ/√n):
 *   C⁺_t = max(0, x_t − (μ0 + K) + C⁺_(t−1)),  C⁻_t = max(0, (μ0 − K) − x_t + C⁻_(t−1)),
 * C⁺_0 = C⁻_0 = head start (0, or e.g. H/2 for a fast initial response). A signal is C > H (strict).
 * N⁺/N⁻ count the periods since the sum was last zero; at a signal the new mean is estimated as
 * μ0 + K + C⁺/N⁺ (or μ0 − K − C⁻/N⁻). The lower sum is reported as a positive number (Montgomery);
 * qcc plots it negated. Sums keep accumulating after a signal (no automatic reset).
 * Constant subgroup size: sums are in data units. Varying sizes: each x_t is standardised by its own
 * σ/√n_t and the sums are in standard-error units (`standardized: true`, H = h).
 */
import type { PerPoint, Signal, SigmaEstimator } from './chart-types.js';
import { movingRangeSigma } from './sigma-estimators.js';
import { SpcInputError, assertFiniteSeries, assertMinLength, assertPositiveSigma } from './spc-error.js';

export interface CusumOptions {
  /** μ0. Estimated as the mean of the data when omitted. */
  readonly target?: number;
  /** σ of one observation. Estimated as MR̄/d2(2) when omitted (individuals only). */
  readonly sigma?: number;
  /** Reference value k in σ_x̄ units (half the shift to detect). @defaultValue 0.5 */
  readonly k?: number;
  /** Decision interval h in σ_x̄ units. @defaultValue 5 */
  readonly h?: number;
  /** Head start (FIR) in σ_x̄ units, 0 ≤ headStart < h; h/2 is the usual FIR. @defaultValue 0 */
  readonly headStart?: number;
  /** Size of the subgroup behind each point. @defaultValue 1 */
  readonly sizes?: number | ArrayLike<number>;
}

export interface CusumChart {
  readonly kind: 'cusum';
  readonly estimator: SigmaEstimator;
  readonly target: number;
  readonly sigma: number;
  readonly k: number;
  readonly h: number;
  /** K and H in the units of `upper`/`lower` (data units, or standard errors when standardized). */
  readonly K: number;
  readonly H: number;
  readonly standardized: boolean;
  readonly sizes: PerPoint;
  readonly observations: Float64Array;
  /** C⁺_t and C⁻_t (both ≥ 0). */
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  /** N⁺_t and N⁻_t: consecutive periods with a non-zero sum. */
  readonly nUpper: Int32Array;
  readonly nLower: Int32Array;
  /** One signal per excursion above H: rule 1 = upper (C⁺), rule 2 = lower (C⁻). */
  readonly signals: Signal[];
}

/**
 * Tabular CUSUM.
 *
 * @example
 * const c = cusumChart(x, { target: 10, sigma: 1, k: 0.5, h: 5 });   // Montgomery Table 9.2
 */
export function cusumChart(values: ArrayLike<number>, options: CusumOptions = {}): CusumChart {
  const k = options.k ?? 0.5;
  const h = options.h ?? 5;
  const head = options.headStart ?? 0;
  if (!Number.isFinite(k) || k < 0)
    throw new SpcInputError(`CUSUM k must be a finite number ≥ 0 (0.5 detects a 1σ shift); got ${String(k)}`, { value: k });
  if (!Number.isFinite(h) || h <= 0)
    throw new SpcInputError(`CUSUM h must be a positive number (4 or 5 usual); got ${String(h)}`, { value: h });
  if (!Number.isFinite(head) || head < 0 || head >= h) {
    throw new SpcInputError(`CUSUM head start must be in [0, h) = [0, ${h}) in sigma units (h/2 is the usual FIR); got ${String(head)}`, {
      value: head,
    });
  }
  assertFiniteSeries(values, 'CUSUM chart');
  const n = values.length;
  if (n === 0) throw new SpcInputError('CUSUM chart: the series is empty; give at least 1 point');
  const sizesOpt = options.sizes ?? 1;
  if (typeof sizesOpt !== 'number' && sizesOpt.length !== n)
    throw new SpcInputError(`CUSUM chart: ${sizesOpt.length} sizes for ${n} points`);
  const sizeAt = (i: number): number => (typeof sizesOpt === 'number' ? sizesOpt : (sizesOpt[i] as number));
  let constant = true;
  for (let i = 0; i < n; i++) {
    const s = sizeAt(i);
    if (!Number.isInteger(s) || s < 1)
      throw new SpcInputError(`CUSUM chart: size at point ${i} must be a positive integer, got ${String(s)}`, { index: i, value: s });
    if (s !== sizeAt(0)) constant = false;
  }
  let target = options.target;
  if (target === undefined) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[i] as number;
    target = s / n;
  }
  let sigma = options.sigma;
  let estimator: SigmaEstimator = 'known';
  if (sigma === undefined) {
    if (!constant || sizeAt(0) !== 1) throw new SpcInputError('CUSUM chart of subgroup means: pass sigma (e.g. from the Phase I baseline)');
    assertMinLength(values, 2, 'CUSUM chart');
    sigma = movingRangeSigma(values).sigma;
    estimator = 'moving-range';
  }
  assertPositiveSigma(sigma, 'CUSUM chart');

  // Work in units u: data units (constant n, scale = σ/√n) or standard errors (varying n, scale = 1).
  const unit = constant ? sigma / Math.sqrt(sizeAt(0)) : 1;
  const K = k * unit;
  const H = h * unit;
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const nUpper = new Int32Array(n);
  const nLower = new Int32Array(n);
  const signals: Signal[] = [];
  let cp = head * unit;
  let cm = head * unit;
  let np = 0;
  let nm = 0;
  let openUp: { indices: number[] } | null = null;
  let openDown: { indices: number[] } | null = null;
  for (let t = 0; t < n; t++) {
    const se = sigma / Math.sqrt(sizeAt(t));
    const x = constant ? (values[t] as number) - target : ((values[t] as number) - target) / se;
    cp = Math.max(0, x - K + cp);
    cm = Math.max(0, -K - x + cm);
    np = cp > 0 ? np + 1 : 0;
    nm = cm > 0 ? nm + 1 : 0;
    upper[t] = cp;
    lower[t] = cm;
    nUpper[t] = np;
    nLower[t] = nm;
    if (cp > H) {
      if (openUp) openUp.indices.push(t);
      else {
        const indices: number[] = [];
        for (let j = Math.max(0, t - np + 1); j <= t; j++) indices.push(j);
        const scale = constant ? 1 : se;
        const estimate = target + (K + cp / np) * scale;
        const s: Signal = {
          ruleSet: 'cusum',
          rule: 1,
          name: 'upper CUSUM above the decision interval',
          direction: 'up',
          indices,
          index: t,
          estimate,
        };
        signals.push(s);
        openUp = s;
      }
    } else openUp = null;
    if (cm > H) {
      if (openDown) openDown.indices.push(t);
      else {
        const indices: number[] = [];
        for (let j = Math.max(0, t - nm + 1); j <= t; j++) indices.push(j);
        const scale = constant ? 1 : se;
        const estimate = target - (K + cm / nm) * scale;
        const s: Signal = {
          ruleSet: 'cusum',
          rule: 2,
          name: 'lower CUSUM above the decision interval',
          direction: 'down',
          indices,
          index: t,
          estimate,
        };
        signals.push(s);
        openDown = s;
      }
    } else openDown = null;
  }
  return {
    kind: 'cusum',
    estimator,
    target,
    sigma,
    k,
    h,
    K,
    H,
    standardized: !constant,
    sizes: constant ? sizeAt(0) : Float64Array.from({ length: n }, (_, i) => sizeAt(i)),
    observations: Float64Array.from(values),
    upper,
    lower,
    nUpper,
    nLower,
    signals,
  };
}
