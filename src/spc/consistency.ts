/**
 * @module Is this lot consistent with its baseline? Two-sample comparisons of one parameter's values
 * (lot vs baseline lots), plus the k-group variance tests.
 *
 * - mean shift in baseline sigmas: (x̄_lot − x̄_base)/s_base — the number an engineer reads first;
 * - Welch's t (unequal variances; the default) and the pooled t (NIST e-Handbook 1.3.5.3);
 * - F test of the variance ratio s²_lot/s²_base (1.3.5.9), two-sided and one-sided "lot variance larger";
 * - Levene (mean-centred) and Brown–Forsythe (median-centred, the robust default) for k ≥ 2 groups (1.3.5.10);
 * - two-sample Kolmogorov–Smirnov with the asymptotic Kolmogorov p-value;
 * - TOST equivalence of means within ±margin (Schuirmann 1987) using two one-sided Welch tests.
 *
 * The t and F tests accept either raw values or a `SampleSummary` (n, mean, sd), because baselines are often
 * stored as summaries and because the NIST examples publish summaries.
 */
import { chiSquareCdf, fCdf, fUpperTail, kolmogorovSurvival, tCdf, tQuantile, tTwoSidedP, tUpperTail } from './distributions.js';
import { meanOf, medianSorted, sampleSdOf, sortedCopy } from './descriptive.js';
import { StatsInputError, requireFinite } from './stats-error.js';
import { counted } from '../counted.js';

export interface SampleSummary {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1). */
  readonly sd: number;
}

export type Sample = Float64Array | SampleSummary;

/** n, mean and sd (n − 1) of raw values. */
export function summarizeSample(values: Float64Array, what = 'sample'): SampleSummary {
  requireFinite(values, what);
  if (values.length < 2)
    throw new StatsInputError(`${what} has ${counted(values.length, 'value')}; at least 2 are needed for a standard deviation`);
  return { n: values.length, mean: meanOf(values), sd: sampleSdOf(values) };
}

function asSummary(s: Sample, what: string): SampleSummary {
  if (s instanceof Float64Array) return summarizeSample(s, what);
  if (!(s.n >= 2) || !Number.isFinite(s.mean) || !(s.sd >= 0) || !Number.isFinite(s.sd)) {
    throw new StatsInputError(`${what} summary {n: ${s.n}, mean: ${s.mean}, sd: ${s.sd}} is unusable: need n ≥ 2, finite mean, sd ≥ 0`);
  }
  return s;
}

export interface MeanShift {
  /** x̄_lot − x̄_base. */
  readonly difference: number;
  /** (x̄_lot − x̄_base)/s_base. */
  readonly baselineSigmas: number;
}

/** How far the lot mean sits from the baseline mean, in baseline standard deviations. */
export function meanShift(lot: Sample, baseline: Sample): MeanShift {
  const a = asSummary(lot, 'lot');
  const b = asSummary(baseline, 'baseline');
  if (!(b.sd > 0)) throw new StatsInputError('baseline sd is 0; a shift in baseline sigmas is undefined — the baseline needs spread');
  const difference = a.mean - b.mean;
  return { difference, baselineSigmas: difference / b.sd };
}

export interface TTestResult {
  readonly method: 'Welch' | 'pooled';
  /** x̄₁ − x̄₂. */
  readonly meanDifference: number;
  readonly standardError: number;
  readonly t: number;
  readonly df: number;
  /** Two-sided p-value. */
  readonly pValue: number;
  /** Pooled standard deviation s_p (pooled test only). */
  readonly pooledSd: number | null;
}

function requireSpread(se: number, method: string): void {
  if (!(se > 0)) throw new StatsInputError(`${method}: both samples have zero spread, so the standard error is 0 and t is undefined`);
}

/** Welch's unequal-variance t test of H₀: μ₁ = μ₂ (sample 1 is usually the lot). */
export function welchTTest(sample1: Sample, sample2: Sample): TTestResult {
  const a = asSummary(sample1, 'sample 1');
  const b = asSummary(sample2, 'sample 2');
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const se = Math.sqrt(va + vb);
  requireSpread(se, 'Welch t');
  const t = (a.mean - b.mean) / se;
  const df = ((va + vb) * (va + vb)) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  return { method: 'Welch', meanDifference: a.mean - b.mean, standardError: se, t, df, pValue: tTwoSidedP(t, df), pooledSd: null };
}

