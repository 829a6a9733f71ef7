/**
 * The lot decision on lots from the synthetic factory with known injected faults: the behaviour a
 * quality engineer signs off on. Lots go through the same evaluation as `lotqa run`, in memory.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { findProduct } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { LotResult } from '../../src/domain/lot-result.js';
import { buildBaseline } from '../../src/evaluate/build-baseline.js';
import { evaluateLot, type BaselineRef } from '../../src/evaluate/evaluate-lot.js';
import { generateHistory } from '../../src/sim/index.js';
import { toLotData } from '../../src/sim/to-lot-data.js';
import { resultSha256 } from '../../src/report/result-hash.js';
import type { LotData } from '../../src/domain/lot-data.js';

const spec = findProduct('qsfp112-400g-dr4');
const policy = findPolicy('default');
const UNITS = 150;

// Every behaviour is asserted on several independent factories (seeds), so no test passes by one lucky draw.
describe.each(['decision-tests', 'decision-tests-2', 'decision-tests-3'])('lot decisions, factory seed %s', (seed) => {
  let lots: Record<string, LotData>;
  let baseline: BaselineRef;

  beforeAll(() => {
    const history = generateHistory({
      product: spec,
      seed,
      lots: [
        { lot: 'Q1', units: UNITS },
        { lot: 'Q2', units: UNITS },
        { lot: 'Q3', units: UNITS },
        { lot: 'CLEAN', units: UNITS },
        { lot: 'SHIFT', units: UNITS, shifts: [{ parameter: 'tx_avg_power', lane: 2, sigma: 1 }] },
        { lot: 'ER-SPREAD', units: UNITS, variance: [{ parameter: 'tx_er', factor: 3 }] },
      ],
    });
    lots = Object.fromEntries(history.map((h) => [h.lot, toLotData(h)]));
    const payload = buildBaseline({ spec, lots: [lots.Q1!, lots.Q2!, lots.Q3!], createdBy: 'test' });
    baseline = { version: 1, createdAt: '2026-01-01T00:00:00Z', payload };
  });

  const evaluate = (lot: string, b: BaselineRef | null = baseline, p = policy) =>
    evaluateLot({ lot: lots[lot]!, spec, policy: p, baseline: b, revision: 1 });

  describe('lot decisions on generated lots with known faults', () => {
    it('accepts a clean lot from the same process, with no HOLD or REJECT reason', () => {
      const r = evaluate('CLEAN');
      expect(r.proposal.reasons.filter((x) => x.severity !== 'INFO')).toEqual([]);
      expect(r.proposal.disposition).toBe('ACCEPT');
      expect(r.quantity.units).toBe(UNITS);
    });

    it('holds a lot with an in-spec 1σ launch-power shift on one lane, naming that lane (channel 3) at every corner', () => {
      const r = evaluate('SHIFT');
      expect(r.proposal.disposition).toBe('HOLD');
      const lane = r.proposal.reasons.filter((x) => x.code === 'lane-shift');
      expect(lane.length).toBeGreaterThan(0);
      expect(lane.every((x) => x.parameter === 'tx_avg_power' && x.lane === 2 && x.laneName === '3')).toBe(true);
      expect(lane.every((x) => x.message.includes('lane 3:'))).toBe(true);
      expect(lane[0]!.value!).toBeGreaterThan(0.6);
      // The units are in spec: the shift holds the lot, it does not reject it.
      expect(r.proposal.reasons.some((x) => x.severity === 'REJECT')).toBe(false);
    });

    it('rejects a lot whose extinction-ratio spread fails units, and lists the failing serials', () => {
      const r = evaluate('ER-SPREAD');
      expect(r.proposal.disposition).toBe('REJECT');
      const y = r.proposal.reasons.find((x) => x.code === 'final-yield')!;
      expect(y.value!).toBeLessThan(policy.yield.finalYieldMin);
      expect(y.serials!.length).toBeGreaterThan(0);
      expect(r.pareto[0]!.parameter).toBe('tx_er');
      expect(r.proposal.reasons.some((x) => x.code === 'spread-increase' && x.parameter === 'tx_er')).toBe(true);
    });

    it('judges a product with no baseline on specs and capability alone, and says so', () => {
      const r = evaluate('CLEAN', null);
      expect(r.baseline).toBeNull();
      expect(r.proposal.disposition).toBe('ACCEPT');
      expect(r.proposal.reasons.some((x) => x.code === 'no-baseline')).toBe(true);
      expect(r.notes.join(' ')).toMatch(/no baseline/i);
      expect(r.cells.every((c) => c.consistency === null)).toBe(true);
    });

    it('sends unit-level run-rule signals to investigations, never to a HOLD', () => {
      const r = evaluate('CLEAN');
      expect(r.investigations.length).toBeGreaterThan(0);
      expect(r.investigations.every((x) => x.severity === 'INFO')).toBe(true);
    });

    it('rejects by Z1.4 attributes sampling when the sample holds more nonconforming units than Ac', () => {
      const z14 = findPolicy('z14-level-ii-aql-0.65');
      const r = evaluate('ER-SPREAD', baseline, z14);
      expect(r.sampling.mode).toBe('attributes');
      // Lot of 150 at level II → code letter F (Z1.4 Table I), AQL 0.65 % normal → arrow to n = 20, Ac 0, Re 1.
      expect(r.sampling.codeLetter).toBe('F');
      expect(r.sampling).toMatchObject({ sampleSize: 20, acceptanceNumber: 0, rejectionNumber: 1 });
      expect(r.sampling.verdict).toBe(r.sampling.nonconforming >= 1 ? 'reject' : 'accept');
      expect(r.proposal.disposition).toBe('REJECT');
    });

    it('is deterministic: the same data, spec, policy and baseline give the same SHA-256', () => {
      expect(resultSha256(evaluate('SHIFT'))).toBe(resultSha256(evaluate('SHIFT')));
    });

    it('produces a LotResult valid against its schema, with what every chart needs', () => {
      const r = evaluate('SHIFT');
      expect([...Value.Errors(LotResult, r)].slice(0, 3)).toEqual([]);
      const cell = r.cells.find((c) => c.key.parameter === 'tx_avg_power' && c.key.lane === 2)!;
      expect(cell.chart!.phase).toBe('phase-2');
      expect(cell.chart!.points.length).toBe(UNITS);
      expect(cell.capability!.cpk).not.toBeNull();
      expect(cell.consistency!.meanShiftSigma).toBeGreaterThan(0.6);
    });
  });
});
