/**
 * @module Oracle power of lotqa's lane tests for one lane shifted at every corner (issue 14's reference
 * column): the procedure's test structure with the true variance components known, simulated from the
 * generator's model (src/sim). Two oracles:
 *
 * - **known means** (`baselineLots` omitted): the baseline's lane means are known exactly, so the only noise is
 *   the new lot's own lane × lot offset and sampling error. Stronger than any procedure can be: no baseline
 *   of B lots knows its lane means.
 * - **known variance components** (`baselineLots` = B): the lane means are estimated from the baseline's B
 *   lots, as any procedure must, so the lot's lane contrast is judged against an estimate that is itself off
 *   by the baseline's mean lane × lot offset (variance k²·f/B, shared by the corners) and its mean sampling
 *   error (variance f/(nB) per corner, correlated over corners as the units are). The predictive variance of
 *   the contrast is then (k²·f + f/n)(1 + 1/B) at one corner. This is issue 14's "oracle test that knows the
 *   true variance components": the limit no procedure using a B-lot baseline can beat at that α and margin.
 *
 * f = L/(L − 1) turns a lane's variance into its contrast's (lane minus the mean of its L − 1 sisters).
 * Normal reference (infinite df): the procedure pays a t quantile on top.
 */
import { minimumEffectP } from '../src/evaluate/lot-tests.js';
import { DEFAULT_PROCESS_SETTINGS, SeededRandom } from '../src/sim/index.js';

/** One cell of the oracle: the shift, the generator's model, and the procedure's test structure. */
export interface LaneOracleCell {
  /** The lane's shift in unit-to-unit σ, at every corner. */
  readonly shift: number;
  /** Lane × lot σ (k), in unit-to-unit σ, shared by the corners. */
  readonly laneLotSigma: number;
  readonly lanes: number;
  /** Units per lot (baseline lots and the new lot alike). */
  readonly units: number;
  readonly corners: number;
  /** Tests in the across-corners lane group (m1) and in the rest of the family (m2), Bonferroni in each. */
  readonly acrossCornerTests: number;
  readonly otherTests: number;
  /** Family α and the across-corners lane tests' share of it. */
  readonly alpha: number;
  readonly share: number;
  /** Minimum practical lane shift (policy `maxLaneShiftSigma`), σ. */
  readonly margin: number;
  /** Lots in the baseline; omitted: the baseline's lane means are known (the stronger oracle). */
  readonly baselineLots?: number;
  /** Correlation of a unit's reading between corners. @defaultValue the generator's (0.6) */
  readonly cornerCorrelation?: number;
  /** @defaultValue 20 000 */
  readonly draws?: number;
}

/**
 * Probability that the across-corners test (contrast averaged over corners, at share·α/m1) or any per-corner
 * lane test (at (1 − share)·α/m2; all of α when there is no across-corners group) rejects
 * H0: |contrast| ≤ margin for the shifted lane. Bonferroni within each group: Holm can do only a little
 * better when nearly every hypothesis is true.
 */
export function laneOraclePower(cell: LaneOracleCell): number {
  const { shift: s, laneLotSigma: k, lanes, units: n, corners, acrossCornerTests: m1, otherTests: m2, alpha, share, margin } = cell;
  const B = cell.baselineLots;
  const rho = cell.cornerCorrelation ?? DEFAULT_PROCESS_SETTINGS.cornerCorrelation;
  const draws = cell.draws ?? 20_000;
  const r = new SeededRandom('oracle', s, k, lanes, n, corners, m1, m2, share, margin, B ?? 'known-means');
  const f = lanes / (lanes - 1);
  // Variance inflation of the baseline's estimated lane means (1 + 1/B), none when they are known.
  const inflate = B === undefined ? 1 : 1 + 1 / B;
  const sdBeta = Math.sqrt(k * k * f);
  const sdEps = Math.sqrt(f / n);
  const sdBaseBeta = B === undefined ? 0 : Math.sqrt((k * k * f) / B);
  const sdBaseEps = B === undefined ? 0 : Math.sqrt(f / (n * B));
  const seCorner = Math.sqrt((k * k * f + f / n) * inflate);
  const seAll = Math.sqrt((k * k * f + (f / n) * (rho + (1 - rho) / corners)) * inflate);
  const across = m1 > 0 && share > 0 && corners >= 2;
  const perCorner = (across ? 1 - share : 1) * alpha;
  let caught = 0;
  const dev = new Float64Array(corners);
  for (let d = 0; d < draws; d++) {
    // The lot's lane × lot offset minus the baseline's mean one (both shared by the corners).
    const beta = sdBeta * r.normal() - (sdBaseBeta > 0 ? sdBaseBeta * r.normal() : 0);
    const z0 = r.normal();
    const zb0 = sdBaseEps > 0 ? r.normal() : 0;
    let mean = 0;
    for (let c = 0; c < corners; c++) {
      const lot = sdEps * (Math.sqrt(rho) * z0 + Math.sqrt(1 - rho) * r.normal());
      const base = sdBaseEps > 0 ? sdBaseEps * (Math.sqrt(rho) * zb0 + Math.sqrt(1 - rho) * r.normal()) : 0;
      dev[c] = s + beta + lot - base;
      mean += dev[c]! / corners;
    }
    let hit = across && minimumEffectP(mean, seAll, margin) <= (share * alpha) / m1;
    for (let c = 0; c < corners && !hit; c++) hit = minimumEffectP(dev[c]!, seCorner, margin) <= perCorner / m2;
    if (hit) caught++;
  }
  return caught / draws;
}
