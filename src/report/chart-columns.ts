/**
 * @module The per-column envelope of an individuals chart: for each ~1 pt column of the plot, the lowest
 * and highest reading and the largest moving range |xᵢ − xᵢ₋₁| that fall in it, and the largest moving
 * range overall — what a chart of more points than the page can resolve draws. Computed here once for
 * every drawing that needs it (points, moving ranges, their columns): a 10,000-unit report has 228 charts
 * of 10,000 points, and in a process that draws them once each loop runs mostly before the JIT has
 * optimised it, so every step saved per reading is paid at interpreter speed.
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
  const lo = pointColumns ? new Float64Array(cols).fill(Infinity) : null;
  const hi = pointColumns ? new Float64Array(cols).fill(-Infinity) : null;
  const mrHi = mrColumns ? new Float64Array(cols) : null;
  const mrTop = scanColumns(pts, cols, lo, hi, mrHi, mrFloor);
  return { lo, hi, mrHi, mrTop };
}

/**
 * The passes themselves, apart from building the result object: V8 optimises a loop on the stack (OSR)
 * before the code after it has ever run, and code after the loop that builds an object then lacks type
 * feedback. The optimised loop is cached and entered again on every call, and each call left it by a
 * deoptimisation at that object (228 per 10,000-unit report). Here the loops end in a numeric return.
 * Each column's readings are a contiguous run of indices, found at its ends (columnEnd), so the loops
 * compare and keep extremes without a division and a floor per reading.
 */
function scanColumns(
  pts: Float64Array,
  cols: number,
  lo: Float64Array | null,
  hi: Float64Array | null,
  mrHi: Float64Array | null,
  mrFloor: number,
): number {
  const n = pts.length;
  const m = Math.max(0, n - 1);
  const last = cols - 1;
  if (lo !== null && hi !== null) {
    let i = 0;
    for (let c = 0; c < cols && i < n; c++) {
      const end = c === last ? n : columnEnd(c, n, cols);
      let low = lo[c]!;
      let high = hi[c]!;
      for (; i < end; i++) {
        const v = pts[i]!;
        if (v < low) low = v;
        if (v > high) high = v;
      }
      lo[c] = low;
      hi[c] = high;
    }
  }
  let mrTop = mrFloor;
  if (mrHi !== null) {
    let j = 0;
    for (let c = 0; c < cols && j < m; c++) {
      const end = c === last ? m : columnEnd(c, m, cols);
      let top = mrHi[c]!;
      for (; j < end; j++) {
        const r = Math.abs(pts[j + 1]! - pts[j]!);
        if (r > top) top = r;
        if (r > mrTop) mrTop = r;
      }
      mrHi[c] = top;
    }
  } else {
    for (let j = 0; j < m; j++) {
      const r = Math.abs(pts[j + 1]! - pts[j]!);
      if (r > mrTop) mrTop = r;
    }
  }
  return mrTop;
}

/**
 * The first index past column `c` of `count` items in `cols` columns: the least i with
 * ⌊i / count · cols⌋ > c, by the very floating-point expression that placed each item (monotonic in i),
 * so every item lands in the column it always did.
 */
function columnEnd(c: number, count: number, cols: number): number {
  let e = Math.min(count, Math.ceil(((c + 1) * count) / cols));
  while (e > 0 && Math.floor(((e - 1) / count) * cols) > c) e--;
  while (e < count && Math.floor((e / count) * cols) <= c) e++;
  return e;
}
