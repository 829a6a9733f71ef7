/**
 * What a certificate covers, on a hand-made lot whose numbers can be checked by hand (not the
 * generator's data): twelve two-lane units, one failing its OMA limit (a conditional limit,
 * max(-0.8, tdecq - 2.2)) and one in spec but far outside the PAT limits on launch power.
 */
import { describe, expect, it } from 'vitest';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import type { AcceptancePolicy, PatOutlierAction } from '../../src/domain/acceptance-policy.js';
import { isCertifiedUnit, type LotResult } from '../../src/domain/lot-result.js';
import { evaluateLot } from '../../src/evaluate/evaluate-lot.js';
import { lotData, TINY, type RunReadings } from './support/tiny-product.js';

const POWER = [1.0, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97, 1.0, 1.02, 0.98, 3.9, 1.01]; // U11: PAT outlier, in spec (USL 4)
const TDECQ = [1.5, 1.8, 2.0, 1.2, 2.5, 1.6, 1.9, 2.1, 1.7, 1.4, 1.6, 1.8];
const OMA = [2.0, 2.05, 1.95, 2.02, 0.2, 1.98, 2.03, 1.97, 2.01, 1.99, 2.04, 1.96]; // U05: 0.2 < its limit max(-0.8, 2.5 - 2.2) = 0.3
const ER = [5.0, 5.1, 5.2, 5.05, 5.15, 5.25, 5.0, 5.1, 5.2, 5.05, 5.15, 5.25];
const SENS = [-7.0, -6.9, -6.8, -6.95, -6.85, -6.75, -7.0, -6.9, -6.8, -6.95, -6.85, -6.75];

const units: RunReadings[] = POWER.map((_, i) => ({
  serial: `U${String(i + 1).padStart(2, '0')}`,
  values: {
    power: [POWER[i]!, i === 10 ? 1.0 : POWER[i]!],
    er: [ER[i]!, ER[i]!],
    tdecq: [TDECQ[i]!, TDECQ[i]!],
    oma: [OMA[i]!, i === 4 ? 2.0 : OMA[i]!],
    sens: [SENS[i]!, SENS[i]!],
    module_power: 9 + i * 0.05,
  },
}));

function policyWith(action: PatOutlierAction): AcceptancePolicy {
  const p = structuredClone(findPolicy('default')) as AcceptancePolicy & { consistency: { pat: { outlierAction?: PatOutlierAction } } };
  p.consistency.pat.outlierAction = action;
  // Twelve units: the yield floor would reject one failure in twelve; this test is about certification.
  p.yield.finalYieldMin = 0.5;
  // Two outlier units in twelve exceed the 2 % share that holds a lot on its own; not what is tested here.
  p.consistency.pat.maxOutlierShare = 0.5;
  return p;
}

const evaluate = (action: PatOutlierAction): LotResult =>
  evaluateLot({ lot: lotData('CERT', units), spec: TINY, policy: policyWith(action), baseline: null, revision: 1 });

describe('the units a certificate covers', () => {
  it('exclude-units: the failing unit and the passing PAT outlier are not certified', () => {
    const r = evaluate('exclude-units');
    expect(r.units.find((u) => u.serial === 'U11')!.patOutlier).toBe(true);
    expect(r.units.find((u) => u.serial === 'U05')!.final).toBe('fail');
    expect(r.certification).toEqual({ patAction: 'exclude-units', units: 10, excludedPatOutliers: 1 });
    const certified = r.units.filter((u) => isCertifiedUnit(r, u)).map((u) => u.serial);
    expect(certified).not.toContain('U05');
    expect(certified).not.toContain('U11');
    const reason = r.proposal.reasons.find((x) => x.code === 'pat-outlier-units')!;
    expect(reason.severity).toBe('INFO');
    expect(reason.message).toMatch(/1 passing unit is a PAT outlier and is not certified/);
  });

  it('statistics over the certified units only, checked by hand', () => {
    const r = evaluate('exclude-units');
    const oma0 = r.cells.find((c) => c.key.parameter === 'oma' && c.key.lane === 0)!;
    // Certified OMA lane 0: every unit but U05 (0.20) and U11 (2.04).
    const values = [2.0, 2.05, 1.95, 2.02, 1.98, 2.03, 1.97, 2.01, 1.99, 1.96];
    expect(oma0.certified!.n).toBe(10);
    expect(oma0.certified!.min).toBe(1.95);
    expect(oma0.certified!.max).toBe(2.05);
    expect(oma0.certified!.mean).toBeCloseTo(values.reduce((a, b) => a + b) / values.length, 12); // 19.96 / 10
    // The all-units summary still shows the failing reading.
    expect(oma0.summary.min).toBe(0.2);
    const power0 = r.cells.find((c) => c.key.parameter === 'power' && c.key.lane === 0)!;
    expect(power0.certified!.max).toBe(1.03); // U11's 3.90 is not certified
  });

  it('the range a conditional limit took over the certified units, checked by hand', () => {
    const r = evaluate('exclude-units');
    const oma0 = r.cells.find((c) => c.key.parameter === 'oma' && c.key.lane === 0)!;
    // max(-0.8, tdecq - 2.2) over the certified units' TDECQ 1.5 1.8 2.0 1.2 1.6 1.9 2.1 1.7 1.4 1.8:
    // -0.7 -0.4 -0.2 -0.8 -0.6 -0.3 -0.1 -0.5 -0.8 -0.4 (1.2 - 2.2 = -1.0 is floored at -0.8).
    expect(oma0.certified!.lslRange).toEqual({ min: -0.8, max: -0.1 });
    expect(oma0.certified!.uslRange).toBeNull(); // USL 4.2 is a constant
    // Per chart point (every unit, test order), for the stepped limit line.
    expect(oma0.chart!.limitPoints!.lsl).toEqual([-0.7, -0.4, -0.2, -0.8, 0.3, -0.6, -0.3, -0.1, -0.5, -0.8, -0.6, -0.4]);
    expect(r.cells.find((c) => c.key.parameter === 'power')!.chart!.limitPoints).toBeUndefined();
  });

  it('report-only: the PAT outlier is certified and the decision says it is reported only', () => {
    const r = evaluate('report-only');
    expect(r.certification).toEqual({ patAction: 'report-only', units: 11, excludedPatOutliers: 0 });
    expect(r.units.filter((u) => isCertifiedUnit(r, u)).map((u) => u.serial)).toContain('U11');
    expect(r.proposal.reasons.find((x) => x.code === 'pat-outlier-units')!.message).toMatch(/reported only and certified with the lot/);
    expect(r.proposal.disposition).toBe('ACCEPT');
  });

  it('hold-lot: any PAT outlier holds the lot with a reason naming the units', () => {
    const r = evaluate('hold-lot');
    expect(r.proposal.disposition).toBe('HOLD');
    const reason = r.proposal.reasons.find((x) => x.code === 'pat-outlier-units')!;
    expect(reason.severity).toBe('HOLD');
    expect(reason.serials).toEqual(expect.arrayContaining(['U11']));
  });

  it('the shipped policies screen PAT outliers out', () => {
    expect(findPolicy('default').consistency.pat.outlierAction).toBe('exclude-units');
    expect(findPolicy('z14-level-ii-aql-0.65').consistency.pat.outlierAction).toBe('exclude-units');
  });
});
