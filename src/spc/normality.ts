/**
 * @module Anderson–Darling test of normality with mean and variance estimated from the data
 * (Stephens' "case 3"), exactly as R `nortest::ad.test`, NAG g08ckc and IMSL ADNRM compute it.
 *
 * A² = −n − (1/n) Σᵢ (2i − 1)[ln Φ(zᵢ) + ln(1 − Φ(z₍ₙ₊₁₋ᵢ₎))],  zᵢ = (x₍ᵢ₎ − x̄)/s,  s with the n − 1 divisor.
 * A*² = A²(1 + 0.75/n + 2.25/n²) (small-sample modification), and the p-value from A*² by the piecewise
 * exponential fit of D'Agostino & Stephens (1986), Table 4.9:
 *   A*² < 0.2:        p = 1 − exp(−13.436 + 101.14 A*² − 223.73 A*⁴)
 *   0.2 ≤ A*² < 0.34: p = 1 − exp(−8.318 + 42.796 A*² − 59.938 A*⁴)
 *   0.34 ≤ A*² < 0.6: p = exp(0.9177 − 4.279 A*² − 1.38 A*⁴)
 *   0.6 ≤ A*² < 10:   p = exp(1.2937 − 5.709 A*² + 0.0186 A*⁴)
 *   A*² ≥ 10:         p = 3.7e−24 (nortest's floor; the fit is not valid beyond, `pValueFloored` says so)
 * ln(1 − Φ(z)) is computed as ln Φ(−z), so extreme values cannot produce ln 0.
 *
 * Cost: one sort (O(n log n)) plus 2n normal CDF evaluations; 100,000 values take a few milliseconds.
 * With very large n the test detects departures from normality far too small to matter for capability;
 * callers should read the p-value together with n (capability.ts uses it only to choose between the normal
 * and the percentile method).
 */
import { logNormalCdf } from './distributions.js';
import { meanOf, sampleSdOf, sortedCopy } from './descriptive.js';
import { StatsInputError, requireFinite } from './stats-error.js';

/** nortest refuses n ≤ 7; so do we: the Table 4.9 fit was not made for smaller samples. */
export const AD_MIN_N = 8;

export interface AndersonDarlingResult {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  /** A², the unmodified statistic (what nortest prints as "A"). */
  readonly aSquared: number;
  /** A*² = A²(1 + 0.75/n + 2.25/n²), the statistic the p-value is read from. */
  readonly aSquaredStar: number;
  readonly pValue: number;
  /** True when A*² ≥ 10 and the p-value is the 3.7e−24 floor, not a computed tail probability. */
  readonly pValueFloored: boolean;
  readonly method: "Anderson-Darling (mean and variance estimated; p from D'Agostino & Stephens 1986 Table 4.9)";
}

/** p-value of the modified statistic A*² per D'Agostino & Stephens (1986) Table 4.9 (as nortest). */
export function andersonDarlingPValue(aSquaredStar: number): number {
  const a = aSquaredStar;
  const a2 = a * a;
  let p: number;
  if (a < 0.2) p = 1 - Math.exp(-13.436 + 101.14 * a - 223.73 * a2);
  else if (a < 0.34) p = 1 - Math.exp(-8.318 + 42.796 * a - 59.938 * a2);
  else if (a < 0.6) p = Math.exp(0.9177 - 4.279 * a - 1.38 * a2);
  else if (a < 10) p = Math.exp(1.2937 - 5.709 * a + 0.0186 * a2);
  else p = 3.7e-24;
  return Math.min(1, Math.max(0, p));
}

/**
 * A–D normality test on values that are **already sorted ascending**, with their mean and sd given
 * (capability.ts sorts once and reuses the sort for the percentile method).
 */
export function andersonDarlingSorted(sorted: Float64Array, mean: number, sd: number, subject?: string): AndersonDarlingResult {
  const n = sorted.length;
  if (n < AD_MIN_N) {
    throw new StatsInputError(`the Anderson–Darling normality test needs at least ${AD_MIN_N} values, got ${n}`, subject);
  }
  if (!(sd > 0)) {
    throw new StatsInputError(
      `all ${n} values are identical (${sorted[0]}); normality cannot be tested on data with zero spread — check the station's resolution`,
      subject,
    );
  }
  // ln Φ(zₖ) and ln Φ(−zₖ) of every order statistic, each computed once per distinct value: stations
  // write 3–4 decimals, so sorted readings repeat in runs and an equal value has an equal z (same arithmetic).
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  logCdfTails(sorted, mean, sd, lower, upper);
  const s = weightedTailSum(lower, upper);
  const aSquared = -n - s / n;
  const aSquaredStar = aSquared * (1 + 0.75 / n + 2.25 / (n * n));
  return {
    n,
    mean,
    sd,
    aSquared,
    aSquaredStar,
    pValue: andersonDarlingPValue(aSquaredStar),
    pValueFloored: aSquaredStar >= 10,
    method: "Anderson-Darling (mean and variance estimated; p from D'Agostino & Stephens 1986 Table 4.9)",
  };
}

/*
 * The two loops of the statistic, each in its own small function: a loop hot enough to be compiled while
 * it runs (on-stack replacement) on a chart's first call is compiled with the code after it, which has not
 * run yet, and that code then left the compiled loop on every later chart.
 */

/** lower[k] = ln Φ(zₖ), upper[k] = ln Φ(−zₖ) for zₖ = (sorted[k] − mean)/sd, computed once per run of equal values. */
function logCdfTails(sorted: Float64Array, mean: number, sd: number, lower: Float64Array, upper: Float64Array): void {
  for (let k = 0; k < sorted.length; k++) {
    if (k > 0 && sorted[k] === sorted[k - 1]) {
      lower[k] = lower[k - 1]!;
      upper[k] = upper[k - 1]!;
      continue;
    }
    const z = (sorted[k]! - mean) / sd;
    lower[k] = logNormalCdf(z);
    upper[k] = logNormalCdf(-z);
  }
}

/** Σᵢ (2i + 1)(lower[i] + upper[n − 1 − i]) over i = 0…n − 1, in that order. */
function weightedTailSum(lower: Float64Array, upper: Float64Array): number {
  const n = lower.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += (2 * i + 1) * (lower[i]! + upper[n - 1 - i]!);
  return s;
}

/** Anderson–Darling test for normality (sorts a copy; the input is not modified). */
export function andersonDarlingNormality(values: Float64Array, subject?: string): AndersonDarlingResult {
  requireFinite(values, 'values', subject);
  if (values.length < AD_MIN_N) {
    throw new StatsInputError(`the Anderson–Darling normality test needs at least ${AD_MIN_N} values, got ${values.length}`, subject);
  }
  const sorted = sortedCopy(values);
  return andersonDarlingSorted(sorted, meanOf(values), sampleSdOf(values), subject);
}
