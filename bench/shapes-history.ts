/**
 * @module An independent synthetic factory history, shaped like real ATE data rather than like our generator
 * (issue 14, "your generator is not the factory").
 *
 * Deliberately shares nothing with src/sim: its own random numbers, its own healthy process (a table of
 * means and spreads per parameter written from typical DR4 module data, not derived from the spec's
 * capability), its own lot structure, and one switch per departure from the textbook that a real line
 * shows. Every shape is HEALTHY: all units are in spec with high probability and the process does not move
 * beyond its own lot-to-lot history; a lot held on such data is a false alarm.
 *
 * Healthy process (all shapes): per lot a lot-wide offset N(0, 0.15σ) per parameter (all corners and lanes)
 * and an independent lane × lot offset N(0, 0.1σ) per parameter × lane; per unit and lane a "laser" effect
 * shared by the corners (correlation 0.6 between corners); readings at the station's resolution of 0.001.
 */
import type { ProductSpec } from '../src/domain/product-spec.js';
import { parameterCorners } from '../src/domain/spec-limits.js';
import { CENSOR_BELOW, CENSOR_NONE, MODULE_LANE, type LotData, type LotRun } from '../src/domain/lot-data.js';

/** One departure from normal, independent, evenly-measured data. */
export const SHAPES = [
  'reference',
  'skewed',
  'skewed-near-limit',
  'heavy-tails',
  'in-spec-outliers',
  'censored',
  'quantised',
  'heteroscedastic-lanes',
  'correlated-lanes',
  'correlated-parameters',
  'station-offsets',
  'within-lot-drift',
  'out-of-serial-order',
  'retests',
  'everything',
  'correlated-lane-lot',
] as const;
export type Shape = (typeof SHAPES)[number];

export const SHAPE_WORDS: Record<Shape, string> = {
  reference: 'normal, independent, no departures (the control)',
  skewed: 'TDECQ lognormal (σ_log 0.35, bounded below), ER gamma (shape 6)',
  'skewed-near-limit': 'ER gamma (shape 3, bounded 1.5σ above its LSL): normal-theory Cpk ≈ 1.1 at the hot corner, no unit can fail',
  'heavy-tails': 'every reading t with 4 df (scaled to the same σ, truncated at ±4.5σ)',
  'in-spec-outliers': '1 % of units carry one reading 4–5σ out, still in spec',
  censored: 'RX sensitivity below the instrument floor (μ − 0.8σ, ≈ 21 %) written as "<floor"',
  quantised: 'every reading at 0.1 resolution (σ of ICC 0.12 A, ER 0.25 dB: many ties)',
  'heteroscedastic-lanes': 'lane σ ×0.7, 1, 1, 1.4',
  'correlated-lanes': 'unit effect shared by the lanes of a module, ρ = 0.6',
  'correlated-parameters': 'TX power and OMA of a lane correlated ρ = 0.8 (same laser)',
  'station-offsets': '4 stations, fixed offsets N(0, 0.2σ) per station × parameter',
  'within-lot-drift': 'AR(1) φ = 0.5 in test order plus a 0.3σ ramp over the lot',
  'out-of-serial-order': 'serials tested in shuffled order, AR(1) φ = 0.3 in test order',
  retests: '5 % of units retested after a bad-contact first attempt (TX power −8 dBm)',
  everything: 'all of the above together',
  'correlated-lane-lot':
    'lane × lot offsets of TX power, OMA, TDECQ and ER move together (ρ = 0.7; TDECQ against the others), not part of everything',
};

/** Parameters whose lane × lot offsets share one factor under `correlated-lane-lot`, with the factor's sign. */
const LANE_LOT_FACTOR: Record<string, number> = { tx_avg_power: 1, tx_oma_outer: 1, tx_er: 1, tx_tdecq: -1 };
/** Correlation of two of those parameters' lane × lot offsets. */
const LANE_LOT_RHO = 0.7;

/** The healthy process of one measured parameter at the room corner, in its unit. */
interface ParameterProcess {
  readonly mean: number;
  readonly sigma: number;
  /** Change of the mean per °C away from 25 °C. */
  readonly perDegree: number;
}

/**
 * Typical values of a 400G DR4 module (room corner), chosen by hand: Cpk 1.8–2.4 against the product's
 * limits, temperature slopes of the size a datasheet shows. Parameters not listed get a neutral process
 * centred between their limits.
 */
