/**
 * Trend phase I with the between-lot variance replaced by its upper (1 − β) chi-square confidence bound
 * (issue 14: a 5-lot baseline's underestimate made whole healthy histories signal). The bound is checked
 * against the NIST/SEMATECH e-Handbook's table of chi-square critical values (§1.3.6.7.4), against an
 * independent recomputation of the quantile (the closed-form chi-square CDF of even df, inverted by
 * bisection — no @stdlib), and against its coverage in simulated baselines.
 */
import { describe, expect, it } from 'vitest';
import type { BaselineCell, BaselineComponents } from '../../src/domain/baseline.js';
import { trendPhaseOne, upperVarianceBound } from '../../src/evaluate/lot-trend.js';
import { SeededRandom } from '../../src/sim/seeded-random.js';
import { healthySignalRate } from './support/healthy-trend-rate.js';

/** P(χ²_df ≤ x) for even df: 1 − e^(−x/2) Σ_{i < df/2} (x/2)^i / i! (the Poisson–gamma identity). */
function chiSquareCdfEvenDf(x: number, df: number): number {
  let term = 1;
  let sum = 1;
  for (let i = 1; i < df / 2; i++) {
    term *= x / 2 / i;
    sum += term;
  }
  return 1 - Math.exp(-x / 2) * sum;
}

/** Its p-quantile by bisection. */
function chiSquareQuantileEvenDf(p: number, df: number): number {
  let lo = 0;
  let hi = 10 * df + 100;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (chiSquareCdfEvenDf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('upper (1 − β) bound of a variance from a mean square of df degrees of freedom: df·s²/χ²_β(df)', () => {
  it('β = 0.10, 4 df (a 5-lot baseline): χ²_0.10(4) = 1.064 in the NIST e-Handbook table, so s² = 2.5 → 9.40', () => {
    expect((4 * 2.5) / upperVarianceBound(2.5, 4, 0.1)).toBeCloseTo(1.064, 3);
    expect(upperVarianceBound(2.5, 4, 0.1)).toBeCloseTo(9.4, 2);
  });

  it('β = 0.05, 12 df: χ²_0.05(12) = 5.226 in the NIST e-Handbook table', () => {
    expect((12 * 1) / upperVarianceBound(1, 12, 0.05)).toBeCloseTo(5.226, 3);
  });

  it('agrees with the bisection of the closed-form CDF for the df of 5- and 10-lot baselines of 4 lanes', () => {
    for (const df of [4, 12, 18, 28]) {
      for (const beta of [0.05, 0.1, 0.25, 0.4]) {
        const q = chiSquareQuantileEvenDf(beta, df);
        expect(upperVarianceBound(0.7, df, beta)).toBeCloseTo((df * 0.7) / q, 9);
      }
    }
  });

  it('covers the true variance in 1 − β of simulated baselines (20 000 samples of 5 normal lot means, β = 0.4)', () => {
    const rng = new SeededRandom('phase-one-coverage', 'bound');
    const trials = 20000;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const x = Array.from({ length: 5 }, () => 3 * rng.normal());
      const m = x.reduce((a, v) => a + v, 0) / 5;
      const s2 = x.reduce((a, v) => a + (v - m) ** 2, 0) / 4;
      if (upperVarianceBound(s2, 4, 0.4) >= 9) covered++;
    }
    // Binomial(20 000, 0.6): sd 0.35 %; ± 1.2 % is more than 3 sd.
    expect(Math.abs(covered / trials - 0.6)).toBeLessThan(0.012);
  });
});

describe('trendPhaseOne: the bound applied to the lot-mean and lane-contrast mean squares before their sampling parts come off', () => {
  // A 5-lot baseline of 4 lanes: lot means 4 df, lane contrasts (5 − 1)(4 − 1) = 12 df.
  const comp = {
    lots: 5,
    lotMeanVariance: 0.03,
    lotMeanSamplingVariance: 0.00125,
    lotSigma: Math.sqrt(0.03 - 0.00125),
    lotDf: 4,
    laneContrastVariance: 0.02,
    laneContrastSamplingVariance: 0.0067,
    laneLotSigma: Math.sqrt(((0.02 - 0.0067) * 3) / 4),
    laneLotDf: 12,
    lanes: [1, 2, 3, 4],
  } as unknown as BaselineComponents;
  const cell = { lane: 2, mean: 5, sigmaUnit: 0.4 } as unknown as BaselineCell;

  it('β = 0.4: between = (4·0.03/χ²_0.4(4) − 0.00125) + (12·0.02/χ²_0.4(12) − 0.0067)·3/4, centre error = the bounded mean squares / 5', () => {
    const lotMs = (4 * 0.03) / chiSquareQuantileEvenDf(0.4, 4);
    const laneMs = (12 * 0.02) / chiSquareQuantileEvenDf(0.4, 12);
    const p = trendPhaseOne(cell, comp, 0.4)!;
    expect(p.betweenVariance).toBeCloseTo(lotMs - 0.00125 + ((laneMs - 0.0067) * 3) / 4, 12);
    expect(p.centreVariance).toBeCloseTo((lotMs + laneMs) / 5, 12);
    expect(p.centre).toBe(5);
    expect(p.sigmaUnit).toBe(0.4);
    // The bound is wider than the point estimate the charts used before (lot² + lane×lot² = 0.03849).
    expect(p.betweenVariance).toBeGreaterThan(comp.lotSigma ** 2 + comp.laneLotSigma! ** 2);
  });

  it('a lot-wide chart (lane null) takes no lane × lot part', () => {
    const p = trendPhaseOne({ ...cell, lane: null }, comp, 0.4)!;
    const lotMs = (4 * 0.03) / chiSquareQuantileEvenDf(0.4, 4);
    expect(p.betweenVariance).toBeCloseTo(lotMs - 0.00125, 12);
    expect(p.centreVariance).toBeCloseTo(lotMs / 5, 12);
  });
});

describe('healthy false-alarm rate with a 5-lot baseline at the default β (simulation, bench/trend-simulation.ts)', () => {
  it('4 lanes, lot σ 0.15, lane × lot σ 0.1: ≤ 0.1 % of lots signal per parameter × corner (0.32 % before the bound)', () => {
    const { signals, lots } = healthySignalRate(5, 'healthy-5');
    expect(lots).toBe(5000);
    expect(signals / lots).toBeLessThanOrEqual(0.001);
  });
});
