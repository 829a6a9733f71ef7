/**
 * Variance components across lots and the predictive lot/lane tests (src/spc/variance-components.ts),
 * checked against an independent recomputation (the balanced one-way ANOVA of src/spc/anova.ts, verified
 * there against NIST) and by simulation of the model they assume, and Bartlett's test against the NIST
 * e-Handbook GEAR example.
 */
import { describe, expect, it } from 'vitest';
import { bartlettTest } from '../../../src/spc/consistency.js';
import { chiSquareQuantile } from '../../../src/spc/distributions.js';
import { oneWayAnova } from '../../../src/spc/anova.js';
import { SeededRandom } from '../../../src/sim/seeded-random.js';
import {
  laneContrastDeviation,
  lotLaneStatistics,
  lotMeanDeviation,
  minimumEffectTP,
  varianceComponents,
  type LotLaneStatistics,
} from '../../../src/spc/variance-components.js';
import { StatsInputError } from '../../../src/spc/stats-error.js';
import { GEAR_BATCHES } from '../consistency/reference-data.js';

describe("Bartlett's test across k batches (NIST/SEMATECH e-Handbook 1.3.5.7, GEAR data)", () => {
  it('T = 20.7858 on 9 df, beyond the 5 % critical value 16.919: the batch variances differ', () => {
    const r = bartlettTest(GEAR_BATCHES);
    // NIST prints 20.7858 (Dataplot truncates); double precision gives 20.785873.
    expect(r.t).toBeCloseTo(20.7858, 3);
    expect(r.df).toBe(9);
    expect(chiSquareQuantile(0.95, 9)).toBeCloseTo(16.919, 3);
    expect(r.pValue).toBeLessThan(0.05);
  });

  it('refuses a group with no spread', () => {
    expect(() =>
      bartlettTest([
        [1, 1, 1],
        [1, 2, 3],
      ]),
    ).toThrow(StatsInputError);
  });
});

/** k lots of n units × L lanes: x = a_j + b_jl + e, e with correlation rho between the lanes of a unit. */
function simulateLots(
  r: SeededRandom,
  k: number,
  n: number,
  L: number,
  sLot: number,
  sLane: number,
  rho: number,
  shift: number[] = [],
): Float64Array[] {
  return Array.from({ length: k }, () => {
    const a = sLot * r.normal();
    const b = Array.from({ length: L }, (_, l) => sLane * r.normal() + (shift[l] ?? 0));
    const m = new Float64Array(n * L);
    for (let i = 0; i < n; i++) {
      const common = r.normal();
      for (let l = 0; l < L; l++) m[i * L + l] = a + b[l]! + Math.sqrt(rho) * common + Math.sqrt(1 - rho) * r.normal();
    }
    return m;
  });
}

describe('variance components from baseline lots', () => {
  it('equal the balanced one-way ANOVA estimate (MS_between − MS_within)/n for the lot-wide mean', () => {
    const r = new SeededRandom('vc-anova');
    const n = 40;
    const lots = simulateLots(r, 6, n, 1, 0.5, 0, 0);
    const vc = varianceComponents(lots.map((m) => lotLaneStatistics(m, 1)));
    const anova = oneWayAnova(lots);
    expect(vc.lotSigma ** 2).toBeCloseTo(Math.max(0, (anova.msBetween - anova.msWithin) / n), 10);
    expect(vc.lotDf).toBe(5);
    expect(vc.laneLotSigma).toBeNull();
  });

  it('recover σ_lot and σ_lane×lot of the model on average, whatever the lane correlation', () => {
    const r = new SeededRandom('vc-recover');
    let lot2 = 0;
    let lane2 = 0;
    const reps = 200;
    for (let rep = 0; rep < reps; rep++) {
      const vc = varianceComponents(simulateLots(r, 8, 50, 4, 0.3, 0.2, 0.5).map((m) => lotLaneStatistics(m, 4)));
      lot2 += vc.lotSigma ** 2;
      lane2 += vc.laneLotSigma! ** 2;
      expect(vc.laneLotDf).toBe(7 * 3);
    }
    // Truncation at 0 biases the means up a little; both within 0.03 of the truth (0.09, 0.04).
    expect(Math.abs(lot2 / reps - 0.09)).toBeLessThan(0.03);
    expect(Math.abs(lane2 / reps - 0.04)).toBeLessThan(0.015);
  });

  it('compute per-unit lane contrasts: lane minus the mean of the other lanes', () => {
    const m = Float64Array.from([1, 2, 3, 6, 2, 2, 2, 2, 0, 0, 0, Number.NaN]);
    const s = lotLaneStatistics(m, 4);
    expect(s.n).toBe(2); // the third unit has a lane missing
    // unit 1: means 3; contrasts 1 − 11/3, 2 − 10/3, 3 − 3, 6 − 2; unit 2: all 0
    expect(s.unitMean).toBeCloseTo((3 + 2) / 2, 12);
    expect(s.contrastMeans[3]).toBeCloseTo(4 / 2, 12);
    expect(s.contrastVariances[3]).toBeCloseTo(8, 12); // values 4 and 0
  });
});

describe('predictive lot and lane tests hold a healthy lot at their nominal rate', () => {
  // Simulation of the model: 5-lot baselines, correlated lanes, lane × lot variation; margin 0 makes the
  // minimum-effect test an ordinary two-sided test, whose rejection rate at 5 % must be ≈ 5 %.
  const run = (sLane: number, rho: number): { lot: number; lane: number } => {
    const r = new SeededRandom('vc-size', sLane, rho);
    const reps = 1500;
    let lotReject = 0;
    let laneReject = 0;
    for (let rep = 0; rep < reps; rep++) {
      const lots = simulateLots(r, 6, 40, 4, 0.15, sLane, rho).map((m) => lotLaneStatistics(m, 4));
      const vc = varianceComponents(lots.slice(0, 5));
      const fresh: LotLaneStatistics = lots[5]!;
      const m = lotMeanDeviation(vc, fresh);
      if (minimumEffectTP(m.estimate, m.standardError, 0, m.df) < 0.05) lotReject++;
      const d = laneContrastDeviation(vc, fresh, rep % 4);
      if (minimumEffectTP(d.estimate, d.standardError, 0, d.df) < 0.05) laneReject++;
    }
    return { lot: lotReject / reps, lane: laneReject / reps };
  };
  for (const [sLane, rho] of [
    [0, 0],
    [0.2, 0],
    [0.3, 0.6],
  ] as const) {
    it(`σ_lane×lot = ${sLane}, lane correlation ${rho}: both tests reject 5 % ± 2 points`, () => {
      const rate = run(sLane, rho);
      expect(Math.abs(rate.lot - 0.05)).toBeLessThan(0.02);
      expect(Math.abs(rate.lane - 0.05)).toBeLessThan(0.02);
    });
  }

  it('a 1.5σ shift of one lane is seen as a lane contrast of ≈ 1.5σ', () => {
    const r = new SeededRandom('vc-power');
    const base = simulateLots(r, 10, 200, 4, 0.15, 0.1, 0).map((m) => lotLaneStatistics(m, 4));
    const shifted = lotLaneStatistics(simulateLots(r, 1, 200, 4, 0.15, 0.1, 0, [0, 1.5])[0]!, 4);
    const d = laneContrastDeviation(varianceComponents(base), shifted, 1);
    expect(d.estimate).toBeGreaterThan(1.1);
    expect(d.estimate).toBeLessThan(1.9);
    expect(minimumEffectTP(d.estimate, d.standardError, 0.4, d.df)).toBeLessThan(1e-3);
  });
});
