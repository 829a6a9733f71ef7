/**
 * The decision-error bench's lane oracles (bench/lane-oracle.ts) checked against an independent
 * recomputation: no published worked example covers a minimum-effect lane test with a B-lot baseline, so
 * (1) one corner alone against the closed-form normal power, and (2) several corners against a unit-level
 * simulation of the generator's model written out here (units × lanes × corners per lot, lane × lot offsets
 * shared by the corners, readings correlated over corners), the baseline's lane means estimated from its lots.
 */
import { describe, expect, it } from 'vitest';
import { laneOraclePower } from '../../bench/lane-oracle.js';
import { minimumEffectP } from '../../src/evaluate/lot-tests.js';
import { normalCdf } from '../../src/spc/distributions.js';
import { SeededRandom } from '../../src/sim/index.js';

/** Smallest |deviation| the minimum-effect test rejects at level a (bisection; p falls as |d| grows). */
function rejectionThreshold(se: number, margin: number, a: number): number {
  let lo = 0;
  let hi = margin + 20 * se;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (minimumEffectP(mid, se, margin) <= a) hi = mid;
    else lo = mid;
  }
  return hi;
}

describe('lane oracle power', () => {
  it('one corner: the known-variance-components oracle equals the closed-form normal power with the baseline means estimated', () => {
    const cell = {
      shift: 1.5,
      laneLotSigma: 0.3,
      lanes: 4,
      units: 200,
      corners: 1,
      acrossCornerTests: 0,
      otherTests: 60,
      alpha: 0.01,
      share: 0.8,
      margin: 0.15,
    };
    const f = 4 / 3;
    for (const B of [undefined, 5, 10]) {
      // Predictive variance of the lane contrast: (k²f + f/n)(1 + 1/B); B undefined: means known, (k²f + f/n).
      const se = Math.sqrt((0.09 * f + f / 200) * (B === undefined ? 1 : 1 + 1 / B));
      const t = rejectionThreshold(se, 0.15, 0.01 / 60);
      const exact = normalCdf((1.5 - t) / se) + normalCdf((-1.5 - t) / se);
      const simulated = laneOraclePower({ ...cell, ...(B === undefined ? {} : { baselineLots: B }) });
      // 20 000 draws: Monte Carlo SE ≤ 0.0036; 0.015 is 4 SE.
      expect(Math.abs(simulated - exact)).toBeLessThan(0.015);
    }
  });

  it('several corners: the oracle agrees with a unit-level simulation of B baseline lots and one shifted lot', () => {
    const [L, n, C, B, k, rho, s, margin, alpha, share, m1, m2] = [4, 20, 3, 5, 0.3, 0.6, 1.5, 0.15, 0.01, 0.8, 8, 40] as const;
    const f = L / (L - 1);
    // The test's standard errors are the model's (the oracle knows the variance components); the simulation
    // below checks them too, by the empirical variance of the deviations it produces.
    const seCorner = Math.sqrt((k * k * f + f / n) * (1 + 1 / B));
    const seAll = Math.sqrt((k * k * f + (f / n) * (rho + (1 - rho) / C)) * (1 + 1 / B));
    const r = new SeededRandom('lane-oracle-test');
    /** Lane 1's contrast against its sister lanes at each corner, from unit readings of one lot. */
    const lotContrasts = (shift: number): number[] => {
      const lotWide = 0.15 * r.normal(); // cancels in the contrast
      const laneOffset = Array.from({ length: L }, (_, l) => k * r.normal() + (l === 0 ? shift : 0));
      const sums = Array.from({ length: C }, () => new Float64Array(L));
      for (let u = 0; u < n; u++)
        for (let l = 0; l < L; l++) {
          const shared = r.normal();
          for (let c = 0; c < C; c++) sums[c]![l]! += lotWide + laneOffset[l]! + Math.sqrt(rho) * shared + Math.sqrt(1 - rho) * r.normal();
        }
      return sums.map((row) => {
        const means = Array.from(row, (x) => x / n);
        return means[0]! - means.slice(1).reduce((a, x) => a + x, 0) / (L - 1);
      });
    };
    const draws = 6000;
    let caught = 0;
    const nullCorner: number[] = [];
    const nullAll: number[] = [];
    for (let d = 0; d < draws; d++) {
      const base = new Array<number>(C).fill(0);
      for (let b = 0; b < B; b++) lotContrasts(0).forEach((x, c) => (base[c]! += x / B));
      const dev = lotContrasts(s).map((x, c) => x - base[c]!);
      nullCorner.push(dev[0]! - s);
      const mean = dev.reduce((a, x) => a + x, 0) / C;
      nullAll.push(mean - s);
      let hit = minimumEffectP(mean, seAll, margin) <= (share * alpha) / m1;
      for (const x of dev) hit ||= minimumEffectP(x, seCorner, margin) <= ((1 - share) * alpha) / m2;
      if (hit) caught++;
    }
    const variance = (xs: number[]): number => xs.reduce((a, x) => a + x * x, 0) / xs.length;
    // Variance estimates from 6000 draws have relative SE √(2/6000) ≈ 1.8 %; 8 % is 4.4 SE.
    expect(variance(nullCorner) / seCorner ** 2).toBeGreaterThan(0.92);
    expect(variance(nullCorner) / seCorner ** 2).toBeLessThan(1.08);
    expect(variance(nullAll) / seAll ** 2).toBeGreaterThan(0.92);
    expect(variance(nullAll) / seAll ** 2).toBeLessThan(1.08);
    const cell = { shift: s, laneLotSigma: k, lanes: L, units: n, corners: C, acrossCornerTests: m1, otherTests: m2, alpha, share, margin };
    const oracle = laneOraclePower({ ...cell, baselineLots: B, cornerCorrelation: rho });
    const unitLevel = caught / draws;
    // Monte Carlo SE of the difference ≈ √(0.25/6000 + 0.25/20000) ≈ 0.0074; 0.03 is 4 SE.
    expect(Math.abs(oracle - unitLevel)).toBeLessThan(0.03);
    // Knowing the baseline's lane means is worth more than Monte Carlo noise here: the two oracles differ.
    expect(laneOraclePower({ ...cell, cornerCorrelation: rho }) - oracle).toBeGreaterThan(0.03);
  });
});
