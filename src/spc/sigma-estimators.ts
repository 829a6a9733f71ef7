/**
 * @module sigma-estimators — within-subgroup ("short-term") σ̂ estimators of spc-reference §1.1:
 * moving range (individuals), mean range, mean SD and pooled SD (subgroups), plus the per-subgroup
 * statistics they are built from.
 *
 * Subgroups come either as an array of arrays, or flat: `{ values, sizes }` where `sizes` is one
 * number (all subgroups equal) or one size per subgroup — the flat form avoids allocating an array per
 * subgroup when a million values are charted.
 */
import { c4, d2 } from './constants.js';
import { SpcInputError, assertFiniteSeries, assertMinLength } from './spc-error.js';

/** Subgroups as nested arrays, or flat values cut into consecutive subgroups of the given sizes. */
export type SubgroupInput =
  ReadonlyArray<ArrayLike<number>> | { readonly values: ArrayLike<number>; readonly sizes: number | ArrayLike<number> };

/** Per-subgroup statistics, each aligned with the subgroups. */
export interface SubgroupStats {
  readonly count: number;
  readonly sizes: Int32Array;
  readonly means: Float64Array;
  readonly ranges: Float64Array;
  /** Sample SD (divisor n_i − 1); NaN for a subgroup of one. */
  readonly sds: Float64Array;
  /** True when every subgroup has the same size. */
  readonly equalSizes: boolean;
  readonly totalObservations: number;
}

/**
 * Computes size, mean, range and SD of every subgroup in one pass (Welford's update for the SD, so
 * large offsets such as 74.001 mm do not lose digits).
 */
export function subgroupStats(input: SubgroupInput): SubgroupStats {
  let m: number;
  let sizeAt: (i: number) => number;
  let valueAt: (i: number, j: number, offset: number) => number;
  if (Array.isArray(input)) {
    const groups = input as ReadonlyArray<ArrayLike<number>>;
    m = groups.length;
    sizeAt = (i) => (groups[i] as ArrayLike<number>).length;
    valueAt = (i, j) => (groups[i] as ArrayLike<number>)[j] as number;
  } else {
    const flat = input as { readonly values: ArrayLike<number>; readonly sizes: number | ArrayLike<number> };
    const values = flat.values;
    const sizes = flat.sizes;
    if (typeof sizes === 'number') {
      if (!Number.isInteger(sizes) || sizes < 1)
        throw new SpcInputError(`subgroup size must be a positive integer, got ${String(sizes)}`, { value: sizes });
      if (values.length % sizes !== 0) {
        throw new SpcInputError(
          `${values.length} values do not split into subgroups of ${sizes}; give per-subgroup sizes for a ragged last subgroup`,
        );
      }
      m = values.length / sizes;
      sizeAt = () => sizes;
    } else {
      m = sizes.length;
      let total = 0;
      for (let i = 0; i < m; i++) {
        const s = sizes[i] as number;
        if (!Number.isInteger(s) || s < 1)
          throw new SpcInputError(`subgroup ${i}: size must be a positive integer, got ${String(s)}`, { index: i, value: s });
        total += s;
      }
      if (total !== values.length) throw new SpcInputError(`subgroup sizes add up to ${total} but ${values.length} values were given`);
      sizeAt = (i) => sizes[i] as number;
    }
    valueAt = (_i, j, offset) => values[offset + j] as number;
  }
  if (m === 0) throw new SpcInputError('no subgroups given; a chart needs at least 2 subgroups');

  const sizes = new Int32Array(m);
  const means = new Float64Array(m);
  const ranges = new Float64Array(m);
  const sds = new Float64Array(m);
  let offset = 0;
  let equal = true;
  for (let i = 0; i < m; i++) {
    const n = sizeAt(i);
    if (n === 0) throw new SpcInputError(`subgroup ${i} is empty`, { index: i });
    let mean = 0;
    let m2 = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = valueAt(i, j, offset);
      if (!Number.isFinite(v)) {
        throw new SpcInputError(
          `subgroup ${i}, value ${j} (observation ${offset + j}) is ${String(v)}; control charts need finite numbers`,
          {
            index: offset + j,
            value: v,
          },
        );
      }
      const delta = v - mean;
      mean += delta / (j + 1);
      m2 += delta * (v - mean);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    sizes[i] = n;
    means[i] = mean;
    ranges[i] = hi - lo;
    sds[i] = n > 1 ? Math.sqrt(m2 / (n - 1)) : NaN;
    if (n !== sizes[0]) equal = false;
    offset += n;
  }
  return { count: m, sizes, means, ranges, sds, equalSizes: equal, totalObservations: offset };
}

