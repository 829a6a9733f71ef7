import { describe, expect, it } from 'vitest';
import { columnEnvelope } from '../../src/report/chart-columns.js';

/**
 * Independent recomputation: the moving ranges as their own array, then each column's min, max and
 * largest range found by scanning the items that fall in it (Array.filter), as the charts drew it before.
 */
function reference(pts: number[], cols: number, floor: number) {
  const n = pts.length;
  const mr = pts.slice(1).map((v, i) => Math.abs(v - pts[i]!));
  const colOf = (i: number, count: number): number => Math.min(cols - 1, Math.floor((i / count) * cols));
  const lo: number[] = [];
  const hi: number[] = [];
  const mrHi: number[] = [];
  for (let c = 0; c < cols; c++) {
    const inCol = pts.filter((_, i) => colOf(i, n) === c && !Number.isNaN(pts[i]));
    lo.push(inCol.length > 0 ? Math.min(...inCol) : Infinity);
    hi.push(inCol.length > 0 ? Math.max(...inCol) : -Infinity);
    const ranges = mr.filter((r, j) => colOf(j, mr.length) === c && !Number.isNaN(r));
    mrHi.push(Math.max(0, ...ranges));
  }
  const top = Math.max(floor, ...mr.filter((r) => !Number.isNaN(r)));
  return { lo, hi, mrHi, top };
}

describe('columnEnvelope', () => {
  let seed = 777;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

  it('gives each column the min, max and largest moving range of the readings in it (seeded charts of 2 to 5,000 points)', () => {
    for (const [n, cols] of [
      [2, 1],
      [3, 7],
      [500, 120],
      [1000, 213],
      [5000, 213],
      [4321, 97],
    ] as const) {
      const pts = Array.from({ length: n }, () => (rnd() - 0.5) * 10 + (rnd() < 0.01 ? 40 : 0));
      const got = columnEnvelope(new Float64Array(pts), cols, true, true, 0.5);
      const want = reference(pts, cols, 0.5);
      expect([...got.lo!]).toEqual(want.lo);
      expect([...got.hi!]).toEqual(want.hi);
      expect([...got.mrHi!]).toEqual(want.mrHi);
      expect(got.mrTop).toBe(want.top);
    }
  });

  it("puts every reading and moving range in the column ⌊i/n·cols⌋ places it, at the report's sizes and awkward ones", () => {
    // The loops find each column's ends instead of placing every reading: the same columns, item by item.
    for (const [n, cols] of [
      [10_000, 107],
      [10_000, 133],
      [10_000, 213],
      [9_999, 213],
      [3, 3],
      [5, 12],
      [1, 4],
      [7_919, 1],
      [1_000, 999],
      [1_001, 1_000],
    ] as const) {
      const pts = Array.from({ length: n }, (_, i) => (rnd() - 0.5) * 4 + (i % 97 === 0 ? 25 : 0));
      const got = columnEnvelope(new Float64Array(pts), cols, true, true, 0);
      const want = reference(pts, cols, 0);
      expect([...got.lo!]).toEqual(want.lo);
      expect([...got.hi!]).toEqual(want.hi);
      expect([...got.mrHi!]).toEqual(want.mrHi);
      expect(got.mrTop).toBe(want.top);
    }
  });

  it('takes the largest moving range overall when no column of them is wanted', () => {
    const got = columnEnvelope(new Float64Array([1, 4, 2, Number.NaN, 2.5, 9]), 3, true, false, 0.5);
    expect(got.mrHi).toBeNull();
    expect(got.mrTop).toBe(6.5);
  });

  it('skips a missing (NaN) reading in a column and leaves a column no reading falls in empty', () => {
    const pts = [1, Number.NaN, 3, 2];
    const got = columnEnvelope(new Float64Array(pts), 8, true, true, 0);
    const want = reference(pts, 8, 0);
    expect([...got.lo!]).toEqual(want.lo);
    expect([...got.hi!]).toEqual(want.hi);
    expect([...got.mrHi!]).toEqual(want.mrHi);
    expect(got.lo!.filter((v) => v === Infinity).length).toBeGreaterThan(0);
  });

  it('leaves out the columns of what is drawn point by point, and keeps the MR UCL as the floor of the range', () => {
    const got = columnEnvelope(new Float64Array([5, 5.1, 5.05]), 4, false, false, 2);
    expect(got.lo).toBeNull();
    expect(got.hi).toBeNull();
    expect(got.mrHi).toBeNull();
    expect(got.mrTop).toBe(2);
  });
});
