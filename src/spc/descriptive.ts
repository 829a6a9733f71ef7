/**
 * @module Descriptive statistics of one parameter's values (n, mean, s, min, max, median, quartiles), for the
 * columnar Float64Array data a lot is stored as, with honest handling of censored readings.
 *
 * Conventions (pinned, because each changes results in the 3rd–6th digit):
 * - sd uses the n − 1 divisor (sample standard deviation), as qcc, Minitab and the NIST handbook do.
 * - Quartiles and the median are **R type 7** (= numpy 'linear', Excel QUARTILE.INC, simple-statistics
 *   `quantileSorted`): h = (n − 1)p, linear interpolation between order statistics x₍⌊h⌋₊₁₎ and x₍⌈h⌉₊₁₎.
 *   Minitab uses type 6 ((n + 1)p) for its quartiles; the difference matters only for small n.
 * - Mean and variance come from simple-statistics (`mean` is a Neumaier-compensated sum; `sampleVariance`
 *   is the two-pass formula), so 3-million-value lots keep full precision.
 *
 * Censored readings (the station wrote `<-30.0` or `>4.5`: the value is the bound, the truth is beyond it)
 * cannot honestly enter a mean, an SD or an interpolated quantile, so **every location/spread statistic here is
 * computed on the uncensored values only**, and the summary says how many were excluded (`censoredExcluded`).
 * The extremes are different: a below-bound reading tells us the minimum is at or below its bound, so `min`
 * is then reported as that bound with the marker `'<'` (and `max` with `'>'` for above-bound readings).
 * Callers that need more (e.g. a Tobit/Kaplan–Meier estimate) must not pretend these numbers are that.
 */
import { mean as ssMean, quantileSorted as ssQuantileSorted, sampleVariance as ssSampleVariance } from 'simple-statistics';
import { StatsInputError } from './stats-error.js';

/** Parallel censoring codes, as in `LotData.censoring`: 0 none, 1 below the bound, 2 above the bound. */
export type CensoringCodes = ArrayLike<number>;

/** A bound-aware extreme: `marker` is null when exact, '<' when the true value is at or below `value`, '>' at or above. */
export interface Extreme {
  readonly value: number;
  readonly marker: '<' | '>' | null;
}

export interface DescriptiveSummary {
  /** All readings, censored or not. */
  readonly count: number;
  /** Uncensored readings: the n every statistic below is computed from. */
  readonly n: number;
  readonly censoredBelow: number;
  readonly censoredAbove: number;
  /** censoredBelow + censoredAbove: readings left out of mean/sd/quantiles. */
  readonly censoredExcluded: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); NaN when n < 2. */
  readonly sd: number;
  readonly min: Extreme;
  readonly max: Extreme;
  readonly median: number;
  /** R type-7 quartiles. */
  readonly q1: number;
  readonly q3: number;
  readonly iqr: number;
  readonly quantileDefinition: 'R type 7';
}

/**
 * simple-statistics declares `readonly number[]` but only reads `.length` and indexes, so a Float64Array
 * is safe to pass; this one cast keeps the typed-array data from being copied into a JS array.
 */
function asNumbers(x: Float64Array): readonly number[] {
  return x as unknown as readonly number[];
}

/**
 * simple-statistics' `sum` (Neumaier-compensated) step for step, on a Float64Array only: the library's
 * loop is shared with number[] callers, so V8 compiles it for every array kind and a 10,000-value chart
 * paid ~0.5 ms for it; this one is monomorphic. Same operations in the same order, so the same bits
 * (tests/spc/inputs/columnar-moments.test.ts checks it against the library).
 */
