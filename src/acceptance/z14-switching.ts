/**
 * @module z14-switching — the ANSI/ASQ Z1.4-2003 switching rules as a pure state machine over the
 * consecutive lots of one product. The state is plain JSON, stored per product.
 *
 * Implemented (Z1.4-2003 §8.3, MIL-STD-105E §8.3 where they agree):
 * - normal → tightened: 2 lots not accepted on original inspection within 5 or fewer consecutive lots;
 * - tightened → normal: 5 consecutive lots accepted on original inspection;
 * - normal → reduced: the preceding 10 lots accepted on normal inspection, production steady, and the
 *   responsible authority allows reduced inspection (`allowReduced`). The Table VIII limit-number condition,
 *   optional in Z1.4-2003, is NOT applied (lotqa does not ship Table VIII);
 * - reduced → normal: a lot not accepted, a lot accepted with Ac < d < Re, or production irregular;
 * - discontinue: the cumulative number of lots not accepted while on tightened inspection reaches 5
 *   (Z1.4-2003; MIL-STD-105E instead discontinued after 10 consecutive lots on tightened). Resume only
 *   after corrective action, on tightened inspection (`resumeAfterCorrectiveAction`).
 */
import type { Severity } from '../domain/acceptance-policy.js';
import type { SampleVerdict } from './z14-plans.js';

export type SwitchingSeverity = Severity | 'discontinued';

export interface SwitchingState {
  readonly severity: SwitchingSeverity;
  /** Outcomes of the last (at most 5) lots on normal inspection, oldest first; true = accepted. */
  readonly recentNormal: readonly boolean[];
  /** Consecutive lots accepted on normal inspection (for the move to reduced). */
  readonly acceptedInARowOnNormal: number;
  /** Consecutive lots accepted on tightened inspection (for the return to normal). */
  readonly acceptedInARowOnTightened: number;
  /** Lots not accepted since tightened inspection began (for discontinuation). */
  readonly notAcceptedOnTightened: number;
}

export interface LotOutcome {
  /** Verdict on original inspection (resubmitted lots do not count). */
  readonly verdict: SampleVerdict;
  /** Production irregular or delayed (a condition for leaving reduced inspection). */
  readonly productionIrregular?: boolean;
}

export interface SwitchingRules {
  /** The responsible authority allows reduced inspection. Default false. */
  readonly allowReduced?: boolean;
}

export interface SwitchingStep {
  readonly state: SwitchingState;
  /** Present when the severity changed, with the rule that caused it. */
  readonly transition?: {
    readonly from: SwitchingSeverity;
    readonly to: SwitchingSeverity;
    readonly reason: string;
  };
}

/** State for a product's first lot. */
export function initialSwitchingState(severity: Severity = 'normal'): SwitchingState {
  return {
    severity,
    recentNormal: [],
    acceptedInARowOnNormal: 0,
    acceptedInARowOnTightened: 0,
    notAcceptedOnTightened: 0,
  };
}

function enter(severity: SwitchingSeverity, notAcceptedOnTightened = 0): SwitchingState {
  return {
    severity,
    recentNormal: [],
    acceptedInARowOnNormal: 0,
    acceptedInARowOnTightened: 0,
    notAcceptedOnTightened,
  };
}

/** Applies one lot's outcome and returns the state for the next lot. */
export function nextState(state: SwitchingState, outcome: LotOutcome, rules: SwitchingRules = {}): SwitchingStep {
  const accepted = outcome.verdict !== 'reject';
  const from = state.severity;
  const go = (to: SwitchingSeverity, reason: string, next: SwitchingState = enter(to)): SwitchingStep => ({
    state: next,
    transition: { from, to, reason },
  });

  switch (state.severity) {
    case 'discontinued':
      return { state };
    case 'normal': {
      const recentNormal = [...state.recentNormal, accepted].slice(-5);
      const notAccepted = recentNormal.filter((a) => !a).length;
      if (notAccepted >= 2)
        return go('tightened', `${notAccepted} of the last ${recentNormal.length} lots not accepted on normal inspection`);
      const acceptedInARowOnNormal = accepted ? state.acceptedInARowOnNormal + 1 : 0;
      if (rules.allowReduced === true && acceptedInARowOnNormal >= 10 && outcome.productionIrregular !== true) {
        return go('reduced', '10 consecutive lots accepted on normal inspection, production steady, reduced inspection allowed');
      }
      return { state: { ...state, recentNormal, acceptedInARowOnNormal } };
    }
    case 'tightened': {
      if (!accepted) {
        const notAcceptedOnTightened = state.notAcceptedOnTightened + 1;
        if (notAcceptedOnTightened >= 5) {
          return go(
            'discontinued',
            '5 lots not accepted while on tightened inspection: stop acceptance until the supplier corrects the process',
            enter('discontinued', notAcceptedOnTightened),
          );
        }
        return {
          state: {
            ...state,
            acceptedInARowOnTightened: 0,
            notAcceptedOnTightened,
          },
        };
      }
      const acceptedInARowOnTightened = state.acceptedInARowOnTightened + 1;
      if (acceptedInARowOnTightened >= 5) return go('normal', '5 consecutive lots accepted on tightened inspection');
      return { state: { ...state, acceptedInARowOnTightened } };
    }
    case 'reduced': {
      if (!accepted) return go('normal', 'a lot was not accepted on reduced inspection');
      if (outcome.verdict === 'accept-return-to-normal') return go('normal', 'a lot was accepted with Ac < d < Re on reduced inspection');
      if (outcome.productionIrregular === true) return go('normal', 'production irregular or delayed');
      if (rules.allowReduced !== true) return go('normal', 'reduced inspection is no longer allowed by the responsible authority');
      return { state };
    }
  }
}

/**
 * The outcome a lot adds to its product's switching history, or null when it adds none: only a lot
 * inspected on an attributes sample counts, accepted or not. A lot with no sample judged (verdict
 * `not-judged`: no unit could be evaluated, or the sample could not be judged) was not inspected, so it
 * neither advances (towards tightened, reduced or discontinued) nor resets (a run of accepted lots) the
 * history; nor does a lot under another conformance mode.
 */
export function inspectedOutcome(sampling: {
  readonly mode: string;
  readonly verdict: string;
  readonly severity?: string | null;
  readonly nonconforming?: number;
  readonly acceptanceNumber?: number | null;
}): LotOutcome | null {
  if (sampling.mode !== 'attributes') return null;
  if (sampling.verdict === 'reject') return { verdict: 'reject' };
  if (sampling.verdict !== 'accept') return null;
  // Z1.4-2003 §8.3.3: on reduced inspection a lot with Ac < d < Re is accepted, but reduced inspection ends.
  // The stored sample verdict says only "accept"; its count against Ac tells the two apart.
  const { severity, nonconforming, acceptanceNumber } = sampling;
  if (severity === 'reduced' && acceptanceNumber != null && nonconforming !== undefined && nonconforming > acceptanceNumber)
    return { verdict: 'accept-return-to-normal' };
  return { verdict: 'accept' };
}

/** After the supplier's corrective action, a discontinued product resumes on tightened inspection. */
export function resumeAfterCorrectiveAction(state: SwitchingState): SwitchingStep {
  if (state.severity !== 'discontinued') return { state };
  return {
    state: enter('tightened'),
    transition: {
      from: 'discontinued',
      to: 'tightened',
      reason: 'corrective action accepted: resume on tightened inspection',
    },
  };
}
