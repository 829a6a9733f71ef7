/**
 * PAT on heavy-tailed readings (issue 14, "your generator is not the factory"): a stable line whose readings
 * have t-like tails shows a few percent of PAT-outlier units in every lot, its qualified lots included. The
 * lot is held when its share exceeds the baseline's own share plus the policy's allowance AND its count is
 * improbable for the baseline's share — not because of a share the healthy process always has.
 */
import { describe, expect, it } from 'vitest';
import { findProduct } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { buildBaseline } from '../../src/evaluate/build-baseline.js';
import { evaluateLot } from '../../src/evaluate/evaluate-lot.js';
import type { LotData } from '../../src/domain/lot-data.js';
import { partAverageTest, patLimits } from '../../src/spc/pat.js';
import {
  baselineLotsOutlierShare,
  excessOutlierP,
  excessOutlierPOverdispersed,
  expectedUnitOutlierShare,
  lotToLotOutlierVariance,
} from '../../src/spc/pat-reference-share.js';
import { shapedHistory } from '../../bench/shapes-history.js';

describe('how improbable a lot’s count of PAT-outlier units is for the baseline’s share (exact binomial upper tail)', () => {
  // Independent recomputation: Σ_{k ≥ x} C(n,k) p^k (1−p)^(n−k) in exact rational arithmetic (Python
  // fractions.Fraction and math.comb), printed to double precision.
  it.each([
    [5, 20, 0.1, 0.043174495284463384],
    [9, 200, 0.02, 0.020174875984250773],
    [10, 200, 0.02, 0.007479287865361487],
    [1, 200, 0.001, 0.1813511705213643],
  ])('P(X ≥ %i | n = %i, p = %f) = %f', (x, n, p, expected) => {
    expect(excessOutlierP(x, n, p)).toBeCloseTo(expected, 10);
  });

  it('no outlier is never improbable, and any outlier is certain evidence when the baseline shows none', () => {
    expect(excessOutlierP(0, 200, 0.02)).toBe(1);
    expect(excessOutlierP(1, 200, 0)).toBe(0);
  });
});

describe('the share of units that are an outlier on at least one of their charts', () => {
  it('is 1 − Π(1 − p_c): 100 charts at 0.1 % each make 9.52 % of the units', () => {
    expect(expectedUnitOutlierShare(Array(100).fill(0.001))).toBeCloseTo(1 - 0.999 ** 100, 12);
    expect(1 - 0.999 ** 100).toBeCloseTo(0.0952, 4);
    expect(expectedUnitOutlierShare([])).toBe(0);
  });
});

describe('the baseline lots judged as a new lot is judged', () => {
  it('splits the baseline sample back into its lots (no thinning) and averages their outlier shares', () => {
    // Lot A: 0..99 spread evenly, one reading far out; lot B: the same without it.
    const a = Array.from({ length: 100 }, (_, i) => i / 10);
    a[99] = 200;
    const b = Array.from({ length: 100 }, (_, i) => i / 10 + 0.05);
    const sample = [...a, ...b];
    const limits = patLimits(sample, 6);
    // By hand: lot A has 1 outlier of 100 in-spec readings, lot B none → mean share 0.5 %.
    const byHand =
      (partAverageTest(a, { lsl: null, usl: null, k: 6, staticLimits: limits }).outliers.length / 100 +
        partAverageTest(b, { lsl: null, usl: null, k: 6, staticLimits: limits }).outliers.length / 100) /
      2;
    expect(byHand).toBe(0.005);
    expect(baselineLotsOutlierShare(sample, [100, 100], limits, 6, null, null)).toBe(0.005);
  });

  it('follows the even thinning of the sample: reading ⌊i·N/m⌋ of lots of 300 and 100 readings', () => {
    // 400 readings thinned to 200: sample i is reading 2i, so samples 0–149 come from lot A and 150–199 from lot B.
    const sample = [...Array.from({ length: 150 }, (_, i) => i / 15), ...Array.from({ length: 50 }, (_, i) => 1000 + i / 5)];
    sample[149] = 500; // far above lot A's own spread
    const limits = patLimits(sample, 6);
    const lotA = sample.slice(0, 150);
    const lotB = sample.slice(150);
    const byHand =
      (partAverageTest(lotA, { lsl: null, usl: null, k: 6, staticLimits: limits }).outliers.length / 150 +
        partAverageTest(lotB, { lsl: null, usl: null, k: 6, staticLimits: limits }).outliers.length / 50) /
      2;
    expect(byHand).toBeCloseTo(1 / 300, 12);
    expect(baselineLotsOutlierShare(sample, [300, 100], limits, 6, null, null)).toBeCloseTo(1 / 300, 12);
  });
});