function neumaierSum(x: Float64Array): number {
  const n = x.length;
  if (n === 0) return 0;
  let sum = x[0]!;
  let correction = 0;
  // The total is kept up to date in the loop and returned as it is: an addition after the loop would have
  // no type feedback when the loop is compiled while it runs on the first chart, and that compiled loop
  // then bailed out there on later charts (see squaredDeviations). The same additions, so the same bits.
  let total = sum + correction;
  for (let i = 1; i < n; i++) {
    const v = x[i]!;
    const transition = sum + v;
    if (Math.abs(sum) >= Math.abs(v)) correction += sum - transition + v;
    else correction += v - transition + sum;
    sum = transition;
    total = sum + correction;
  }
  return total;
}

/** Arithmetic mean (compensated summation), as simple-statistics' `mean` computes it. */
export function meanOf(values: Float64Array): number {
  if (values.length === 0) throw new StatsInputError('the mean of no values is undefined; check that the parameter has readings');
  return neumaierSum(values) / values.length;
}

/** Sample variance with the n − 1 divisor (two-pass), as simple-statistics' `sampleVariance` computes it. */
export function sampleVarianceOf(values: Float64Array): number {
  if (values.length < 2) throw new StatsInputError(`a sample variance needs at least 2 values, got ${values.length}`);
  const m = neumaierSum(values) / values.length;
  return squaredDeviations(values, m) / (values.length - 1);
}

/**
 * Σ (xᵢ − m)², in index order. A function of its own so that the loop, compiled while it runs on the
 * first chart (on-stack replacement), is not compiled with code after it that has not run yet: on this V8
 * such compiled code bailed out after the loop on every later call (~470 times a 10,000-unit lot).
 */
function squaredDeviations(values: Float64Array, m: number): number {
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i]! - m;
    squares += d * d;
  }
  return squares;
}

/**
 * `meanOf` (NaN for no values) and `sampleSdOf` (NaN for fewer than 2) of the same values, from one
 * compensated sum: the variance's two-pass mean is that same mean, so these are the same two numbers
 * without summing the values twice.
 */
export function momentsOf(values: Float64Array): { readonly mean: number; readonly sd: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN };
  const mean = neumaierSum(values) / n;
  return { mean, sd: n >= 2 ? Math.sqrt(squaredDeviations(values, mean) / (n - 1)) : Number.NaN };
}

/** The library's own mean and sample variance, which {@link meanOf} and {@link sampleVarianceOf} reproduce bit for bit. */
export const referenceMoments = {
  mean: (values: Float64Array): number => ssMean(asNumbers(values)),
  sampleVariance: (values: Float64Array): number => ssSampleVariance(asNumbers(values)),
};

/** Sample standard deviation (n − 1). */
export function sampleSdOf(values: Float64Array): number {
  return Math.sqrt(sampleVarianceOf(values));
}

/** Below this many values the typed-array sort is as quick as the radix sort's fixed passes. */
const RADIX_SORT_FROM = 512;

/** A sorted copy, ascending in the order Float64Array.prototype.sort gives (−0 before +0, NaN last). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  // A Float64Array (every chart series) is copied as a block; Float64Array.from would iterate it.
  const out = values instanceof Float64Array ? values.slice() : Float64Array.from(values);
  if (out.length < RADIX_SORT_FROM) return out.sort();
  return bucketSortInPlace(out);
}

/*
 * The bucket sort's counts and its second buffer, kept between calls like the radix sort's (below).
 */
let bucketCounts = new Int32Array(0);
let bucketScratch = new Float64Array(0);

/**
 * Sorts `a` in place by spreading the values over `n` equal-width buckets between their minimum and
 * maximum (one counting pass, one scatter), then an insertion sort of the nearly sorted result: four
 * passes over a chart's readings where the radix sort makes seven or eight. Measured on 228 synthetic
 * charts of 10,000 readings (normal, 3 decimals): ~53 ms radix, ~29 ms this, ~157 ms the typed-array sort.
 * Whatever it cannot order exactly as Float64Array.prototype.sort does, or not in linear time, goes to
 * radixSortInPlace instead: NaN, an infinity, −0 (which must precede +0, and compares equal to it), a
 * range too small or too large to scale, and readings so clustered that the insertion sort would move
 * more than 8 places per value on average (a few far outliers beside a tight cluster). Equal values are
 * then the same double, so their order cannot show.
 */
