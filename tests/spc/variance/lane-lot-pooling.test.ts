/**
 * Pooling the lane × lot variance over the parameters of one product (src/spc/variance-components.ts):
 * Bartlett on mean-square summaries against the NIST e-Handbook GEAR example, the pooled mean square and its
 * Satterthwaite df against a hand computation, the step-down that keeps a heterogeneous parameter apart, and
 * the df against a simulation of the model (the pooled mean square must scatter like χ² with those df).
 */
import { describe, expect, it } from 'vitest';
import { chiSquareQuantile } from '../../../src/spc/distributions.js';
import { SeededRandom } from '../../../src/sim/seeded-random.js';
import {
  bartlettFromMeanSquares,
  homogeneousLaneLotPool,
  pooledLaneLotMeanSquare,
  type LaneLotMeanSquare,
} from '../../../src/spc/variance-components.js';
import { StatsInputError } from '../../../src/spc/stats-error.js';
import { GEAR_BATCHES } from '../consistency/reference-data.js';

describe("Bartlett's test on mean squares and their df (NIST/SEMATECH e-Handbook 1.3.5.7, GEAR data)", () => {
  it('gives T = 20.7858 on 9 df from the ten batches’ sample variances, as NIST does from the raw data', () => {
    // The summaries by hand: each batch's sample variance with n − 1 df.
    const variances = GEAR_BATCHES.map((g) => {
      const m = g.reduce((a, v) => a + v, 0) / g.length;
      return g.reduce((a, v) => a + (v - m) ** 2, 0) / (g.length - 1);
    });
    const r = bartlettFromMeanSquares(
      variances,
      GEAR_BATCHES.map((g) => g.length - 1),
    );
    expect(r.t).toBeCloseTo(20.7858, 3);
    expect(r.df).toBe(9);
    expect(r.t).toBeGreaterThan(chiSquareQuantile(0.95, 9)); // 16.919: NIST rejects at 5 %
  });

  it('is 0 for equal mean squares, and refuses a mean square that is not > 0', () => {
    expect(bartlettFromMeanSquares([0.02, 0.02, 0.02], [27, 27, 12]).t).toBeCloseTo(0, 12);
    expect(() => bartlettFromMeanSquares([0.02, 0], [27, 27])).toThrow(StatsInputError);
    expect(() => bartlettFromMeanSquares([0.02], [27])).toThrow(StatsInputError);
  });
});

describe('the pooled lane × lot mean square and its df', () => {
  it('pools the excesses over the sampling parts, df-weighted, with Satterthwaite df (hand computation)', () => {
    // By hand: ν = 12 + 27 = 39; excess = (12·(0.04 − 0.01) + 27·(0.02 − 0.004))/39 = 0.792/39 = 0.0203077;
    // V*₀ = 0.01 + 0.0203077 = 0.0303077, V*₁ = 0.004 + 0.0203077 = 0.0243077;
    // Σ w² V*²/ν = (12/39)²·0.0303077²/12 + (27/39)²·0.0243077²/27 → ν*₀ = 51.79, ν*₁ = 33.31.
    const items: LaneLotMeanSquare[] = [
      { meanSquare: 0.04, samplingPart: 0.01, df: 12 },
      { meanSquare: 0.02, samplingPart: 0.004, df: 27 },
    ];
    const p0 = pooledLaneLotMeanSquare(items, [0, 1], 0);
    const p1 = pooledLaneLotMeanSquare(items, [0, 1], 1);
    expect(p0.meanSquare).toBeCloseTo(0.0303077, 6);
    expect(p1.meanSquare).toBeCloseTo(0.0243077, 6);
    expect(p0.df).toBeCloseTo(51.79, 2);
    expect(p1.df).toBeCloseTo(33.31, 2);
  });

  it('gives the sum of the df when the sampling parts are equal (7 parameters × 27 df = 189)', () => {
    const items = [0.02, 0.03, 0.025, 0.018, 0.022, 0.027, 0.031].map((v) => ({ meanSquare: v, samplingPart: 0.005, df: 27 }));
    const all = items.map((_, i) => i);
    const p = pooledLaneLotMeanSquare(items, all, 3);
    // Mean excess by hand: (0.173 − 7·0.005)/7 = 0.019714; V* = 0.024714.
    expect(p.meanSquare).toBeCloseTo(0.005 + (0.173 - 0.035) / 7, 9);
    expect(p.df).toBeCloseTo(189, 9);
  });

  it('truncates a negative pooled excess at 0: no lane × lot variation seen leaves the sampling part', () => {
    const items = [
      { meanSquare: 0.004, samplingPart: 0.005, df: 27 },
      { meanSquare: 0.0045, samplingPart: 0.005, df: 27 },
    ];
    expect(pooledLaneLotMeanSquare(items, [0, 1], 0).meanSquare).toBe(0.005);
  });
});