function requireSubgroupsOfTwo(stats: SubgroupStats, what: string): void {
  if (stats.count < 2) throw new SpcInputError(`${what}: ${stats.count} subgroup given; at least 2 are needed`);
  for (let i = 0; i < stats.count; i++) {
    if ((stats.sizes[i] as number) < 2) {
      throw new SpcInputError(
        `${what}: subgroup ${i} has size ${stats.sizes[i]}; X̄-R/X̄-S need subgroups of at least 2 (use the I-MR chart for single values)`,
        {
          index: i,
        },
      );
    }
  }
}

/** σ̂ = (1/m) Σ R_i/d2(n_i)  (R̄/d2 for equal sizes; qcc "UWAVE-R"). */
export function meanRangeSigma(stats: SubgroupStats): number {
  requireSubgroupsOfTwo(stats, 'mean-range sigma');
  let s = 0;
  for (let i = 0; i < stats.count; i++) s += (stats.ranges[i] as number) / d2(stats.sizes[i] as number);
  return s / stats.count;
}

/** σ̂ = (1/m) Σ s_i/c4(n_i)  (S̄/c4 for equal sizes; qcc "UWAVE-SD"). */
export function meanSdSigma(stats: SubgroupStats): number {
  requireSubgroupsOfTwo(stats, 'mean-SD sigma');
  let s = 0;
  for (let i = 0; i < stats.count; i++) s += (stats.sds[i] as number) / c4(stats.sizes[i] as number);
  return s / stats.count;
}

/** σ̂ = s_p / c4(d+1), s_p = √(Σ(n_i−1)s_i² / d), d = Σ(n_i−1)  (Minitab "pooled SD"; qcc "RMSDF" without c4). */
export function pooledSdSigma(stats: SubgroupStats): { sigma: number; pooledSd: number; degreesOfFreedom: number } {
  requireSubgroupsOfTwo(stats, 'pooled-SD sigma');
  let ss = 0;
  let dfSum = 0;
  for (let i = 0; i < stats.count; i++) {
    const df = (stats.sizes[i] as number) - 1;
    const s = stats.sds[i] as number;
    ss += df * s * s;
    dfSum += df;
  }
  const sp = Math.sqrt(ss / dfSum);
  return { sigma: sp / c4(dfSum + 1), pooledSd: sp, degreesOfFreedom: dfSum };
}

/** Moving ranges of span w (range of w consecutive points) and σ̂ = MR̄/d2(w). */
export interface MovingRangeEstimate {
  readonly sigma: number;
  readonly mrBar: number;
  readonly span: number;
  /** movingRanges[j] belongs to observation j + span − 1. */
  readonly movingRanges: Float64Array;
}

/** σ̂ from the average moving range (I-MR charts, spc-reference §1.1). */
export function movingRangeSigma(values: ArrayLike<number>, span = 2): MovingRangeEstimate {
  if (!Number.isInteger(span) || span < 2)
    throw new SpcInputError(`moving-range span must be an integer ≥ 2, got ${String(span)}`, { value: span });
  assertMinLength(values, span, 'moving-range sigma');
  assertFiniteSeries(values, 'moving-range sigma');
  const n = values.length;
  const mr = new Float64Array(n - span + 1);
  const sum = span === 2 ? movingRangesOfTwo(values, mr) : movingRangesOfSpan(values, span, mr);
  const mrBar = sum / mr.length;
  return { sigma: mrBar / d2(span), mrBar, span, movingRanges: mr };
}

/*
 * The loops are functions of their own, returning only their sum: compiled while it ran on the first
 * chart (on-stack replacement) inside movingRangeSigma, the loop bailed out on the code after it on
 * later calls of a 10,000-unit lot, which then ran that code in the interpreter.
 */

/** |xᵢ − xᵢ₋₁| into `mr`; returns their sum. Math.abs: the same double as the larger minus the smaller, without a branch on which it is. */
function movingRangesOfTwo(values: ArrayLike<number>, mr: Float64Array): number {
  let sum = 0;
  let prev = values[0] as number;
  for (let i = 1; i < values.length; i++) {
    const v = values[i] as number;
    const r = Math.abs(v - prev);
    mr[i - 1] = r;
    sum += r;
    prev = v;
  }
  return sum;
}

/** The range of each window of `span` values into `mr`; returns their sum. */
function movingRangesOfSpan(values: ArrayLike<number>, span: number, mr: Float64Array): number {
  let sum = 0;
  for (let i = span - 1; i < values.length; i++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = i - span + 1; j <= i; j++) {
      const v = values[j] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    mr[i - span + 1] = hi - lo;
    sum += hi - lo;
  }
  return sum;
}
