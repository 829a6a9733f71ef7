import { describe, expect, it } from 'vitest';
import { AD_MIN_N, andersonDarlingNormality, andersonDarlingPValue } from '../../../src/spc/normality.js';
import { normalQuantile } from '../../../src/spc/distributions.js';
import { StatsInputError } from '../../../src/spc/stats-error.js';

// NAG Library, g08ckc (nag_anderson_darling_normal_prob) example program: data file g08ckce.d (26 observations)
// and printed results g08ckce.r — https://support.nag.com/numeric/nl/nagdoc_30.3/examples/baseresults/g08ckce.r.html :
//   mean 0.563876, variance 1.1386, A-squared 0.165956, adjusted A-squared 0.171296, upper tail probability 0.931155.
const NAG_G08CKCE = [
  0.3131132, 0.2520412, 1.5788841, 1.4416712, -0.8246043, -1.6466685, 0.7943184, 1.2874915, -0.834725, 0.3352505, 0.9434467, 2.109952,
  -0.2801654, -0.7843009, 0.6218187, 2.0963809, 1.7170403, -0.1350142, 0.7982763, -0.2980977, 1.2283043, 1.557609, -0.4828757, 2.6070754,
  0.1213996, 0.1431621,
];

describe('Anderson–Darling normality test (mean and variance estimated)', () => {
  it('reproduces NAG g08ckc’s example: A² 0.165956, A*² 0.171296, p 0.931155', () => {
    const r = andersonDarlingNormality(Float64Array.from(NAG_G08CKCE));
    expect(r.mean).toBeCloseTo(0.563876, 6);
    expect(r.sd * r.sd).toBeCloseTo(1.1386, 4);
    expect(r.aSquared).toBeCloseTo(0.165956, 6);
    expect(r.aSquaredStar).toBeCloseTo(0.171296, 6);
    expect(r.pValue).toBeCloseTo(0.931155, 6);
    expect(r.pValueFloored).toBe(false);
  });

  it('the p-value fit returns the significance levels of the published critical values of A*²', () => {
    // D'Agostino & Stephens (1986), Goodness-of-Fit Techniques, Table 4.7 (case 3, A*² = A²(1 + 0.75/n + 2.25/n²)):
    // upper-tail critical values 0.631 (10 %), 0.752 (5 %), 0.873 (2.5 %), 1.035 (1 %).
    expect(andersonDarlingPValue(0.631)).toBeCloseTo(0.1, 3);
    expect(andersonDarlingPValue(0.752)).toBeCloseTo(0.05, 3);
    expect(andersonDarlingPValue(0.873)).toBeCloseTo(0.025, 3);
    expect(andersonDarlingPValue(1.035)).toBeCloseTo(0.01, 3);
    expect(andersonDarlingPValue(12)).toBe(3.7e-24); // nortest's floor beyond the fitted range
  });

  it('is a proper p-value everywhere: in [0, 1] and non-increasing in A*²', () => {
    let last = 1;
    for (let a = 0; a < 12; a += 0.001) {
      const p = andersonDarlingPValue(a);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(last + 2e-3); // the published piecewise fit has tiny jumps at its knots
      last = p;
    }
  });

  // Speed is measured in bench/, not asserted here: a timed assertion fails on a loaded machine, not on a slow change.
  it('handles 100,000 values and a 300-sigma outlier without producing ln 0', () => {
    const n = 100_000;
    // normal scores Φ⁻¹((i − 0.375)/(n + 0.25)) are as normal as a sample can be
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = normalQuantile((i + 1 - 0.375) / (n + 0.25));
    const r = andersonDarlingNormality(v);
    expect(r.pValue).toBeGreaterThan(0.5);
    v[0] = -1e6;
    const o = andersonDarlingNormality(v);
    expect(Number.isFinite(o.aSquared)).toBe(true);
    expect(o.pValue).toBeLessThan(1e-6);
  });

  it('refuses too few values and data without spread', () => {
    expect(() => andersonDarlingNormality(new Float64Array(AD_MIN_N - 1).map((_, i) => i))).toThrow(/at least 8 values/);
    expect(() => andersonDarlingNormality(new Float64Array(10).fill(3))).toThrow(StatsInputError);
  });
});
