/**
 * @module Comparing lots: one-way ANOVA (equal variances), Welch's ANOVA (unequal variances), and the
 * per-lot n / mean / sd series that an X̄/S chart of lots is drawn from.
 *
 * One-way ANOVA (NIST e-Handbook 7.4.3): SSB = Σ nᵢ(x̄ᵢ − x̿)², SSW = ΣΣ(x_ij − x̄ᵢ)², F = [SSB/(k − 1)]/[SSW/(N − k)].
 * Welch (1951): wᵢ = nᵢ/sᵢ², x̄_w = Σwᵢx̄ᵢ/Σwᵢ, Λ = Σ(1 − wᵢ/W)²/(nᵢ − 1),
 *   F* = [Σwᵢ(x̄ᵢ − x̄_w)²/(k − 1)] / [1 + 2(k − 2)Λ/(k² − 1)] ~ F(k − 1, (k² − 1)/(3Λ)).
 * For k = 2, Welch's F* equals the square of Welch's t and its df2 equals Welch's ν (tested).
 */
import { fUpperTail } from './distributions.js';
import { meanOf, sampleVarianceOf } from './descriptive.js';
import { StatsInputError, requireFinite } from './stats-error.js';
import { counted } from '../counted.js';

export interface LotStatistics {
  readonly label: string;
  readonly n: number;
  readonly mean: number;
  /** Sample sd (n − 1); NaN when n = 1. */
  readonly sd: number;
}

export interface AnovaTable {
  readonly k: number;
  readonly n: number;
  readonly grandMean: number;
  readonly ssBetween: number;
  readonly ssWithin: number;
  readonly ssTotal: number;
  readonly dfBetween: number;
  readonly dfWithin: number;
  readonly msBetween: number;
  readonly msWithin: number;
  readonly f: number;
  readonly pValue: number;
}

export interface WelchAnovaResult {
  readonly k: number;
  readonly f: number;
  readonly df1: number;
  readonly df2: number;
  readonly pValue: number;
}

function toGroups(groups: ReadonlyArray<ArrayLike<number>>, minEach: number, what: string): Float64Array[] {
  if (groups.length < 2) throw new StatsInputError(`${what} needs at least 2 lots, got ${groups.length}`);
  return groups.map((g, i) => {
    const a = g instanceof Float64Array ? g : Float64Array.from(g);
    requireFinite(a, `lot ${i}`);
    if (a.length < minEach)
      throw new StatsInputError(`${what}: lot ${i} has ${counted(a.length, 'value')}; each lot needs at least ${minEach}`);
    return a;
  });
}

/** Per-lot n, mean and sd, in the order given — the points of an X̄/S chart of lots. */
export function lotSummarySeries(lots: ReadonlyArray<{ readonly label: string; readonly values: ArrayLike<number> }>): LotStatistics[] {
  return lots.map(({ label, values }) => {
    const a = values instanceof Float64Array ? values : Float64Array.from(values);
    requireFinite(a, `lot ${label}`);
    if (a.length === 0) throw new StatsInputError(`lot ${label} has no values for this parameter`);
    return { label, n: a.length, mean: meanOf(a), sd: a.length > 1 ? Math.sqrt(sampleVarianceOf(a)) : NaN };
  });
}

/** Classical one-way ANOVA across lots. */
export function oneWayAnova(groups: ReadonlyArray<ArrayLike<number>>): AnovaTable {
  const gs = toGroups(groups, 1, 'one-way ANOVA');
  const k = gs.length;
  let n = 0;
  let total = 0;
  const means = gs.map((g) => {
    n += g.length;
    const m = meanOf(g);
    total += m * g.length;
    return m;
  });
  if (n - k < 1) throw new StatsInputError(`one-way ANOVA: ${n} values in ${k} lots leave no degrees of freedom within lots`);
  const grandMean = total / n;
  let ssBetween = 0;
  let ssWithin = 0;
  gs.forEach((g, i) => {
    const m = means[i]!;
    ssBetween += g.length * (m - grandMean) * (m - grandMean);
    for (let j = 0; j < g.length; j++) ssWithin += (g[j]! - m) * (g[j]! - m);
  });
  const dfBetween = k - 1;
  const dfWithin = n - k;
  const msBetween = ssBetween / dfBetween;
  const msWithin = ssWithin / dfWithin;
  if (!(msWithin > 0))
    throw new StatsInputError('one-way ANOVA: every lot is constant, so the within-lot variance is 0 and F is undefined');
  const f = msBetween / msWithin;
  return {
    k,
    n,
    grandMean,
    ssBetween,
    ssWithin,
    ssTotal: ssBetween + ssWithin,
    dfBetween,
    dfWithin,
    msBetween,
    msWithin,
    f,
    pValue: fUpperTail(f, dfBetween, dfWithin),
  };
}

/** Welch's heteroscedastic one-way ANOVA (as R `oneway.test(var.equal = FALSE)`). */
export function welchAnova(groups: ReadonlyArray<ArrayLike<number>>): WelchAnovaResult {
  const gs = toGroups(groups, 2, "Welch's ANOVA");
  const k = gs.length;
  const stats = gs.map((g, i) => {
    const v = sampleVarianceOf(g);
    if (!(v > 0)) throw new StatsInputError(`Welch's ANOVA: lot ${i} has zero variance, so its weight nᵢ/sᵢ² is infinite`);
    return { n: g.length, mean: meanOf(g), w: g.length / v };
  });
  const wSum = stats.reduce((s, x) => s + x.w, 0);
  const mw = stats.reduce((s, x) => s + x.w * x.mean, 0) / wSum;
  const a = stats.reduce((s, x) => s + x.w * (x.mean - mw) * (x.mean - mw), 0) / (k - 1);
  const lambda = stats.reduce((s, x) => s + (1 - x.w / wSum) ** 2 / (x.n - 1), 0);
  const b = 1 + (2 * (k - 2) * lambda) / (k * k - 1);
  const f = a / b;
  const df1 = k - 1;
  const df2 = (k * k - 1) / (3 * lambda);
  return { k, f, df1, df2, pValue: fUpperTail(f, df1, df2) };
}