const DR4_PROCESS: Record<string, ParameterProcess> = {
  tx_avg_power: { mean: 0.9, sigma: 0.45, perDegree: -0.008 },
  tx_oma_outer: { mean: 2.2, sigma: 0.35, perDegree: -0.004 },
  tx_tdecq: { mean: 1.7, sigma: 0.25, perDegree: 0.002 },
  tx_er: { mean: 5.2, sigma: 0.25, perDegree: -0.005 },
  tx_wavelength: { mean: 1310.5, sigma: 0.8, perDegree: 0.06 },
  tx_smsr: { mean: 42, sigma: 1.5, perDegree: -0.02 },
  rx_sensitivity_oma: { mean: -7.6, sigma: 0.45, perDegree: 0.006 },
  module_power: { mean: 9.4, sigma: 0.4, perDegree: 0.01 },
  icc: { mean: 2.8, sigma: 0.12, perDegree: 0.001 },
};

/** mulberry32 with Box–Muller: small, seeded, and not the product's SeededRandom. */
export class ShapesRandom {
  private state: number;
  private spare: number | null = null;
  constructor(seed: string) {
    let h = 2166136261;
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
    this.state = h >>> 0;
  }
  uniform(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const a = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(a);
    return r * Math.cos(a);
  }
  /** Marsaglia–Tsang gamma(shape, 1), shape ≥ 1. */
  gamma(shape: number): number {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      const u = this.uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }
  integer(lo: number, hi: number): number {
    return lo + Math.floor(this.uniform() * (hi - lo + 1));
  }
}

export interface ShapedHistoryOptions {
  readonly spec: ProductSpec;
  readonly shape: Shape;
  readonly seed: string;
  readonly lots: number;
  readonly units: number;
}

const has = (shape: Shape, s: Shape): boolean => shape === s || shape === 'everything';

/**
 * Standardised deviate (mean 0, variance 1) of one reading with the shape's distribution, from a
 * standard-normal driver x (which carries the unit and corner correlation).
 */
function deviate(r: ShapesRandom, shape: Shape, parameter: string, x: number): number {
  if (has(shape, 'skewed') && parameter === 'tx_tdecq') {
    const s = 0.35;
    return (Math.exp(s * x) - Math.exp((s * s) / 2)) / Math.sqrt((Math.exp(s * s) - 1) * Math.exp(s * s));
  }
  if (shape === 'skewed-near-limit' && parameter === 'tx_er') {
    const k = 3;
    const g = k * (1 - 1 / (9 * k) + x * Math.sqrt(1 / (9 * k))) ** 3;
    return (g - k) / Math.sqrt(k);
  }
  if (has(shape, 'skewed') && parameter === 'tx_er') {
    // Gamma(6) through its normal driver's probability (a Wilson–Hilferty inverse): skewed right, mean 0, sd 1.
    const k = 6;
    const g = k * (1 - 1 / (9 * k) + x * Math.sqrt(1 / (9 * k))) ** 3;
    return (g - k) / Math.sqrt(k);
  }
  if (has(shape, 'heavy-tails')) {
    // t₄ = x / √(χ²₄/4), variance 2: scaled back to variance 1, and truncated at ±4.5σ (redrawn beyond):
    // untruncated, one reading in ~700 lies beyond 6σ and ~5 % of units fail a limit — not a healthy line.
    for (;;) {
      let chi = 0;
      for (let i = 0; i < 4; i++) chi += r.normal() ** 2;
      const t = x / Math.sqrt(chi / 4) / Math.SQRT2;
      if (Math.abs(t) <= 4.5) return t;
    }
  }
  return x;
}