export function bucketSortInPlace(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < 2) return a;
  // Math.min and Math.max give NaN when any value is NaN (the scale is then NaN), and −0 below +0.
  const min = minimumOf(a);
  const max = maximumOf(a);
  const scale = (n - 1) / (max - min);
  if (!(scale > 0) || !Number.isFinite(scale)) return radixSortInPlace(a);
  // −0 compares equal to +0 but must come first: only a range that holds 0 can hold either.
  if (min <= 0 && max >= 0 && hasNegativeZero(a)) return radixSortInPlace(a);
  if (bucketScratch.length < n) {
    bucketScratch = new Float64Array(n);
    bucketCounts = new Int32Array(n);
  }
  const counts = bucketCounts.fill(0, 0, n);
  const sorted = bucketScratch;
  // (v − min)·scale ≤ (max − min)·scale, which rounds to at most n − 1 (never n): every index is a bucket.
  countBuckets(a, min, scale, counts);
  bucketStarts(counts, n);
  spreadIntoBuckets(a, min, scale, counts, sorted);
  if (insertionSortMoves(sorted, n, 8 * n) > 8 * n) return radixSortInPlace(a);
  a.set(sorted.subarray(0, n));
  return a;
}

/*
 * One loop per function, returning only what the loop carried: a loop compiled while it runs on the first
 * chart (on-stack replacement) is compiled with the code after it, which has not run yet, and that code
 * then bailed out on every later chart (see squaredDeviations).
 */

function minimumOf(a: Float64Array): number {
  let min = a[0]!;
  for (let i = 1; i < a.length; i++) min = Math.min(min, a[i]!);
  return min;
}

function maximumOf(a: Float64Array): number {
  let max = a[0]!;
  for (let i = 1; i < a.length; i++) max = Math.max(max, a[i]!);
  return max;
}

function hasNegativeZero(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] === 0 && 1 / a[i]! < 0) return true;
  return false;
}

/** How many values fall in each bucket ⌊(v − min)·scale⌋ (`counts` zeroed). */
function countBuckets(a: Float64Array, min: number, scale: number, counts: Int32Array): void {
  for (let i = 0; i < a.length; i++) counts[((a[i]! - min) * scale) | 0]!++;
}

/** Each of the first `n` counts replaced by where its bucket starts. */
function bucketStarts(counts: Int32Array, n: number): void {
  let start = 0;
  for (let b = 0; b < n; b++) {
    const c = counts[b]!;
    counts[b] = start;
    start += c;
  }
}

/** Writes `a`'s values into `to` in bucket order (`starts` from bucketStarts; each ends as the next bucket's start). */
function spreadIntoBuckets(a: Float64Array, min: number, scale: number, starts: Int32Array, to: Float64Array): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    to[starts[((v - min) * scale) | 0]!++] = v;
  }
}

/**
 * Insertion sort of the first `n` values of `s`; returns how many places values were moved, stopping once
 * that exceeds `budget` (`s` then holds the same values, partly sorted).
 */
function insertionSortMoves(s: Float64Array, n: number, budget: number): number {
  let moves = 0;
  for (let i = 1; i < n && moves <= budget; i++) {
    const x = s[i]!;
    let j = i - 1;
    while (j >= 0 && s[j]! > x) {
      s[j + 1] = s[j]!;
      j--;
    }
    s[j + 1] = x;
    moves += i - 1 - j;
  }
  return moves;
}

/*
 * The radix sort's digit counts and its second buffer, kept between calls (a lot sorts a few hundred
 * charts of the same length): two allocations of ~200 kB per chart were external memory the collector
 * was pressed to reclaim. Only radixSortInPlace touches them, and it never re-enters itself.
 */
