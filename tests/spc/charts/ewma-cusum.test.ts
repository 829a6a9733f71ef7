import { describe, expect, it } from 'vitest';
import { valueAt } from '../../../src/spc/chart-types.js';
import { cusumChart } from '../../../src/spc/cusum-chart.js';
import { ewmaChart, ewmaStandardErrorFactor } from '../../../src/spc/ewma-chart.js';
import { SpcInputError } from '../../../src/spc/spc-error.js';
import { montgomery } from './reference-data.js';

const x = montgomery().table91.values; // Montgomery Table 9.1 (30 observations)

describe('EWMA, Montgomery Example 9.2 on Table 9.1 (λ = 0.1, L = 2.7, μ0 = 10, σ = 1)', () => {
  const chart = ewmaChart(x, { lambda: 0.1, sigmaMultiplier: 2.7, target: 10, sigma: 1 });

  it('z1 = 9.945, z2 = 9.7495 and the published EWMA column', () => {
    // Montgomery Table 9.11 (EWMA values), as transcribed in jchester/spc-kit montgomery_spec.rb
    const published = [
      9.945, 9.7495, 9.70355, 9.8992, 10.1253, 10.1307, 9.92167, 10.0755, 9.98796, 10.0232, 9.92384, 10.0785, 10.1216, 10.0495, 10.0525,
      9.98426, 10.0478, 10.074, 9.91864, 10.0108, 10.0997, 10.0227, 10.2495, 10.3745, 10.3971, 10.4654, 10.4568, 10.5731, 10.6468, 10.6341,
    ];
    published.forEach((z, t) => expect(Math.abs((chart.points[t] as number) - z)).toBeLessThan(6e-5)); // printed to 4–6 significant digits
  });

  it('first exact limits 9.73 / 10.27 (Montgomery: LCL = 9.73, UCL = 10.27 at period 1)', () => {
    expect(((chart.limits.lcl as Float64Array)[0] as number).toFixed(2)).toBe('9.73');
    expect(((chart.limits.ucl as Float64Array)[0] as number).toFixed(2)).toBe('10.27');
    expect(valueAt(chart.limits.centre, 0)).toBe(10);
  });

  it('signals at periods 29 and 30 only, as one upward episode each period beyond UCL', () => {
    // Montgomery Example 9.2: "the EWMA exceeds the UCL at periods 29 and 30" (spc-kit: upper [195, 196] = periods 29, 30)
    expect(chart.signals.map((s) => s.index + 1)).toEqual([29, 30]);
    expect(chart.signals.every((s) => s.direction === 'up' && s.ruleSet === 'ewma')).toBe(true);
  });

  it('exposes the asymptote μ0 ± Lσ√(λ/(2−λ)) and the exact limits approach it from inside', () => {
    const a = chart.asymptote;
    expect(a).not.toBeNull();
    expect(a?.ucl).toBeCloseTo(10 + 2.7 * Math.sqrt(0.1 / 1.9), 14);
    const ucl = chart.limits.ucl as Float64Array;
    for (let t = 1; t < ucl.length; t++) expect(ucl[t] as number).toBeGreaterThan(ucl[t - 1] as number);
    expect(a?.ucl as number).toBeGreaterThan(ucl[29] as number);
    expect(ewmaStandardErrorFactor(0.1, 1)).toBeCloseTo(0.1, 14); // σ_z1 = λσ
  });

  it('handles varying subgroup sizes with the exact variance recursion', () => {
    const means = [10.1, 9.9, 10.2];
    const c = ewmaChart(means, { lambda: 0.2, target: 10, sigma: 2, sizes: [4, 1, 9] });
    // σ1² = λ²σ²/n1; σ2² = (1−λ)²σ1² + λ²σ²/n2; …
    const v1 = (0.04 * 4) / 4;
    const v2 = 0.64 * v1 + 0.04 * 4;
    const v3 = 0.64 * v2 + (0.04 * 4) / 9;
    expect(Array.from(c.limits.standardError as Float64Array)).toEqual(
      [Math.sqrt(v1), Math.sqrt(v2), Math.sqrt(v3)].map((v) => expect.closeTo(v, 14) as unknown),
    );
    expect(c.asymptote).toBeNull();
  });

  it('rejects λ outside (0, 1]', () => {
    expect(() => ewmaChart(x, { lambda: 0, target: 10, sigma: 1 })).toThrow(SpcInputError);
    expect(() => ewmaChart(x, { lambda: 1.5, target: 10, sigma: 1 })).toThrow(/λ must be in \(0, 1\]/);
  });
});

