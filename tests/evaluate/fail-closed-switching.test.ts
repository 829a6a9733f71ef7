/**
 * Fail closed with the Z1.4 switching state: a lot whose every run is held out by unresolved conflicts
 * (held-without-units.ts) is HELD whatever the product's switching state, and the held result carries that
 * state — a product whose acceptance is discontinued says so in a HOLD reason of its own. Nothing was
 * inspected, so the switching history neither advances nor resets (inspectedOutcome → null).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findProduct } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import type { LotData } from '../../src/domain/lot-data.js';
import { evaluateLot } from '../../src/evaluate/evaluate-lot.js';
import { generateLot } from '../../src/sim/index.js';
import { toLotData } from '../../src/sim/to-lot-data.js';
import { initialSwitchingState, inspectedOutcome, nextState, type SwitchingState } from '../../src/acceptance/z14-switching.js';

const spec = findProduct('qsfp112-400g-dr4');
const z14 = findPolicy('z14-level-ii-aql-0.65');
let held: LotData;
let judged: LotData;

/** A product's state after `rejects` lots not accepted on tightened inspection (5 discontinue, Z1.4-2003 §8.3.4). */
function afterRejectsOnTightened(rejects: number): SwitchingState {
  let s: SwitchingState = initialSwitchingState('tightened');
  for (let i = 0; i < rejects; i++) s = nextState(s, { verdict: 'reject' }).state;
  return s;
}

beforeAll(() => {
  const lot = toLotData(generateLot({ spec, lot: 'SWHELD', units: 4, seed: 14 }));
  // Every run held out by unresolved conflicts: files, but no run left to evaluate.
  held = { ...lot, runs: [], conflicts: [] };
  judged = lot;
});

describe('a held-without-units lot and the Z1.4 switching state', () => {
  it('reaches discontinued after the fifth lot not accepted on tightened inspection (the state the tests start from)', () => {
    expect(afterRejectsOnTightened(4).severity).toBe('tightened');
    expect(afterRejectsOnTightened(5).severity).toBe('discontinued');
  });

  it('holds a lot of a discontinued product and says acceptance is discontinued, with what to do', () => {
    const r = evaluateLot({ lot: held, spec, policy: z14, baseline: null, revision: 1, sampling: afterRejectsOnTightened(5) });
    expect(r.proposal.disposition).toBe('HOLD');
    expect(r.sampling).toMatchObject({ mode: 'attributes', standard: 'ANSI/ASQ Z1.4', severity: 'discontinued', verdict: 'not-judged' });
    const d = r.proposal.reasons.find((x) => x.code === 'sampling-discontinued');
    expect(d).toBeDefined();
    expect(d!.severity).toBe('HOLD');
    expect(d!.message).toContain(`acceptance under ANSI/ASQ Z1.4 is discontinued for product ${spec.productId}`);
    expect(d!.message).toContain('corrective action');
    expect(r.proposal.reasons.map((x) => x.code)).toContain('no-units-evaluated');
  });

  it('carries a tightened state as it is, with no discontinued reason', () => {
    const r = evaluateLot({ lot: held, spec, policy: z14, baseline: null, revision: 1, sampling: afterRejectsOnTightened(2) });
    expect(r.proposal.disposition).toBe('HOLD');
    expect(r.sampling.severity).toBe('tightened');
    expect(r.proposal.reasons.map((x) => x.code)).not.toContain('sampling-discontinued');
  });

  it('neither advances nor resets the switching history: a lot not inspected is no outcome', () => {
    const r = evaluateLot({ lot: held, spec, policy: z14, baseline: null, revision: 1, sampling: afterRejectsOnTightened(3) });
    expect(inspectedOutcome(r.sampling)).toBeNull();
    // Inspected lots are outcomes on original inspection: accepted or not.
    expect(inspectedOutcome({ ...r.sampling, verdict: 'reject' })).toEqual({ verdict: 'reject' });
    expect(inspectedOutcome({ ...r.sampling, verdict: 'accept' })).toEqual({ verdict: 'accept' });
    expect(inspectedOutcome({ ...r.sampling, mode: '100-percent', verdict: 'accept' })).toBeNull();
  });
});

describe('a lot with units of a product whose Z1.4 acceptance is discontinued', () => {
  it('is evaluated and stored as a HOLD saying acceptance is discontinued — not stopped with a sampling-plan error', () => {
    const r = evaluateLot({ lot: judged, spec, policy: z14, baseline: null, revision: 1, sampling: afterRejectsOnTightened(5) });
    expect(r.units.length).toBe(4);
    expect(r.proposal.disposition).toBe('HOLD');
    expect(r.sampling).toMatchObject({
      mode: 'attributes',
      severity: 'discontinued',
      verdict: 'not-judged',
      sampleSize: 0,
      nonconforming: 0,
    });
    const codes = r.proposal.reasons.map((x) => x.code);
    expect(codes).toContain('sampling-discontinued');
    // Not the missing-readings wording: nothing is missing, acceptance itself is suspended.
    expect(codes).not.toContain('sampling-not-judged');
    const d = r.proposal.reasons.find((x) => x.code === 'sampling-discontinued')!;
    expect(d.severity).toBe('HOLD');
    expect(d.message).toContain(`acceptance under ANSI/ASQ Z1.4 is discontinued for product ${spec.productId}`);
    expect(d.message).toContain(`lotqa sampling resume --product ${spec.productId}`);
    // Nothing inspected: the switching history stays discontinued until an approver resumes it.
    expect(inspectedOutcome(r.sampling)).toBeNull();
  });

  it('on tightened inspection (4 lots not accepted) is still sampled and judged', () => {
    const r = evaluateLot({ lot: judged, spec, policy: z14, baseline: null, revision: 1, sampling: afterRejectsOnTightened(4) });
    expect(r.sampling.severity).toBe('tightened');
    expect(r.sampling.verdict).not.toBe('not-judged');
    expect(r.sampling.sampleSize).toBeGreaterThan(0);
    expect(r.proposal.reasons.map((x) => x.code)).not.toContain('sampling-discontinued');
  });
});
