/**
 * @module Station effects — within one lot, each test station against the others, per critical parameter ×
 * corner, so a quality engineer can tell a tester problem from a product shift.
 *
 * Per unit the mean over its lanes (each lane divided by its within-lot σ, from the baseline when there is
 * one), grouped by the station of the unit's final attempt. Station s against the rest: d = ū_s − ū_others
 * with Welch's standard error and df (units are independent; lane correlation is inside ū by construction),
 * a minimum-effect t test against the policy margin (maxStationShiftSigma). Needs ≥ 2 stations with
 * ≥ MIN_STATION_UNITS units.
 *
 * A tester's calibration offset is a property of the tester, not of the lot: when the baseline's lots were
 * tested on the same stations, each station's offset there ({@link baselineStationOffsets}) is the known state of
 * that tester, and the lot is judged on how far its stations moved from it. The expected d of station s is
 * o_s − Σ_t w_t o_t (w_t the other stations' shares of the lot's other units, o = 0 for a station the baseline
 * did not see), and its variance Σ (weight² × v_t/n_t) joins Welch's standard error with its own df
 * (Welch–Satterthwaite over the three parts). A station reading 0.5σ high in every baseline lot is then no news;
 * one that moved 1σ since is named as before.
 */
import type { LotHypothesis } from '../acceptance/decide-lot.js';
import type { BaselineStationOffset } from '../domain/baseline.js';
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

/**
 * Per station, the moments of its complete units' lane means (in σ) and of their raw means. A function of
 * its own: compiled while it ran on the first chart (on-stack replacement) inside stationEffects, the loop
 * bailed out on the code after it on every later call (25 times a 10,000-unit lot).
 */
function stationMoments(m: Float64Array, L: number, sigmas: readonly number[], unitStations: readonly string[]): Map<string, Moments> {
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
  return by;
}

export function stationEffects(
  parameter: string,
  corner: string,
  series: readonly CellSeries[],
  sigmas: readonly number[],
  unitStations: readonly string[],
  margin: number,
  known: readonly BaselineStationOffset[] = [],
): StationEffectsResult {
  const knownOf = new Map(known.map((k) => [k.station, k]));
  const L = series.length;
  const m = laneMatrix(series, sigmas, unitStations.length);
  const by = stationMoments(m, L, sigmas, unitStations);
  const stations = [...by.keys()].sort();
  const judged = stations.filter((st) => by.get(st)!.n >= MIN_STATION_UNITS);
  /** Station against the pooled units of the stations not left out; null when either side is too small. */
  const against = (
    station: string,
    leftOut: ReadonlySet<string>,
  ): { estimate: number; p: number; df: number; standardError: number; expected: number | null } | null => {
    const g = by.get(station)!;
    const o = { n: 0, sum: 0, sq: 0 };
    const others: [string, number][] = [];
    for (const [st, x] of by)
      if (st !== station && !leftOut.has(st)) {
        o.n += x.n;
        o.sum += x.sum;
        o.sq += x.sq;
        others.push([st, x.n]);
      }
    if (g.n < MIN_STATION_UNITS || o.n < MIN_STATION_UNITS) return null;
    const mean = (x: { n: number; sum: number }): number => x.sum / x.n;
    const variance = (x: { n: number; sum: number; sq: number }): number => Math.max(0, (x.sq - (x.sum * x.sum) / x.n) / (x.n - 1));
    // The known state: o_s − Σ w_t o_t, with the variance of that estimate and its df (baseline units − 1).
    let expected = 0;
    let c = 0;
    let cDen = 0;
    const part = (st: string, weight: number): void => {
      const k = knownOf.get(st);
      if (k === undefined || !(k.units >= 2)) return;
      expected += weight * k.offset;
      const v = (weight * weight * k.variance) / k.units;
      c += v;
      cDen += (v * v) / (k.units - 1);
    };
    part(station, 1);
    for (const [st, n] of others) part(st, -n / o.n);
    const estimate = mean(g) - mean(o) - expected;
    const a = variance(g) / g.n;
    const b = variance(o) / o.n;
    const se = Math.sqrt(a + b + c);
    const df = a + b + c > 0 ? (a + b + c) ** 2 / ((a * a) / (g.n - 1) + (b * b) / (o.n - 1) + cDen) : g.n + o.n - 2;
    return {
      estimate,
      p: minimumEffectTP(estimate, se, margin, df),
      df,
      standardError: se,
      expected: knownOf.size > 0 ? expected : null,
    };
  };
  const hypothesis = (
    station: string,
    t: { estimate: number; p: number; df: number; standardError: number; expected: number | null } | null,
    others: number,
  ): LotHypothesis => ({
    ...(t && t.expected !== null ? { stationBaselineOffset: t.expected } : {}),
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
    effects.push({
      station,
      units: g.n,
      mean: g.raw / g.n,
      againstOthersSigma: t === null ? null : t.estimate + (t.expected ?? 0),
    });
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

/** One baseline lot's standardised lane matrix (units × lanes, NaN where left out) and its units' stations. */
export interface BaselineStationLot {
  readonly matrix: Float64Array;
  readonly lanes: number;
  readonly unitStations: readonly string[];
}

/**
 * Each station's offset over the baseline lots: per lot, every complete unit's mean over lanes minus the lot's
 * mean of those, averaged over the station's units of all lots; `variance` the pooled variance of the unit
 * statistic about its station's mean within each lot (so the offset's standard error is √(variance/units)).
 * Empty when the lots were tested on fewer than 2 stations (nothing to compare).
 */
export function baselineStationOffsets(lots: readonly BaselineStationLot[]): BaselineStationOffset[] {
  const acc = new Map<string, { n: number; sum: number; ss: number; groups: number }>();
  for (const { matrix, lanes: L, unitStations } of lots) {
    const x: number[] = [];
    const st: string[] = [];
    for (let u = 0; u < unitStations.length; u++) {
      let sum = 0;
      let complete = true;
      for (let l = 0; l < L; l++) {
        const v = matrix[u * L + l]!;
        if (!Number.isFinite(v)) {
          complete = false;
          break;
        }
        sum += v;
      }
      if (!complete) continue;
      x.push(sum / L);
      st.push(unitStations[u]!);
    }
    if (x.length === 0) continue;
    const lotMean = x.reduce((a, v) => a + v, 0) / x.length;
    const groups = new Map<string, number[]>();
    x.forEach((v, i) => groups.set(st[i]!, [...(groups.get(st[i]!) ?? []), v]));
    for (const [station, values] of groups) {
      const m = values.reduce((a, v) => a + v, 0) / values.length;
      const a = acc.get(station) ?? { n: 0, sum: 0, ss: 0, groups: 0 };
      a.n += values.length;
      a.sum += values.reduce((s, v) => s + (v - lotMean), 0);
      a.ss += values.reduce((s, v) => s + (v - m) ** 2, 0);
      a.groups++;
      acc.set(station, a);
    }
  }
  if (acc.size < 2) return [];
  return [...acc.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .filter(([, a]) => a.n - a.groups >= 1)
    .map(([station, a]) => ({ station, units: a.n, offset: a.sum / a.n, variance: a.ss / (a.n - a.groups) }));
}
