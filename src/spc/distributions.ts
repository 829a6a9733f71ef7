/**
 * @module Typed wrappers over the probability distributions the SPC core needs.
 *
 * Why @stdlib and not simple-statistics for these: simple-statistics (7.12) has no Student t, F or χ²
 * distribution functions at all (only a χ² critical-value table and a one-sample/two-sample t *statistic*
 * without a p-value), and its `cumulativeStdNormalProbability` is a lookup in a 4-decimal table indexed by
 * z rounded to 0.01 (checked in its source: `Math.round(absZ * 100)`; it returns 0.8907 for z = 1.23, 1.234
 * and 1.2345 alike). That is far too coarse for PPM estimates or p-values near 1e-6. The @stdlib packages
 * are accurate to a few ulps over the tails we use (checked: 2·T₁₃₆.₈₇(−12.946) = 1.5709e−25, NIST prints 1.571e−25).
 * simple-statistics is still used for means, variances and type-7 quantiles (see descriptive.ts).
 *
 * Every function here is total on valid parameters and returns NaN for invalid ones (as @stdlib does); the
 * callers check their inputs and throw `StatsInputError` with a message first.
 */
import betainc from '@stdlib/math-base-special-betainc';
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import chisquareQuantile from '@stdlib/stats-base-dists-chisquare-quantile';
import fCdfImpl from '@stdlib/stats-base-dists-f-cdf';
import fQuantileImpl from '@stdlib/stats-base-dists-f-quantile';
import normalCdfImpl from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileImpl from '@stdlib/stats-base-dists-normal-quantile';
import tCdfImpl from '@stdlib/stats-base-dists-t-cdf';
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile';

/** Φ(z), the standard normal CDF. */
export function normalCdf(z: number): number {
  return normalCdfImpl(z, 0, 1);
}

/** 1 − Φ(z) without cancellation (= Φ(−z)), for tail fractions such as PPM above USL. */
export function normalUpperTail(z: number): number {
  return normalCdfImpl(-z, 0, 1);
}

/** z_p = Φ⁻¹(p). */
export function normalQuantile(p: number): number {
  return normalQuantileImpl(p, 0, 1);
}

/** P(T ≤ t) for Student's t with ν (possibly fractional, e.g. Welch) degrees of freedom. */
export function tCdf(t: number, df: number): number {
  return tCdfImpl(t, df);
}

/** Two-sided p-value 2·P(T ≥ |t|), computed from the lower tail so tiny p-values keep their precision. */
export function tTwoSidedP(t: number, df: number): number {
  return Math.min(1, 2 * tCdfImpl(-Math.abs(t), df));
}

/** P(T ≥ t), upper tail, without cancellation. */
export function tUpperTail(t: number, df: number): number {
  return tCdfImpl(-t, df);
}

/** t_p,ν = the p-quantile of Student's t. */
export function tQuantile(p: number, df: number): number {
  return tQuantileImpl(p, df);
}

/** P(F ≤ x) for Fisher's F(d1, d2). */
export function fCdf(x: number, df1: number, df2: number): number {
  return fCdfImpl(x, df1, df2);
}

/**
 * P(F ≥ x) without the cancellation of 1 − cdf: I_{d2/(d2 + d1·x)}(d2/2, d1/2), the regularized incomplete
 * beta identity for the F upper tail (Abramowitz & Stegun 26.6.2). Keeps ANOVA p-values like 1e−30 honest.
 */
export function fUpperTail(x: number, df1: number, df2: number): number {
  if (!(x > 0)) return 1;
  if (x === Infinity) return 0;
  return betainc(df2 / (df2 + df1 * x), df2 / 2, df1 / 2, true, false);
}

/** The p-quantile of F(d1, d2). */
export function fQuantile(p: number, df1: number, df2: number): number {
  return fQuantileImpl(p, df1, df2);
}

/** P(χ²_k ≤ x). */
export function chiSquareCdf(x: number, k: number): number {
  return chisquareCdf(x, k);
}

/** The p-quantile χ²_{p,k} (lower-tail probability p, as in qcc's `qchisq(p, k)`). */
export function chiSquareQuantile(p: number, k: number): number {
  return chisquareQuantile(p, k);
}

/** I_x(a, b), the regularized incomplete beta function (lower tail). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  return betainc(x, a, b, true, false);
}

/**
 * Kolmogorov's limiting survival function Q_KS(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²} = P(√n·D > λ) as n → ∞.
 *
 * No maintained npm package ships this distribution (none of the installed @stdlib packages does), so it is
 * summed here. For small λ the alternating series converges slowly and cancels, so below λ = 1.18 the
 * equivalent Jacobi-theta form 1 − (√(2π)/λ) Σ_{k≥1} e^{−(2k−1)²π²/(8λ²)} is used (both forms as in
 * Marsaglia, Tsang & Wang 2003 and R's `pkolmogorov1x`/`psmirnov` asymptotic branch). Accurate to ~1e−15.
 */
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    const w = (Math.PI * Math.PI) / (8 * lambda * lambda);
    let s = 0;
    for (let k = 1; k <= 20; k++) {
      const m = 2 * k - 1;
      const term = Math.exp(-m * m * w);
      s += term;
      if (term < 1e-17 * s) break;
    }
    return Math.max(0, Math.min(1, 1 - (Math.sqrt(2 * Math.PI) / lambda) * s));
  }
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    s += k % 2 === 1 ? term : -term;
    if (term < 1e-17) break;
  }
  return Math.max(0, Math.min(1, 2 * s));
}

/**
 * ln Φ(z) without underflow or cancellation: log1p(−Φ(−z)) for z > 0, ln Φ(z) down to z = −37, and Mills'
 * asymptotic series below (Abramowitz & Stegun 26.2.12), where Φ(z) underflows. Anderson–Darling needs
 * ln Φ of every standardized value; one gross outlier in 100,000 readings can sit 300 σ out.
 */
export function logNormalCdf(z: number): number {
  if (z > 0) return Math.log1p(-normalCdfImpl(-z, 0, 1));
  if (z > -37) return Math.log(normalCdfImpl(z, 0, 1));
  const z2 = z * z;
  const series = 1 - 1 / z2 + 3 / (z2 * z2) - 15 / (z2 * z2 * z2);
  return -z2 / 2 - Math.log(-z) - 0.5 * Math.log(2 * Math.PI) + Math.log(series);
}
