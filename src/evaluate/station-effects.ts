/**
 * @module Station effects — within one lot, each test station against the others, per critical parameter ×
 * corner, so a quality engineer can tell a tester problem from a product shift.
 *
 * Per unit the mean over its lanes (each lane divided by its within-lot σ, from the baseline when there is
 * one), grouped by the station of the unit's final attempt. Station s against the rest: d = ū_s − ū_others
 * with Welch's standard error and df (units are independent; lane correlation is inside ū by construction),
 * a minimum-effect t test against the policy margin (maxStationShiftSigma). Needs ≥ 2 stations with
 * ≥ MIN_STATION_UNITS units.
 */
import type { LotHypothesis } from '../acceptance/decide-lot.js';
import { minimumEffectTP } from '../spc/variance-components.js';
import type { CellSeries } from './cell-series.js';
import { laneMatrix } from './lane-matrix.js';

export const MIN_STATION_UNITS = 5;

export interface StationEffect {
  readonly station: string;
  readonly units: number;
  /** Mean over the station's units of the unit's mean over lanes (SPC scale, parameter units). */
  readonly mean: number;
  /** Station minus the other stations, in within-lot σ; null when the station has too few units. */
  readonly againstOthersSigma: number | null;
}

export interface StationEffectsResult {
  readonly effects: StationEffect[];
  readonly hypotheses: LotHypothesis[];
  /** The active stations' hypotheses (parallel to `hypotheses`) against the other active stations only. */
  readonly retest: (active: readonly boolean[]) => LotHypothesis[];
}

interface Moments {
  n: number;
  sum: number;
  sq: number;
  raw: number;
}

export function stationEffects(
  parameter: string,
  corner: string,
  series: readonly CellSeries[],
  sigmas: readonly number[],
  unitStations: readonly string[],
  margin: number,
): StationEffectsResult {
  const L = series.length;
  const m = laneMatrix(series, sigmas, unitStations.length);
  const by = new Map<string, Moments>();
  for (let u = 0; u < unitStations.length; u++) {
    let sum = 0;
    let raw = 0;
    let complete = true;
    for (let l = 0; l < L; l++) {
      const v = m[u * L + l]!;
      if (!Number.isFinite(v)) {
        complete = false;
        break;
      }
      sum += v;
      raw += v * sigmas[l]!;
    }
    if (!complete) continue;
    const st = unitStations[u]!;
    const g = by.get(st) ?? { n: 0, sum: 0, sq: 0, raw: 0 };
    const x = sum / L;
    g.n++;
    g.sum += x;
    g.sq += x * x;
    g.raw += raw / L;
    by.set(st, g);
  }
  const stations = [...by.keys()].sort();
  const judged = stations.filter((st) => by.get(st)!.n >= MIN_STATION_UNITS);
  /** Station against the pooled units of the stations not left out; null when either side is too small. */
  const against = (
    station: string,
    leftOut: ReadonlySet<string>,
  ): { estimate: number; p: number; df: number; standardError: number } | null => {
    const g = by.get(station)!;
    const o = { n: 0, sum: 0, sq: 0 };
    for (const [st, x] of by)
      if (st !== station && !leftOut.has(st)) {
        o.n += x.n;
        o.sum += x.sum;
        o.sq += x.sq;
      }
    if (g.n < MIN_STATION_UNITS || o.n < MIN_STATION_UNITS) return null;
    const mean = (x: { n: number; sum: number }): number => x.sum / x.n;
    const variance = (x: { n: number; sum: number; sq: number }): number => Math.max(0, (x.sq - (x.sum * x.sum) / x.n) / (x.n - 1));
    const estimate = mean(g) - mean(o);
    const a = variance(g) / g.n;
    const b = variance(o) / o.n;
    const se = Math.sqrt(a + b);
    const df = a + b > 0 ? (a + b) ** 2 / ((a * a) / (g.n - 1) + (b * b) / (o.n - 1)) : g.n + o.n - 2;
    return { estimate, p: minimumEffectTP(estimate, se, margin, df), df, standardError: se };
  };
  const hypothesis = (
    station: string,
    t: { estimate: number; p: number; df: number; standardError: number } | null,
    others: number,
  ): LotHypothesis => ({
    kind: 'station-shift',
    parameter,
    corner,
    lane: null,
    estimate: t?.estimate ?? Number.NaN,
    threshold: margin,
    // A station with too few units left to compare with is not judged by this step (p = 1).
    p: t?.p ?? 1,
    station,
    otherStations: others,
    ...(t ? { df: [t.df], standardError: t.standardError } : {}),
  });
  const effects: StationEffect[] = [];
  const hypotheses: LotHypothesis[] = [];
  const tested: string[] = [];
  for (const station of stations) {
    const g = by.get(station)!;
    const t = judged.length >= 2 ? against(station, new Set()) : null;
    if (t) {
      hypotheses.push(hypothesis(station, t, stations.length - 1));
      tested.push(station);
    }
    effects.push({ station, units: g.n, mean: g.raw / g.n, againstOthersSigma: t?.estimate ?? null });
  }
  // Step-down re-test (src/evaluate/lane-step-down.ts): one station reading off by Δ pulls every other
  // station's "others" by −Δ·(its share of them); once a station is flagged, the rest are compared with the
  // stations not flagged only, so the flagged station's offset no longer makes its neighbours look off.
  const retest = (active: readonly boolean[]): LotHypothesis[] => {
    const leftOut = new Set(tested.filter((_, i) => !active[i]));
    return tested
      .filter((_, i) => active[i])
      .map((station) => hypothesis(station, against(station, leftOut), stations.length - 1 - leftOut.size));
  };
  return { effects, hypotheses, retest };
}
