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
  let sum = 0;
  let lots = 0;
  for (const values of byLot) {
    const inSpec = values.filter((v) => (lsl === null || v >= lsl) && (usl === null || v <= usl)).length;
    if (inSpec < 8) continue;
    const r = partAverageTest(values, { lsl, usl, k, staticLimits });
    sum += r.outliers.length / inSpec;
    lots++;
  }
  return lots === 0 ? 0 : sum / lots;
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
