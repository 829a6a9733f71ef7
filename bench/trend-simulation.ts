/**
 * @module Trend simulation — healthy and drifting lot histories of one parameter × corner (L lanes) against a
 * k-lot baseline, judged by the real trend charts (src/evaluate/lot-trend.ts) with phase I estimated by the
 * real variance components (src/spc/variance-components.ts). Readings are standardised (within-lot σ = 1):
 * lot offset ~ N(0, lotSigma²), lane × lot offset ~ N(0, laneLotSigma²), unit noise N(0, 1), and a drift
 * of `driftPerLot` σ per lot after the baseline. Used by bench/trend-run-length.ts and the trend tests.
 */
import type { BaselineCell, BaselineComponents } from '../src/domain/baseline.js';
import { lotTrends, type TrendHistoryLot, type TrendRunSettings } from '../src/evaluate/lot-trend.js';
import { lotLaneStatistics, varianceComponents } from '../src/spc/variance-components.js';
import { SeededRandom } from '../src/sim/seeded-random.js';

export interface TrendSimOptions {
  readonly seed: string | number;
  readonly baselineLots: number;
  readonly lanes: number;
  readonly units: number;
  readonly lotSigma: number;
  readonly laneLotSigma: number;
  /** Lots monitored after the baseline. */
  readonly lots: number;
  readonly driftPerLot: number;
  readonly settings: TrendRunSettings;
}

export interface TrendSimHistory {
  /** Per monitored lot (0-based after the baseline): did any lane chart signal at that lot? */
  readonly signalled: readonly boolean[];
  /** The same, for the lot-mean charts (ewma, cusum) alone and the lot-σ charts (ewma-sd, cusum-sd) alone. */
  readonly meanSignalled: readonly boolean[];
  readonly sigmaSignalled: readonly boolean[];
}

function lotMatrix(rng: SeededRandom, o: TrendSimOptions, offset: number): Float64Array {
  const lotOff = o.lotSigma * rng.normal() + offset;
  const laneOff = Array.from({ length: o.lanes }, () => o.laneLotSigma * rng.normal());
  const m = new Float64Array(o.units * o.lanes);
  for (let u = 0; u < o.units; u++) for (let l = 0; l < o.lanes; l++) m[u * o.lanes + l] = lotOff + laneOff[l]! + rng.normal();
  return m;
}

function laneMeans(m: Float64Array, lanes: number, units: number): number[] {
  const s = new Array<number>(lanes).fill(0);
  for (let u = 0; u < units; u++) for (let l = 0; l < lanes; l++) s[l]! += m[u * lanes + l]!;
  return s.map((x) => x / units);
}

/** Each lane's sample SD over the lot's units (the lot σ the σ-trend charts watch). */
function laneSds(m: Float64Array, lanes: number, units: number): number[] {
  const means = laneMeans(m, lanes, units);
  const ss = new Array<number>(lanes).fill(0);
  for (let u = 0; u < units; u++) for (let l = 0; l < lanes; l++) ss[l]! += (m[u * lanes + l]! - means[l]!) ** 2;
  return ss.map((x) => Math.sqrt(x / (units - 1)));
}

/** One simulated history: a baseline, then `lots` lots each judged with every earlier lot as history. */
export function simulateTrendHistory(o: TrendSimOptions): TrendSimHistory {
  const rng = new SeededRandom(o.seed, 'trend-sim');
  const base = Array.from({ length: o.baselineLots }, () => lotMatrix(rng, o, 0));
  const comps = varianceComponents(base.map((m) => lotLaneStatistics(m, o.lanes)));
  const baseMeans = base.map((m) => laneMeans(m, o.lanes, o.units));
  const baseSds = base.map((m) => laneSds(m, o.lanes, o.units));
  const comp: BaselineComponents = {
    parameter: 'p',
    corner: 'c',
    lanes: Array.from({ length: o.lanes }, (_, l) => (o.lanes === 1 ? null : l)),
    sigmas: new Array<number>(o.lanes).fill(1),
    withinDf: o.baselineLots * (o.units - 1) * o.lanes,
    ...comps,
  };
  const cells: BaselineCell[] = comp.lanes.map((lane, l) => ({
    parameter: 'p',
    corner: 'c',
    lane,
    n: o.units * o.baselineLots,
    mean: baseMeans.reduce((a, m) => a + m[l]!, 0) / o.baselineLots,
    sigmaUnit: 1,
    dfUnit: o.baselineLots * (o.units - 1),
    limits: { centre: 0, sigma: 1 } as BaselineCell['limits'],
    lotMeans: baseMeans.map((m) => m[l]!),
    lotSizes: new Array<number>(o.baselineLots).fill(o.units),
    lotSds: baseSds.map((s) => s[l]!),
    sample: [],
  }));
  const history: TrendHistoryLot[] = [];
  const signalled: boolean[] = [];
  const meanSignalled: boolean[] = [];
  const sigmaSignalled: boolean[] = [];
  for (let i = 0; i < o.lots; i++) {
    const m = lotMatrix(rng, o, (i + 1) * o.driftPerLot);
    const means = laneMeans(m, o.lanes, o.units);
    const sds = laneSds(m, o.lanes, o.units);
    const current = comp.lanes.map((lane, l) => ({ parameter: 'p', corner: 'c', lane, n: o.units, mean: means[l]!, sd: sds[l]! }));
    const lot = `L${i}`;
    const trends = lotTrends(
      cells.map((cell, l) => ({ cell, comp, current: current[l]! })),
      history,
      [],
      lot,
      o.settings,
    );
    signalled.push(trends.some((t) => t.series.signals.length > 0));
    meanSignalled.push(trends.some((t) => t.series.signals.some((x) => x.chart === 'ewma' || x.chart === 'cusum')));
    sigmaSignalled.push(trends.some((t) => t.series.signals.some((x) => x.chart === 'ewma-sd' || x.chart === 'cusum-sd')));
    history.push({ lot, at: String(i), cells: current });
  }
  return { signalled, meanSignalled, sigmaSignalled };
}
