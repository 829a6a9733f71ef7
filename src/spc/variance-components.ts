/**
 * @module Variance components of a multi-lane product across lots, and the predictive tests a new lot is
 * judged by (issue 14: a lot must be judged against what a new lot from this history may do).
 *
 * Model, per parameter × corner, on standardised readings (each lane divided by its within-lot σ):
 *   x(lot j, unit i, lane l) = μ_l + a_j + b_jl + e_jil
 * a_j the lot-wide offset (σ_lot), b_jl a lane's own lot offset (σ_lane×lot), e the unit-to-unit
 * variation — which may be correlated between the lanes of one unit (they share a package and a tester).
 *
 * Correlation between lanes is handled by construction: every standard error comes from per-unit
 * quantities — a unit's mean over its lanes (for the lot-wide mean) and a unit's lane contrast (its lane
 * minus the mean of its other lanes, for a lane against the others) — whose spread across units already
 * contains whatever covariance the lanes have.
 *
 * Between lots, the one-way random-effects decomposition (Searle, Casella & McCulloch, Variance Components,
 * 1992, §3.5; NIST/SEMATECH e-Handbook 3.2.3.1 for the balanced ANOVA form): the observed variance of the lot
 * means V (k − 1 df) estimates σ²_between + the mean sampling variance S̄ of a lot mean, so
 * σ̂²_between = max(0, V − S̄). A new lot's statistic is predicted by the baseline mean with prediction
 * variance σ̂²_between + V/k (the baseline mean's own error) + its own sampling variance; the t reference
 * distribution takes Satterthwaite's df from the between-lot part (k − 1, or (k − 1)(L − 1) pooled over the
 * L − 1 independent lane contrasts) and the lot's own part (n − 1).
 */
import { chiSquareCdf, fUpperTail, tCdf } from './distributions.js';
import { StatsInputError } from './stats-error.js';
import { agreeing, counted } from '../counted.js';

/** One lot's statistics of one parameter × corner over units whose every lane was read. */
export interface LotLaneStatistics {
  /** Units with every lane read (uncensored). */
  readonly n: number;
  /** Mean over units of the unit's mean over lanes. */
  readonly unitMean: number;
  /** Sample variance of the units' means over lanes. */
  readonly unitMeanVariance: number;
  /** Per lane: mean over units of (the unit's lane − the mean of its other lanes); empty for one lane. */
  readonly contrastMeans: readonly number[];
  /** Per lane: sample variance of those per-unit contrasts. */
  readonly contrastVariances: readonly number[];
}

/**
 * Per-unit means and lane contrasts of an n × L row-major matrix (rows with a NaN are left out).
 * @throws StatsInputError with fewer than 2 complete rows.
 */
export function lotLaneStatistics(matrix: Float64Array, lanes: number): LotLaneStatistics {
  if (!(lanes >= 1) || matrix.length % lanes !== 0)
    throw new StatsInputError(`matrix of ${matrix.length} values is not rows of ${lanes} lanes`);
  const rows = matrix.length / lanes;
  let n = 0;
  let mSum = 0;
  let mSq = 0;
  const cSum = new Float64Array(lanes);
  const cSq = new Float64Array(lanes);
  // Welford-free two-pass would need the rows twice; shifted sums around the first row keep precision.
  let shiftM = Number.NaN;
  const shiftC = new Float64Array(lanes).fill(Number.NaN);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    let complete = true;
    for (let l = 0; l < lanes; l++) {
      const v = matrix[r * lanes + l]!;
      if (!Number.isFinite(v)) {
        complete = false;
        break;
      }
      sum += v;
    }
    if (!complete) continue;
    const m = sum / lanes;
    if (Number.isNaN(shiftM)) shiftM = m;
    mSum += m - shiftM;
    mSq += (m - shiftM) ** 2;
    if (lanes >= 2) {
      for (let l = 0; l < lanes; l++) {
        const v = matrix[r * lanes + l]!;
        const c = v - (sum - v) / (lanes - 1);
        if (Number.isNaN(shiftC[l]!)) shiftC[l] = c;
        cSum[l]! += c - shiftC[l]!;
        cSq[l]! += (c - shiftC[l]!) ** 2;
      }
    }
    n++;
  }
  if (n < 2)
    throw new StatsInputError(
      `${counted(n, 'unit')} ${agreeing(n, 'has', 'have')} every lane read; at least 2 are needed for a lot's lane statistics`,
    );
  const variance = (s: number, q: number): number => Math.max(0, (q - (s * s) / n) / (n - 1));
  return {
    n,
    unitMean: shiftM + mSum / n,
    unitMeanVariance: variance(mSum, mSq),
    contrastMeans: lanes >= 2 ? Array.from(cSum, (s, l) => shiftC[l]! + s / n) : [],
    contrastVariances: lanes >= 2 ? Array.from(cSum, (s, l) => variance(s, cSq[l]!)) : [],
  };
}

