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
  const units: UnitLaneSpread[] = [];
  const laneSum = new Float64Array(laneCount);
  const laneN = new Float64Array(laneCount);
  for (let u = 0; u < unitCount; u++) {
    let min = Infinity;
    let max = -Infinity;
    let s = 0;
    let ss = 0;
    let k = 0;
    for (let l = 0; l < laneCount; l++) {
      const v = matrix[u * laneCount + l]!;
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
      const v = matrix[u * laneCount + l]!;
      if (!Number.isNaN(v)) ss += (v - m) * (v - m);
    }
    units.push({ unit: u, lanes: k, range: k > 0 ? max - min : NaN, sd: k > 1 ? Math.sqrt(ss / (k - 1)) : NaN });
  }
  const ranges = Float64Array.from(units.filter((x) => x.lanes >= 2).map((x) => x.range));
  if (ranges.length === 0) throw new StatsInputError('no unit has readings on two or more lanes; lane spread is undefined');
  const sorted = sortedCopy(ranges);
  let worstUnit = -1;
  let worst = -Infinity;
  for (const x of units)
    if (x.lanes >= 2 && x.range > worst) {
      worst = x.range;
      worstUnit = x.unit;
    }
  const laneMeans = Array.from(laneSum, (s, l) => (laneN[l]! > 0 ? s / laneN[l]! : NaN));
  const present = laneMeans.filter((v) => !Number.isNaN(v));
  return {
    units,
    range: { mean: meanOf(ranges), median: quantileType7(sorted, 0.5), p95: quantileType7(sorted, 0.95), max: worst, worstUnit },
    laneMeans,
    laneMeanRange: Math.max(...present) - Math.min(...present),
  };
}
