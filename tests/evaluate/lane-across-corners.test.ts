/**
 * The across-corners lane test and the split family α (src/evaluate/lane-across-corners.ts).
 *
 * No published example exists for either, so: the split adjustment is recomputed independently (Holm by
 * hand on each group at its share of α) and its family-wise error simulated under the global null; the
 * lane test is simulated from the model it assumes — per unit and corner x = lane × lot offset (a shared
 * part and a corner-specific part) + unit noise correlated between corners and between lanes — and must
 * keep its size on healthy lots (a predictive test: rejects ≤ its level) and catch a shift at every corner.
 */
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/sim/seeded-random.js';
import { ALL_CORNERS, type BaselineAcrossCorners, type BaselineComponents } from '../../src/domain/baseline.js';
import {
  acrossCornerGroups,
  acrossCornerLaneTests,
  cornerAveragedMatrix,
  splitFamilyAdjust,
} from '../../src/evaluate/lane-across-corners.js';
import { lotLaneStatistics, varianceComponents } from '../../src/spc/variance-components.js';

describe('the family α split between the across-corners lane tests and the rest', () => {
  it('is Holm at share·α within each group: recomputed by hand on a small family', () => {
    const p = [0.001, 0.02, 0.0004, 0.3, 0.004, 0.01];
    const first = [true, true, false, false, false, false];
    const adj = splitFamilyAdjust(p, first, 0.5, 'holm');
    // Group 1 (0.001, 0.02): Holm 2·0.001 = 0.002, max(0.002, 1·0.02) = 0.02; divided by 0.5.
    expect(adj[0]).toBeCloseTo(0.004, 12);
    expect(adj[1]).toBeCloseTo(0.04, 12);
    // Group 2 (0.0004, 0.3, 0.004, 0.01) sorted 0.0004, 0.004, 0.01, 0.3: 4·0.0004 = 0.0016, 3·0.004 = 0.012,
    // 2·0.01 = 0.02, 1·0.3 = 0.3; divided by 0.5.
    expect(adj[2]).toBeCloseTo(0.0032, 12);
    expect(adj[4]).toBeCloseTo(0.024, 12);
    expect(adj[5]).toBeCloseTo(0.04, 12);
    expect(adj[3]).toBeCloseTo(0.6, 12);
    // One group only, or share 0 / 1: the plain correction over the whole family.
    expect(
      Array.from(
        splitFamilyAdjust(
          p,
          p.map(() => false),
          0.5,
          'holm',
        ),
      ),
    ).toEqual(Array.from(splitFamilyAdjust(p, first, 0, 'holm')));
  });

  it('keeps the family-wise error ≤ α under the global null (simulation, 6,000 families of 40 + 200 tests)', () => {
    const r = new SeededRandom('split-fwer');
    const alpha = 0.05;
    const families = 6000;
    let any = 0;
    const first = Array.from({ length: 240 }, (_, i) => i < 40);
    for (let f = 0; f < families; f++) {
      const p = Array.from({ length: 240 }, () => r.uniform());
      if (splitFamilyAdjust(p, first, 0.5, 'holm').some((a) => a <= alpha)) any++;
    }
    const rate = any / families;
    // Union bound: ≤ 0.025 + 0.025; independent tests give 1 − 0.975² ≈ 0.0494. 3 binomial SE ≈ 0.0084.
    expect(rate).toBeLessThan(alpha + 0.0084);
    expect(rate).toBeGreaterThan(0.049 - 0.0084);
  }, 120_000);
});

describe('which parameters get an across-corners lane test', () => {
  const comp = (parameter: string, corner: string, lanes: (number | null)[]): BaselineComponents =>
    ({ parameter, corner, lanes }) as unknown as BaselineComponents;
  it('lane parameters with ≥ 3 lanes on ≥ 2 corners sharing one set of lanes; not per-module ones', () => {
    const g = acrossCornerGroups([
      comp('a', 'cold', [0, 1, 2, 3]),
      comp('a', 'room', [0, 1, 2, 3]),
      comp('a', 'hot', [0, 1, 3]),
      comp('b', 'room', [0, 1, 2, 3]),
      comp('m', 'room', [null]),
      comp('m', 'hot', [null]),
    ]);
    expect(g.map((x) => [x.parameter, x.members.map((m) => m.corner)])).toEqual([['a', ['cold', 'room']]]);
  });
});