/** The baseline's variance components of one parameter × corner (standardised units: within-lot σ = 1). */
export interface VarianceComponents {
  readonly lots: number;
  readonly laneCount: number;
  /** Mean over baseline lots of the lot-wide mean. */
  readonly grandMean: number;
  /** Observed variance of the lot-wide means across lots (df lots − 1). */
  readonly lotMeanVariance: number;
  /** Mean sampling variance of one lot-wide mean (from its units). */
  readonly lotMeanSamplingVariance: number;
  /** σ̂ of the lot-wide mean's lot-to-lot movement, and its df. */
  readonly lotSigma: number;
  readonly lotDf: number;
  /** Per lane: mean over baseline lots of the lane contrast. */
  readonly laneContrastMeans: readonly number[];
  /** Observed variance of a lane contrast across lots, pooled over lanes (df (lots − 1)(lanes − 1)). */
  readonly laneContrastVariance: number;
  readonly laneContrastSamplingVariance: number;
  /** σ̂ of a lane's own lot-to-lot movement (lane × lot), and its df; null for one lane. */
  readonly laneLotSigma: number | null;
  readonly laneLotDf: number;
}

/** Variance components from k ≥ 2 baseline lots. */
export function varianceComponents(lots: readonly LotLaneStatistics[]): VarianceComponents {
  const k = lots.length;
  if (k < 2) throw new StatsInputError(`variance components need at least 2 lots, got ${k}`);
  const L = lots[0]!.contrastMeans.length || 1;
  const grandMean = lots.reduce((a, s) => a + s.unitMean, 0) / k;
  const lotMeanVariance = lots.reduce((a, s) => a + (s.unitMean - grandMean) ** 2, 0) / (k - 1);
  const lotMeanSamplingVariance = lots.reduce((a, s) => a + s.unitMeanVariance / s.n, 0) / k;
  const laneContrastMeans: number[] = [];
  let vd = 0;
  let sd = 0;
  if (L >= 2) {
    for (let l = 0; l < L; l++) {
      const m = lots.reduce((a, s) => a + s.contrastMeans[l]!, 0) / k;
      laneContrastMeans.push(m);
      vd += lots.reduce((a, s) => a + (s.contrastMeans[l]! - m) ** 2, 0) / (k - 1);
      sd += lots.reduce((a, s) => a + s.contrastVariances[l]! / s.n, 0) / k;
    }
    vd /= L;
    sd /= L;
  }
  return {
    lots: k,
    laneCount: L,
    grandMean,
    lotMeanVariance,
    lotMeanSamplingVariance,
    lotSigma: Math.sqrt(Math.max(0, lotMeanVariance - lotMeanSamplingVariance)),
    lotDf: k - 1,
    laneContrastMeans,
    laneContrastVariance: vd,
    laneContrastSamplingVariance: sd,
    // A lane contrast carries its own offset and −1/(L − 1) of each other lane's: var = σ²_b · L/(L − 1).
    laneLotSigma: L >= 2 ? Math.sqrt((Math.max(0, vd - sd) * (L - 1)) / L) : null,
    laneLotDf: (k - 1) * (L - 1),
  };
}

/** A new lot's statistic against its predictive distribution. */
export interface PredictiveDeviation {
  /** The lot's statistic minus the baseline's prediction (standardised units). */
  readonly estimate: number;
  /** Prediction standard error (lot-to-lot variation + the baseline mean's error + the lot's own sampling error). */
  readonly standardError: number;
  /** Satterthwaite df of the t reference distribution. */
  readonly df: number;
}

/**
 * Prediction variance from a between-lot mean square V (df_V) and its sampling part S̄, plus the lot's own
 * sampling variance: σ̂²_between + V/k + own, where σ̂²_between = max(0, V − S̄). Satterthwaite's df takes the
 * random part as the multiple of V actually used ((1 + 1/k)·V, or V/k when σ̂²_between is truncated at 0),
 * treating S̄ (hundreds of df) as known.
 */
