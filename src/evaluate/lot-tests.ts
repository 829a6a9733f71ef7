/**
 * @module Lot-level hypothesis tests — the only statistics that may HOLD a lot.
 *
 * Why this shape: a lot has a few hundred charts, so any per-chart rule fires on healthy lots by chance.
 * Each lot-level question becomes one p-value, and the whole family is corrected together (Holm by
 * default) so the chance of holding a healthy lot is ≤ α. Each test is a *minimum-effect* test
 * (H0: the change is at most the practical threshold), so large lots do not hold on harmless shifts:
 *
 * Shifts are judged by `predictiveShiftTests` (bottom of this file) against what a new lot from the
 * baseline's history may do (variance components, per-unit lane contrasts, t with Satterthwaite df). The
 * older `shiftTests` below (baseline units treated as one sample, lanes independent) is kept for reference
 * and its tests; the evaluation no longer uses it.
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
import type { BaselineComponents } from '../domain/baseline.js';
import { fUpperTail, normalCdf } from '../spc/distributions.js';
import {
  activeLaneComponents,
  activeLaneStatistics,
  laneContrastDeviation,
  lotMeanDeviation,
  minimumEffectTP,
  type LotLaneStatistics,
  type VarianceComponents,
} from '../spc/variance-components.js';

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
  /** Degrees of freedom of the σ estimate behind Ĉpk (N − 1 for the sample SD, ≈ 0.62(N − 1) for MR̄/d2). */
  sigmaDf = n - 1,
): LotHypothesis | null {
  if (n < 3 || !Number.isFinite(cpk)) return null;
  const se = Math.sqrt(1 / (9 * n) + (cpk * cpk) / (2 * sigmaDf));
  return { kind: 'capability', parameter, corner, lane, estimate: cpk, threshold: minimum, p: normalCdf((cpk - minimum) / se) };
}

/**
 * Lot-wide and lane shifts of one parameter × corner against what a new lot from the baseline's history may
 * do (src/spc/variance-components.ts): the lot's mean over lanes, and each lane's contrast against its
 * sister lanes, each against its predictive distribution (lot-to-lot variation + the baseline mean's error
 * + the lot's own sampling error, from per-unit quantities so lane correlation is accounted for), t with
 * Satterthwaite df; the policy's practical margin on top (minimum-effect test).
 */
export function predictiveShiftTests(
  components: BaselineComponents,
  lot: LotLaneStatistics,
  maxLotShift: number,
  maxLaneShift: number,
): LotHypothesis[] {
  const { parameter, corner, lanes } = components;
  const vc = { ...components, laneCount: lanes.length };
  const out: LotHypothesis[] = [];
  const m = lotMeanDeviation(vc, lot);
  out.push({
    kind: 'lot-shift',
    parameter,
    corner,
    lane: lanes.length === 1 ? lanes[0]! : null,
    estimate: m.estimate,
    threshold: maxLotShift,
    p: minimumEffectTP(m.estimate, m.standardError, maxLotShift, m.df),
  });
  if (lanes.length < 3) return out;
  lanes.forEach((lane, l) => {
    const d = laneContrastDeviation(vc, lot, l);
    out.push({
      kind: 'lane-shift',
      parameter,
      corner,
      lane,
      estimate: d.estimate,
      threshold: maxLaneShift,
      p: minimumEffectTP(d.estimate, d.standardError, maxLaneShift, d.df),
    });
  });
  return out;
}

/**
 * Re-test of a lane group's active lanes against the other active lanes only, for the step-down lane
 * attribution (src/evaluate/lane-step-down.ts): the same predictive minimum-effect test as
 * {@link predictiveShiftTests}, on the lot's units × lanes matrix cut to the active lanes and the baseline's
 * components for that reference (src/spc/variance-components.ts).
 */
export function laneShiftRetest(
  components: Omit<VarianceComponents, 'laneCount'> & { readonly parameter: string; readonly lanes: readonly (number | null)[] },
  corner: string,
  matrix: Float64Array,
  margin: number,
): (active: readonly boolean[]) => LotHypothesis[] {
  return (active) => {
    const lot = activeLaneStatistics(matrix, components.lanes.length, active);
    const vc = activeLaneComponents({ ...components, laneCount: components.lanes.length }, active);
    const lanes = components.lanes.filter((_, l) => active[l]);
    return lanes.map((lane, j) => {
      const d = laneContrastDeviation(vc, lot, j);
      return {
        kind: 'lane-shift',
        parameter: components.parameter,
        corner,
        lane,
        estimate: d.estimate,
        threshold: margin,
        p: minimumEffectTP(d.estimate, d.standardError, margin, d.df),
        df: d.df,
      };
    });
  };
}
