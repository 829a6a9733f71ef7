/**
 * @module One lane against its sister lanes, averaged over the parameter's corners — the primary lane test.
 *
 * Why: a lane's own lot offset (a laser, driver or fibre-array batch) moves the lane at every corner, so
 * one test per parameter × lane on the unit's lane contrast averaged over corners asks the question once
 * instead of once per corner: a third of the tests in the family (a smaller critical value) and a smaller
 * sampling error. The per-corner lane tests stay, for a shift at one corner only; the lot's family α is
 * split between the two groups (`consistency.laneAcrossCornersAlphaShare`, Holm within each group), so the
 * family-wise error stays ≤ α by the union bound.
 *
 * The statistics are the same per-unit ones as the per-corner test (src/spc/variance-components.ts): each
 * unit's reading is standardised per corner and lane by the baseline's within-lot σ, averaged over the
 * corners, and the unit's lane contrast taken from those averages — so correlation between corners and
 * between lanes of one unit is in the units' spread by construction. The baseline estimates the lane × lot
 * variance of that averaged contrast the same way, with (lots − 1)(lanes − 1) df; a corner-specific part of
 * the lane × lot offset enters it averaged, as it enters the lot's statistic.
 */
import type { LotHypothesis } from '../acceptance/decide-lot.js';
import { ALL_CORNERS, type BaselineAcrossCorners, type BaselineComponents } from '../domain/baseline.js';
import { adjustPValues, type Correction } from '../spc/multiple-testing.js';
import { laneContrastDeviation, minimumEffectTP, type LotLaneStatistics } from '../spc/variance-components.js';

/** Share of the family α for the across-corners lane tests when the policy does not set it. */
export const DEFAULT_ACROSS_CORNERS_SHARE = 0.5;

/** Where the lane × lot variance of the across-corners tests comes from (policy `consistency.laneLotPooling`). */
export type LaneLotPoolingMode = 'parameter' | 'homogeneous-parameters' | 'moderated';
/**
 * Default: moderated (empirical Bayes). Measured on the bench (README "Moderated lane × lot variances"): every
 * healthy cell ≤ 2/300 with 5- and 10-lot baselines, and more power than the all-or-nothing pool, whose upward
 * F guard left a by-chance-high parameter its own 27 df and its inflated estimate.
 */
export const DEFAULT_LANE_LOT_POOLING: LaneLotPoolingMode = 'moderated';

/**
 * The components a parameter's across-corners lane tests use: its own, or — when the policy pools and the
 * baseline found the parameter homogeneous with others — its pooled mean square and df (the lane means and
 * sampling parts stay its own); under 'moderated', its empirical-Bayes posterior mean square and df — or, in
 * a baseline made before lotqa recorded them, its pool as under 'homogeneous-parameters'.
 */
export function laneLotComponents(ac: BaselineAcrossCorners, mode: LaneLotPoolingMode): BaselineAcrossCorners {
  if (mode === 'moderated' && ac.laneLotModerated !== undefined)
    return { ...ac, laneContrastVariance: ac.laneLotModerated.laneContrastVariance, laneLotDf: ac.laneLotModerated.laneLotDf };
  // A baseline made before moderation was recorded keeps what it was judged with: its pool, if any.
  if (mode === 'parameter' || ac.laneLotPool === undefined) return ac;
  return { ...ac, laneContrastVariance: ac.laneLotPool.laneContrastVariance, laneLotDf: ac.laneLotPool.laneLotDf };
}

/** What a lane-shift reason says its df rest on, when not the parameter's own estimate. */
function laneLotDfBasis(c: BaselineAcrossCorners): string | undefined {
  if (
    c.laneLotModerated !== undefined &&
    c.laneLotDf === c.laneLotModerated.laneLotDf &&
    c.laneContrastVariance === c.laneLotModerated.laneContrastVariance
  )
    return `lane × lot variance moderated over ${c.laneLotModerated.parameters.length} parameters`;
  if (c.laneLotPool !== undefined && c.laneLotDf === c.laneLotPool.laneLotDf)
    return `lane × lot variance pooled over ${c.laneLotPool.parameters.length} parameters`;
  return undefined;
}