const radixCounts = new Int32Array(6 * 2048);
let radixScratch = new Uint32Array(0);

/**
 * Sorts `a` in place by an LSD radix sort over the IEEE-754 bits (six passes of 11 bits; a pass whose digit
 * is the same for every value, as the exponent's top bits usually are, is skipped): measured ~2× less CPU
 * than the typed-array sort on a chart's 10,000 readings, the commonest sort of a lot's evaluation.
 * Each double is mapped to an unsigned key that orders like the number (negative: every bit flipped;
 * otherwise the sign bit set), which puts −0 before +0 and NaN (positive quiet NaN) last, as
 * Float64Array.prototype.sort does, so the sorted values are the same (tests/spc/inputs/radix-sort.test.ts).
 */
export function radixSortInPlace(a: Float64Array): Float64Array {
  const n = a.length;
  // NaN keys would order by their payload and sign; leave any NaN to the typed-array sort, which puts them last.
  for (let i = 0; i < n; i++) if (a[i] !== a[i]) return a.sort();
  const words = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1]!;
    if (hi & 0x80000000) {
      words[2 * i + 1] = ~hi;
      words[2 * i] = ~words[2 * i]!;
    } else words[2 * i + 1] = (hi | 0x80000000) >>> 0;
  }
  const counts = radixCounts.fill(0);
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i]!;
    const hi = words[2 * i + 1]!;
    counts[lo & 2047]!++;
    counts[2048 + ((lo >>> 11) & 2047)]!++;
    counts[4096 + (((lo >>> 22) | (hi << 10)) & 2047)]!++;
    counts[6144 + ((hi >>> 1) & 2047)]!++;
    counts[8192 + ((hi >>> 12) & 2047)]!++;
    counts[10240 + (hi >>> 23)]!++;
  }
  let from: Uint32Array = words;
  if (radixScratch.length < 2 * n) radixScratch = new Uint32Array(2 * n);
  let to: Uint32Array = radixScratch;
  for (let pass = 0; pass < 6; pass++) {
    const offset = pass * 2048;
    let start = 0;
    let allInOne = false;
    for (let d = 0; d < 2048; d++) {
      const c = counts[offset + d]!;
      if (c === n) allInOne = true;
      counts[offset + d] = start;
      start += c;
    }
    if (allInOne) continue;
    for (let i = 0; i < n; i++) {
      const lo = from[2 * i]!;
      const hi = from[2 * i + 1]!;
      const d = radixDigit(pass, lo, hi);
      const j = counts[offset + d]!++;
      to[2 * j] = lo;
      to[2 * j + 1] = hi;
    }
    const t = from;
    from = to;
    to = t;
  }
  // Back from keys to doubles, into `a` (the keys may have ended in the scratch array).
  for (let i = 0; i < n; i++) {
    const lo = from[2 * i]!;
    const hi = from[2 * i + 1]!;
    if (hi & 0x80000000) {
      words[2 * i] = lo;
      words[2 * i + 1] = hi & 0x7fffffff;
    } else {
      words[2 * i] = ~lo;
      words[2 * i + 1] = ~hi;
    }
  }
  return a;
}

/** The 11-bit digit `pass` (0 = lowest) of the 64-bit key (lo, hi). */
function radixDigit(pass: number, lo: number, hi: number): number {
  switch (pass) {
    case 0:
      return lo & 2047;
    case 1:
      return (lo >>> 11) & 2047;
    case 2:
      return ((lo >>> 22) | (hi << 10)) & 2047;
    case 3:
      return (hi >>> 1) & 2047;
    case 4:
      return (hi >>> 12) & 2047;
    default:
      return hi >>> 23;
  }
}

