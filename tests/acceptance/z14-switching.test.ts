import { describe, expect, it } from 'vitest';
import {
  initialSwitchingState,
  inspectedOutcome,
  nextState,
  resumeAfterCorrectiveAction,
  type SwitchingState,
} from '../../src/acceptance/z14-switching.js';
import { judgeSample, planFor, type SampleVerdict } from '../../src/acceptance/z14-plans.js';

// Switching rules of ANSI/ASQ Z1.4-2003 §8.3 (MIL-STD-105E §8.3), summarized in spc-reference §5.1.
function run(verdicts: readonly SampleVerdict[], start: SwitchingState = initialSwitchingState(), allowReduced = false) {
  let state = start;
  const transitions: string[] = [];
  for (const verdict of verdicts) {
    const step = nextState(state, { verdict }, { allowReduced });
    state = step.state;
    if (step.transition) transitions.push(`${step.transition.from}->${step.transition.to}`);
  }
  return { state, transitions };
}

const A: SampleVerdict = 'accept';
const R: SampleVerdict = 'reject';

describe('Z1.4 switching rules', () => {
  it('normal → tightened when 2 of 5 consecutive lots are not accepted', () => {
    expect(run([A, R, A, A, R]).state.severity).toBe('tightened');
    expect(run([R, A, A, A, A, A, R]).state.severity).toBe('normal'); // the two rejects are 7 lots apart
  });

  it('tightened → normal after 5 consecutive accepted lots, not before', () => {
    const tight = initialSwitchingState('tightened');
    expect(run([A, A, A, A], tight).state.severity).toBe('tightened');
    expect(run([A, A, R, A, A, A, A, A], tight).state.severity).toBe('normal');
  });

  it('normal → reduced after 10 accepted lots, only when reduced inspection is allowed', () => {
    const ten = Array<SampleVerdict>(10).fill(A);
    expect(run(ten, initialSwitchingState(), true).transitions).toEqual(['normal->reduced']);
    expect(run(ten, initialSwitchingState(), false).state.severity).toBe('normal');
    expect(run([...Array<SampleVerdict>(9).fill(A), R, A], initialSwitchingState(), true).state.severity).toBe('normal');
  });

  it('reduced → normal on a rejected lot, on Ac < d < Re, or on irregular production', () => {
    const reduced = initialSwitchingState('reduced');
    expect(nextState(reduced, { verdict: 'reject' }, { allowReduced: true }).state.severity).toBe('normal');
    expect(nextState(reduced, { verdict: 'accept-return-to-normal' }, { allowReduced: true }).state.severity).toBe('normal');
    expect(nextState(reduced, { verdict: 'accept', productionIrregular: true }, { allowReduced: true }).state.severity).toBe('normal');
    expect(nextState(reduced, { verdict: 'accept' }, { allowReduced: true }).state.severity).toBe('reduced');
  });

  it('discontinues after 5 cumulative lots not accepted on tightened (Z1.4-2003), and resumes on tightened', () => {
    const { state, transitions } = run([R, R, A, R, A, A, R, R]);
    // R,R on normal → tightened; then on tightened: A, R, A, A, R, R = 3 not accepted so far
    expect(transitions).toEqual(['normal->tightened']);
    expect(state.notAcceptedOnTightened).toBe(3);
    const end = run([A, R, R], state);
    expect(end.transitions).toEqual(['tightened->discontinued']);
    expect(nextState(end.state, { verdict: 'accept' }).state.severity).toBe('discontinued');
    expect(resumeAfterCorrectiveAction(end.state).state).toEqual(initialSwitchingState('tightened'));
  });

  it('keeps the state as plain JSON', () => {
    const { state } = run([A, R, A]);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});

describe('the outcome a judged lot adds to the switching history', () => {
  // ANSI/ASQ Z1.4-2003 Table II-C (reduced inspection), code letter K (lots of 1,201–3,200 at level II),
  // AQL 0.65 %: n = 50, Ac 1, Re 3 — so 2 nonconforming is "accepted, return to normal" (§8.3.3).
  const plan = planFor({ lotSize: 3000, aql: 0.65, level: 'II', severity: 'reduced' });
  /** The sampling view judgeSampling stores for d nonconforming on this plan (accept-return-to-normal is stored as accept). */
  const judgedOnReduced = (d: number) => {
    const j = judgeSample(plan, d);
    return {
      mode: 'attributes',
      severity: 'reduced',
      acceptanceNumber: plan.ac,
      nonconforming: d,
      verdict: j.verdict === 'reject' ? 'reject' : 'accept',
    };
  };

  it('reads the Table II-C plan the example relies on', () => {
    expect({ letter: plan.codeLetter, n: plan.sampleSize, ac: plan.ac, re: plan.re }).toEqual({ letter: 'K', n: 50, ac: 1, re: 3 });
  });

  it('ends reduced inspection when a lot is accepted with Ac < d < Re, keeps it at d ≤ Ac', () => {
    const reduced = initialSwitchingState('reduced');
    expect(inspectedOutcome(judgedOnReduced(2))).toEqual({ verdict: 'accept-return-to-normal' });
    expect(nextState(reduced, inspectedOutcome(judgedOnReduced(2))!, { allowReduced: true }).state.severity).toBe('normal');
    expect(inspectedOutcome(judgedOnReduced(1))).toEqual({ verdict: 'accept' });
    expect(nextState(reduced, inspectedOutcome(judgedOnReduced(1))!, { allowReduced: true }).state.severity).toBe('reduced');
    expect(inspectedOutcome(judgedOnReduced(3))).toEqual({ verdict: 'reject' });
  });

  it('counts d > Ac as a plain accept only off reduced inspection (where d > Ac is not accepted at all)', () => {
    expect(inspectedOutcome({ mode: 'attributes', severity: 'normal', acceptanceNumber: 1, nonconforming: 1, verdict: 'accept' })).toEqual({
      verdict: 'accept',
    });
  });
});