function predict(v: number, sBar: number, k: number, dfV: number, own: number, dfOwn: number): { se: number; df: number } {
  const truncated = v <= sBar;
  const between = truncated ? v / k : v * (1 + 1 / k) - sBar;
  const randomPart = truncated ? v / k : v * (1 + 1 / k);
  const total = between + own;
  const denom = (randomPart * randomPart) / Math.max(1, dfV) + (own * own) / Math.max(1, dfOwn);
  return { se: Math.sqrt(total), df: denom > 0 ? Math.max(1, (total * total) / denom) : Math.max(1, dfV + dfOwn) };
}

/** The lot-wide mean against what a new lot from this history may do. */
export function lotMeanDeviation(c: VarianceComponents, lot: LotLaneStatistics): PredictiveDeviation {
  const p = predict(c.lotMeanVariance, c.lotMeanSamplingVariance, c.lots, c.lotDf, lot.unitMeanVariance / lot.n, lot.n - 1);
  return { estimate: lot.unitMean - c.grandMean, standardError: p.se, df: p.df };
}

/** One lane against the other lanes of the same units, against what a new lot's lane may do. */
export function laneContrastDeviation(c: VarianceComponents, lot: LotLaneStatistics, lane: number): PredictiveDeviation {
  if (c.laneCount < 2 || lane >= c.laneCount)
    throw new StatsInputError(`lane index ${lane} has no contrast in a ${c.laneCount}-lane baseline`);
  const p = predict(
    c.laneContrastVariance,
    c.laneContrastSamplingVariance,
    c.lots,
    c.laneLotDf,
    lot.contrastVariances[lane]! / lot.n,
    lot.n - 1,
  );
  return { estimate: lot.contrastMeans[lane]! - c.laneContrastMeans[lane]!, standardError: p.se, df: p.df };
}

/**
 * Minimum-effect test of H0: |θ| ≤ δ with a t reference distribution: p = T_df((δ − |θ̂|)/se) + T_df((−δ − |θ̂|)/se),
 * the chance of so large a |θ̂| when θ sits on the boundary.
 */
export function minimumEffectTP(estimate: number, standardError: number, margin: number, df: number): number {
  const a = Math.abs(estimate);
  if (!(standardError > 0)) return a > margin ? 0 : 1;
  return Math.min(1, tCdf((margin - a) / standardError, df) + tCdf((-margin - a) / standardError, df));
}

/**
 * The lanes still in the reference of a step-down lane attribution (src/evaluate/lane-step-down.ts): the
 * lot's n × L matrix cut to the active lanes, each active lane's contrast taken against the other ACTIVE
 * lanes only. A unit counts only when every one of its L lanes was read, as in {@link lotLaneStatistics},
 * so every step of the step-down is on the same units.
 */
export function activeLaneStatistics(matrix: Float64Array, lanes: number, active: readonly boolean[]): LotLaneStatistics {
  const keep = active.flatMap((a, l) => (a ? [l] : []));
  const rows = matrix.length / lanes;
  const sub = new Float64Array(rows * keep.length);
  for (let r = 0; r < rows; r++) {
    let complete = true;
    for (let l = 0; l < lanes; l++) if (!Number.isFinite(matrix[r * lanes + l]!)) complete = false;
    keep.forEach((l, j) => (sub[r * keep.length + j] = complete ? matrix[r * lanes + l]! : Number.NaN));
  }
  return lotLaneStatistics(sub, keep.length);
}

/**
 * The baseline's components for contrasts against the active lanes only (L' of the L lanes).
 *
 * Means: a full contrast is c_l = x_l − mean of the other L − 1 = L/(L − 1)·(x_l − x̄), so the lane's
 * deviation from the all-lane mean is d_l = c_l·(L − 1)/L, and its contrast against the active lanes is
 * L'/(L' − 1)·(d_l − mean over active d) — exact, from the stored means.
 * Variances: a contrast's lane × lot part is σ²_b·L/(L − 1) and its per-unit sampling part (independent
 * lanes of equal within-lot σ = 1) is L/(L − 1)/n; against L' lanes both become L'/(L' − 1)-fold, so the
 * between-lot mean square V and its sampling part S̄ are scaled by f = [L'/(L' − 1)] / [L/(L − 1)] and
 * σ̂²_b = max(0, V − S̄)·(L − 1)/L — the baseline's lane × lot estimate — stays what it was, with its df.
 * (With correlated lanes the sampling part scales only approximately; it is the small part of V for
 * baselines of ordinary lot sizes.)
 */