/** Element-wise mean over corners of units × lanes matrices; NaN where any corner is missing. */
export function cornerAveragedMatrix(matrices: readonly Float64Array[]): Float64Array {
  const first = matrices[0]!;
  const out = new Float64Array(first.length);
  for (let i = 0; i < first.length; i++) {
    let s = 0;
    for (const m of matrices) s += m[i]!;
    out[i] = s / matrices.length;
  }
  return out;
}

/** Parameters whose per-corner components share one set of ≥ 3 lanes over ≥ 2 corners, corners in the given order. */
export function acrossCornerGroups(components: readonly BaselineComponents[]): { parameter: string; members: BaselineComponents[] }[] {
  const byParameter = new Map<string, BaselineComponents[]>();
  for (const c of components) {
    if (c.lanes.length < 3 || c.lanes.some((l) => l === null)) continue;
    const g = byParameter.get(c.parameter);
    if (g) g.push(c);
    else byParameter.set(c.parameter, [c]);
  }
  const out: { parameter: string; members: BaselineComponents[] }[] = [];
  for (const [parameter, members] of byParameter) {
    const lanes = members[0]!.lanes.join(',');
    const same = members.filter((m) => m.lanes.join(',') === lanes);
    if (same.length >= 2) out.push({ parameter, members: same });
  }
  return out;
}

/** Lane tests of one parameter on its corner-averaged lane contrasts (kind 'lane-shift', corner {@link ALL_CORNERS}). */
export function acrossCornerLaneTests(components: BaselineAcrossCorners, lot: LotLaneStatistics, margin: number): LotHypothesis[] {
  const vc = { ...components, laneCount: components.lanes.length };
  return components.lanes.map((lane, l) => {
    const d = laneContrastDeviation(vc, lot, l);
    return {
      kind: 'lane-shift',
      parameter: components.parameter,
      corner: ALL_CORNERS,
      lane,
      estimate: d.estimate,
      threshold: margin,
      p: minimumEffectTP(d.estimate, d.standardError, margin, d.df),
      df: [d.df],
      standardError: d.standardError,
      ...(laneLotDfBasis(components) !== undefined ? { dfBasis: laneLotDfBasis(components)! } : {}),
    };
  });
}

/**
 * Each test's share of α under {@link splitFamilyAdjust} (firstShare for the first group, the rest for the
 * others), or null when the family is not split (one group empty, or a share of 0 or 1).
 */
export function familyAlphaShares(inFirstGroup: readonly boolean[], firstShare: number): number[] | null {
  const firsts = inFirstGroup.filter(Boolean).length;
  if (firsts === 0 || firsts === inFirstGroup.length || !(firstShare > 0 && firstShare < 1)) return null;
  return inFirstGroup.map((f) => (f ? firstShare : 1 - firstShare));
}

/**
 * Family-adjusted p-values with the family α split in two groups: the correction within each group, each
 * adjusted p divided by its group's share of α, so "adjusted p ≤ α" is the correction at share·α within the
 * group. The family-wise error is ≤ share·α + (1 − share)·α = α (union bound). A group with no tests gives
 * its share to nobody (conservative); share 0 or 1 puts every test in one family.
 */
export function splitFamilyAdjust(
  pValues: readonly number[],
  inFirstGroup: readonly boolean[],
  firstShare: number,
  correction: Correction,
): Float64Array {
  const out = new Float64Array(pValues.length);
  const first = pValues.flatMap((_, i) => (inFirstGroup[i] ? [i] : []));
  if (familyAlphaShares(inFirstGroup, firstShare) === null) return adjustPValues(pValues, correction);
  const rest = pValues.flatMap((_, i) => (inFirstGroup[i] ? [] : [i]));
  for (const [idx, share] of [
    [first, firstShare],
    [rest, 1 - firstShare],
  ] as const) {
    const adj = adjustPValues(
      idx.map((i) => pValues[i]!),
      correction,
    );
    idx.forEach((i, j) => (out[i] = Math.min(1, adj[j]! / share)));
  }
  return out;
}
