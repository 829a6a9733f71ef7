/**
 * @module ln s² of a normal sample — the statistic the lot-σ trend charts (Crowder & Hamilton, "An EWMA for
 * monitoring a process standard deviation", J. Quality Technology 24 (1992) 12–21: EWMA of ln s²).
 *
 * With ν = n − 1 degrees of freedom, ν s²/σ² ~ χ²_ν, so ln s² = ln σ² + ln(χ²_ν/ν) has
 *   E[ln s²] = ln σ² + ψ(ν/2) + ln(2/ν),   Var[ln s²] = ψ′(ν/2)
 * (ψ digamma, ψ′ trigamma: the mean and variance of the log of a gamma variable). Subtracting the bias
 * makes y = ln s² − ψ(ν/2) − ln(2/ν) an unbiased, nearly normal estimate of ln σ² whatever the lot size.
 */
import { StatsInputError } from './stats-error.js';

/** Digamma ψ(x), x > 0: recurrence up to x ≥ 10, then the asymptotic series (error < 1e-11). */
export function digamma(x: number): number {
  if (!(x > 0)) throw new StatsInputError(`digamma needs x > 0, got ${x}`);
  let r = 0;
  while (x < 10) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}

/** Trigamma ψ′(x), x > 0: recurrence up to x ≥ 10, then the asymptotic series (error < 1e-11). */
export function trigamma(x: number): number {
  if (!(x > 0)) throw new StatsInputError(`trigamma needs x > 0, got ${x}`);
  let r = 0;
  while (x < 10) {
    r += 1 / (x * x);
    x += 1;
  }
  const f = 1 / (x * x);
  return r + 1 / x + f / 2 + (f / x) * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f / 30)));
}

/** The bias-corrected ln s² of a lot (an unbiased estimate of ln σ²) and its sampling variance. */
export function logVariance(sd: number, n: number): { y: number; variance: number } {
  if (!(n >= 2) || !(sd > 0)) throw new StatsInputError(`ln s² needs n ≥ 2 and s > 0, got n = ${n}, s = ${sd}`);
  const nu = n - 1;
  return { y: Math.log(sd * sd) - digamma(nu / 2) - Math.log(2 / nu), variance: trigamma(nu / 2) };
}
