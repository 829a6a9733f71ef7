import { describe, expect, it } from 'vitest';
import { laneSpread } from '../../../src/spc/lane-spread.js';

describe('lane-to-lane spread', () => {
  // Constructed 4-lane lot (values checkable by hand):
  //   unit 0: 1, 2, 3, 4   → range 3, sd √(5/3)
  //   unit 1: 2, 2, 2, 2   → range 0, sd 0
  //   unit 2: 0, 1, 2, 9   → range 9 (the weak lane), sd √(50/3)
  const m = Float64Array.of(1, 2, 3, 4, 2, 2, 2, 2, 0, 1, 2, 9);

  it('per unit: range and sd across lanes', () => {
    const r = laneSpread(m, 4);
    expect(r.units.map((u) => u.range)).toEqual([3, 0, 9]);
    expect(r.units[0]!.sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(r.units[1]!.sd).toBe(0);
    // unit 2: mean 3, squared deviations 9 + 4 + 1 + 36 = 50 → sd √(50/3)
    expect(r.units[2]!.sd).toBeCloseTo(Math.sqrt(50 / 3), 12);
  });

  it('across the lot: summary of unit ranges, per-lane means and their range, worst unit', () => {
    const r = laneSpread(m, 4);
    expect(r.range.mean).toBe(4);
    expect(r.range.median).toBe(3);
    expect(r.range.max).toBe(9);
    expect(r.range.worstUnit).toBe(2);
    expect(r.laneMeans).toEqual([1, 5 / 3, 7 / 3, 5]);
    expect(r.laneMeanRange).toBe(4);
  });

  it('skips missing lanes (NaN) and refuses ragged matrices', () => {
    const r = laneSpread(Float64Array.of(1, NaN, 3, 5, 5, 5), 3);
    expect(r.units[0]!.lanes).toBe(2);
    expect(r.units[0]!.range).toBe(2);
    expect(r.laneMeans).toEqual([3, 5, 4]);
    expect(() => laneSpread(Float64Array.of(1, 2, 3), 2)).toThrow(/whole units/);
  });
});
