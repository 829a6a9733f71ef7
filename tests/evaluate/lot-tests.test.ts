import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { capabilityBelowTest, minimumEffectP, shiftTests, varianceTest, type CellComparison } from '../../src/evaluate/lot-tests.js';

describe('minimum-effect test of |θ| ≤ δ', () => {
  it('reduces to the two-sided z-test when δ = 0 (z = 1.96 → p = 0.05, standard normal table)', () => {
    expect(minimumEffectP(1.959963985, 1, 0)).toBeCloseTo(0.05, 9);
  });

  it('an estimate 1.96 standard errors beyond the margin gives p = 0.025', () => {
    expect(minimumEffectP(0.5 + 1.959963985 * 0.1, 0.1, 0.5)).toBeCloseTo(0.025, 9);
    expect(minimumEffectP(-(0.5 + 1.959963985 * 0.1), 0.1, 0.5)).toBeCloseTo(0.025, 9);
  });

  it('an estimate inside the margin never gives evidence of exceeding it', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }), (frac, se) => {
        expect(minimumEffectP(frac * 0.5, se, 0.5)).toBeGreaterThanOrEqual(0.5 - 1e-12);
      }),
    );
  });

  it('p falls as the estimate moves further past the margin', () => {
    expect(minimumEffectP(0.8, 0.1, 0.5)).toBeLessThan(minimumEffectP(0.7, 0.1, 0.5));
  });
});

describe('capability-below test (H0: Cpk ≥ minimum), Bissell (1990) standard error', () => {
  // qcc pistonrings (N = 125): Cpk 1.663 with two-sided 95 % interval [1.448, 1.878] (qcc process.capability,
  // Scrucca 2004). A minimum equal to the published UPPER end is the one the data refute at one-sided
  // p = 0.025; one equal to the lower end is refuted only at p = 0.975.
  it('reproduces the qcc pistonrings interval: minimum 1.878 → p ≈ 0.025, minimum 1.448 → p ≈ 0.975', () => {
    expect(capabilityBelowTest('d', 'room', null, 1.663, 125, 1.878)!.p).toBeCloseTo(0.025, 3);
    expect(capabilityBelowTest('d', 'room', null, 1.663, 125, 1.448)!.p).toBeCloseTo(0.975, 3);
  });

  it('Cpk 1.00 from 100 units against 1.33: z = −4.204, p = 1.31e−5', () => {
    const h = capabilityBelowTest('d', 'room', null, 1.0, 100, 1.33)!;
    expect(h.p).toBeCloseTo(1.3109751918705115e-5, 8);
    expect(h).toMatchObject({ kind: 'capability', estimate: 1.0, threshold: 1.33 });
  });

  it('a capable lot gives no evidence against the minimum', () => {
    expect(capabilityBelowTest('d', 'room', null, 1.8, 200, 1.33)!.p).toBeGreaterThan(0.99);
  });
});

describe('spread test (H0: σ²_lot ≤ r0·σ²_baseline)', () => {
  const cell = (sd: number, n = 240, df = 239): CellComparison => ({
    parameter: 'p',
    corner: 'room',
    lane: 0,
    n,
    mean: 0,
    sd,
    baselineMean: 0,
    baselineSigma: 1,
    baselineN: df + 1,
    baselineDf: df,
  });
  // NIST/SEMATECH e-Handbook 1.3.5.9: upper 2.5 % point of F(239, 239) = 1.2894.
  it('a ratio of r0 × 1.2894 on (239, 239) df gives p ≈ 0.025 (NIST 1.3.5.9 critical value)', () => {
    const h = varianceTest(cell(Math.sqrt(2 * 1.2894)), 2)!;
    expect(h.p).toBeCloseTo(0.025, 3);
    expect(h.estimate).toBeCloseTo(2 * 1.2894, 9);
  });
  it('needs at least 3 readings', () => {
    expect(varianceTest(cell(1, 2), 2)).toBeNull();
  });
});

describe('lot-wide and lane-against-lanes shift tests', () => {
  const lanes = (means: number[], n = 200): CellComparison[] =>
    means.map((m, lane) => ({
      parameter: 'tx',
      corner: 'room',
      lane,
      n,
      mean: m,
      sd: 1,
      baselineMean: 0,
      baselineSigma: 1,
      baselineN: 1000,
      baselineDf: 995,
    }));

  it('a common movement of every lane is judged once, as a lot-wide shift, and cancels out of the lane tests', () => {
    const hs = shiftTests(lanes([0.3, 0.3, 0.3, 0.3]), 0.5, 0.4);
    const lot = hs.find((h) => h.kind === 'lot-shift')!;
    expect(lot.estimate).toBeCloseTo(0.3, 12);
    expect(lot.p).toBeGreaterThan(0.5);
    for (const h of hs.filter((x) => x.kind === 'lane-shift')) expect(h.estimate).toBeCloseTo(0, 12);
  });

  it('one lane moved by 1σ stands out against its sister lanes', () => {
    const hs = shiftTests(lanes([0, 0, 0, 1, 0, 0, 0, 0]), 0.5, 0.4);
    const lane3 = hs.find((h) => h.kind === 'lane-shift' && h.lane === 3)!;
    expect(lane3.estimate).toBeCloseTo(1, 12);
    expect(lane3.p).toBeLessThan(1e-10);
    expect(hs.filter((h) => h.kind === 'lane-shift' && h.lane !== 3).every((h) => h.p > 0.5)).toBe(true);
  });
});
