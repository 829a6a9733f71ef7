import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  brownForsytheTest,
  equivalenceTost,
  fTest,
  kolmogorovSmirnovTwoSample,
  leveneTest,
  meanShift,
  pooledTTest,
  summarizeSample,
  welchTTest,
} from '../../../src/spc/consistency.js';
import { fQuantile, kolmogorovSurvival, tQuantile } from '../../../src/spc/distributions.js';
import { StatsInputError } from '../../../src/spc/stats-error.js';
import { AUTO83B_JAPAN, AUTO83B_US, GEAR_BATCHES } from './reference-data.js';

const us = Float64Array.from(AUTO83B_US);
const japan = Float64Array.from(AUTO83B_JAPAN);

describe('lot vs baseline: two-sample t tests (NIST e-Handbook 1.3.5.3, AUTO83B)', () => {
  it('the data reproduce the handbook’s summaries (n 249/79, mean 20.14458/30.48101, sd 6.41470/6.10771)', () => {
    const a = summarizeSample(us);
    const b = summarizeSample(japan);
    expect([a.n, b.n]).toEqual([249, 79]);
    expect(a.mean).toBeCloseTo(20.14458, 5);
    expect(b.mean).toBeCloseTo(30.48101, 5);
    expect(a.sd).toBeCloseTo(6.4147, 5);
    expect(b.sd).toBeCloseTo(6.10771, 5);
  });

  it('pooled t = −12.62059, s_p = 6.34260, ν = 326, critical value 1.9673 (handbook)', () => {
    const r = pooledTTest(us, japan);
    expect(r.t).toBeCloseTo(-12.62059, 5);
    expect(r.pooledSd!).toBeCloseTo(6.3426, 5);
    expect(r.df).toBe(326);
    expect(tQuantile(0.975, r.df)).toBeCloseTo(1.9673, 4);
    expect(tQuantile(0.95, r.df)).toBeCloseTo(1.6495, 4); // the handbook's one-tailed critical value
  });

  it('Welch t = −12.94627, ν = 136.87499, p = 1.571e−25 (handbook summaries; Boost.Math two-sample example)', () => {
    const r = welchTTest(us, japan);
    expect(r.t).toBeCloseTo(-12.94627, 5);
    expect(r.df).toBeCloseTo(136.87499, 4);
    expect(r.pValue / 1e-25).toBeCloseTo(1.571, 3);
    // the same from the published summaries alone
    const s = welchTTest({ n: 249, mean: 20.14458, sd: 6.4147 }, { n: 79, mean: 30.48101, sd: 6.10771 });
    expect(s.t).toBeCloseTo(-12.94627, 4);
  });

  it('mean shift in baseline sigmas = (x̄_lot − x̄_base)/s_base', () => {
    const m = meanShift(japan, us);
    expect(m.difference).toBeCloseTo(30.48101 - 20.14458, 4);
    expect(m.baselineSigmas).toBeCloseTo((30.48101 - 20.14458) / 6.4147, 4);
  });
});

describe('variance ratio F test (NIST e-Handbook 1.3.5.9)', () => {
  it('JAHANMI2 batches: F = 1.123037 on (239, 239) df, critical values 0.7756 and 1.2894, H₀ not rejected', () => {
    const r = fTest({ n: 240, mean: 688.9987, sd: 65.54909 }, { n: 240, mean: 611.1559, sd: 61.85425 });
    expect(r.f).toBeCloseTo(1.123037, 5);
    expect([r.df1, r.df2]).toEqual([239, 239]);
    expect(fQuantile(0.025, 239, 239)).toBeCloseTo(0.7756, 4);
    expect(fQuantile(0.975, 239, 239)).toBeCloseTo(1.2894, 4);
    expect(r.pValueTwoSided).toBeGreaterThan(0.05);
    // one-sided "lot variance larger" is half the two-sided p when F > 1
    expect(r.pValueLotLarger).toBeCloseTo(r.pValueTwoSided / 2, 12);
  });
});