/** Pushes tx_er @ room lane 1 of every `every`-th unit 8σ (σ 0.25 dB) high: in spec (ER has no upper limit), beyond PAT. */
function withOutliers(lot: LotData, every: number): LotData {
  const value = Float64Array.from(lot.value);
  const er = lot.parameters.indexOf('tx_er');
  const room = lot.corners.indexOf('room');
  for (let i = 0; i < value.length; i++)
    if (lot.runIndex[i]! % every === 0 && lot.parameterIndex[i] === er && lot.lane[i] === 0 && lot.cornerIndex[i] === room)
      value[i]! += 8 * 0.25;
  return { ...lot, value };
}

describe('lots of a healthy line with t₄-tailed readings (bench/shapes-history.ts, truncated at ±4.5σ)', () => {
  const spec = findProduct('qsfp112-400g-dr4');
  const policy = findPolicy('default');
  const history = shapedHistory({ spec, shape: 'heavy-tails', seed: 'robust-pat', lots: 9, units: 200 });
  const baseline = {
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    payload: buildBaseline({ spec, lots: history.slice(0, 5), createdBy: 'test' }),
  };

  it('are accepted: their few percent of PAT-outlier units are what the qualified lots showed too', () => {
    for (const lot of history.slice(5)) {
      const r = evaluateLot({ lot, spec, policy, baseline, revision: 1 });
      const outliers = r.units.filter((u) => u.patOutlier).length;
      // The point of the case: the old fixed 2 % allowance is exceeded or nearly so on healthy lots.
      expect(outliers).toBeGreaterThan(0);
      expect(r.proposal.reasons.filter((x) => x.code === 'pat-outliers')).toEqual([]);
    }
  });

  it('are still held when a further 8 % of the units (every 12th) are PAT outliers, and the reason names the baseline’s share', () => {
    const r = evaluateLot({ lot: withOutliers(history[5]!, 12), spec, policy, baseline, revision: 1 });
    const reason = r.proposal.reasons.find((x) => x.code === 'pat-outliers');
    expect(reason?.severity).toBe('HOLD');
    expect(reason?.message).toMatch(/the baseline's own \d+\.\d\d % plus the policy's 2\.00 %/);
    // Judged inside the lot's family (tests/evaluate/pat-count-in-family.test.ts): Holm over the other lot tests
    // (m > 1) raises its p, and it shares the 0.2 of α the policy leaves beside the across-corners lane tests.
    expect(reason?.test?.adjustedP).toBeGreaterThan(reason!.test!.p);
    expect(reason?.test?.adjustedP).toBeLessThanOrEqual(policy.consistency.alpha);
    expect(reason?.test?.alphaShare).toBeCloseTo(1 - policy.consistency.laneAcrossCornersAlphaShare!, 12);
  });
});

describe('lots of a normal line (the baseline shows no PAT outliers)', () => {
  const spec = findProduct('qsfp112-400g-dr4');
  const policy = findPolicy('default');
  const history = shapedHistory({ spec, shape: 'reference', seed: 'robust-pat-normal', lots: 6, units: 200 });
  const baseline = {
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    payload: buildBaseline({ spec, lots: history.slice(0, 5), createdBy: 'test' }),
  };

  it('keep the policy’s plain 2 % allowance: 5 % outlier units (every 20th) hold the lot', () => {
    const lot = withOutliers(history[5]!, 20);
    const r = evaluateLot({ lot, spec, policy, baseline, revision: 1 });
    const outliers = r.units.filter((u) => u.patOutlier).length;
    expect(outliers / r.units.length).toBeGreaterThan(0.02);
    const reason = r.proposal.reasons.find((x) => x.code === 'pat-outliers');
    expect(reason?.threshold).toBe(0.02);
    expect(reason?.severity).toBe('HOLD');
  });
});

