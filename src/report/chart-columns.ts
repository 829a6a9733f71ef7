/**
 * @module The per-column envelope of an individuals chart: for each ~1 pt column of the plot, the lowest
 * and highest reading and the largest moving range |xᵢ − xᵢ₋₁| that fall in it, and the largest moving
 * range overall — what a chart of more points than the page can resolve draws. One pass over the points
 * instead of one per drawing (points, moving ranges, their columns): a 10,000-unit report has 228 charts
 * of 10,000 points, and in a process that draws them once each loop runs mostly before the JIT has
 * optimised it, so every pass saved is paid at interpreter speed.
 */

export interface ColumnEnvelope {
  /** Lowest reading per point column (Infinity: no reading); null when the points are drawn one by one. */
  readonly lo: Float64Array | null;
  /** Highest reading per point column (-Infinity: no reading); null when the points are drawn one by one. */
  readonly hi: Float64Array | null;
  /** Largest moving range per column (0 when none); null when the moving ranges are drawn one by one. */
  readonly mrHi: Float64Array | null;
  /** The largest moving range of the chart, at least `mrFloor` (the chart's MR UCL). */
  readonly mrTop: number;
}

/**
 * Columns of the points when `pointColumns` is true (reading i of n in column ⌊i/n·cols⌋) and of the
 * moving ranges when `mrColumns` is true (range j of n − 1 in column ⌊j/(n−1)·cols⌋) — the columns the
 * chart drew them in before, so the same numbers reach the page.
 */
export function columnEnvelope(
  pts: Float64Array,
  cols: number,
  pointColumns: boolean,
  mrColumns: boolean,
  mrFloor: number,
): ColumnEnvelope {
  const n = pts.length;
  const m = Math.max(0, n - 1);
  const lo = pointColumns ? new Float64Array(cols).fill(Infinity) : null;
  const hi = pointColumns ? new Float64Array(cols).fill(-Infinity) : null;
  const mrHi = mrColumns ? new Float64Array(cols) : null;
  let mrTop = mrFloor;
  const last = cols - 1;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const v = pts[i]!;
    if (lo !== null && hi !== null) {
      const c = Math.min(last, Math.floor((i / n) * cols));
      if (v < lo[c]!) lo[c] = v;
      if (v > hi[c]!) hi[c] = v;
    }
    if (i > 0) {
      const r = Math.abs(v - prev);
      if (r > mrTop) mrTop = r;
      if (mrHi !== null) {
        const c = Math.min(last, Math.floor(((i - 1) / m) * cols));
        if (r > mrHi[c]!) mrHi[c] = r;
      }
    }
    prev = v;
  }
  return { lo, hi, mrHi, mrTop };
}
