/**
 * @module oc-curve — probability of accepting a lot with a single sampling plan (n, Ac).
 * Binomial (type B: a lot from a continuing process) or hypergeometric (type A: an isolated lot of N units
 * with D = round(p·N) nonconforming).
 */
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import { SamplingPlanError } from './errors.js';

export type OcModel = 'binomial' | 'hypergeometric';

export interface OcRequest {
  readonly sampleSize: number;
  readonly ac: number;
  /** Fraction nonconforming in the lot (0…1). */
  readonly p: number;
  readonly model?: OcModel;
  /** Lot size, required for the hypergeometric model. */
  readonly lotSize?: number;
}

/** ln C(a, b) by direct summation (exact enough for lot sizes up to millions, no gamma function needed). */
function logChoose(a: number, b: number): number {
  if (b < 0 || b > a) return Number.NEGATIVE_INFINITY;
  const k = Math.min(b, a - b);
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log((a - k + i) / i);
  return sum;
}

/** P(d ≤ Ac) for an isolated lot of N units with D nonconforming, sample of n without replacement. */
export function hypergeometricAcceptance(lotSize: number, nonconformingInLot: number, sampleSize: number, ac: number): number {
  const denominator = logChoose(lotSize, sampleSize);
  let total = 0;
  for (let d = 0; d <= Math.min(ac, sampleSize, nonconformingInLot); d++) {
    total += Math.exp(logChoose(nonconformingInLot, d) + logChoose(lotSize - nonconformingInLot, sampleSize - d) - denominator);
  }
  return Math.min(1, total);
}

/** Probability of acceptance Pa at lot quality p. */
export function probabilityOfAcceptance(request: OcRequest): number {
  const { sampleSize: n, ac, p } = request;
  if (!Number.isInteger(n) || n < 1) throw new SamplingPlanError(`Sample size must be a positive integer; got ${n}`);
  if (!Number.isInteger(ac) || ac < 0) throw new SamplingPlanError(`Acceptance number must be a non-negative integer; got ${ac}`);
  if (!(p >= 0 && p <= 1)) throw new SamplingPlanError(`Fraction nonconforming must be within 0…1; got ${p}`);
  if ((request.model ?? 'binomial') === 'binomial') return binomialCdf(ac, n, p);
  const lotSize = request.lotSize;
  if (lotSize === undefined || !Number.isInteger(lotSize) || lotSize < n) {
    throw new SamplingPlanError(`The hypergeometric model needs an integer lot size ≥ the sample size ${n}; got ${lotSize}`);
  }
  return hypergeometricAcceptance(lotSize, Math.round(p * lotSize), n, ac);
}

/** Pa at each p, for plotting an OC curve. */
export function ocCurve(plan: Omit<OcRequest, 'p'>, ps: readonly number[]): { p: number; pa: number }[] {
  return ps.map((p) => ({ p, pa: probabilityOfAcceptance({ ...plan, p }) }));
}