describe('tabular CUSUM, Montgomery Example 9.1 / Table 9.2 (k = 0.5, h = 5, μ0 = 10, σ = 1)', () => {
  const c = cusumChart(x, { target: 10, sigma: 1, k: 0.5, h: 5 });

  it('reproduces the published C⁺ column and C⁻ column', () => {
    // Montgomery Table 9.2 (spc-kit montgomery_spec.rb "Calculating C⁺"; C⁻ = max(0, 9.5 − x + C⁻), printed negated there)
    const cPlus = [
      0, 0, 0, 1.16, 2.82, 2.5, 0.04, 1.0, 0, 0, 0, 0.97, 0.98, 0, 0, 0, 0.12, 0, 0, 0.34, 0.74, 0, 1.79, 2.79, 2.89, 3.47, 3.35, 4.47,
      5.28, 5.3,
    ];
    const cMinus = [0.05, 1.56, 1.77, 0, 0, 0, 1.46, 0, 0.3, 0, 0.47, 0, 0, 0.1, 0, 0.13, 0, 0, 0.98, 0, 0, 0.17, 0, 0, 0, 0, 0, 0, 0, 0];
    cPlus.forEach((v, t) => expect(c.upper[t]).toBeCloseTo(v, 9));
    cMinus.forEach((v, t) => expect(c.lower[t]).toBeCloseTo(v, 9));
  });

  it('first signals at period 29 with C⁺ = 5.28, N⁺ = 7 and new mean 10 + 0.5 + 5.28/7 = 11.25', () => {
    // Montgomery Example 9.1: signal at period 29, N⁺ = 7, shift began after period 22, μ̂ = 11.25
    expect(c.signals).toHaveLength(1);
    const s = c.signals[0];
    expect(s?.index).toBe(28);
    expect(c.upper[28]).toBeCloseTo(5.28, 9);
    expect(c.nUpper[28]).toBe(7);
    expect(s?.indices).toEqual([22, 23, 24, 25, 26, 27, 28, 29]); // periods 23–30: run start to the last point above H
    expect(s?.estimate).toBeCloseTo(11.25, 2);
    expect(c.K).toBe(0.5);
    expect(c.H).toBe(5);
  });

  it('starts both sums at the head start (FIR = H/2) and signals earlier on an early shift', () => {
    const shifted = [11.5, 11.4, 11.6, 11.5];
    const plain = cusumChart(shifted, { target: 10, sigma: 1 });
    const fir = cusumChart(shifted, { target: 10, sigma: 1, headStart: 2.5 });
    expect(fir.upper[0]).toBeCloseTo(2.5 + 1.5 - 0.5, 12);
    expect(fir.signals[0]?.index).toBeLessThan(plain.signals[0]?.index ?? Infinity);
  });

  it('standardises points when subgroup sizes vary', () => {
    const c2 = cusumChart([10.5, 10.5], { target: 10, sigma: 1, sizes: [1, 4] });
    expect(c2.standardized).toBe(true);
    expect(c2.upper[0]).toBeCloseTo(0, 14); // (0.5/1) − 0.5
    expect(c2.upper[1]).toBeCloseTo(0.5, 14); // (0.5/0.5) − 0.5
  });

  it('rejects invalid k, h and head start', () => {
    expect(() => cusumChart(x, { target: 10, sigma: 1, k: -1 })).toThrow(/k must be/);
    expect(() => cusumChart(x, { target: 10, sigma: 1, h: 0 })).toThrow(/h must be/);
    expect(() => cusumChart(x, { target: 10, sigma: 1, headStart: 6 })).toThrow(/head start/);
  });
});