/** Student's pooled-variance two-sample t test (equal variances assumed). */
export function pooledTTest(sample1: Sample, sample2: Sample): TTestResult {
  const a = asSummary(sample1, 'sample 1');
  const b = asSummary(sample2, 'sample 2');
  const df = a.n + b.n - 2;
  const sp = Math.sqrt(((a.n - 1) * a.sd * a.sd + (b.n - 1) * b.sd * b.sd) / df);
  const se = sp * Math.sqrt(1 / a.n + 1 / b.n);
  requireSpread(se, 'pooled t');
  const t = (a.mean - b.mean) / se;
  return { method: 'pooled', meanDifference: a.mean - b.mean, standardError: se, t, df, pValue: tTwoSidedP(t, df), pooledSd: sp };
}

export interface FTestResult {
  /** s²_lot / s²_baseline. */
  readonly f: number;
  readonly df1: number;
  readonly df2: number;
  /** Two-sided p = 2·min(P(F ≤ f), P(F ≥ f)). */
  readonly pValueTwoSided: number;
  /** One-sided p for H₁: lot variance larger than baseline's, P(F ≥ f). */
  readonly pValueLotLarger: number;
}

/** F test for equality of two variances; F = s₁²/s₂² with (n₁ − 1, n₂ − 1) df. Sensitive to non-normality. */
export function fTest(lot: Sample, baseline: Sample): FTestResult {
  const a = asSummary(lot, 'lot');
  const b = asSummary(baseline, 'baseline');
  if (!(b.sd > 0)) throw new StatsInputError('baseline sd is 0; the variance ratio is undefined');
  const f = (a.sd * a.sd) / (b.sd * b.sd);
  const df1 = a.n - 1;
  const df2 = b.n - 1;
  const upper = fUpperTail(f, df1, df2);
  const lower = fCdf(f, df1, df2);
  return { f, df1, df2, pValueTwoSided: Math.min(1, 2 * Math.min(lower, upper)), pValueLotLarger: upper };
}

export interface LeveneResult {
  readonly center: 'mean' | 'median';
  /** Levene's W (an F statistic). */
  readonly w: number;
  readonly df1: number;
  readonly df2: number;
  readonly pValue: number;
}

function assertAscending(values: Float64Array, what: string): void {
  for (let i = 1; i < values.length; i++) {
    if (!(values[i - 1]! <= values[i]!))
      throw new StatsInputError(
        `${what}: options.sorted was given but value[${i}] is below value[${i - 1}]; sort the sample or drop the option`,
      );
  }
}

function checkGroups(groups: ReadonlyArray<ArrayLike<number>>, minEach: number, what: string): Float64Array[] {
  if (groups.length < 2) throw new StatsInputError(`${what} needs at least 2 groups, got ${groups.length}`);
  return groups.map((g, i) => {
    const arr = g instanceof Float64Array ? g : Float64Array.from(g);
    requireFinite(arr, `group ${i}`);
    if (arr.length < minEach)
      throw new StatsInputError(`${what}: group ${i} has ${counted(arr.length, 'value')}; each group needs at least ${minEach}`);
    return arr;
  });
}

/**
 * Levene's test for equal variances across k ≥ 2 groups on z_ij = |x_ij − c_i|, with c_i the group mean
 * (`'mean'`, Levene 1960) or median (`'median'`, Brown & Forsythe 1974 — the robust default, as car::leveneTest
 * and the NIST example). W = [(N − k) Σ nᵢ(z̄ᵢ − z̄)²] / [(k − 1) ΣΣ (z_ij − z̄ᵢ)²] ~ F(k − 1, N − k).
 */
