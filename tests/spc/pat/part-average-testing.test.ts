import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { partAverageTest, patLimits } from '../../../src/spc/pat.js';

describe('Part Average Testing (AEC-Q001 style)', () => {
  // Worked by hand: values 1..9 → median 5; type-7 Q1 = x(1 + 8·0.25) = x(3) = 3, Q3 = x(7) = 7;
  // robust sigma = (7 − 3)/1.35 = 2.96296…; 6σ limits = 5 ± 17.7778 = [−12.7778, 22.7778].
  it('limits are median ± 6·(Q3 − Q1)/1.35 with type-7 quartiles', () => {
    const l = patLimits([9, 1, 8, 2, 7, 3, 6, 4, 5]);
    expect(l.median).toBe(5);
    expect(l.q1).toBe(3);
    expect(l.q3).toBe(7);
    expect(l.robustSigma).toBeCloseTo(4 / 1.35, 12);
    expect(l.lower).toBeCloseTo(5 - (6 * 4) / 1.35, 12);
    expect(l.upper).toBeCloseTo(5 + (6 * 4) / 1.35, 12);
  });

  it('an in-spec part far from its lot is an outlier; an out-of-spec part is a spec failure, not a PAT outlier', () => {
    // 100 parts spread 0.00..0.99 (IQR 0.495 → σ_r 0.3667, limits 0.495 ± 2.2) + an in-spec part at 4.0 and a spec failure at 12
    const values = [...Array.from({ length: 100 }, (_, i) => i / 100), 4.0, 12];
    const r = partAverageTest(values, { lsl: -10, usl: 10 });
    expect(r.outliers).toEqual([{ index: 100, value: 4.0, limit: 'upper', limitValue: r.upper }]);
    expect(r.upperSource).toBe('dynamic');
    expect(r.dynamic.n).toBe(101); // the spec failure is excluded from the dynamic population
  });

  it('final limits are the tighter of static and dynamic per side, never outside the spec', () => {
    const values = Array.from({ length: 50 }, (_, i) => i / 10);
    const st = { ...patLimits(values), lower: 1.0, upper: 100 };
    const r = partAverageTest(values, { lsl: -1, usl: 4.5, staticLimits: st });
    expect(r.lower).toBe(1.0);
    expect(r.lowerSource).toBe('static');
    expect(r.upper).toBe(4.5);
    expect(r.upperSource).toBe('spec');
    expect(r.outliers.every((o) => o.limit === 'lower' && o.value < 1.0)).toBe(true);
    expect(r.outliers).toHaveLength(10);
  });

  it('properties: limits are inside the spec and bracket the median; every outlier is in spec and beyond a final limit', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: -1000, max: 1000 }).map((i) => i / 10),
          { minLength: 8, maxLength: 200 },
        ),
        (vals) => {
          const lsl = -60;
          const usl = 60;
          const inSpec = vals.filter((v) => v >= lsl && v <= usl);
          if (inSpec.length < 4) return;
          const r = partAverageTest(vals, { lsl, usl });
          expect(r.lower).toBeGreaterThanOrEqual(lsl);
          expect(r.upper).toBeLessThanOrEqual(usl);
          expect(r.lower).toBeLessThanOrEqual(r.dynamic.median);
          expect(r.upper).toBeGreaterThanOrEqual(r.dynamic.median);
          for (const o of r.outliers) {
            expect(o.value).toBe(vals[o.index]);
            expect(o.value >= lsl && o.value <= usl).toBe(true);
            expect(o.limit === 'lower' ? o.value < r.lower : o.value > r.upper).toBe(true);
          }
        },
      ),
    );
  });

  it('refuses populations too small for quartiles', () => {
    expect(() => patLimits([1, 2, 3])).toThrow(/at least 4 parts/);
  });
});
