/**
 * The lane margin by baseline size (policy consistency.maxLaneShiftSigmaByBaselineLots): the entry with the
 * largest fromBaselineLots not above the baseline's lots, else maxLaneShiftSigma, else maxMeanShiftSigma.
 */
import { describe, expect, it } from 'vitest';
import { laneShiftMargin, type AcceptancePolicy } from '../../src/domain/acceptance-policy.js';
import { validatePolicy } from '../../src/domain/policy-validation.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { PolicyValidationError } from '../../src/acceptance/errors.js';
import { findProduct } from '../../src/domain/catalog.js';
import { buildBaseline } from '../../src/evaluate/build-baseline.js';
import { evaluateLot } from '../../src/evaluate/evaluate-lot.js';
import { generateHistory } from '../../src/sim/index.js';
import { toLotData } from '../../src/sim/to-lot-data.js';

const base = findPolicy('default');
const withTable = (
  table: AcceptancePolicy['consistency']['maxLaneShiftSigmaByBaselineLots'],
  flat: number | null = 0.15,
): AcceptancePolicy => {
  const { maxLaneShiftSigma: _flat, maxLaneShiftSigmaByBaselineLots: _table, ...rest } = base.consistency;
  return {
    ...base,
    consistency: {
      ...rest,
      ...(flat === null ? {} : { maxLaneShiftSigma: flat }),
      ...(table ? { maxLaneShiftSigmaByBaselineLots: table } : {}),
    },
  };
};

describe('the lane margin for a baseline of a given number of lots', () => {
  it('takes the entry with the largest fromBaselineLots not above the lots, in any order', () => {
    const p = withTable([
      { fromBaselineLots: 20, maxLaneShiftSigma: 0.03 },
      { fromBaselineLots: 10, maxLaneShiftSigma: 0.05 },
    ]);
    expect([3, 9, 10, 19, 20, 40].map((b) => laneShiftMargin(p, b))).toEqual([0.15, 0.15, 0.05, 0.05, 0.03, 0.03]);
    // No baseline: the flat margin.
    expect(laneShiftMargin(p, null)).toBe(0.15);
  });

  it('falls back to maxLaneShiftSigma, then maxMeanShiftSigma', () => {
    expect(laneShiftMargin(withTable(undefined), 12)).toBe(0.15);
    expect(laneShiftMargin(withTable(undefined, null), 12)).toBe(base.consistency.maxMeanShiftSigma);
  });

  it('is validated: a fractional lot count is refused with the field named', () => {
    const bad = JSON.parse(JSON.stringify(base)) as Record<string, Record<string, unknown>>;
    bad.consistency!.maxLaneShiftSigmaByBaselineLots = [{ fromBaselineLots: 2.5, maxLaneShiftSigma: 0.05 }];
    expect(() => validatePolicy(bad, 'p.json')).toThrow(PolicyValidationError);
    expect(() => validatePolicy(bad, 'p.json')).toThrow(/maxLaneShiftSigmaByBaselineLots\/0\/fromBaselineLots/);
  });
});

describe('the lot’s lane tests use the margin of their baseline’s size (default policy)', () => {
  it('judge a 2σ lane shift against 0.15σ with a 5-lot baseline and against 0.08σ with a 10-lot one', () => {
    const spec = findProduct('qsfp112-400g-dr4');
    const data = generateHistory({
      product: spec,
      seed: 'lane-shift-margin',
      lots: [
        ...Array.from({ length: 10 }, (_, i) => ({ lot: `Q${i + 1}`, units: 120 })),
        { lot: 'SHIFT', units: 120, shifts: [{ parameter: 'tx_avg_power', lane: 1, sigma: 2 }] },
      ],
    }).map(toLotData);
    const thresholds = [5, 10].map((b) => {
      const baseline = { version: 1, createdAt: 'x', payload: buildBaseline({ spec, lots: data.slice(0, b), createdBy: 't' }) };
      const r = evaluateLot({ lot: data[10]!, spec, policy: base, baseline, revision: 1 });
      return [...new Set(r.proposal.reasons.filter((x) => x.code === 'lane-shift').map((x) => x.threshold))];
    });
    expect(thresholds).toEqual([[laneShiftMargin(base, 5)], [laneShiftMargin(base, 10)]]);
    expect(laneShiftMargin(base, 5)).toBe(0.15);
    expect(laneShiftMargin(base, 10)).toBe(0.08);
  });
});
