/**
 * @module Lot-level hypothesis tests — the only statistics that may HOLD a lot.
 *
 * Why this shape: a lot has a few hundred charts, so any per-chart rule fires on healthy lots by chance.
 * Each lot-level question becomes one p-value, and the whole family is corrected together (Holm by
 * default) so the chance of holding a healthy lot is ≤ α. Each test is a *minimum-effect* test
 * (H0: the change is at most the practical threshold), so large lots do not hold on harmless shifts:
 *
 * - lot-wide shift, per parameter × corner: Δ = mean over lanes of (x̄_lane − μ0_lane)/σ0_lane;
 *   H0: |Δ| ≤ maxMeanShiftSigma. Material lots move all lanes together; this asks whether they moved
 *   further than the policy allows.
 * - lane shift, per lane: the lane's Δ minus the mean Δ of the other lanes (so a common lot movement
 *   cancels); H0: |contrast| ≤ maxLaneShiftSigma. This is what catches one drifting laser or fibre.
 * - spread, per cell: H0: σ²_lot/σ²_baseline ≤ maxVarianceRatio (one-sided F test).
 * - capability (policy judge 'evidence-below'), per critical cell: H0: Cpk ≥ minimum, Bissell's normal
 *   approximation to the sampling distribution of Ĉpk.
 *
 * For a minimum-effect test of |θ| ≤ δ with estimate θ̂ and standard error se the p-value is
 * Φ((δ − |θ̂|)/se) + Φ((−δ − |θ̂|)/se) (the probability of so large a |θ̂| at the boundary |θ| = δ).
 */
import type { HypothesisKind, LotHypothesis } from '../acceptance/decide-lot.js';
import { fUpperTail, normalCdf } from '../spc/distributions.js';

export type { HypothesisKind, LotHypothesis };

/** One chart's lot statistics next to its baseline, in the parameter's unit. */
export interface CellComparison {
  readonly parameter: string;
  readonly corner: string;
  readonly lane: number | null;
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  readonly baselineMean: number;
  readonly baselineSigma: number;
  readonly baselineN: number;
  readonly baselineDf: number;
}

export function minimumEffectP(estimate: number, standardError: number, margin: number): number {
  const a = Math.abs(estimate);
  if (!(standardError > 0)) return a > margin ? 0 : 1;
  return Math.min(1, normalCdf((margin - a) / standardError) + normalCdf((-margin - a) / standardError));
}

/** Standardised shift of one cell and its variance (in σ0² units). */
function shift(c: CellComparison): { delta: number; variance: number } {
  return { delta: (c.mean - c.baselineMean) / c.baselineSigma, variance: (c.sd / c.baselineSigma) ** 2 / c.n + 1 / c.baselineN };
}

/** Lot-wide and per-lane shift tests over the cells of one parameter at one corner. */
export function shiftTests(cells: readonly CellComparison[], maxLotShift: number, maxLaneShift: number): LotHypothesis[] {
  const out: LotHypothesis[] = [];
  const usable = cells.filter((c) => c.n >= 2 && c.baselineSigma > 0 && Number.isFinite(c.sd));
  if (usable.length === 0) return out;
  const s = usable.map(shift);
  const L = usable.length;
  const first = usable[0]!;
  const common = s.reduce((a, x) => a + x.delta, 0) / L;
  const commonSe = Math.sqrt(s.reduce((a, x) => a + x.variance, 0)) / L;
  out.push({
    kind: 'lot-shift',
    parameter: first.parameter,
    corner: first.corner,
    lane: L === 1 ? first.lane : null,
    estimate: common,
    threshold: maxLotShift,
    p: minimumEffectP(common, commonSe, maxLotShift),
  });
  if (L < 3 || first.lane === null) return out;
  for (let l = 0; l < L; l++) {
    let others = 0;
    let othersVar = 0;
    for (let j = 0; j < L; j++) {
      if (j === l) continue;
      others += s[j]!.delta;
      othersVar += s[j]!.variance;
    }
    const contrast = s[l]!.delta - others / (L - 1);
    const se = Math.sqrt(s[l]!.variance + othersVar / (L - 1) ** 2);
    out.push({
      kind: 'lane-shift',
      parameter: usable[l]!.parameter,
      corner: usable[l]!.corner,
      lane: usable[l]!.lane,
      estimate: contrast,
      threshold: maxLaneShift,
      p: minimumEffectP(contrast, se, maxLaneShift),
    });
  }
  return out;
}

/** H0: σ²_lot ≤ r0·σ²_baseline, one-sided F test with (n − 1, baseline df) degrees of freedom. */
export function varianceTest(c: CellComparison, maxRatio: number): LotHypothesis | null {
  if (c.n < 3 || !(c.baselineSigma > 0) || !(c.baselineDf > 0) || !Number.isFinite(c.sd)) return null;
  const ratio = (c.sd / c.baselineSigma) ** 2;
  return {
    kind: 'variance',
    parameter: c.parameter,
    corner: c.corner,
    lane: c.lane,
    estimate: ratio,
    threshold: maxRatio,
    p: fUpperTail(ratio / maxRatio, c.n - 1, c.baselineDf),
  };
}

/**
 * H0: Cpk ≥ minimum. p = Φ((Ĉpk − min)/se) with Bissell's (1990) se = √(1/(9n) + Ĉpk²/(2(n − 1))):
 * small when the lot gives evidence that capability is below the minimum.
 */
export function capabilityBelowTest(
  parameter: string,
  corner: string,
  lane: number | null,
  cpk: number,
  n: number,
  minimum: number,
): LotHypothesis | null {
  if (n < 3 || !Number.isFinite(cpk)) return null;
  const se = Math.sqrt(1 / (9 * n) + (cpk * cpk) / (2 * (n - 1)));
  return { kind: 'capability', parameter, corner, lane, estimate: cpk, threshold: minimum, p: normalCdf((cpk - minimum) / se) };
}