/** A healthy product history of `lots` lots, each of `units` units, in the given shape. */
export function shapedHistory(o: ShapedHistoryOptions): LotData[] {
  const { spec, shape } = o;
  const r = new ShapesRandom(`${o.seed}|${shape}`);
  const measured = spec.parameters.filter((p) => p.derived === undefined);
  const corners = spec.corners;
  const L = spec.laneCount;
  const processOf = (id: string): ParameterProcess => {
    // ER's mean 3.3σ above its LSL of 3.5 dB at the hot corner: a normal-theory Cpk of 1.1, while the gamma's
    // lower bound (mean − 1.73σ) stays 1.57σ inside the limit.
    if (shape === 'skewed-near-limit' && id === 'tx_er') return { mean: 3.5 + 3.3 * 0.25 + 0.005 * 45, sigma: 0.25, perDegree: -0.005 };
    const known = DR4_PROCESS[id];
    if (known) return known;
    const p = spec.parameters.find((x) => x.id === id)!;
    const lo = typeof p.lsl === 'number' ? p.lsl : null;
    const hi = typeof p.usl === 'number' ? p.usl : null;
    const mean = lo !== null && hi !== null ? (lo + hi) / 2 : lo !== null ? lo + 6 : hi !== null ? hi - 6 : 0;
    const sigma = lo !== null && hi !== null ? (hi - lo) / 12 : 1;
    return { mean, sigma, perDegree: 0 };
  };
  const stations = has(shape, 'station-offsets') || shape === 'everything' ? ['ATE-01', 'ATE-02', 'ATE-03', 'ATE-04'] : ['ATE-01'];
  // Fixed per history: each lane's own small offset (0.1σ) and each station's calibration offset.
  const laneOffset = new Map<string, number>();
  for (const p of measured) for (let l = 0; l < L; l++) laneOffset.set(`${p.id}|${l}`, 0.1 * r.normal());
  const stationOffset = new Map<string, number>();
  for (const s of stations)
    for (const p of measured) stationOffset.set(`${s}|${p.id}`, has(shape, 'station-offsets') ? 0.2 * r.normal() : 0);
  const laneSigma = has(shape, 'heteroscedastic-lanes') ? [0.7, 1, 1, 1.4, 0.85, 1.2, 1, 0.9].slice(0, L) : Array(L).fill(1);
  const resolution = has(shape, 'quantised') ? 0.1 : 0.001;
  const roundTo = (v: number): number => Math.round(v / resolution) * resolution;
  const censorFloor = has(shape, 'censored') ? processOf('rx_sensitivity_oma').mean - 0.8 * processOf('rx_sensitivity_oma').sigma : null;

  const out: LotData[] = [];
  const start = Date.UTC(2026, 0, 5, 6, 0, 0);
  for (let lotNo = 0; lotNo < o.lots; lotNo++) {
    const lotName = `SH${String(lotNo + 1).padStart(3, '0')}`;
    const lotWide = new Map(measured.map((p) => [p.id, 0.15 * r.normal()]));
    const laneLot = new Map<string, number>();
    // Under correlated-lane-lot a lane's offset in this lot shares a factor over the laser's parameters: the
    // same 0.1σ each, correlation ρ between any two of them.
    // (Drawn only for that shape, so every other shape keeps its random numbers and its earlier results.)
    const laneFactor = shape === 'correlated-lane-lot' ? Array.from({ length: L }, () => r.normal()) : [];
    for (const p of measured)
      for (let l = 0; l < L; l++) {
        const sign = shape === 'correlated-lane-lot' ? (LANE_LOT_FACTOR[p.id] ?? 0) : 0;
        const z = sign === 0 ? r.normal() : sign * Math.sqrt(LANE_LOT_RHO) * laneFactor[l]! + Math.sqrt(1 - LANE_LOT_RHO) * r.normal();
        laneLot.set(`${p.id}|${l}`, 0.1 * z);
      }
    // Test order: serial order, or shuffled.
    const order = Array.from({ length: o.units }, (_, i) => i);
    if (has(shape, 'out-of-serial-order'))
      for (let i = order.length - 1; i > 0; i--) {
        const j = r.integer(0, i);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
    const phi = has(shape, 'within-lot-drift') ? 0.5 : has(shape, 'out-of-serial-order') ? 0.3 : 0;
    const ramp = has(shape, 'within-lot-drift') ? 0.3 : 0;
    const ar = new Map<string, number>();
    const rows: { run: number; p: number; c: number; lane: number; v: number; cens: number }[] = [];
    const runs: (LotRun & { key: string })[] = [];
    const pIndex = new Map(measured.map((p, i) => [p.id, i]));
    const cIndex = new Map(corners.map((c, i) => [c.id, i]));
    order.forEach((serialNo, position) => {
      const serial = `${lotName}-${String(serialNo + 1).padStart(4, '0')}`;
      const station = stations[r.integer(0, stations.length - 1)]!;
      const retest = has(shape, 'retests') && r.uniform() < 0.05;
      const attempts = retest ? 2 : 1;
      // Per unit: the laser effect of each lane (shared by corners), with the module's share when lanes correlate.
      const laneRho = has(shape, 'correlated-lanes') ? 0.6 : 0;
      const moduleZ = new Map(measured.map((p) => [p.id, r.normal()]));
      const unitZ = new Map<string, number>();
      for (const p of measured)
        for (let l = 0; l < L; l++)
          unitZ.set(`${p.id}|${l}`, Math.sqrt(laneRho) * moduleZ.get(p.id)! + Math.sqrt(1 - laneRho) * r.normal());
      if (has(shape, 'correlated-parameters'))
        for (let l = 0; l < L; l++)
          unitZ.set(`tx_oma_outer|${l}`, 0.8 * unitZ.get(`tx_avg_power|${l}`)! + 0.6 * unitZ.get(`tx_oma_outer|${l}`)!);
      const outlier = has(shape, 'in-spec-outliers') && r.uniform() < 0.01 ? measured[r.integer(0, measured.length - 1)]!.id : null;
      const outlierSign = r.uniform() < 0.5 ? -1 : 1;
      const outlierSize = 4 + r.uniform();
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const runNo = runs.length;
        const time = new Date(start + lotNo * 86_400_000 + (position * 60 + (attempt - 1) * 30) * 1000).toISOString();
        runs.push({
          key: serial,
          serial,
          station,
          testTime: time,
          declaredAttempt: attempt,
          attempt,
          fileSha256: `${o.seed}-${shape}-${lotName}-${serial}-${attempt}`.padEnd(64, '0').slice(0, 64),
          operator: null,
        });
        const badContact = retest && attempt === 1;
        for (const p of measured) {
          const proc = processOf(p.id);
          for (const corner of parameterCorners(spec, p.id)) {
            const dT = corner === undefined ? 0 : corners.find((c) => c.id === corner)!.caseTemperatureC - 25;
            const lanes = p.scope === 'lane' ? L : 1;
            for (let l = 0; l < lanes; l++) {
              const key = `${p.id}|${l}`;
              const sig = proc.sigma * (p.scope === 'lane' ? laneSigma[l]! : 1);
              const x = Math.sqrt(0.6) * unitZ.get(key)! + Math.sqrt(0.4) * r.normal();
              let d = deviate(r, shape, p.id, x);
              if (phi > 0) {
                const arKey = `${key}|${corner}`;
                const prev = ar.get(arKey) ?? 0;
                const next = phi * prev + Math.sqrt(1 - phi * phi) * d;
                ar.set(arKey, next);
                d = next;
              }
              if (outlier === p.id && l === 0) d += outlierSign * outlierSize;
              const mean =
                proc.mean +
                proc.perDegree * dT +
                proc.sigma *
                  (lotWide.get(p.id)! +
                    (p.scope === 'lane' ? laneOffset.get(key)! + laneLot.get(key)! : 0) +
                    stationOffset.get(`${station}|${p.id}`)! +
                    ramp * (position / Math.max(1, o.units - 1) - 0.5));
              let v = roundTo(mean + sig * d);
              if (badContact && p.id === 'tx_avg_power') v = -8;
              let cens = CENSOR_NONE;
              if (censorFloor !== null && p.id === 'rx_sensitivity_oma' && v < censorFloor) {
                v = Math.round(censorFloor * 10) / 10;
                cens = CENSOR_BELOW;
              }
              rows.push({ run: runNo, p: pIndex.get(p.id)!, c: cIndex.get(corner)!, lane: p.scope === 'lane' ? l : MODULE_LANE, v, cens });
            }
          }
        }
      }
    });
    // LotData wants runs sorted by (serial, attempt).
    const sortedRuns = runs
      .map((x, i) => i)
      .sort((a, b) =>
        runs[a]!.serial < runs[b]!.serial ? -1 : runs[a]!.serial > runs[b]!.serial ? 1 : runs[a]!.attempt - runs[b]!.attempt,
      );
    const newIndex = new Int32Array(runs.length);
    sortedRuns.forEach((old, i) => (newIndex[old] = i));
    out.push({
      lot: lotName,
      productId: spec.productId,
      runs: sortedRuns.map((i) => {
        const { key: _key, ...run } = runs[i]!;
        return run;
      }),
      parameters: measured.map((p) => p.id),
      corners: corners.map((c) => c.id),
      runIndex: Int32Array.from(rows, (x) => newIndex[x.run]!),
      parameterIndex: Uint16Array.from(rows, (x) => x.p),
      cornerIndex: Uint16Array.from(rows, (x) => x.c),
      lane: Int16Array.from(rows, (x) => x.lane),
      value: Float64Array.from(rows, (x) => x.v),
      censoring: Uint8Array.from(rows, (x) => x.cens),
      fileHashes: runs.map((x) => x.fileSha256).sort(),
      quarantinedRows: 0,
    });
  }
  return out;
}
