/**
 * The lot's PAT-outlier count is one of the family's hypotheses (issue 14): its p-value takes its place in the
 * policy's Holm correction beside the lot, lane, station, spread and capability tests, so the lot's family-wise
 * false-alarm rate is the policy's α — not α plus a PAT test at its own α outside the family.
 */
import { describe, expect, it } from 'vitest';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { decideLot, type LotHypothesis } from '../../src/acceptance/decide-lot.js';
import { patCountHypothesis } from '../../src/evaluate/evaluate-lot.js';
import { familyAlphaShares, splitFamilyAdjust } from '../../src/evaluate/lane-across-corners.js';
import { ALL_CORNERS } from '../../src/domain/baseline.js';
import type { SamplingView, UnitResult } from '../../src/domain/lot-result.js';
import { excessOutlierP } from '../../src/spc/pat-reference-share.js';

const policy = findPolicy('default');
const SHARE = policy.consistency.laneAcrossCornersAlphaShare!; // 0.8 in the default policy

/** 200 units, the first `outliers` of them PAT outliers, all passing. */
function unitsWith(outliers: number): UnitResult[] {
  return Array.from({ length: 200 }, (_, i) => ({
    attempts: 1,
    failures: [],
    final: 'pass',
    finalTestTime: '2026-01-01T00:00:00Z',
    firstPass: 'pass',
    firstPassFailures: 0,
    patOutlier: i < outliers,
    serial: `SN${String(i).padStart(4, '0')}`,
    station: 'ATE-01',
  }));
}

const sampling: SamplingView = {
  mode: '100-percent',
  standard: null,
  description: '100 % test',
  severity: null,
  codeLetter: null,
  sampleSize: 200,
  acceptanceNumber: null,
  rejectionNumber: null,
  nonconforming: 0,
  verdict: 'accept',
  detail: [],
};

const hyp = (kind: LotHypothesis['kind'], p: number, corner = 'room'): LotHypothesis => ({
  kind,
  parameter: 'tx_avg_power',
  corner,
  lane: kind === 'lane-shift' ? 1 : null,
  estimate: 1,
  threshold: 0.15,
  p,
});

/** The family as evaluateLot adjusts it: across-corners lane tests at SHARE·α, the rest at (1 − SHARE)·α, Holm in each. */
function decide(family: LotHypothesis[], outliers: number, reference: { share: number; excessP: number }) {
  const first = family.map((h) => h.kind === 'lane-shift' && h.corner === ALL_CORNERS);
  return decideLot({
    policy,
    hypotheses: family,
    adjusted: splitFamilyAdjust(
      family.map((h) => h.p),
      first,
      SHARE,
      'holm',
    ),
    alphaShares: familyAlphaShares(first, SHARE),
    units: unitsWith(outliers),
    yields: { firstPass: 1, final: 1 },
    sampling,
    capabilityBounds: [],
    hasBaseline: true,
    patReference: reference,
  });
}

describe('the PAT-outlier count as a hypothesis of the lot family', () => {
  it('is gated by the allowed share: p = 1 at or below it, the count’s upper tail above it', () => {
    const reference = { share: 0.03, excessP: 0.004 };
    // 10 of 200 = 5 % is exactly the allowed 3 % + 2 %: not above, p = 1.
    expect(patCountHypothesis(reference, 10, 200, 0.02).p).toBe(1);
    const h = patCountHypothesis(reference, 11, 200, 0.02);
    expect(h.p).toBe(0.004);
    expect(h.kind).toBe('pat-outliers');
    expect(h.estimate).toBeCloseTo(0.055, 12);
    expect(h.threshold).toBeCloseTo(0.05, 12);
  });

  it('holds when its Holm-adjusted p is ≤ α, with the adjusted p recomputed by hand', () => {
    // 20 of 200 units (10 %) against an allowed 3 % + 2 %.
    const reference = { share: 0.03, excessP: 0.0003 };
    const family = [
      hyp('lane-shift', 0.0005, ALL_CORNERS),
      patCountHypothesis(reference, 20, 200, 0.02),
      hyp('lot-shift', 0.0008),
      hyp('variance', 0.03),
    ];
    // By hand. First group (across corners, share 0.8): one test, 0.0005 / 0.8 = 0.000625.
    // Rest (share 0.2), Holm with m = 3 on 0.0003 (PAT), 0.0008, 0.03:
    //   3·0.0003 = 0.0009; max(0.0009, 2·0.0008) = 0.0016; max(0.0016, 1·0.03) = 0.03; each / 0.2:
    //   PAT 0.0045, lot-shift 0.008, variance 0.15.
    const r = decide(family, 20, reference);
    const pat = r.reasons.find((x) => x.code === 'pat-outliers');
    expect(pat?.severity).toBe('HOLD');
    expect(pat?.test?.p).toBe(0.0003);
    expect(pat?.test?.adjustedP).toBeCloseTo(0.0045, 12);
    expect(pat?.test?.alphaShare).toBeCloseTo(0.2, 12);
    expect(pat?.message).toContain('adjusted p = 4.50e-3 (holm, α = 0.01)');
    expect(r.reasons.find((x) => x.code === 'lot-shift')?.test?.adjustedP).toBeCloseTo(0.008, 12);
    expect(r.reasons.find((x) => x.code === 'lane-shift')?.test?.adjustedP).toBeCloseTo(0.000625, 12);
    expect(r.reasons.some((x) => x.code === 'spread-increase')).toBe(false);
  });

  it('does not hold on a count whose own p ≤ α but whose family-adjusted p is not (the test outside the family held it)', () => {
    const reference = { share: 0.03, excessP: 0.004 };
    const family = [
      hyp('lane-shift', 0.0005, ALL_CORNERS),
      patCountHypothesis(reference, 20, 200, 0.02),
      hyp('lot-shift', 0.0008),
      hyp('variance', 0.03),
    ];
    // By hand, rest group Holm on 0.0008 (lot), 0.004 (PAT), 0.03: 3·0.0008 = 0.0024; max(0.0024, 2·0.004) = 0.008;
    // 0.03; / 0.2: lot-shift 0.012, PAT 0.04, variance 0.15 — none ≤ 0.01. Alone at α, 0.004 ≤ 0.01 held the lot.
    expect(reference.excessP).toBeLessThanOrEqual(policy.consistency.alpha);
    const r = decide(family, 20, reference);
    expect(r.reasons.filter((x) => x.code === 'pat-outliers')).toEqual([]);
    expect(r.reasons.filter((x) => x.code === 'lot-shift')).toEqual([]);
    // Only the across-corners lane test (0.0005 / 0.8 = 0.000625) holds the lot.
    expect(r.reasons.filter((x) => x.severity !== 'INFO').map((x) => x.code)).toEqual(['lane-shift']);
    // The same lot without the PAT test in the family (no hypothesis; the old rule): held.
    const outside = decide(
      family.filter((h) => h.kind !== 'pat-outliers'),
      20,
      reference,
    );
    expect(outside.reasons.find((x) => x.code === 'pat-outliers')?.severity).toBe('HOLD');
  });

  it('enters with the exact binomial tail when the baseline lots vary no more than chance', () => {
    // 12 of 200 against 2 %: P(X ≥ 12 | 200, 0.02) is the hypothesis' p, gated above 2 % + 2 %.
    const excessP = excessOutlierP(12, 200, 0.02);
    expect(patCountHypothesis({ share: 0.02, excessP }, 12, 200, 0.02).p).toBe(excessP);
  });
});