export function activeLaneComponents(c: VarianceComponents, active: readonly boolean[]): VarianceComponents {
  const L = c.laneCount;
  const keep = active.flatMap((a, l) => (a ? [l] : []));
  const Lp = keep.length;
  if (L < 2 || Lp < 2) throw new StatsInputError(`a lane contrast needs 2 lanes in the reference, ${Lp} of ${L} are left`);
  const d = c.laneContrastMeans.map((m) => (m * (L - 1)) / L);
  const dBar = keep.reduce((a, l) => a + d[l]!, 0) / Lp;
  const f = Lp / (Lp - 1) / (L / (L - 1));
  return {
    ...c,
    laneCount: Lp,
    laneContrastMeans: keep.map((l) => (Lp / (Lp - 1)) * (d[l]! - dBar)),
    laneContrastVariance: c.laneContrastVariance * f,
    laneContrastSamplingVariance: c.laneContrastSamplingVariance * f,
  };
}

/**
 * Bartlett's test that g mean squares with their degrees of freedom estimate one variance (NIST/SEMATECH
 * e-Handbook 1.3.5.7, written on summaries): T = [ν ln s²_p − Σ νᵢ ln sᵢ²] / [1 + (Σ 1/νᵢ − 1/ν)/(3(g − 1))],
 * ν = Σ νᵢ, s²_p = Σ νᵢ sᵢ² / ν, against χ² with g − 1 df.
 * @throws StatsInputError with fewer than 2 mean squares, a df below 1 or a mean square that is not > 0.
 */
export function bartlettFromMeanSquares(
  meanSquares: readonly number[],
  dfs: readonly number[],
): { readonly t: number; readonly df: number; readonly pValue: number } {
  const g = meanSquares.length;
  if (g < 2 || dfs.length !== g) throw new StatsInputError(`Bartlett test needs at least 2 mean squares with their df, got ${g}`);
  let nu = 0;
  let ss = 0;
  let sumLog = 0;
  let sumInv = 0;
  for (let i = 0; i < g; i++) {
    const v = meanSquares[i]!;
    const d = dfs[i]!;
    if (!(v > 0) || !(d >= 1))
      throw new StatsInputError(`Bartlett test: mean square ${v} with ${d} df cannot enter (needs > 0 with ≥ 1 df)`);
    nu += d;
    ss += d * v;
    sumLog += d * Math.log(v);
    sumInv += 1 / d;
  }
  const t = (nu * Math.log(ss / nu) - sumLog) / (1 + (sumInv - 1 / nu) / (3 * (g - 1)));
  return { t, df: g - 1, pValue: 1 - chiSquareCdf(Math.max(0, t), g - 1) };
}

/** One parameter's between-lot mean square of a lane contrast, its sampling part and its df. */
export interface LaneLotMeanSquare {
  /** Observed variance of the lane contrast across baseline lots (V). */
  readonly meanSquare: number;
  /** Its expected sampling part S̄ (the lots' own sampling variance of the contrast mean). */
  readonly samplingPart: number;
  readonly df: number;
}

/** Which mean squares were found homogeneous and pooled. */
export interface LaneLotPool {
  /** Indices of the pooled mean squares (≥ 2), in input order; empty when nothing could be pooled. */
  readonly members: readonly number[];
  /** Bartlett's p over the members (the last test of the step-down), null when nothing was pooled. */
  readonly bartlettP: number | null;
}

/**
 * The largest set of mean squares Bartlett's test does not call heterogeneous at `alpha`, found step-down:
 * test all; while the test rejects, drop the mean square whose removal lowers Bartlett's statistic most, and
 * test the rest. (Not the one furthest from the pooled value: one large mean square pulls the pooled value
 * up so far that the small ones look furthest from it.) With `upwardAlpha` > 0, a set Bartlett accepts
 * then loses (once) every member whose mean square is larger than the rest's by a one-sided F test at that
 * level; the Bartlett p returned is that of the members left. A mean square that is not > 0 never
 * enters. Fewer than 2 left: nothing is pooled.
 */