export function leveneTest(
  groups: ReadonlyArray<ArrayLike<number>>,
  center: 'mean' | 'median' = 'median',
  options: GroupSortOptions = {},
): LeveneResult {
  const gs = checkGroups(groups, 2, 'Levene test');
  const k = gs.length;
  const sorted = options.sortedGroups;
  if (sorted !== undefined && (sorted.length !== gs.length || sorted.some((s, i) => s.length !== gs[i]!.length))) {
    throw new StatsInputError('Levene test: sortedGroups must hold a sorted copy of every group, in the same order');
  }
  const zs = gs.map((g, i) => {
    const c = center === 'mean' ? meanOf(g) : medianSorted(sorted?.[i] ?? sortedCopy(g));
    const z = new Float64Array(g.length);
    for (let j = 0; j < g.length; j++) z[j] = Math.abs(g[j]! - c);
    return z;
  });
  let nTotal = 0;
  let zSum = 0;
  const zMeans = zs.map((z) => {
    nTotal += z.length;
    let s = 0;
    for (let j = 0; j < z.length; j++) s += z[j]!;
    zSum += s;
    return s / z.length;
  });
  const zGrand = zSum / nTotal;
  let between = 0;
  let within = 0;
  zs.forEach((z, i) => {
    const m = zMeans[i]!;
    between += z.length * (m - zGrand) * (m - zGrand);
    for (let j = 0; j < z.length; j++) within += (z[j]! - m) * (z[j]! - m);
  });
  const df1 = k - 1;
  const df2 = nTotal - k;
  if (!(within > 0)) throw new StatsInputError('Levene test: every group has constant absolute deviations, so W is undefined');
  const w = (df2 * between) / (df1 * within);
  return { center, w, df1, df2, pValue: fUpperTail(w, df1, df2) };
}

/** Fast path for callers that have sorted the groups already (a lot evaluation sorts each chart once). */
export interface GroupSortOptions {
  /** Each group sorted ascending, parallel to `groups` (used for the medians only; the groups keep their order). */
  readonly sortedGroups?: readonly Float64Array[];
}

/** Brown–Forsythe test = Levene's test centred on group medians. */
export function brownForsytheTest(groups: ReadonlyArray<ArrayLike<number>>, options: GroupSortOptions = {}): LeveneResult {
  return leveneTest(groups, 'median', options);
}

export interface KolmogorovSmirnovResult {
  /** D = sup |F₁(x) − F₂(x)|. */
  readonly d: number;
  /** λ = √(n₁n₂/(n₁ + n₂))·D. */
  readonly lambda: number;
  /** Asymptotic p = Q_KS(λ). */
  readonly pValue: number;
  readonly n1: number;
  readonly n2: number;
  /**
   * True when some value occurs in both samples or twice within one (typical of quantized station data).
   * The Kolmogorov distribution assumes continuous data; with ties the test is conservative (the true p is
   * smaller than reported), as R's `ks.test` warns.
   */
  readonly ties: boolean;
}

/**
 * Two-sample Kolmogorov–Smirnov test with the asymptotic p-value (accurate for n₁n₂/(n₁+n₂) ≳ 4·10).
 * `options.sorted`: both samples are already ascending (the test is order-free, so a caller holding sorted
 * copies skips two sorts); checked in one pass, since unsorted input would give a wrong D silently.
 */
export function kolmogorovSmirnovTwoSample(
  sample1: ArrayLike<number>,
  sample2: ArrayLike<number>,
  options: { readonly sorted?: boolean } = {},
): KolmogorovSmirnovResult {
  const groups = checkGroups([sample1, sample2], 1, 'Kolmogorov–Smirnov test');
  if (options.sorted) for (const g of groups) assertAscending(g, 'Kolmogorov–Smirnov test');
  const [a, b] = (options.sorted ? groups : groups.map((g) => sortedCopy(g))) as [Float64Array, Float64Array];
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let d = 0;
  let ties = false;
  while (i < n1 && j < n2) {
    const x = Math.min(a[i]!, b[j]!);
    let ca = 0;
    let cb = 0;
    while (i < n1 && a[i] === x) {
      i++;
      ca++;
    }
    while (j < n2 && b[j] === x) {
      j++;
      cb++;
    }
    if (ca + cb > 1) ties = true;
    const diff = Math.abs(i / n1 - j / n2);
    if (diff > d) d = diff;
  }
  if (!ties) {
    // remaining tails cannot raise D (one ECDF is already 1) but may hold within-sample ties
    for (let r = i + 1; r < n1; r++) if (a[r] === a[r - 1]) ties = true;
    for (let r = j + 1; r < n2; r++) if (b[r] === b[r - 1]) ties = true;
  }
  const lambda = Math.sqrt((n1 * n2) / (n1 + n2)) * d;
  return { d, lambda, pValue: kolmogorovSurvival(lambda), n1, n2, ties };
}