/** R type-7 quantile of already-sorted values (p in [0, 1]). */
export function quantileType7(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) throw new StatsInputError('a quantile of no values is undefined');
  if (!(p >= 0 && p <= 1)) throw new StatsInputError(`quantile probability ${p} must lie in [0, 1]`);
  return ssQuantileSorted(asNumbers(sorted), p);
}

/** Median of already-sorted values (type 7 at p = 0.5, i.e. the usual middle / mean of the two middles). */
export function medianSorted(sorted: Float64Array): number {
  return quantileType7(sorted, 0.5);
}

/**
 * The uncensored values (all of them when `censoring` is absent). Throws if the arrays differ in length,
 * because a misaligned censoring column would silently censor the wrong readings.
 */
export function uncensoredValues(values: Float64Array, censoring?: CensoringCodes): Float64Array {
  if (!censoring) return values;
  if (censoring.length !== values.length) {
    throw new StatsInputError(
      `censoring codes (${censoring.length}) and values (${values.length}) differ in length; they must be parallel arrays`,
    );
  }
  let kept = 0;
  for (let i = 0; i < censoring.length; i++) if (censoring[i] === 0) kept++;
  if (kept === values.length) return values;
  const out = new Float64Array(kept);
  let j = 0;
  for (let i = 0; i < values.length; i++) if (censoring[i] === 0) out[j++] = values[i]!;
  return out;
}

/**
 * Stands in for the sorted values when no quantile is wanted: as long as `values`, with the smallest first
 * and the largest last (all describe then reads of it), found in one pass instead of a sort.
 */
function extremesOnly(values: Float64Array): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  out[0] = smallestOf(values);
  out[n - 1] = largestOf(values);
  return out;
}

/*
 * smallestOf and largestOf are loops of their own, returning only what they carried: as one loop with the
 * two stores after it, the code compiled while it ran on the first chart (on-stack replacement) bailed out
 * at those stores on later charts, and the certificate summaries' scan ran in the interpreter (~50 ms of a
 * 10,000-unit lot's evaluation).
 */

/** The first smallest value (values finite, not empty). */
function smallestOf(values: Float64Array): number {
  let min = values[0]!;
  for (let i = 1; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
  }
  return min;
}

/** The first largest value (values finite, not empty). */
function largestOf(values: Float64Array): number {
  let max = values[0]!;
  for (let i = 1; i < values.length; i++) {
    const v = values[i]!;
    if (v > max) max = v;
  }
  return max;
}

/**
 * How many readings are censored, refusing non-finite values and unknown codes. Returns a plain local:
 * see squaredDeviations — any operation after a loop compiled while it runs (describe's code after it
 * differs from chart to chart: another array map) made the compiled loop bail out on every chart.
 */
function checkedCensoredCount(values: Float64Array, censoring: CensoringCodes | undefined): number {
  let censored = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new StatsInputError(`value[${i}] is ${v}; every reading must be finite (quarantine it at ingest)`);
    }
    const c = censoring ? censoring[i]! : 0;
    if (c === 1 || c === 2) censored++;
    else if (c !== 0) {
      throw new StatsInputError(`censoring[${i}] is ${c}; codes are 0 (none), 1 (below bound), 2 (above bound)`);
    }
  }
  return censored;
}

interface CensoredExtremes {
  readonly below: number;
  readonly above: number;
  readonly belowMin: number;
  readonly belowMax: number;
  readonly aboveMin: number;
  readonly aboveMax: number;
}

const NONE_CENSORED: CensoredExtremes = Object.freeze({
  below: 0,
  above: 0,
  belowMin: Infinity,
  belowMax: -Infinity,
  aboveMin: Infinity,
  aboveMax: -Infinity,
});