export function homogeneousLaneLotPool(items: readonly LaneLotMeanSquare[], alpha: number, upwardAlpha = 0): LaneLotPool {
  let members = items.flatMap((it, i) => (it.meanSquare > 0 && it.df >= 1 ? [i] : []));
  while (members.length >= 2) {
    const b = bartlettFromMeanSquares(
      members.map((i) => items[i]!.meanSquare),
      members.map((i) => items[i]!.df),
    );
    if (b.pValue > alpha) {
      // One pass only: repeated, "drop whoever is larger than the rest" would whittle any pool away.
      const kept = upwardAlpha > 0 ? withoutLargerThanRest(items, members, upwardAlpha) : members;
      if (kept.length === members.length) return { members, bartlettP: b.pValue };
      if (kept.length < 2) return { members: [], bartlettP: null };
      const bk = bartlettFromMeanSquares(
        kept.map((i) => items[i]!.meanSquare),
        kept.map((i) => items[i]!.df),
      );
      return { members: kept, bartlettP: bk.pValue };
    }
    let worst = members[0]!;
    let bestT = Number.POSITIVE_INFINITY;
    for (const drop of members) {
      const rest = members.filter((i) => i !== drop);
      const t =
        rest.length < 2
          ? 0
          : bartlettFromMeanSquares(
              rest.map((i) => items[i]!.meanSquare),
              rest.map((i) => items[i]!.df),
            ).t;
      if (t < bestT) {
        bestT = t;
        worst = drop;
      }
    }
    members = members.filter((i) => i !== worst);
  }
  return { members: [], bartlettP: null };
}

/**
 * The members whose mean square is not larger than the pooled rest's by a one-sided F test at `alpha`
 * (F = V_m / V_rest on ν_m and Σ ν_rest df). Pooling a parameter that moves MORE than the others
 * under-states its variance — false holds — while pooling one that moves less only over-states it, so the
 * upward direction gets its own, generous test that Bartlett's omnibus one (which spreads its power over
 * every direction and every member) does not replace.
 */
function withoutLargerThanRest(items: readonly LaneLotMeanSquare[], members: readonly number[], alpha: number): number[] {
  return members.filter((m) => {
    const rest = members.filter((q) => q !== m);
    const dfRest = rest.reduce((a, q) => a + items[q]!.df, 0);
    const vRest = rest.reduce((a, q) => a + items[q]!.df * items[q]!.meanSquare, 0) / dfRest;
    return fUpperTail(items[m]!.meanSquare / vRest, items[m]!.df, dfRest) > alpha;
  });
}

/**
 * The pooled mean square of member `index`: its own sampling part plus the df-weighted mean of the members'
 * lane × lot excesses, V*ᵢ = S̄ᵢ + Σ w_q (V_q − S̄_q), w_q = ν_q / Σ ν — one lane × lot variance (in within-lot
 * σ, truncated at 0) shared by the members, each with the sampling error of its own lots. Its df by Satterthwaite, with each
 * V_q's variance 2E[V_q]²/ν_q taken at its pooled fit V*_q (the S̄ are known to hundreds of df):
 * ν*ᵢ = V*ᵢ² / Σ w_q² V*_q² / ν_q — Σ ν_q when the sampling parts are equal.
 */
export function pooledLaneLotMeanSquare(
  items: readonly LaneLotMeanSquare[],
  members: readonly number[],
  index: number,
): { readonly meanSquare: number; readonly df: number } {
  if (!members.includes(index)) throw new StatsInputError(`mean square ${index} is not a member of the pool`);
  const nu = members.reduce((a, q) => a + items[q]!.df, 0);
  // A variance is ≥ 0: a pooled excess below 0 (no lane × lot variation seen) fits each at its sampling part.
  const excess = Math.max(
    0,
    members.reduce((a, q) => a + (items[q]!.df / nu) * (items[q]!.meanSquare - items[q]!.samplingPart), 0),
  );
  const fit = (q: number): number => items[q]!.samplingPart + excess;
  const denom = members.reduce((a, q) => a + ((items[q]!.df / nu) ** 2 * fit(q) ** 2) / items[q]!.df, 0);
  const meanSquare = fit(index);
  return { meanSquare, df: (meanSquare * meanSquare) / denom };
}