export interface EquivalenceResult {
  readonly margin: number;
  readonly alpha: number;
  readonly meanDifference: number;
  readonly standardError: number;
  readonly df: number;
  /** t for H₀₁: Δ ≤ −margin. */
  readonly tLower: number;
  /** t for H₀₂: Δ ≥ +margin. */
  readonly tUpper: number;
  readonly pLower: number;
  readonly pUpper: number;
  /** max(pLower, pUpper): equivalence is shown when p < α. */
  readonly pValue: number;
  readonly equivalent: boolean;
  /** The (1 − 2α) confidence interval of Δ; equivalence ⇔ it lies inside (−margin, +margin). */
  readonly confidenceInterval: readonly [number, number];
}

/**
 * TOST equivalence test (Schuirmann 1987) of the mean difference Δ = μ_lot − μ_base within ±margin, using two
 * one-sided Welch t tests; p = max of the two. The lot is "equivalent" when p < α (default 0.05).
 */
export function equivalenceTost(lot: Sample, baseline: Sample, margin: number, alpha = 0.05): EquivalenceResult {
  if (!(margin > 0) || !Number.isFinite(margin))
    throw new StatsInputError(`equivalence margin is ${margin}; it must be a positive number in the parameter's unit`);
  if (!(alpha > 0 && alpha < 0.5)) throw new StatsInputError(`alpha is ${alpha}; it must lie in (0, 0.5)`);
  const w = welchTTest(lot, baseline);
  const { meanDifference: diff, standardError: se, df } = w;
  const tLower = (diff + margin) / se;
  const tUpper = (diff - margin) / se;
  const pLower = tUpperTail(tLower, df);
  const pUpper = tCdf(tUpper, df);
  const pValue = Math.max(pLower, pUpper);
  const q = tQuantile(1 - alpha, df);
  return {
    margin,
    alpha,
    meanDifference: diff,
    standardError: se,
    df,
    tLower,
    tUpper,
    pLower,
    pUpper,
    pValue,
    equivalent: pValue < alpha,
    confidenceInterval: [diff - q * se, diff + q * se],
  };
}

export interface BartlettResult {
  /** Bartlett's T, approximately χ² with k − 1 df under equal variances. */
  readonly t: number;
  readonly df: number;
  readonly pValue: number;
}

/**
 * Bartlett's test for equal variances across k ≥ 2 groups (NIST/SEMATECH e-Handbook 1.3.5.7):
 * T = [(N − k) ln s²_p − Σ (nᵢ − 1) ln sᵢ²] / [1 + (Σ 1/(nᵢ − 1) − 1/(N − k)) / (3(k − 1))] ~ χ²(k − 1).
 * Sensitive to non-normality (Levene/Brown–Forsythe is the robust companion).
 */
export function bartlettTest(groups: ReadonlyArray<ArrayLike<number>>): BartlettResult {
  const gs = checkGroups(groups, 2, 'Bartlett test');
  const k = gs.length;
  let nTotal = 0;
  let pooledSs = 0;
  let sumLog = 0;
  let sumInv = 0;
  for (const g of gs) {
    const v = sampleSdOf(g) ** 2;
    if (!(v > 0)) throw new StatsInputError('Bartlett test: a group has zero variance, so ln s² is undefined');
    const df = g.length - 1;
    nTotal += g.length;
    pooledSs += df * v;
    sumLog += df * Math.log(v);
    sumInv += 1 / df;
  }
  const dfPooled = nTotal - k;
  const t = (dfPooled * Math.log(pooledSs / dfPooled) - sumLog) / (1 + (sumInv - 1 / dfPooled) / (3 * (k - 1)));
  return { t, df: k - 1, pValue: 1 - chiSquareCdf(t, k - 1) };
}