/** Counts and extremes of the censored readings (codes already checked). */
function censoredExtremes(values: Float64Array, censoring: CensoringCodes | undefined): CensoredExtremes {
  let below = 0;
  let above = 0;
  let belowMin = Infinity;
  let aboveMax = -Infinity;
  let aboveMin = Infinity;
  let belowMax = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const c = censoring ? censoring[i]! : 0;
    if (c === 1) {
      below++;
      if (v < belowMin) belowMin = v;
      if (v > belowMax) belowMax = v;
    } else if (c === 2) {
      above++;
      if (v > aboveMax) aboveMax = v;
      if (v < aboveMin) aboveMin = v;
    }
  }
  return { below, above, belowMin, belowMax, aboveMin, aboveMax };
}

/** Fast paths for callers that already hold work {@link describe} would redo. */
export interface DescribeOptions {
  /**
   * The uncensored values sorted ascending, when the caller has sorted them already (a lot evaluation sorts
   * each chart's values once and shares them). Must be exactly the uncensored values; not re-checked.
   */
  readonly sortedUncensored?: Float64Array;
  /**
   * false: no median or quartiles (NaN), so nothing is sorted — for callers that read only n, mean, sd and
   * the extremes (a certificate's summary), which are the same numbers either way. @defaultValue true
   */
  readonly quantiles?: boolean;
  /**
   * `meanOf` and `sampleSdOf` of the uncensored values (sd only for 2 or more), when the caller has them
   * already. Must be exactly those results; not re-checked.
   */
  readonly moments?: { readonly mean: number; readonly sd: number };
}

/**
 * Summary statistics of one parameter. `censoring` (optional) is parallel to `values`.
 * Throws on NaN/±Infinity (ingest should have quarantined them) and on an empty input.
 */
export function describe(values: Float64Array, censoring?: CensoringCodes, options: DescribeOptions = {}): DescriptiveSummary {
  if (values.length === 0) throw new StatsInputError('no values to describe; the parameter has no readings in this selection');
  if (censoring && censoring.length !== values.length) {
    throw new StatsInputError(
      `censoring codes (${censoring.length}) and values (${values.length}) differ in length; they must be parallel arrays`,
    );
  }
  const { below, above, belowMin, belowMax, aboveMin, aboveMax } =
    checkedCensoredCount(values, censoring) === 0 ? NONE_CENSORED : censoredExtremes(values, censoring);
  const kept = uncensoredValues(values, censoring);
  const n = kept.length;
  const sorted = options.quantiles === false ? extremesOnly(kept) : (options.sortedUncensored ?? sortedCopy(kept));
  if (sorted.length !== n)
    throw new StatsInputError(
      `sortedUncensored has ${sorted.length} values but ${n} readings are uncensored; pass the sorted uncensored values`,
    );

  let min: Extreme;
  let max: Extreme;
  if (n > 0) {
    min = below > 0 ? { value: Math.min(sorted[0]!, belowMin), marker: '<' } : { value: sorted[0]!, marker: null };
    max = above > 0 ? { value: Math.max(sorted[n - 1]!, aboveMax), marker: '>' } : { value: sorted[n - 1]!, marker: null };
  } else {
    // Only censored readings: the extremes are known only as bounds.
    min = below > 0 ? { value: belowMin, marker: '<' } : { value: aboveMin, marker: '>' };
    max = above > 0 ? { value: aboveMax, marker: '>' } : { value: belowMax, marker: '<' };
  }
  const quantiles = n > 0 && options.quantiles !== false;
  const moments = options.moments ?? momentsOf(kept);
  const q1 = quantiles ? quantileType7(sorted, 0.25) : NaN;
  const q3 = quantiles ? quantileType7(sorted, 0.75) : NaN;
  return {
    count: values.length,
    n,
    censoredBelow: below,
    censoredAbove: above,
    censoredExcluded: below + above,
    mean: n > 0 ? moments.mean : NaN,
    sd: n > 1 ? moments.sd : NaN,
    min,
    max,
    median: quantiles ? quantileType7(sorted, 0.5) : NaN,
    q1,
    q3,
    iqr: q3 - q1,
    quantileDefinition: 'R type 7',
  };
}
