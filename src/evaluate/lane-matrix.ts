/**
 * @module Lane matrix — the lanes of one parameter × corner side by side per unit (units × lanes,
 * row-major), each lane divided by its within-lot σ, NaN where a unit has no uncensored reading.
 * The per-unit rows are what the lane statistics need: a unit's mean over its lanes and its lane contrasts.
 */
import type { CellSeries } from './cell-series.js';

export function laneMatrix(series: readonly CellSeries[], sigmas: readonly number[], units: number): Float64Array {
  const L = series.length;
  const m = new Float64Array(units * L).fill(Number.NaN);
  series.forEach((s, l) => {
    const sigma = sigmas[l]!;
    for (let k = 0; k < s.exact.length; k++) m[s.exactUnitIndex[k]! * L + l] = s.exact[k]! / sigma;
  });
  return m;
}