describe('which parameters are pooled (Bartlett step-down)', () => {
  it('pools mean squares that agree, and keeps one 25 times larger apart', () => {
    const same = [0.02, 0.03, 0.025, 0.018, 0.022].map((v) => ({ meanSquare: v, samplingPart: 0.005, df: 27 }));
    const agree = homogeneousLaneLotPool(same, 0.1);
    expect(agree.members).toEqual([0, 1, 2, 3, 4]);
    expect(agree.bartlettP!).toBeGreaterThan(0.1);
    const mixed = [...same.slice(0, 2), { meanSquare: 0.6, samplingPart: 0.005, df: 27 }, ...same.slice(2)];
    const r = homogeneousLaneLotPool(mixed, 0.1);
    expect(r.members).toEqual([0, 1, 3, 4, 5]);
  });

  it('pools nothing when every pair differs, and leaves out a mean square of 0', () => {
    const r = homogeneousLaneLotPool(
      [
        { meanSquare: 0.005, samplingPart: 0.005, df: 27 },
        { meanSquare: 0.125, samplingPart: 0.005, df: 27 },
      ],
      0.1,
    );
    expect(r).toEqual({ members: [], bartlettP: null });
    expect(
      homogeneousLaneLotPool(
        [
          { meanSquare: 0, samplingPart: 0.005, df: 27 },
          { meanSquare: 0.02, samplingPart: 0.005, df: 27 },
          { meanSquare: 0.021, samplingPart: 0.005, df: 27 },
        ],
        0.1,
      ).members,
    ).toEqual([1, 2]);
  });
});

describe('simulation of the model: the pooled mean square scatters like χ² with its Satterthwaite df', () => {
  it('mean and variance of V* over 20 000 simulated baselines match E[V*] and 2E[V*]²/ν* (7 parameters, 27 df, corner counts 3 and 2)', () => {
    // Independent simulation: each parameter's mean square V_q = E_q·χ²₂₇/27, E_q = τ² + S_q, τ² = 0.0533
    // (k = 0.2 in a 4-lane product: k²·4/3), S_q = 0.004 or 0.006 (different corner counts).
    const tau2 = (0.2 * 0.2 * 4) / 3;
    const sampling = [0.004, 0.004, 0.004, 0.006, 0.006, 0.004, 0.006];
    const expected = sampling.map((s) => tau2 + s);
    const df = 27;
    const rng = new SeededRandom('lane-lot-pooling-simulation');
    const members = sampling.map((_, i) => i);
    const draws = 20_000;
    let sum = 0;
    let sumSq = 0;
    let dfSum = 0;
    for (let d = 0; d < draws; d++) {
      const items = expected.map((e, i) => {
        let chi = 0;
        for (let j = 0; j < df; j++) chi += rng.normal() ** 2;
        return { meanSquare: (e * chi) / df, samplingPart: sampling[i]!, df };
      });
      const p = pooledLaneLotMeanSquare(items, members, 3);
      sum += p.meanSquare;
      sumSq += p.meanSquare ** 2;
      dfSum += p.df;
    }
    const mean = sum / draws;
    const variance = (sumSq - draws * mean * mean) / (draws - 1);
    const target = expected[3]!;
    expect(mean).toBeCloseTo(target, 3);
    // χ² with ν df: variance 2E²/ν. The true ν of this weighted sum is ≈ 7·27 = 189 (sampling parts nearly equal).
    const nuFromScatter = (2 * mean * mean) / variance;
    expect(nuFromScatter).toBeGreaterThan(189 * 0.9);
    expect(nuFromScatter).toBeLessThan(189 * 1.1);
    // The df the procedure reports (estimated from each draw's own fit) agree with the scatter.
    expect(dfSum / draws).toBeGreaterThan(nuFromScatter * 0.9);
    expect(dfSum / draws).toBeLessThan(nuFromScatter * 1.1);
  });
});

describe('a parameter moving more than the others is kept apart even when Bartlett accepts the set', () => {
  it('drops, in one pass, a member larger than the pooled rest by a one-sided F test (hand check of F)', () => {
    // Seven mean squares on 27 df; Bartlett over all accepts (the spread of six around 0.06 hides one at 0.11).
    const v = [0.06, 0.055, 0.065, 0.058, 0.11, 0.062, 0.057];
    const items = v.map((x) => ({ meanSquare: x, samplingPart: 0.005, df: 27 }));
    const plain = homogeneousLaneLotPool(items, 0.1);
    expect(plain.members).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // By hand: the rest of 0.11 pool to (0.06 + 0.055 + 0.065 + 0.058 + 0.062 + 0.057)/6 = 0.0595, F = 1.849 on
    // (27, 162) df, upper tail ≈ 0.006 < 0.2; every other member's F is below 1, or near it (0.065: F ≈ 0.98).
    const guarded = homogeneousLaneLotPool(items, 0.1, 0.2);
    expect(guarded.members).toEqual([0, 1, 2, 3, 5, 6]);
    expect(guarded.bartlettP!).toBeGreaterThan(plain.bartlettP!);
  });
});
