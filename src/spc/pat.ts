/**
 * @module Part Average Testing (AEC-Q001 style): remove parts that pass the specification but are outliers
 * against their own population, because such parts fail early in the field.
 *
 * Robust centre = median, robust sigma = (Q3 − Q1)/1.35 (the IQR of a normal distribution is 1.349σ);
 * PAT limits = median ± k·σ_robust, k = 6 by default.
 * - static limits: from a reference population (several qualified lots), refreshed periodically;
 * - dynamic limits: the same formula on the current lot's **passing** parts (inside spec);
 * - final limits: per side, the tighter of static and dynamic, and never outside the spec limits.
 * Quartiles are **R type 7** (linear interpolation, h = (n − 1)p). AEC-Q001 does not fix the quartile
 * definition; with lots of hundreds of parts the choice moves the limits by far less than a reading's
 * resolution. Not verified against the AEC-Q001 text (not obtainable here): check minimum sample sizes
 * and any dynamic-limit clamps of rev D/E before relying on this for automotive customers.
 */
import { medianSorted, quantileType7, sortedCopy } from './descriptive.js';
import { StatsInputError, requireFinite } from './stats-error.js';

/** AEC-Q001 uses 6 robust sigmas. */
export const DEFAULT_PAT_K = 6;
/** IQR of the standard normal ≈ 1.349; AEC-Q001 rounds to 1.35. */
export const IQR_TO_SIGMA = 1.35;

export interface PatLimits {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly robustSigma: number;
  readonly k: number;
  readonly lower: number;
  readonly upper: number;
  /** Number of values the limits were computed from. */
  readonly n: number;
}

export interface PatOutlier {
  readonly index: number;
  readonly value: number;
  readonly limit: 'lower' | 'upper';
  readonly limitValue: number;
}

export interface PatResult {
  readonly static: PatLimits | null;
  readonly dynamic: PatLimits;
  /** Final limits: per side the tighter of static/dynamic, clamped inside the spec. */
  readonly lower: number;
  readonly upper: number;
  /** Which rule set each final limit. */
  readonly lowerSource: 'static' | 'dynamic' | 'spec';
  readonly upperSource: 'static' | 'dynamic' | 'spec';
  /** Parts inside spec but outside the final PAT limits (spec failures are not PAT outliers). */
  readonly outliers: readonly PatOutlier[];
  readonly partsEvaluated: number;
}

/** Robust PAT limits of a population: median ± k·(Q3 − Q1)/1.35, type-7 quartiles. */
export function patLimits(values: ArrayLike<number>, k = DEFAULT_PAT_K, options: { readonly sorted?: boolean } = {}): PatLimits {
  if (!(k > 0)) throw new StatsInputError(`PAT k is ${k}; it must be positive (AEC-Q001 uses 6)`);
  requireFinite(values, 'PAT population');
  if (values.length < 4) throw new StatsInputError(`PAT limits need at least 4 parts to have quartiles, got ${values.length}`);
  // `sorted`: the caller passes an ascending Float64Array (checked in one pass; the limits are order-free).
  const sorted = options.sorted && values instanceof Float64Array && isAscending(values) ? values : sortedCopy(values);
  const q1 = quantileType7(sorted, 0.25);
  const q3 = quantileType7(sorted, 0.75);
  const median = medianSorted(sorted);
  const robustSigma = (q3 - q1) / IQR_TO_SIGMA;
  return { median, q1, q3, robustSigma, k, lower: median - k * robustSigma, upper: median + k * robustSigma, n: sorted.length };
}

export interface PatOptions {
  readonly lsl: number | null;
  readonly usl: number | null;
  /** Static limits from the reference population; omit for dynamic-only PAT. */
  readonly staticLimits?: PatLimits | null;
  readonly k?: number;
  /** `values` sorted ascending, when the caller has it already: the in-spec parts are then taken from it unsorted again. */
  readonly sortedValues?: Float64Array;
}

function isAscending(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i - 1]! <= values[i]!)) return false;
  return true;
}

function inSpec(v: number, lsl: number | null, usl: number | null): boolean {
  return (lsl === null || v >= lsl) && (usl === null || v <= usl);
}

/**
 * Apply PAT to one lot's values of one parameter. Dynamic limits come from the lot's in-spec parts; the final
 * limits are the tighter of static/dynamic per side, never looser than the spec; outliers are in-spec parts
 * beyond the final limits, reported with their index (into `values`), value and which limit they broke.
 */
export function partAverageTest(values: ArrayLike<number>, options: PatOptions): PatResult {
  const { lsl, usl } = options;
  if (lsl !== null && usl !== null && !(lsl < usl))
    throw new StatsInputError(`LSL ${lsl} is not below USL ${usl}; correct the product spec`);
  requireFinite(values, 'lot values');
  let dynamic: PatLimits;
  const sortedValues = options.sortedValues;
  if (sortedValues !== undefined && sortedValues.length === values.length) {
    // Sorted values stay sorted when filtered: the in-spec parts are one contiguous run of them.
    let lo = 0;
    let hi = sortedValues.length;
    while (lo < hi && !inSpec(sortedValues[lo]!, lsl, usl)) lo++;
    while (hi > lo && !inSpec(sortedValues[hi - 1]!, lsl, usl)) hi--;
    dynamic = patLimits(sortedValues.subarray(lo, hi), options.k ?? DEFAULT_PAT_K, { sorted: true });
  } else {
    const passing: number[] = [];
    for (let i = 0; i < values.length; i++) if (inSpec(values[i]!, lsl, usl)) passing.push(values[i]!);
    dynamic = patLimits(passing, options.k ?? DEFAULT_PAT_K);
  }
  const st = options.staticLimits ?? null;

  let lower = dynamic.lower;
  let lowerSource: PatResult['lowerSource'] = 'dynamic';
  if (st && st.lower > lower) {
    lower = st.lower;
    lowerSource = 'static';
  }
  if (lsl !== null && lsl > lower) {
    lower = lsl;
    lowerSource = 'spec';
  }
  let upper = dynamic.upper;
  let upperSource: PatResult['upperSource'] = 'dynamic';
  if (st && st.upper < upper) {
    upper = st.upper;
    upperSource = 'static';
  }
  if (usl !== null && usl < upper) {
    upper = usl;
    upperSource = 'spec';
  }

  const outliers: PatOutlier[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!inSpec(v, lsl, usl)) continue;
    if (v < lower) outliers.push({ index: i, value: v, limit: 'lower', limitValue: lower });
    else if (v > upper) outliers.push({ index: i, value: v, limit: 'upper', limitValue: upper });
  }
  return { static: st, dynamic, lower, upper, lowerSource, upperSource, outliers, partsEvaluated: values.length };
}