describe('a lot’s count of PAT-outlier units when the share itself moves from lot to lot (beta-binomial tail)', () => {
  // Independent recomputation: scipy 1.17.1, scipy.stats.betabinom.sf(x − 1, 200, a, b) with ρ = extra·n/((n − 1)q(1 − q)),
  // a = q(1/ρ − 1), b = (1 − q)(1/ρ − 1) for q = 0.0244, extra = 1e-4 (a = 5.7548904992, b = 230.1012775008; its
  // variance 8.760928 = n q (1 − q) + n² extra); the binomial tails beside them are scipy.stats.binom.sf.
  it.each([
    [9, 0.11612920733997412, 0.05821259429003319],
    [14, 0.010035685247723913, 0.0004526981354744626],
    [20, 0.00030037142515892956, 1.341970404638136e-7],
  ])('P(X ≥ %i | n = 200, q = 2.44 %%, lot-to-lot variance 1e-4) = %f (binomial: %f)', (x, expected, binomial) => {
    expect(excessOutlierPOverdispersed(x, 200, 0.0244, 1e-4)).toBeCloseTo(expected, 10);
    expect(excessOutlierP(x, 200, 0.0244)).toBeCloseTo(binomial, 12);
  });

  it('is the binomial tail when the baseline lots vary no more than chance', () => {
    expect(excessOutlierPOverdispersed(14, 200, 0.0244, 0)).toBe(excessOutlierP(14, 200, 0.0244));
  });

  it('takes the lot-to-lot variance as the spread of the lots’ unit shares beyond their sampling, plus the mean’s own error', () => {
    // Two charts, three lots, 100 readings each. Lot shares: chart A 0.01, 0.03, 0.05; chart B 0.02, 0.02, 0.02.
    // q_j = 1 − (1 − a)(1 − b): 0.0298, 0.0494, 0.069; mean 0.0494, s² = ((0.0196)² + 0 + (0.0196)²)/2 = 3.8416e-4.
    // Sampling: 0.03·0.97/100 + 0.02·0.98/100 = 4.87e-4 ≥ s², so τ² = 0 and the variance is s²/3 = 1.28053e-4.
    const lots = (shares: number[]) => shares.map((share) => ({ share, readings: 100 }));
    const v = lotToLotOutlierVariance([lots([0.01, 0.03, 0.05]), lots([0.02, 0.02, 0.02])]);
    expect(v).toBeCloseTo(3.8416e-4 / 3, 12);
    // With 10,000 readings a lot the sampling is 4.87e-6: τ² = s² − 4.87e-6, plus s²/3.
    const big = (shares: number[]) => shares.map((share) => ({ share, readings: 10_000 }));
    expect(lotToLotOutlierVariance([big([0.01, 0.03, 0.05]), big([0.02, 0.02, 0.02])])).toBeCloseTo(
      3.8416e-4 - 4.87e-6 + 3.8416e-4 / 3,
      12,
    );
    // A chart without a share in every lot is left out; one lot says nothing about the spread.
    expect(lotToLotOutlierVariance([[{ share: 0.01, readings: 100 }, null]])).toBe(0);
    expect(lotToLotOutlierVariance([lots([0.02])])).toBe(0);
  });
});

describe('a healthy lot of the shape with every departure at once (bench/shapes-history.ts `everything`, 10-lot baseline)', () => {
  // The lot the 400-lot study held (bench/shapes-decision.ts, history 1, its 15th lot after the baseline): 14 of its
  // 200 units are PAT outliers against the baseline's 2.44 %. The binomial tail put that at p = 4.5e-4 and held it;
  // over 25 lots of this history the count had mean 5.2 and variance 8.3 (not 5.1): the lots' shares differ by more
  // than chance (each is judged on its own dynamic limits), which the baseline's own lots show too.
  const spec = findProduct('qsfp112-400g-dr4');
  const policy = findPolicy('default');
  const history = shapedHistory({ spec, shape: 'everything', seed: 'shapes/10/1', lots: 25, units: 200 });
  const baseline = {
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    payload: buildBaseline({ spec, lots: history.slice(0, 10), createdBy: 'test' }),
  };

  it('is not held for a count its baseline lots’ spread makes ordinary', () => {
    const r = evaluateLot({ lot: history[24]!, spec, policy, baseline, revision: 1 });
    expect(r.units.filter((u) => u.patOutlier).length).toBe(14);
    expect(r.proposal.reasons.filter((x) => x.code === 'pat-outliers')).toEqual([]);
  });
});
