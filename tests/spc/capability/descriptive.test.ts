import { describe, expect, it } from 'vitest';
import { describe as describeValues, quantileType7, sortedCopy } from '../../../src/spc/descriptive.js';
import { StatsInputError } from '../../../src/spc/stats-error.js';

describe('descriptive statistics of a parameter', () => {
  it('quartiles are R type 7 (Excel QUARTILE.INC): Wikipedia "Quartile" example 1 gives Q1 25.5, median 40, Q3 42.5', () => {
    // Wikipedia, "Quartile", Example 1: 6, 7, 15, 36, 39, 40, 41, 42, 43, 47, 49 (method including the median = type 7 here)
    const s = describeValues(Float64Array.of(6, 7, 15, 36, 39, 40, 41, 42, 43, 47, 49));
    expect(s.q1).toBe(25.5);
    expect(s.median).toBe(40);
    expect(s.q3).toBe(42.5);
    expect(s.iqr).toBe(17);
    // R documentation default quantile() (type 7) of 1:10: 25 % = 3.25, 75 % = 7.75
    const t = sortedCopy(Float64Array.from({ length: 10 }, (_, i) => 10 - i));
    expect(quantileType7(t, 0.25)).toBeCloseTo(3.25, 12);
    expect(quantileType7(t, 0.75)).toBeCloseTo(7.75, 12);
  });

  it('without quantiles (a certificate summary) n, mean, sd and the bound-aware extremes are those of the full summary', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const values = Float64Array.from({ length: 2_000 }, () => -2 + 4 * random());
    const censoring = Uint8Array.from(values, (v) => (v < -1.9 ? 1 : v > 1.95 ? 2 : 0));
    for (const c of [undefined, censoring]) {
      const full = describeValues(values, c);
      const light = describeValues(values, c, { quantiles: false });
      expect(light).toEqual({ ...full, median: Number.NaN, q1: Number.NaN, q3: Number.NaN, iqr: Number.NaN });
    }
  });

  it('mean and n − 1 sd on a hand-checkable case (the NIST AUTO83B summaries are checked in the consistency tests)', () => {
    const s = describeValues(Float64Array.of(2, 4, 4, 4, 5, 5, 7, 9));
    expect(s.mean).toBe(5);
    expect(s.sd).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(s.min).toEqual({ value: 2, marker: null });
    expect(s.max).toEqual({ value: 9, marker: null });
    expect(s.censoredExcluded).toBe(0);
  });

  it('censored readings are excluded from location/spread and shown as bounds on the extremes', () => {
    const v = Float64Array.of(-30, 1, 2, 3, 4, 50);
    const c = Uint8Array.of(1, 0, 0, 0, 0, 2);
    const s = describeValues(v, c);
    expect(s.count).toBe(6);
    expect(s.n).toBe(4);
    expect(s.censoredBelow).toBe(1);
    expect(s.censoredAbove).toBe(1);
    expect(s.censoredExcluded).toBe(2);
    expect(s.mean).toBe(2.5);
    expect(s.min).toEqual({ value: -30, marker: '<' });
    expect(s.max).toEqual({ value: 50, marker: '>' });
  });

  it('refuses NaN, empty input, unknown censoring codes and misaligned arrays', () => {
    expect(() => describeValues(Float64Array.of(1, NaN))).toThrow(/value\[1\] is NaN/);
    expect(() => describeValues(new Float64Array(0))).toThrow(StatsInputError);
    expect(() => describeValues(Float64Array.of(1, 2), Uint8Array.of(0, 7))).toThrow(/codes are 0/);
    expect(() => describeValues(Float64Array.of(1, 2), Uint8Array.of(0))).toThrow(/parallel/);
  });
});
