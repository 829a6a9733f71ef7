/**
 * @module How many PAT outliers a healthy lot of this product shows anyway — the reference population's own
 * share beyond its PAT limits, and what that makes per unit over all the charts a unit is judged on.
 *
 * Why: PAT's median ± 6 robust σ (src/spc/pat.ts) puts ~2 parts per billion beyond the limits only when the
 * readings are normal. Real ATE readings often have heavier tails (t-like: one reading in a few hundred beyond
 * 4.5σ); a robust σ from the IQR is then smaller than the σ of the tails, and with ~100 charts per unit a
 * few percent of the units of a stable, healthy lot are outliers on some chart. Holding such a lot because
 * more than `maxOutlierShare` of its units are outliers is a false alarm on a process that has not changed:
 * its qualified (baseline) lots showed the same share. The lot is therefore judged on its share ABOVE the
 * share the baseline's own population shows under the same static limits.
 *
 * Per chart c the reference share p_c is what the lot's own rule (the tighter of the static limits and the
 * lot's dynamic limits) flags in each baseline lot, averaged over the baseline lots ({@link baselineLotsOutlierShare});
 * a unit is an outlier when any of its charts is, so with charts independent the expected
 * unit share is 1 − Π_c (1 − p_c). Charts of one unit are positively correlated (corners of one laser), which
 * makes the true unit share smaller than this, never larger: the allowance errs toward the baseline's
 * worst case, and it is 0 for normal readings, where the policy's share alone applies as before.
 *
 * The share is a count of a few units, so a lot is held only when its count is also improbable for the
 * reference share ({@link excessOutlierP}, exact binomial): with a reference of 2 % a 200-unit lot expects 4
 * outlier units and shows 9 about 2 times in 100 by chance alone.
 */
import { regularizedIncompleteBeta } from './distributions.js';
import { partAverageTest, type PatLimits } from './pat.js';
import { StatsInputError } from './stats-error.js';

/** Fraction of the reference values inside spec that lie outside [lower, upper] (the static PAT limits). */
export function referenceOutlierShare(
  values: ArrayLike<number>,
  limits: { readonly lower: number; readonly upper: number },
  lsl: number | null,
  usl: number | null,
): number {
  let inSpec = 0;
  let outside = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if ((lsl !== null && v < lsl) || (usl !== null && v > usl)) continue;
    inSpec++;
    if (v < limits.lower || v > limits.upper) outside++;
  }
  if (inSpec === 0) throw new StatsInputError('no reference value is inside spec: the reference PAT share is undefined');
  return outside / inSpec;
}

/** Expected share of units that are an outlier on at least one chart: 1 − Π (1 − p_c), charts independent. */
export function expectedUnitOutlierShare(chartShares: readonly number[]): number {
  let none = 1;
  for (const p of chartShares) {
    if (!(p >= 0 && p <= 1)) throw new StatsInputError(`a chart's reference PAT share is ${p}; it must lie in [0, 1]`);
    none *= 1 - p;
  }
  return 1 - none;
}

/**
 * Mean share of PAT outliers in the baseline's own lots, each judged as a new lot is: its in-spec values
 * against the tighter of the static limits and its own dynamic limits. The baseline keeps an evenly spaced
 * sample of its readings in lot order (`evenSample` in src/evaluate/build-baseline.ts), so sample index i is
 * reading ⌊i·N/m⌋ of the N readings, and the lot sizes say which lot that reading came from. When the sample is
 * thinned (N > m), each lot's dynamic limits rest on fewer readings than a real lot's, so they scatter more and
 * flag a little more: the allowance errs on the generous side by that much (reported, see the module note).
 */
export function baselineLotsOutlierShare(
  sample: readonly number[],
  lotSizes: readonly number[],
  staticLimits: PatLimits,
  k: number,
  lsl: number | null,
  usl: number | null,
): number {
  const judged = baselineLotsOutlierShares(sample, lotSizes, staticLimits, k, lsl, usl).filter((x) => x !== null);
  return judged.length === 0 ? 0 : judged.reduce((a, x) => a + x.share, 0) / judged.length;
}

/** One baseline lot's PAT-outlier share on one chart and the in-spec readings of the sample it rests on. */
export interface LotOutlierShare {
  readonly share: number;
  readonly readings: number;
}

/**
 * Each baseline lot's share of PAT outliers on one chart (as {@link baselineLotsOutlierShare}), in lot order;
 * null for a lot with fewer than 8 in-spec readings in the sample.
 */
export function baselineLotsOutlierShares(
  sample: readonly number[],
  lotSizes: readonly number[],
  staticLimits: PatLimits,
  k: number,
  lsl: number | null,
  usl: number | null,
): (LotOutlierShare | null)[] {
  const n = lotSizes.reduce((a, b) => a + b, 0);
  const m = sample.length;
  const step = n > m ? n / m : 1;
  const ends: number[] = [];
  lotSizes.reduce((a, b) => (ends.push(a + b), a + b), 0);
  const byLot: number[][] = lotSizes.map(() => []);
  let lot = 0;
  for (let i = 0; i < m; i++) {
    const reading = Math.floor(i * step);
    while (lot < ends.length - 1 && reading >= ends[lot]!) lot++;
    byLot[lot]!.push(sample[i]!);
  }
  return byLot.map((values) => {
    const inSpec = values.filter((v) => (lsl === null || v >= lsl) && (usl === null || v <= usl)).length;
    if (inSpec < 8) return null;
    const r = partAverageTest(values, { lsl, usl, k, staticLimits });
    return { share: r.outliers.length / inSpec, readings: inSpec };
  });
}