describe('Levene / Brown–Forsythe across k batches (NIST e-Handbook 1.3.5.10, GEAR)', () => {
  it('median-centred W = 1.705910 on (9, 90) df, p ≈ 0.0991', () => {
    const r = brownForsytheTest(GEAR_BATCHES);
    // NIST prints 1.705910; double precision gives 1.7059177 (Dataplot's 6-digit output differs by 8e−6)
    expect(r.w).toBeCloseTo(1.70591, 4);
    expect([r.df1, r.df2]).toEqual([9, 90]);
    expect(r.pValue).toBeCloseTo(0.0991, 4);
  });

  it('mean-centred Levene uses the same machinery and differs from the median version', () => {
    const r = leveneTest(GEAR_BATCHES, 'mean');
    expect(r.center).toBe('mean');
    expect(r.w).not.toBeCloseTo(1.70591, 3);
    expect(r.pValue).toBeGreaterThan(0);
  });

  it('refuses a single group', () => {
    expect(() => leveneTest([[1, 2, 3]])).toThrow(StatsInputError);
  });
});

describe('two-sample Kolmogorov–Smirnov', () => {
  it('the asymptotic survival function gives the published critical values c(α) of √(n₁n₂/(n₁+n₂))·D', () => {
    // Smirnov (1948) limiting distribution, as tabulated e.g. in Wikipedia "Kolmogorov–Smirnov test" (two-sample
    // test: reject at level α if D > c(α)√((n+m)/(nm))): c = 1.224, 1.358, 1.480, 1.628, 1.731, 1.949 for
    // α = 0.10, 0.05, 0.025, 0.01, 0.005, 0.001.
    const table: Array<[number, number]> = [
      [1.224, 0.1],
      [1.358, 0.05],
      [1.48, 0.025],
      [1.628, 0.01],
      [1.731, 0.005],
      [1.949, 0.001],
    ];
    for (const [c, alpha] of table) expect(kolmogorovSurvival(c)).toBeCloseTo(alpha, 3);
    // both series branches agree where they meet
    expect(kolmogorovSurvival(1.18 - 1e-9)).toBeCloseTo(kolmogorovSurvival(1.18 + 1e-9), 8);
  });

  it('D is the largest ECDF gap over the pooled points (hand-checked example, ties flagged)', () => {
    // a = 1..5, b = 4..8: at x = 5 F_a = 1, F_b = 2/5 → D = 3/5
    const r = kolmogorovSmirnovTwoSample([1, 2, 3, 4, 5], [4, 5, 6, 7, 8]);
    expect(r.d).toBeCloseTo(0.6, 12);
    expect(r.lambda).toBeCloseTo(Math.sqrt(25 / 10) * 0.6, 12);
    expect(r.ties).toBe(true);
    const s = kolmogorovSmirnovTwoSample([1, 2, 3], [1.5, 2.5, 3.5]);
    expect(s.d).toBeCloseTo(1 / 3, 12);
    expect(s.ties).toBe(false);
  });

  it('AUTO83B: U.S. and Japanese mpg distributions differ decisively', () => {
    const r = kolmogorovSmirnovTwoSample(us, japan);
    expect(r.d).toBeGreaterThan(0.5);
    expect(r.pValue).toBeLessThan(1e-10);
    expect(r.ties).toBe(true); // mpg is recorded in whole numbers
  });

  it('D is symmetric and 0 for identical samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 40 }),
        (a, b) => {
          const ab = kolmogorovSmirnovTwoSample(a, b);
          const ba = kolmogorovSmirnovTwoSample(b, a);
          expect(ab.d).toBeCloseTo(ba.d, 12);
          expect(kolmogorovSmirnovTwoSample(a, a).d).toBe(0);
        },
      ),
    );
  });
});

describe('TOST equivalence of lot and baseline means', () => {
  it('p = max of the two one-sided Welch p-values, and equivalence ⇔ the (1 − 2α) CI lies inside ±margin', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: 0.2, max: 3, noNaN: true }),
        fc.integer({ min: 5, max: 500 }),
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        (diff, sd, n, margin) => {
          const r = equivalenceTost({ n, mean: diff, sd }, { n: n + 3, mean: 0, sd: sd * 1.1 }, margin);
          expect(r.pValue).toBe(Math.max(r.pLower, r.pUpper));
          const inside = r.confidenceInterval[0] > -margin && r.confidenceInterval[1] < margin;
          if (Math.abs(r.pValue - 0.05) > 1e-9) expect(r.equivalent).toBe(inside);
        },
      ),
    );
  });

  it('AUTO83B: a 10 mpg gap is not equivalent within ±1 mpg, and is within ±15 mpg', () => {
    expect(equivalenceTost(japan, us, 1).equivalent).toBe(false);
    expect(equivalenceTost(japan, us, 15).equivalent).toBe(true);
    expect(() => equivalenceTost(japan, us, 0)).toThrow(/margin/);
  });
});
