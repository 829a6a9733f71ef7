import { describe, expect, it } from 'vitest';
import { lotSummarySeries, oneWayAnova, welchAnova } from '../../../src/spc/anova.js';
import { welchTTest } from '../../../src/spc/consistency.js';
import { fQuantile } from '../../../src/spc/distributions.js';
import { AUTO83B_JAPAN, AUTO83B_US } from './reference-data.js';

// NIST/SEMATECH e-Handbook 7.4.3.3 ("The ANOVA table and tests of hypotheses about means"), one-way example,
// three levels × five observations — https://www.itl.nist.gov/div898/handbook/prc/section4/prc433.htm
// Printed table: Treatments SS 27.897, df 2, MS 13.949, F 9.59; Error SS 17.452, df 12, MS 1.454; Total SS 45.349, df 14;
// level means 5.34, 7.72, 8.56, grand mean 7.2067; critical F(0.95; 2, 12) = 3.89.
const NIST_743 = [
  [6.9, 5.4, 5.8, 4.6, 4.0],
  [8.3, 6.8, 7.8, 9.2, 6.5],
  [8.0, 10.5, 8.1, 6.9, 9.3],
];

describe('one-way ANOVA across lots', () => {
  it('reproduces the NIST 7.4.3 table', () => {
    const a = oneWayAnova(NIST_743);
    expect(a.ssBetween).toBeCloseTo(27.897, 3);
    expect(a.ssWithin).toBeCloseTo(17.452, 3);
    expect(a.ssTotal).toBeCloseTo(45.349, 3);
    expect([a.dfBetween, a.dfWithin]).toEqual([2, 12]);
    expect(a.msBetween).toBeCloseTo(13.949, 3);
    expect(a.msWithin).toBeCloseTo(1.454, 3);
    expect(a.f).toBeCloseTo(9.59, 2);
    expect(a.grandMean).toBeCloseTo(7.2067, 4);
    expect(fQuantile(0.95, 2, 12)).toBeCloseTo(3.89, 2);
    expect(a.pValue).toBeLessThan(0.05);
  });

  it('lot summary series gives n, mean, sd per lot for an X̄/S chart of lots (NIST level means 5.34, 7.72, 8.56)', () => {
    const s = lotSummarySeries(NIST_743.map((values, i) => ({ label: `L${i + 1}`, values })));
    expect(s.map((x) => x.label)).toEqual(['L1', 'L2', 'L3']);
    expect(s.map((x) => x.n)).toEqual([5, 5, 5]);
    expect(s[0]!.mean).toBeCloseTo(5.34, 10);
    expect(s[1]!.mean).toBeCloseTo(7.72, 10);
    expect(s[2]!.mean).toBeCloseTo(8.56, 10);
    // pooled within-lot variance equals the ANOVA mean square error 1.454
    const pooled = s.reduce((acc, x) => acc + (x.n - 1) * x.sd * x.sd, 0) / 12;
    expect(pooled).toBeCloseTo(1.454, 3);
  });
});

describe("Welch's ANOVA", () => {
  it('with two lots equals Welch’s t²  and ν (NIST AUTO83B: t = −12.94627, ν = 136.87499)', () => {
    const w = welchAnova([AUTO83B_US, AUTO83B_JAPAN]);
    expect(w.f).toBeCloseTo(12.94627 ** 2, 3);
    expect(w.df1).toBe(1);
    expect(w.df2).toBeCloseTo(136.87499, 4);
    expect(w.pValue).toBeCloseTo(welchTTest(Float64Array.from(AUTO83B_US), Float64Array.from(AUTO83B_JAPAN)).pValue, 30);
  });

  it('agrees with the classical F in direction on the NIST 7.4.3 lots', () => {
    const w = welchAnova(NIST_743);
    expect(w.df1).toBe(2);
    expect(w.df2).toBeGreaterThan(0);
    expect(w.df2).toBeLessThan(12);
    expect(w.pValue).toBeLessThan(0.05);
  });
});
