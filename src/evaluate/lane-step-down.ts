/**
 * @module Step-down lane attribution — which lane moved, without blaming its sister lanes (issue 14).
 *
 * Why: a lane is tested by its per-unit contrast against the mean of its other lanes. When one lane truly
 * moves by Δ, every other lane's contrast moves by −Δ/(L − 1); with a small lane margin the innocent lanes
 * then reach significance too, and the lot's reasons name lanes an engineer must not pull.
 *
 * How (sequentially rejective, in the manner of Holm 1979): the family is adjusted as usual; in each lane
 * group (a parameter at one corner, or over all corners) the not-yet-flagged lane with the smallest p is
 * flagged if its adjusted p ≤ α. The group's remaining lanes are then re-tested against the remaining lanes
 * only — the flagged lanes leave the reference (src/spc/variance-components.ts `activeLaneStatistics`,
 * `activeLaneComponents`: the predictive variance factor goes from L/(L − 1) to L'/(L' − 1), the baseline's
 * lane × lot variance estimate stays). The whole family is adjusted again (one more Holm step) and the
 * process repeats until no group flags another lane. A flagged lane stays flagged, with the adjusted p it
 * was flagged at.
 *
 * Validity: before the first rejection every p-value is the ordinary one, so a lot none of whose tests is
 * rejected is decided exactly as without the step-down — the healthy-lot false-hold rate cannot change. A
 * false rejection needs a true-null lane to be rejected; until the first false rejection every flagged lane
 * is truly shifted, so the reference of a true-null lane holds true-null lanes plus, at most, shifted lanes
 * not yet found (the situation of the first step, which the ordinary test already has). Removing a truly
 * shifted lane from the reference takes its −Δ/(L − 1) pull off the null lanes' contrasts, leaving them
 * centred; their variance is then the L'/(L' − 1) one the re-test uses. The Holm count is never lowered
 * (every hypothesis, flagged or not, stays in the family), so each re-adjustment is at least as strict as a
 * Holm step on the hypotheses left; the family-wise error stays ≤ α as for Holm, up to the bias from
 * shifted lanes the procedure has not found — which it only ever reduces.
 *
 * One lane left with no sister lane in the reference cannot be told from the flagged lanes; its test is
 * given p = 1 (not judged), and the lot is held by the flagged lanes anyway.
 */
import type { LotHypothesis } from '../acceptance/decide-lot.js';

/**
 * One parameter's lane-shift tests (at one corner or over all corners), or its station-shift tests (each
 * station against the others, src/evaluate/station-effects.ts — the same leave-one-out contrast), and how
 * to re-test a subset against itself.
 */
export interface LaneGroup {
  /** Positions of the group's lane-shift hypotheses in the family, in lane order. */
  readonly indices: readonly number[];
  /** The active lanes' hypotheses (in lane order) with contrasts against the other active lanes only; ≥ 2 active. */
  readonly retest: (active: readonly boolean[]) => LotHypothesis[];
}

export interface StepDownResult {
  readonly hypotheses: LotHypothesis[];
  readonly adjusted: Float64Array;
  /** Lanes flagged by the step-down, over all groups (for the evaluation's notes). */
  readonly flagged: number;
}

/**
 * Runs the step-down over the family. `adjust` is the family's correction (e.g. `splitFamilyAdjust` bound
 * to the policy); it is re-run after each round of flags.
 */
export function stepDownLaneAttribution(
  family: readonly LotHypothesis[],
  groups: readonly LaneGroup[],
  adjust: (hypotheses: readonly LotHypothesis[]) => Float64Array,
  alpha: number,
): StepDownResult {
  const hypotheses = [...family];
  let adjusted = adjust(hypotheses);
  const flaggedAt = new Map<number, number>();
  const flagged = groups.map((g) => g.indices.map(() => false));
  for (;;) {
    let changed = false;
    groups.forEach((g, gi) => {
      const f = flagged[gi]!;
      let best = -1;
      g.indices.forEach((idx, l) => {
        if (f[l]) return;
        if (best < 0 || hypotheses[idx]!.p < hypotheses[g.indices[best]!]!.p) best = l;
      });
      if (best < 0 || !(adjusted[g.indices[best]!]! <= alpha)) return;
      f[best] = true;
      flaggedAt.set(g.indices[best]!, adjusted[g.indices[best]!]!);
      changed = true;
      const active = f.map((x) => !x);
      const left = active.filter((a) => a).length;
      if (left >= 2) {
        const again = g.retest(active);
        let j = 0;
        g.indices.forEach((idx, l) => {
          if (active[l]) hypotheses[idx] = again[j++]!;
        });
      } else if (left === 1) {
        const l = active.indexOf(true);
        hypotheses[g.indices[l]!] = { ...hypotheses[g.indices[l]!]!, p: 1 };
      }
    });
    if (!changed) break;
    adjusted = adjust(hypotheses);
  }
  for (const [idx, a] of flaggedAt) adjusted[idx] = a;
  return { hypotheses, adjusted, flagged: flaggedAt.size };
}
