/**
 * ln s² for the lot-σ trend (src/spc/log-variance.ts) and the σ chart built on it (src/evaluate/lot-trend.ts).
 * Digamma and trigamma against the published values (Abramowitz & Stegun, Handbook of Mathematical
 * Functions, 6.3.2, 6.3.3, 6.4.2, 6.4.4; ψ(n) = H(n−1) − γ, 6.3.2); the bias-corrected ln s² and its variance by
 * simulation of normal samples (an independent recomputation from the draws); the σ chart by simulation:
 * healthy lots give standardised points of mean ≈ 0 and variance ≈ 1, a 25 % wider lot signals.
 */
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../src/sim/seeded-random.js';
import { digamma, logVariance, trigamma } from '../../../src/spc/log-variance.js';
import { sigmaPhaseOne, sigmaZ, trendSeries } from '../../../src/evaluate/lot-trend.js';
import type { BaselineCell } from '../../../src/domain/baseline.js';

const GAMMA = 0.5772156649015329;

describe('digamma and trigamma (Abramowitz & Stegun 6.3.2–6.3.3, 6.4.2–6.4.4)', () => {
  it('ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2, ψ(10) = H₉ − γ; ψ′(1) = π²/6, ψ′(1/2) = π²/2, ψ′(10) = π²/6 − Σ₁⁹ 1/k²', () => {
    expect(digamma(1)).toBeCloseTo(-GAMMA, 11);
    expect(digamma(0.5)).toBeCloseTo(-GAMMA - 2 * Math.LN2, 11);
    const h9 = Array.from({ length: 9 }, (_, k) => 1 / (k + 1)).reduce((a, b) => a + b, 0);
    expect(digamma(10)).toBeCloseTo(h9 - GAMMA, 11);
    expect(trigamma(1)).toBeCloseTo(Math.PI ** 2 / 6, 11);
    expect(trigamma(0.5)).toBeCloseTo(Math.PI ** 2 / 2, 11);
    const s9 = Array.from({ length: 9 }, (_, k) => 1 / (k + 1) ** 2).reduce((a, b) => a + b, 0);
    expect(trigamma(10)).toBeCloseTo(Math.PI ** 2 / 6 - s9, 11);
  });
});

function sampleSd(r: SeededRandom, n: number, sigma: number): number {
  let s = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    const x = sigma * r.normal();
    s += x;
    q += x * x;
  }
  return Math.sqrt((q - (s * s) / n) / (n - 1));
}

describe('bias-corrected ln s² (simulation: 20,000 normal samples of n = 8 and n = 50, σ = 2)', () => {
  it('averages ln σ² and varies by ψ′(ν/2)', () => {
    const r = new SeededRandom('log-variance');
    for (const n of [8, 50]) {
      const ys: number[] = [];
      let v = 0;
      for (let i = 0; i < 20_000; i++) {
        const l = logVariance(sampleSd(r, n, 2), n);
        ys.push(l.y);
        v = l.variance;
      }
      const m = ys.reduce((a, b) => a + b, 0) / ys.length;
      const s2 = ys.reduce((a, b) => a + (b - m) ** 2, 0) / (ys.length - 1);
      // SE of the mean √(v/20000): ≤ 0.0047 at n = 8; 4 SE.
      expect(Math.abs(m - Math.log(4))).toBeLessThan(4 * Math.sqrt(v / 20_000));
      // Variance within 4 % (its SE ≈ √(2/20000) ≈ 1 % relative for a near-normal y).
      expect(s2 / v).toBeGreaterThan(0.96);
      expect(s2 / v).toBeLessThan(1.04);
    }
  });
});

describe('the lot-σ trend chart (simulation)', () => {
  /** A baseline cell with k lots of n units whose σ varies lot to lot by a factor exp(τ·Z). */
  const cellOf = (r: SeededRandom, k: number, n: number, tau: number): BaselineCell =>
    ({
      parameter: 'p',
      corner: 'room',
      lane: 0,
      lotSizes: Array.from({ length: k }, () => n),
      lotSds: Array.from({ length: k }, () => sampleSd(r, n, Math.exp(tau * r.normal()))),
    }) as unknown as BaselineCell;

  it('standardises healthy lots to mean ≈ 0, variance ≈ 1 (lot-to-lot σ variation included), over 4,000 histories', () => {
    const r = new SeededRandom('sigma-trend');
    const zs: number[] = [];
    for (let h = 0; h < 4000; h++) {
      const p = sigmaPhaseOne(cellOf(r, 10, 100, 0.05))!;
      const pts = Array.from({ length: 3 }, (_, i) => ({ lot: `L${i}`, n: 100, sd: sampleSd(r, 100, Math.exp(0.05 * r.normal())) }));
      zs.push(...sigmaZ(p, pts).z);
    }
    const m = zs.reduce((a, b) => a + b, 0) / zs.length;
    const v = zs.reduce((a, b) => a + (b - m) ** 2, 0) / (zs.length - 1);
    // Points of one history share the estimated centre (correlated): the mean's SE ≈ √(1/4000 · 1.2) ≈ 0.017.
    expect(Math.abs(m)).toBeLessThan(0.07);
    // A predictive z with an estimated variance (9 df) has variance ≈ ν/(ν − 2) ≈ 1.1–1.3 at most; no less than 1.
    expect(v).toBeGreaterThan(0.9);
    expect(v).toBeLessThan(1.35);
  });

  it('signals on the EWMA and CUSUM of ln s² (chart ewma-sd / cusum-sd, up) when the lot σ grows by 25 %', () => {
    const r = new SeededRandom('sigma-trend-shift');
    const p = sigmaPhaseOne(cellOf(r, 10, 200, 0))!;
    const points = [
      ...Array.from({ length: 4 }, (_, i) => ({ lot: `H${i}`, n: 200, mean: 0, sd: sampleSd(r, 200, 1) })),
      ...Array.from({ length: 3 }, (_, i) => ({ lot: `W${i}`, n: 200, mean: 0, sd: sampleSd(r, 200, 1.25) })),
    ];
    const meanPhase = { centre: 0, sigmaUnit: 1, betweenVariance: 0, centreVariance: 0 };
    const s = trendSeries(meanPhase, points, { ewmaLambda: 0.25, ewmaL: 6.5, cusumK: 1.5, cusumH: 9 }, p);
    expect(s.sigma!.lots).toEqual(points.map((x) => x.lot));
    expect(s.signals.some((x) => x.chart === 'ewma-sd' && x.direction === 'up')).toBe(true);
    expect(s.signals.some((x) => x.chart === 'cusum-sd' && x.direction === 'up')).toBe(true);
    expect(s.signals.some((x) => x.chart === 'ewma' || x.chart === 'cusum')).toBe(false);
    // No baseline lot SDs (a baseline made before lotqa 0.4): no σ chart.
    expect(sigmaPhaseOne({ lotSizes: [200, 200] } as unknown as BaselineCell)).toBeNull();
  });
});