/** Model of one parameter: L lanes × C corners, n units; standardised so the within-lot σ is 1 per corner and lane. */
function simulateLot(
  r: SeededRandom,
  o: {
    n: number;
    L: number;
    C: number;
    k: number;
    cornerShare: number;
    rhoCorner: number;
    rhoLane: number;
    shift?: { lane: number; sigma: number };
  },
): Float64Array[] {
  const shared = Array.from({ length: o.L }, () => o.k * Math.sqrt(1 - o.cornerShare) * r.normal());
  const offset = Array.from({ length: o.C }, () =>
    Array.from(
      { length: o.L },
      (_, l) => shared[l]! + o.k * Math.sqrt(o.cornerShare) * r.normal() + (o.shift?.lane === l ? o.shift.sigma : 0),
    ),
  );
  const lotWide = 0.15 * r.normal();
  const matrices = Array.from({ length: o.C }, () => new Float64Array(o.n * o.L));
  for (let i = 0; i < o.n; i++) {
    const unitLanes = Array.from({ length: o.L }, () => r.normal());
    const unitCommon = r.normal();
    const perCorner = Array.from({ length: o.C }, () => r.normal());
    for (let c = 0; c < o.C; c++)
      for (let l = 0; l < o.L; l++) {
        // Corner correlation ρc through the unit's lane draw; lane correlation ρl through a unit-wide draw per corner.
        const lane = Math.sqrt(o.rhoCorner) * unitLanes[l]! + Math.sqrt(1 - o.rhoCorner) * r.normal();
        const e = Math.sqrt(o.rhoLane) * (0.6 * unitCommon + 0.8 * perCorner[c]!) + Math.sqrt(1 - o.rhoLane) * lane;
        matrices[c]![i * o.L + l] = lotWide + offset[c]![l]! + e;
      }
  }
  return matrices;
}

function components(lots: readonly Float64Array[][], L: number, C: number): BaselineAcrossCorners {
  const { laneCount: _l, ...vc } = varianceComponents(lots.map((m) => lotLaneStatistics(cornerAveragedMatrix(m), L)));
  return {
    parameter: 'p',
    corners: Array.from({ length: C }, (_, c) => `c${c}`),
    lanes: Array.from({ length: L }, (_, l) => l),
    sigmas: Array.from({ length: C }, () => Array.from({ length: L }, () => 1)),
    ...vc,
  };
}

describe('the across-corners lane test (simulation of the model it assumes)', () => {
  const base = { n: 30, L: 4, C: 3, rhoCorner: 0.6, rhoLane: 0.4 };
  const rejectRate = (k: number, cornerShare: number, lots: number, level: number, shift?: { lane: number; sigma: number }): number => {
    const r = new SeededRandom('across-corners', k, cornerShare, lots, level, shift?.sigma ?? 0);
    const reps = 800;
    let rejected = 0;
    let tests = 0;
    for (let rep = 0; rep < reps; rep++) {
      const baseline = components(
        Array.from({ length: lots }, () => simulateLot(r, { ...base, k, cornerShare })),
        base.L,
        base.C,
      );
      const lot = simulateLot(r, { ...base, k, cornerShare, shift });
      const hs = acrossCornerLaneTests(baseline, lotLaneStatistics(cornerAveragedMatrix(lot), base.L), 0);
      expect(hs.every((h) => h.kind === 'lane-shift' && h.corner === ALL_CORNERS)).toBe(true);
      for (const h of hs) {
        if (shift !== undefined && h.lane !== shift.lane) continue;
        tests++;
        if (h.p <= level) rejected++;
      }
    }
    return rejected / tests;
  };

  it('holds its level on healthy lots (margin 0, 5 % per test), with shared or half corner-specific lane × lot offsets', () => {
    // 3200 lane tests per case; 3 binomial SE at 5 % ≈ 0.0116.
    for (const [k, share, lots] of [
      [0.2, 0, 5],
      [0.3, 0.5, 10],
      [0.1, 1, 5],
    ] as const) {
      const rate = rejectRate(k, share, lots, 0.05);
      expect(rate, `k ${k}, corner share ${share}, ${lots} lots`).toBeLessThan(0.05 + 0.0116);
      // Not needlessly conservative: the predictive t test is exact up to Satterthwaite's approximation.
      expect(rate, `k ${k}, corner share ${share}, ${lots} lots`).toBeGreaterThan(0.03);
    }
  }, 300_000);

  it('catches a lane shifted by 1.5σ at every corner far more often than the level', () => {
    expect(rejectRate(0.2, 0, 10, 0.001, { lane: 2, sigma: 1.5 })).toBeGreaterThan(0.9);
  }, 120_000);
});
