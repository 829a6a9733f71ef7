/**
 * @module Lane-to-lane spread of a multi-lane module (e.g. the four transmit lanes of a 400G-DR4 part).
 *
 * Per unit: the range (max − min) and the sample sd across its lanes — a unit with one weak lane can pass every
 * per-lane limit and still be a bad part. Across a lot: a summary of those per-unit spreads, and per-lane means
 * with their range, which exposes a systematic lane offset (a fixture channel, a fibre-array position).
 */
import { meanOf, quantileType7, sortedCopy } from './descriptive.js';
import { StatsInputError } from './stats-error.js';

export interface UnitLaneSpread {
  readonly unit: number;
  /** Lanes with a value (NaN lanes are skipped). */
  readonly lanes: number;
  readonly range: number;
  /** Sample sd across lanes (n − 1); NaN with fewer than 2 lanes. */
  readonly sd: number;
}

export interface LotLaneSpread {
  readonly units: readonly UnitLaneSpread[];
  /** Summary of the per-unit ranges. */
  readonly range: {
    readonly mean: number;
    readonly median: number;
    readonly p95: number;
    readonly max: number;
    readonly worstUnit: number;
  };
  /** Mean of each lane over the lot's units, in lane order. */
  readonly laneMeans: readonly number[];
  /** max − min of the lane means. */
  readonly laneMeanRange: number;
}

/**
 * Lane spread of one parameter. `matrix` is unit-major: value of unit u, lane l at `matrix[u * laneCount + l]`;
 * NaN marks a missing lane reading (ingest quarantines it; the spread uses the lanes that remain).
 */
export function laneSpread(matrix: Float64Array, laneCount: number): LotLaneSpread {
  if (!(Number.isInteger(laneCount) && laneCount >= 2))
    throw new StatsInputError(`lane count is ${laneCount}; lane spread needs at least 2 lanes`);
  if (matrix.length === 0 || matrix.length % laneCount !== 0) {
    throw new StatsInputError(
      `${matrix.length} values do not form whole units of ${laneCount} lanes; pass a unit-major matrix with NaN for missing lanes`,
    );
  }
  const unitCount = matrix.length / laneCount;
  // Columnar per-unit spreads (a 10,000-unit lot has ~27 parameter × corner matrices): the per-unit
  // records are only built if a caller reads `units`.
  const lanesOf = new Int32Array(unitCount);
  const rangeOf = new Float64Array(unitCount);
  const sdOf = new Float64Array(unitCount);
  const laneSum = new Float64Array(laneCount);
  const laneN = new Float64Array(laneCount);
  const multiLane = unitSpreadsInto(matrix, laneCount, lanesOf, rangeOf, sdOf, laneSum, laneN);
  if (multiLane === 0) throw new StatsInputError('no unit has readings on two or more lanes; lane spread is undefined');
  const ranges = new Float64Array(multiLane);
  const worstUnit = multiLaneRangesInto(lanesOf, rangeOf, ranges);
  const worst = rangeOf[worstUnit]!;
  const sorted = sortedCopy(ranges);
  let units: UnitLaneSpread[] | null = null;
  const laneMeans = Array.from(laneSum, (s, l) => (laneN[l]! > 0 ? s / laneN[l]! : NaN));
  const present = laneMeans.filter((v) => !Number.isNaN(v));
  return {
    get units(): readonly UnitLaneSpread[] {
      return (units ??= Array.from(lanesOf, (lanes, unit) => ({ unit, lanes, range: rangeOf[unit]!, sd: sdOf[unit]! })));
    },
    range: { mean: meanOf(ranges), median: quantileType7(sorted, 0.5), p95: quantileType7(sorted, 0.95), max: worst, worstUnit },
    laneMeans,
    laneMeanRange: Math.max(...present) - Math.min(...present),
  };
}

/*
 * The loops over a lot's units are functions of their own: a loop compiled while it runs on the first
 * matrix (on-stack replacement) was compiled with laneSpread's code after it, which had not run yet, and
 * bailed out there on every later call (28 times a 10,000-unit lot), leaving the rest of each call to
 * the interpreter.
 */

/** Each unit's lanes, range and SD across lanes, and each lane's sum and count; returns the units with ≥ 2 lanes. */
function unitSpreadsInto(
  matrix: Float64Array,
  laneCount: number,
  lanesOf: Int32Array,
  rangeOf: Float64Array,
  sdOf: Float64Array,
  laneSum: Float64Array,
  laneN: Float64Array,
): number {
  const unitCount = lanesOf.length;
  let multiLane = 0;
  for (let u = 0; u < unitCount; u++) {
    let min = Infinity;
    let max = -Infinity;
    let s = 0;
    let ss = 0;
    let k = 0;
    const row = u * laneCount;
    for (let l = 0; l < laneCount; l++) {
      const v = matrix[row + l]!;
      if (Number.isNaN(v)) continue;
      if (!Number.isFinite(v)) throw new StatsInputError(`unit ${u} lane ${l} is ${v}; readings must be finite`);
      k++;
      if (v < min) min = v;
      if (v > max) max = v;
      s += v;
      laneSum[l]! += v;
      laneN[l]! += 1;
    }
    const m = s / k;
    for (let l = 0; l < laneCount; l++) {
      const v = matrix[row + l]!;
      if (!Number.isNaN(v)) ss += (v - m) * (v - m);
    }
    lanesOf[u] = k;
    rangeOf[u] = k > 0 ? max - min : NaN;
    sdOf[u] = k > 1 ? Math.sqrt(ss / (k - 1)) : NaN;
    if (k >= 2) multiLane++;
  }
  return multiLane;
}

/** The ranges of the units with ≥ 2 lanes, in unit order, into `ranges`; returns the (first) unit with the widest. */
function multiLaneRangesInto(lanesOf: Int32Array, rangeOf: Float64Array, ranges: Float64Array): number {
  let worstUnit = -1;
  let worst = -Infinity;
  for (let u = 0, j = 0; u < lanesOf.length; u++) {
    if (lanesOf[u]! < 2) continue;
    const r = rangeOf[u]!;
    ranges[j++] = r;
    if (r > worst) {
      worst = r;
      worstUnit = u;
    }
  }
  return worstUnit;
}