/**
 * How much a healthy lot's unit share of PAT outliers varies beyond binomial chance, from the baseline lots.
 *
 * Why: the binomial tail of {@link excessOutlierP} treats the reference share as known and the same in every
 * lot. Neither holds. Each lot is judged on its own dynamic limits (median ± k robust σ of that lot), so with
 * heavy tails or drift the share moves from lot to lot (the count is overdispersed: in the `everything` shape of
 * bench/shapes-history.ts the count of outlier units had a variance 1.2–1.7 × its mean over 25 healthy lots),
 * and the reference share is itself estimated from a few baseline lots. A lot was then held for a count that
 * healthy lots show ~2 times in 100 where α promised 1.
 *
 * Per baseline lot j the unit share q_j = 1 − Π_c (1 − p_cj) over the charts judged in every lot; their sample
 * variance s² over the J lots is the lot-to-lot variance τ² plus the sampling variance of each q_j from the
 * sample's m_cj readings, Σ_c p̄_c (1 − p̄_c)/m_cj (averaged over lots; charts independent — a unit outlying on
 * several charts makes the true sampling variance larger and τ² smaller, so this errs toward a wider allowance).
 * A new lot's share then varies by τ² about a mean known to s²/J: the predictive variance beyond binomial
 * chance is max(0, s² − sampling) + s²/J. Returned as that variance; 0 with fewer than 2 lots.
 */
export function lotToLotOutlierVariance(perChart: readonly (readonly (LotOutlierShare | null)[])[]): number {
  const lots = Math.max(0, ...perChart.map((c) => c.length));
  const charts = perChart.filter((c) => c.length === lots && c.every((x) => x !== null)) as (readonly LotOutlierShare[])[];
  if (lots < 2 || charts.length === 0) return 0;
  const mean = charts.map((c) => c.reduce((a, x) => a + x.share, 0) / lots);
  const q: number[] = [];
  let sampling = 0;
  for (let j = 0; j < lots; j++) {
    let none = 1;
    for (const c of charts) none *= 1 - c[j]!.share;
    q.push(1 - none);
    sampling += charts.reduce((a, c, i) => a + (mean[i]! * (1 - mean[i]!)) / c[j]!.readings, 0) / lots;
  }
  const qBar = q.reduce((a, x) => a + x, 0) / lots;
  const s2 = q.reduce((a, x) => a + (x - qBar) ** 2, 0) / (lots - 1);
  return Math.max(0, s2 - sampling) + s2 / lots;
}

/**
 * P(X ≥ count) for X beta-binomial with mean share·units and variance units·share·(1 − share) + units²·extra:
 * the binomial count of {@link excessOutlierP} whose per-lot share is itself drawn about `share` with variance
 * `extra` (from {@link lotToLotOutlierVariance}). Intra-lot correlation ρ = extra·n/((n − 1)·share·(1 − share)),
 * α = share·(1/ρ − 1), β = (1 − share)·(1/ρ − 1); the pmf by its ratio recurrence
 * P(k+1)/P(k) = (n − k)(k + α)/((k + 1)(n − k − 1 + β)) from P(0) = Π_{i<n} (β + i)/(α + β + i). The binomial
 * tail when extra is 0 (or ρ reaches 1: then every unit shares one draw and the tail is that of the share alone,
 * which this caps at ρ < 1).
 */
export function excessOutlierPOverdispersed(count: number, units: number, share: number, extra: number): number {
  if (!(extra >= 0 && Number.isFinite(extra)))
    throw new StatsInputError(`the lot-to-lot variance of the PAT share is ${extra}; it must be ≥ 0`);
  if (extra === 0 || units < 2 || share === 0 || share === 1 || count === 0) return excessOutlierP(count, units, share);
  if (!(Number.isInteger(count) && Number.isInteger(units) && count >= 0 && count <= units))
    throw new StatsInputError(`PAT outlier count ${count} of ${units} units is not a count`);
  const rho = Math.min(0.999, (extra * units) / ((units - 1) * share * (1 - share)));
  const t = 1 / rho - 1;
  const a = share * t;
  const b = (1 - share) * t;
  let logP = 0;
  for (let i = 0; i < units; i++) logP += Math.log((b + i) / (a + b + i));
  const pmf: number[] = [Math.exp(logP)];
  for (let k = 0; k < units; k++) {
    logP += Math.log(((units - k) * (k + a)) / ((k + 1) * (units - k - 1 + b)));
    pmf.push(Math.exp(logP));
  }
  let upper = 0;
  for (let k = units; k >= count; k--) upper += pmf[k]!;
  return Math.min(1, upper);
}

/**
 * P(X ≥ count) for X ~ Binomial(units, share): how improbable the lot's count of PAT-outlier units is for a
 * healthy lot of the reference share (exact: P(X ≥ x) = I_share(x, units − x + 1), the regularized incomplete
 * beta function). 1 for a count of 0; 0 for a positive count when the share is 0.
 */
export function excessOutlierP(count: number, units: number, share: number): number {
  if (!(Number.isInteger(count) && Number.isInteger(units) && count >= 0 && count <= units))
    throw new StatsInputError(`PAT outlier count ${count} of ${units} units is not a count`);
  if (!(share >= 0 && share <= 1)) throw new StatsInputError(`the reference PAT share is ${share}; it must lie in [0, 1]`);
  if (count === 0) return 1;
  if (share === 0) return 0;
  if (share === 1) return 1;
  return regularizedIncompleteBeta(share, count, units - count + 1);
}
