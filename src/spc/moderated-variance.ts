/**
 * @module Empirical-Bayes moderated variances (Smyth, "Linear models and empirical Bayes methods for assessing
 * differential expression in microarray experiments", Statistical Applications in Genetics and Molecular
 * Biology 3(1), 2004, article 3, §6; the method of limma's `fitFDist` and `squeezeVar`).
 *
 * Model: each of G mean squares s²_g with d_g df is σ²_g χ²_{d_g}/d_g, and the σ²_g are drawn from a scaled
 * inverse χ² prior, 1/σ²_g ~ χ²_{d0}/(d0 s0²). Then s²_g ~ s0² F(d_g, d0), and the prior's d0 and s0² are
 * estimated by moments of z_g = ln s²_g (Smyth's eqs. for E and Var of ln F):
 *   e_g = z_g − ψ(d_g/2) + ln(d_g/2),  ē = mean e_g,
 *   ψ′(d0/2) = Σ (e_g − ē)²/(G − 1) − mean ψ′(d_g/2),     s0² = exp(ē + ψ(d0/2) − ln(d0/2)),
 * and d0 = ∞, s0² = exp(ē) when the right-hand side of the first is ≤ 0 (the spread of the ln s² is no more
 * than their sampling alone explains). Each posterior variance is
 *   s̃²_g = (d0 s0² + d_g s²_g)/(d0 + d_g)   with d0 + d_g df
 * (s0² when d0 = ∞), and — as limma's eBayes caps `df.total` — never more df than the G estimates have
 * together. A mean square that happens to be high is pulled towards the others by how much their spread
 * says the true variances differ; a truly different one keeps most of its own (small d0: little shrinkage).
 */
import { digamma, trigamma } from './log-variance.js';
import { StatsInputError } from './stats-error.js';

/** Tetragamma ψ″(x), x > 0: recurrence up to x ≥ 10, then the asymptotic series (error < 1e-11). */
export function tetragamma(x: number): number {
  if (!(x > 0)) throw new StatsInputError(`tetragamma needs x > 0, got ${x}`);
  let r = 0;
  while (x < 10) {
    r -= 2 / (x * x * x);
    x += 1;
  }
  const f = 1 / (x * x);
  // ψ″(x) ~ −1/x² − 1/x³ − 1/(2x⁴) + 1/(6x⁶) − 1/(6x⁸) + 3/(10x¹⁰) − 5/(6x¹²)
  return r - f - f / x - (f * f) / 2 + f * f * f * (1 / 6 - f * (1 / 6 - f * (3 / 10 - (5 / 6) * f)));
}

/**
 * The x > 0 with ψ′(x) = y, y > 0, by Newton's method on 1/ψ′ started at 0.5 + 1/y (Smyth 2004, appendix;
 * limma's `trigammaInverse`), which converges monotonically.
 */
export function trigammaInverse(y: number): number {
  if (!(y > 0)) throw new StatsInputError(`trigammaInverse needs y > 0, got ${y}`);
  if (y > 1e7) return 1 / Math.sqrt(y);
  if (y < 1e-6) return 1 / y;
  let x = 0.5 + 1 / y;
  for (let i = 0; i < 50; i++) {
    const tri = trigamma(x);
    const dif = (tri * (1 - tri / y)) / tetragamma(x);
    x += dif;
    if (-dif / x < 1e-8) break;
  }
  return x;
}

/** The fitted scaled inverse χ² prior of the true variances. */
export interface VariancePrior {
  /** Prior df d0 (Infinity: the variances look equal, every posterior is s0²). */
  readonly df: number;
  /** Prior scale s0². */
  readonly scale: number;
}

/**
 * Method-of-moments fit of s²_g ~ s0² F(d_g, d0) (limma `fitFDist` without covariate). Needs ≥ 2 mean squares,
 * each > 0 with df > 0.
 */
export function fitFDist(variances: readonly number[], df: readonly number[]): VariancePrior {
  const g = variances.length;
  if (g < 2 || df.length !== g) throw new StatsInputError(`the prior of the variances needs ≥ 2 mean squares with their df, got ${g}`);
  for (let i = 0; i < g; i++)
    if (!(variances[i]! > 0) || !(df[i]! > 0) || !Number.isFinite(variances[i]!) || !Number.isFinite(df[i]!))
      throw new StatsInputError(`mean square ${i} is ${variances[i]} with ${df[i]} df: each needs a value > 0 and df > 0`);
  const e = variances.map((v, i) => Math.log(v) - digamma(df[i]! / 2) + Math.log(df[i]! / 2));
  const eMean = e.reduce((a, x) => a + x, 0) / g;
  const eVar = e.reduce((a, x) => a + (x - eMean) ** 2, 0) / (g - 1) - df.reduce((a, d) => a + trigamma(d / 2), 0) / g;
  if (!(eVar > 0)) return { df: Number.POSITIVE_INFINITY, scale: Math.exp(eMean) };
  const d0 = 2 * trigammaInverse(eVar);
  return { df: d0, scale: Math.exp(eMean + digamma(d0 / 2) - Math.log(d0 / 2)) };
}

/** One moderated mean square. */
export interface ModeratedVariance {
  readonly meanSquare: number;
  readonly df: number;
}

/**
 * Posterior (moderated) mean squares s̃²_g = (d0 s0² + d_g s²_g)/(d0 + d_g) with min(d0 + d_g, Σ d) df
 * (limma `squeezeVar`, df capped as `eBayes` caps `df.total`).
 */
export function squeezeVariances(
  variances: readonly number[],
  df: readonly number[],
): { readonly prior: VariancePrior; readonly posterior: readonly ModeratedVariance[] } {
  const prior = fitFDist(variances, df);
  const total = df.reduce((a, d) => a + d, 0);
  const posterior = variances.map((v, i) => {
    const d = df[i]!;
    if (!Number.isFinite(prior.df)) return { meanSquare: prior.scale, df: total };
    return { meanSquare: (prior.df * prior.scale + d * v) / (prior.df + d), df: Math.min(prior.df + d, total) };
  });
  return { prior, posterior };
}
