/**
 * @module z19-variables — ANSI/ASQ Z1.9 (MIL-STD-414 family) variables sampling, variability unknown,
 * standard-deviation (s) method, for one characteristic with one or two specification limits.
 *
 * - Form k (Z1.9 Section B, "Form 1"): Q_U = (U − x̄)/s, Q_L = (x̄ − L)/s; accept when every Q present is ≥ k.
 * - Form M ("Form 2"): estimate the lot fraction beyond each limit with the minimum-variance unbiased
 *   estimator p̂ = I_x(a, a), x = max(0, ½ − ½·Q·√n/(n − 1)), a = n/2 − 1 (regularized incomplete beta,
 *   tabulated in Z1.9 Table B-5); accept when p̂_U + p̂_L ≤ M.
 * The formulas are verified (shared/domain/spc-reference.md §5.2). The code letters and sample sizes shipped
 * in tables/z19-code-letters.json are NOT verified, and lotqa ships no k or M table: k and M come from the
 * purchased standard through the policy (`k`, `mPercent`), or M is derived from k with `mFromK`.
 */
import betainc from '@stdlib/math-base-special-betainc';
import type { InspectionLevel } from '../domain/acceptance-policy.js';
import { VariablesSamplingError } from './errors.js';
import z19Table from './tables/z19-code-letters.json' with { type: 'json' };

export interface SpecLimits {
  readonly lsl?: number;
  readonly usl?: number;
}

export interface SampleSummary {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation, divisor n − 1. */
  readonly s: number;
}

export interface QualityIndices {
  readonly qU?: number;
  readonly qL?: number;
}

export interface VariablesJudgement {
  readonly accepted: boolean;
  readonly form: 'k' | 'M';
  readonly summary: SampleSummary;
  readonly indices: QualityIndices;
  /** Form M: estimated fractions nonconforming (0…1) beyond each limit and in total. */
  readonly pU?: number;
  readonly pL?: number;
  readonly pTotal?: number;
  readonly reason: string;
}

/** x̄ and s (n − 1) of the sample. */
export function summarize(values: readonly number[]): SampleSummary {
  const n = values.length;
  if (n < 3) throw new VariablesSamplingError(`Z1.9 s method needs at least 3 measurements; got ${n}`);
  if (values.some((v) => !Number.isFinite(v))) throw new VariablesSamplingError('Z1.9 sample contains a value that is not a finite number');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const s = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, s };
}

/** Quality indices Q_U = (U − x̄)/s and Q_L = (x̄ − L)/s for the limits present. */
export function qualityIndices(summary: SampleSummary, limits: SpecLimits): QualityIndices {
  if (limits.lsl === undefined && limits.usl === undefined) throw new VariablesSamplingError('Z1.9 needs at least one specification limit');
  if (!(summary.s > 0))
    throw new VariablesSamplingError('Sample standard deviation is 0: Q is undefined (check for a stuck or quantized measurement)');
  return {
    ...(limits.usl !== undefined ? { qU: (limits.usl - summary.mean) / summary.s } : {}),
    ...(limits.lsl !== undefined ? { qL: (summary.mean - limits.lsl) / summary.s } : {}),
  };
}

/**
 * Minimum-variance unbiased estimate of the fraction of the lot beyond a limit (Z1.9 Table B-5):
 * p̂ = I_x(n/2 − 1, n/2 − 1), x = max(0, ½ − ½·Q·√n/(n − 1)). Returns a fraction (0…1).
 */
export function estimatedFractionBeyond(q: number, n: number): number {
  if (!Number.isInteger(n) || n < 3) throw new VariablesSamplingError(`n must be an integer ≥ 3; got ${n}`);
  const x = Math.max(0, 0.5 - (0.5 * q * Math.sqrt(n)) / (n - 1));
  const a = n / 2 - 1;
  return betainc(Math.min(1, x), a, a);
}

/** The M (fraction) that corresponds to an acceptability constant k for sample size n: p̂ at Q = k. */
export function mFromK(k: number, n: number): number {
  return estimatedFractionBeyond(k, n);
}

/** Form k: accept when every quality index present is ≥ k. */
export function judgeFormK(values: readonly number[], limits: SpecLimits, k: number): VariablesJudgement {
  const summary = summarize(values);
  const indices = qualityIndices(summary, limits);
  const qs = [indices.qU, indices.qL].filter((q): q is number => q !== undefined);
  const worst = Math.min(...qs);
  const accepted = worst >= k;
  return {
    accepted,
    form: 'k',
    summary,
    indices,
    reason: `smallest Q = ${worst.toFixed(3)} ${accepted ? '≥' : '<'} k = ${k}`,
  };
}

/** Form M: accept when p̂_U + p̂_L ≤ M (M as a fraction, e.g. 0.0333 for 3.33 %). */
export function judgeFormM(values: readonly number[], limits: SpecLimits, m: number): VariablesJudgement {
  const summary = summarize(values);
  const indices = qualityIndices(summary, limits);
  const pU = indices.qU !== undefined ? estimatedFractionBeyond(indices.qU, summary.n) : undefined;
  const pL = indices.qL !== undefined ? estimatedFractionBeyond(indices.qL, summary.n) : undefined;
  const pTotal = (pU ?? 0) + (pL ?? 0);
  const accepted = pTotal <= m;
  return {
    accepted,
    form: 'M',
    summary,
    indices,
    ...(pU !== undefined ? { pU } : {}),
    ...(pL !== undefined ? { pL } : {}),
    pTotal,
    reason: `estimated ${(pTotal * 100).toFixed(3)} % nonconforming ${accepted ? '≤' : '>'} M = ${(m * 100).toFixed(3)} %`,
  };
}

/**
 * Z1.9 Table A-2 code letter and s-method sample size. UNVERIFIED table (see tables/z19-code-letters.json);
 * prefer an explicit `sampleSize` in the policy.
 */
export function z19SampleSizeFor(lotSize: number, level: InspectionLevel): { codeLetter: string; sampleSize: number; verified: false } {
  const column = z19Table.levels.indexOf(level);
  if (column < 0) throw new VariablesSamplingError(`Z1.9 has no inspection level "${level}"; use one of ${z19Table.levels.join(', ')}`);
  if (!Number.isInteger(lotSize) || lotSize < 2) throw new VariablesSamplingError(`Lot size must be an integer ≥ 2; got ${lotSize}`);
  const row = z19Table.rows.find((r) => lotSize >= r.min && (r.max === null || lotSize <= r.max));
  const codeLetter = row?.letters[column];
  const sampleSize = codeLetter ? (z19Table.sampleSizes as Record<string, number>)[codeLetter] : undefined;
  if (!codeLetter || sampleSize === undefined) throw new VariablesSamplingError(`No Z1.9 code letter for lot size ${lotSize}`);
  return { codeLetter, sampleSize, verified: false };
}
