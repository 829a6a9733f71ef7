/**
 * @module Multiple-testing corrections for the lot-level family of tests.
 *
 * A lot carries a few hundred charts (parameter × corner × lane). Judging each at α holds nearly every
 * healthy lot, so the lot decision controls the error rate over the whole family:
 * - Holm (1979) step-down: family-wise error rate ≤ α, uniformly more powerful than Bonferroni.
 * - Benjamini & Hochberg (1995) step-up: false discovery rate ≤ α (independent or PRDS tests).
 * - Bonferroni: p·m, for comparison.
 * Adjusted p-values follow R's `p.adjust` definitions, so `adjusted ≤ α` ⇔ rejected at level α.
 */
import { LotqaError } from '../errors/lotqa-error.js';

export type Correction = 'holm' | 'bonferroni' | 'benjamini-hochberg';

export class MultipleTestingError extends LotqaError {
  override name = 'MultipleTestingError';
}

function check(pValues: ArrayLike<number>): void {
  for (let i = 0; i < pValues.length; i++) {
    const p = pValues[i]!;
    if (!(p >= 0 && p <= 1)) throw new MultipleTestingError(`p-value #${i} is ${p}: p-values must lie in [0, 1]`);
  }
}

/** Indices sorted by ascending p (stable). */
function order(p: ArrayLike<number>): number[] {
  return Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[a]! - p[b]! || a - b);
}

/** Adjusted p-values (same order as the input), as R `p.adjust(p, method)`. */
export function adjustPValues(pValues: ArrayLike<number>, correction: Correction): Float64Array {
  check(pValues);
  const m = pValues.length;
  const out = new Float64Array(m);
  if (m === 0) return out;
  if (correction === 'bonferroni') {
    for (let i = 0; i < m; i++) out[i] = Math.min(1, pValues[i]! * m);
    return out;
  }
  const o = order(pValues);
  if (correction === 'holm') {
    // adj_(i) = max_{j ≤ i} min(1, (m − j + 1) p_(j))
    let running = 0;
    for (let r = 0; r < m; r++) {
      const idx = o[r]!;
      running = Math.max(running, Math.min(1, (m - r) * pValues[idx]!));
      out[idx] = running;
    }
    return out;
  }
  // Benjamini–Hochberg: adj_(i) = min_{j ≥ i} min(1, m p_(j) / j)
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const idx = o[r]!;
    running = Math.min(running, Math.min(1, (m * pValues[idx]!) / (r + 1)));
    out[idx] = running;
  }
  return out;
}

/** Which hypotheses are rejected at level α under the correction. */
export function rejectedHypotheses(pValues: ArrayLike<number>, alpha: number, correction: Correction): boolean[] {
  if (!(alpha > 0 && alpha < 1)) throw new MultipleTestingError(`alpha is ${alpha}: it must lie in (0, 1)`);
  const adj = adjustPValues(pValues, correction);
  return Array.from(adj, (a) => a <= alpha);
}
