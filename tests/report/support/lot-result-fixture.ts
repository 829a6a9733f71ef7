/**
 * Seeded, realistic LotResult for an 800G OSFP DR8 lot (8 lanes × 3 corners × 10 per-lane parameters +
 * module power), standing in for the evaluation stage while the report stage is built. Limits come from
 * shared/domain/transceiver-test.md §2.2/§7.2. The numbers are plausible, self-consistent fixture data
 * (summary, chart, histogram and failures agree with the simulated values); they are NOT reference
 * statistics and no report test treats them as such.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { mean, sampleStandardDeviation, quantileSorted, median } from 'simple-statistics';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import {
  LotResult,
  type CellResult,
  type Disposition,
  type Reason,
  type SignalView,
  type UnitFailure,
  type UnitResult,
} from '../../../src/domain/lot-result.js';
import type { DecisionRecord, CertificateContext } from '../../../src/domain/decision.js';
import { laneName, lanePhrase } from '../../../src/domain/lanes.js';
import { resultSha256, sha256Hex } from '../../../src/report/result-hash.js';

const RULE_NAMES: Record<number, string> = { 1: 'One point beyond 3σ', 2: 'Nine points in a row on one side of the centre line' };

interface ParamDef {
  id: string;
  name: string;
  unit: string;
  lsl: number | null;
  lslExpr?: string;
  usl: number | null;
  informativeLsl?: boolean;
  critical: boolean;
  mu: number;
  sd: number;
  module?: boolean;
  /** Per-corner offset of the mean (cold, room, hot). */
  cornerShift: [number, number, number];
}

const PARAMS: ParamDef[] = [
  {
    id: 'tx_wavelength',
    name: 'Centre wavelength',
    unit: 'nm',
    lsl: 1304.5,
    usl: 1317.5,
    critical: true,
    mu: 1311,
    sd: 1.1,
    cornerShift: [-0.5, 0, 0.6],
  },
  {
    id: 'tx_smsr',
    name: 'Side-mode suppression ratio',
    unit: 'dB',
    lsl: 30,
    usl: null,
    critical: false,
    mu: 40,
    sd: 1.8,
    cornerShift: [0.3, 0, -0.8],
  },
  {
    id: 'tx_avg_power',
    name: 'Average launch power',
    unit: 'dBm',
    lsl: -2.9,
    informativeLsl: true,
    usl: 4.0,
    critical: true,
    mu: 1.2,
    sd: 0.35,
    cornerShift: [0.2, 0, -0.4],
  },
  { id: 'tx_oma_outer', name: 'OMAouter', unit: 'dBm', lsl: -0.8, usl: 4.2, critical: true, mu: 1.9, sd: 0.4, cornerShift: [0.2, 0, -0.5] },
  {
    id: 'tx_oma_minus_tdecq',
    name: 'OMAouter minus TDECQ',
    unit: 'dBm',
    lsl: null,
    lslExpr: 'if(tx_er >= 5, -2.2, -1.9)',
    usl: null,
    critical: true,
    mu: 0.1,
    sd: 0.45,
    cornerShift: [0.1, 0, -0.4],
  },
  { id: 'tx_tdecq', name: 'TDECQ', unit: 'dB', lsl: null, usl: 3.4, critical: true, mu: 1.8, sd: 0.3, cornerShift: [-0.1, 0, 0.45] },
  {
    id: 'tx_er',
    name: 'Extinction ratio',
    unit: 'dB',
    lsl: 3.5,
    usl: null,
    critical: true,
    mu: 5.2,
    sd: 0.35,
    cornerShift: [0.2, 0, -0.3],
  },
  { id: 'tx_rin', name: 'RIN15.5OMA', unit: 'dB/Hz', lsl: null, usl: -136, critical: false, mu: -145, sd: 1.6, cornerShift: [0, 0, 1] },
  {
    id: 'tx_off_power',
    name: 'TX OFF power',
    unit: 'dBm',
    lsl: null,
    usl: -15,
    critical: false,
    mu: -35,
    sd: 2.5,
    cornerShift: [0, 0, 0.5],
  },
  {
    id: 'rx_sensitivity',
    name: 'Receiver sensitivity (OMAouter)',
    unit: 'dBm',
    lsl: null,
    usl: -4.4,
    critical: true,
    mu: -6.8,
    sd: 0.4,
    cornerShift: [0, 0, 0.3],
  },
  {
    id: 'module_power',
    name: 'Module power dissipation',
    unit: 'W',
    lsl: null,
    usl: 17,
    critical: true,
    mu: 14.2,
    sd: 0.45,
    module: true,
    cornerShift: [-0.3, 0, 0.9],
  },
];

const CORNERS = [
  { id: 'cold', name: 'Cold (0 °C)', caseTemperatureC: 0 },
  { id: 'room', name: 'Room (25 °C)', caseTemperatureC: 25 },
  { id: 'hot', name: 'Hot (70 °C)', caseTemperatureC: 70 },
];

export interface FixtureOptions {
  readonly seed?: number;
  readonly units?: number;
  readonly lot?: string;
  readonly revision?: number;
  readonly disposition?: Disposition;
  /** Lanes (8 for DR8). */
  readonly lanes?: number;
  /** Only the first n per-lane parameters (module power is always kept). */
  readonly parameters?: number;
  /** Override one serial (e.g. a 500-character one) to exercise text safety. */
  readonly oddSerial?: string;
  readonly withBaseline?: boolean;
  /** The policy's PAT outlier action the result is evaluated under. @defaultValue 'exclude-units' */
  readonly patAction?: 'exclude-units' | 'hold-lot' | 'report-only';
}

const DECIMALS: Record<string, number> = { nm: 2, dB: 2, dBm: 2, W: 2, 'dB/Hz': 1 };

export const FIXTURE_STATIONS = ['ATE-SZ-03', 'ATE-SZ-07'];

/** Build the fixture LotResult. Same options → same result (and same SHA-256). */
export function buildLotResult(options: FixtureOptions = {}): LotResult {
  const seed = options.seed ?? 20240611;
  const nUnits = options.units ?? 200;
  const lanes = options.lanes ?? 8;
  const lot = options.lot ?? 'L24-0611-A';
  const revision = options.revision ?? 1;
  const withBaseline = options.withBaseline ?? true;
  const params = [...PARAMS.filter((p) => !p.module).slice(0, options.parameters ?? 10), ...PARAMS.filter((p) => p.module)];
  const rng = xoroshiro128plus(seed);
  const u = (): number => uniformFloat64(rng);
  const gauss = (): number => {
    const a = Math.max(u(), 1e-12);
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
  };

  const serials = Array.from({ length: nUnits }, (_, i) => `DR8-24A${String(i + 1).padStart(5, '0')}`);
  if (options.oddSerial !== undefined && serials.length > 5) serials[5] = options.oddSerial;
  const stationOf = serials.map((_, i) => FIXTURE_STATIONS[i % 2] as string);
  const t0 = Date.UTC(2024, 5, 10, 6, 0, 0);
  const testTime = serials.map((_, i) => new Date(t0 + i * 97_000).toISOString());

  const cells: CellResult[] = [];
  const unitFailures = new Map<number, UnitFailure[]>();
  const patUnits = new Set<number>();
  const investigations: Reason[] = [];
  const laneSpread: LotResult['laneSpread'] = [];
  const paretoMap = new Map<string, { parameter: string; corner: string; lane: number | null; units: number }>();
  const reasons: Reason[] = [];

  params.forEach((p, pi) => {
    CORNERS.forEach((corner, ci) => {
      const laneList: (number | null)[] = p.module ? [null] : Array.from({ length: lanes }, (_, l) => l);
      const laneMeans: (number | null)[] = [];
      for (const lane of laneList) {
        const laneOffset = lane === null ? 0 : (((lane * 37 + pi * 11) % 7) - 3) * 0.06 * p.sd;
        const mu = p.mu + p.cornerShift[ci]! + laneOffset;
        const values = serials.map(() => mu + p.sd * gauss());
        // Injected process events, so the reports have something to show.
        if (p.id === 'tx_avg_power' && corner.id === 'hot' && lane === 3) {
          for (let i = Math.floor(nUnits * 0.6); i < nUnits; i++) values[i] = values[i]! + 1.3 * p.sd; // late shift
        }
        if (p.id === 'tx_tdecq' && corner.id === 'hot' && lane === 5) {
          values[Math.floor(nUnits * 0.3)] = 3.62; // one unit beyond USL
          values[Math.floor(nUnits * 0.7)] = 3.51;
        }
        if (p.id === 'tx_er' && corner.id === 'room' && lane === 1) values[Math.floor(nUnits * 0.45)] = mu - 5.2 * p.sd;
        // A PAT outlier inside the spec: SMSR 9σ above its mean (no upper limit), so the unit passes its final test.
        if (p.id === 'tx_smsr' && corner.id === 'room' && lane === 1) values[Math.floor(nUnits * 0.55)] = mu + 9 * p.sd;
        const sorted = [...values].sort((a, b) => a - b);
        const m = mean(values);
        const s = sampleStandardDeviation(values);
        laneMeans.push(m);
        let mrSum = 0;
        for (let i = 1; i < values.length; i++) mrSum += Math.abs(values[i]! - values[i - 1]!);
        const mrBar = mrSum / (values.length - 1);
        const sigmaW = mrBar / 1.128;
        const ucl = m + 3 * sigmaW;
        const lcl = m - 3 * sigmaW;
        const signals: SignalView[] = [];
        const beyond = values.map((v, i) => (v > ucl || v < lcl ? i : -1)).filter((i) => i >= 0);
        for (const i of beyond.slice(0, 20)) {
          signals.push({
            rule: 1,
            direction: values[i]! > ucl ? 'up' : 'down',
            indices: [i],
          });
        }
        let run = 0;
        let side = 0;
        for (let i = 0; i < values.length; i++) {
          const sd = Math.sign(values[i]! - m);
          run = sd === side ? run + 1 : 1;
          side = sd;
          if (run === 9) {
            const idx = Array.from({ length: 9 }, (_, k) => i - 8 + k);
            signals.push({
              rule: 2,
              direction: side > 0 ? 'up' : 'down',
              indices: idx,
            });
          }
        }
        const lslVal = p.lsl;
        const lslEff = p.lslExpr ? -2.2 : lslVal;
        let failures = 0;
        values.forEach((v, i) => {
          const below = lslEff !== null && !p.informativeLsl && v < lslEff;
          const above = p.usl !== null && v > p.usl;
          if (below || above) {
            failures++;
            const list = unitFailures.get(i) ?? [];
            list.push({
              parameter: p.id,
              corner: corner.id,
              lane,
              value: v,
              limit: below ? lslEff : p.usl,
              side: below ? 'below-lsl' : 'above-usl',
            });
            unitFailures.set(i, list);
          }
        });
        if (failures > 0) {
          const k = `${p.id}|${corner.id}|${lane}`;
          paretoMap.set(k, { parameter: p.id, corner: corner.id, lane, units: failures });
        }
        const nb = Math.max(8, Math.min(40, Math.ceil(Math.log2(values.length) + 1) * 2));
        const lo = sorted[0]!;
        const hi = sorted[sorted.length - 1]!;
        const width = (hi - lo) / nb || 1;
        const edges = Array.from({ length: nb + 1 }, (_, k) => lo + k * width);
        const counts = new Array<number>(nb).fill(0);
        for (const v of values) counts[Math.min(nb - 1, Math.floor((v - lo) / width))]!++;
        const cpu = p.usl !== null ? (p.usl - m) / (3 * sigmaW) : null;
        const cpl = lslEff !== null && !p.informativeLsl ? (m - lslEff) / (3 * sigmaW) : null;
        const cpk = cpu !== null && cpl !== null ? Math.min(cpu, cpl) : (cpu ?? cpl);
        const n = values.length;
        const cpkLower = cpk !== null ? cpk - 1.645 * Math.sqrt(1 / (9 * n) + (cpk * cpk) / (2 * (n - 1))) : null;
        const ppk = cpk !== null ? (cpk * sigmaW) / s : null;
        const z = cpk !== null ? 3 * cpk : null;
        const patLower = median(values) - 6 * ((quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25)) / 1.35);
        const patUpper = median(values) + 6 * ((quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25)) / 1.35);
        const patOut = values.map((v, i) => ({ v, i })).filter(({ v }) => v < patLower || v > patUpper);
        for (const { i } of patOut) patUnits.add(i);
        const baseMean = p.mu + p.cornerShift[ci]! + laneOffset;
        const shiftSigma = (m - baseMean) / p.sd;
        const zMean = (m - baseMean) / Math.sqrt((0.2 * p.sd) ** 2 + (p.sd * p.sd) / n);
        const pShift = 2 * (1 - normalCdf(Math.abs(zMean), 0, 1));
        if (signals.length > 0 && lane !== null) {
          const sig = signals[signals.length - 1]!;
          investigations.push({
            code: 'SPC_SIGNAL',
            severity: 'INFO',
            message: `${p.name} at ${corner.id}, ${lanePhrase({}, lane)}: ${RULE_NAMES[sig.rule]}`,
            parameter: p.id,
            corner: corner.id,
            lane,
            laneName: laneName({}, lane),
            rule: `nelson-${sig.rule}`,
            serials: sig.indices.slice(0, 12).map((k) => serials[k]!),
          });
        }
        if (p.id === 'tx_avg_power' && corner.id === 'hot' && lane === 3) {
          reasons.push({
            code: 'SPC_SHIFT',
            severity: 'HOLD',
            // Lane index 3 is the station's channel 4: the message names it as a person does, as evaluate-lot's reasons do.
            message: `Sustained upward shift of average launch power on ${lanePhrase({}, lane)} at 70 °C (Nelson rule 2).`,
            parameter: p.id,
            corner: corner.id,
            lane,
            laneName: laneName({}, lane),
            rule: 'nelson-2',
            serials: signals
              .filter((x) => x.rule === 2)
              .flatMap((x) => x.indices.map((k) => serials[k]!))
              .slice(0, 20),
          });
        }
        cells.push({
          key: { parameter: p.id, corner: corner.id, lane },
          name: p.name,
          unit: p.unit,
          scale: 'linear',
          critical: p.critical,
          lsl: { value: lslVal, expr: p.lslExpr ?? null, informative: p.informativeLsl ?? false },
          usl: { value: p.usl, expr: null, informative: false },
          target: null,
          summary: {
            n,
            censoredBelow: 0,
            censoredAbove: 0,
            mean: m,
            sd: s,
            min: lo,
            max: hi,
            median: median(values),
            q1: quantileSorted(sorted, 0.25),
            q3: quantileSorted(sorted, 0.75),
          },
          failures,
          chart: {
            kind: 'individuals',
            phase: withBaseline ? 'phase-2' : 'phase-1',
            estimator: 'MRbar/d2',
            centre: m,
            sigma: sigmaW,
            lcl,
            ucl,
            points: values,
            unitIndex: null,
            censoredOmitted: 0,
            movingRange: { centre: mrBar, ucl: 3.267 * mrBar },
            ruleSet: 'nelson',
            rules: [1, 2].map((rule) => ({ rule, name: RULE_NAMES[rule]! })),
            signals,
          },
          histogram: { edges, counts },
          capability: {
            n,
            sigmaWithin: sigmaW,
            sigmaOverall: s,
            cp: cpu !== null && cpl !== null ? ((p.usl as number) - (lslEff as number)) / (6 * sigmaW) : null,
            cpLower: null,
            cpk,
            cpkLower,
            cpkUpper: cpk !== null ? 2 * cpk - (cpkLower as number) : null,
            cpm: null,
            pp: null,
            ppk,
            ppmWithin: z !== null ? (1 - normalCdf(z, 0, 1)) * 1e6 : null,
            ppmOverall: null,
            ppmObserved: (failures / n) * 1e6,
            confidence: 0.95,
            normality: { a2: 0.31, a2Adjusted: 0.31, p: 0.55 },
            governing: 'normal',
            percentile: null,
            note: null,
          },
          consistency: withBaseline
            ? {
                baselineMean: baseMean,
                baselineSigma: p.sd,
                meanShiftSigma: shiftSigma,
                meanShiftZ: zMean,
                meanShiftP: pShift,
                varianceRatio: (s * s) / (p.sd * p.sd),
                varianceP: 0.42,
                welch: null,
                fTest: null,
                brownForsythe: null,
                ks: null,
                tost: { margin: 0.5, p: 0.01, equivalent: Math.abs(shiftSigma) < 0.3 },
              }
            : null,
          pat: {
            lower: patLower,
            upper: patUpper,
            kind: 'dynamic',
            outliers: patOut.map(({ v, i }) => ({ serial: serials[i]!, value: v })),
          },
          notes: [],
        });
      }
      laneSpread.push({
        parameter: p.id,
        corner: corner.id,
        laneMeans,
        laneRange: laneMeans.length > 1 ? Math.max(...(laneMeans as number[])) - Math.min(...(laneMeans as number[])) : null,
        unitSpreadMedian: null,
        unitSpreadMax: null,
      });
    });
  });

  const units: UnitResult[] = serials.map((serial, i) => {
    const f = unitFailures.get(i) ?? [];
    const retested = f.length === 0 && i % 41 === 7;
    return {
      serial,
      station: stationOf[i]!,
      attempts: retested ? 2 : 1,
      firstPass: f.length > 0 || retested ? 'fail' : 'pass',
      final: f.length > 0 ? 'fail' : 'pass',
      failures: f,
      firstPassFailures: f.length + (retested ? 1 : 0),
      patOutlier: patUnits.has(i),
      finalTestTime: testTime[i]!,
    };
  });
  // What a certificate covers, computed the way src/evaluate/certified-units.ts defines it.
  const patAction = options.patAction ?? 'exclude-units';
  const certifiedIdx = units.map((x) => x.final === 'pass' && !(patAction === 'exclude-units' && x.patOutlier));
  for (let k = 0; k < cells.length; k++) {
    const c = cells[k]!;
    const vals = c.chart!.points.filter((_, i) => certifiedIdx[i]);
    const expr = c.lsl.expr !== null;
    cells[k] = {
      ...c,
      chart: expr ? { ...c.chart!, limitPoints: { lsl: c.chart!.points.map(() => -2.2), usl: null } } : c.chart,
      decimals: DECIMALS[c.unit]!,
      certified: {
        n: vals.length,
        censoredBelow: 0,
        censoredAbove: 0,
        mean: vals.length > 0 ? mean(vals) : null,
        sd: vals.length > 1 ? sampleStandardDeviation(vals) : null,
        min: vals.length > 0 ? Math.min(...vals) : null,
        max: vals.length > 0 ? Math.max(...vals) : null,
        lslRange: expr ? { min: -2.2, max: -2.2 } : null,
        uslRange: null,
      },
    };
  }
  const finalPassed = units.filter((x) => x.final === 'pass').length;
  const firstPassPassed = units.filter((x) => x.firstPass === 'pass').length;
  const files = serials.map((s) => sha256Hex(`${seed}:${s}`));
  const contentHash = sha256Hex([...files].sort().join('\n'));
  const disposition = options.disposition ?? 'ACCEPT';
  if (finalPassed < nUnits) {
    reasons.push({
      code: 'UNITS_REJECTED',
      severity: 'INFO',
      message: `${nUnits - finalPassed} units failed their final test and are removed from the lot.`,
      serials: units.filter((x) => x.final === 'fail').map((x) => x.serial),
    });
  }
  for (const pu of patUnits) {
    investigations.push({
      code: 'PAT_OUTLIER',
      severity: 'INFO',
      message: 'Unit inside spec but outside dynamic PAT limits',
      serials: [serials[pu]!],
    });
  }

  const result: LotResult = {
    kind: 'lotqa/lot-result',
    schemaVersion: 1,
    lotqaVersion: '0.1.0',
    lot,
    revision,
    contentHash,
    fileHashes: files,
    product: {
      productId: 'osfp-800g-dr8',
      partNumber: 'LQ-OSFP-800G-DR8',
      description: '800G OSFP DR8 transceiver, 8 × 100G PAM4, 1310 nm, 500 m',
      formFactor: 'OSFP',
      specVersion: '2024.1',
      laneCount: lanes,
      corners: CORNERS,
      standards: [
        { id: 'IEEE 802.3df-2024', title: '800GBASE-DR8 physical medium dependent sublayer' },
        { id: 'OSFP MSA 5.0', title: 'OSFP module specification' },
        { id: 'CMIS 5.2', title: 'Common Management Interface Specification' },
      ],
    },
    policy: { id: 'default', version: '3' },
    baseline: withBaseline ? { version: 4, createdAt: '2024-05-30T12:00:00.000Z', lots: ['L24-0520-A', 'L24-0524-B', 'L24-0528-A'] } : null,
    quantity: {
      units: nUnits,
      runs: nUnits + units.filter((x) => x.attempts > 1).length,
      files: files.length,
      quarantinedRows: 2,
      firstTestTime: testTime[0] ?? null,
      lastTestTime: testTime[testTime.length - 1] ?? null,
      stations: FIXTURE_STATIONS,
    },
    yields: { firstPass: firstPassPassed / nUnits, final: finalPassed / nUnits, firstPassPassed, finalPassed, indeterminate: 0 },
    sampling: {
      mode: '100%',
      standard: null,
      description: '100 % final test of every unit at three case temperatures',
      severity: null,
      codeLetter: null,
      sampleSize: nUnits,
      acceptanceNumber: null,
      rejectionNumber: null,
      nonconforming: nUnits - finalPassed,
      verdict: 'accept',
      detail: ['Every unit tested at 0, 25 and 70 °C on all 8 lanes'],
    },
    cells,
    units,
    pareto: [...paretoMap.values()].sort((a, b) => b.units - a.units),
    stations: FIXTURE_STATIONS.map((st) => {
      const mine = units.filter((x) => x.station === st);
      return {
        station: st,
        units: mine.length,
        firstPassYield: mine.filter((x) => x.firstPass === 'pass').length / mine.length,
        finalYield: mine.filter((x) => x.final === 'pass').length / mine.length,
      };
    }),
    laneSpread,
    investigations,
    family: { tests: cells.length, alpha: 0.0027, correction: 'none' },
    proposal: { disposition, reasons },
    notes: ['Fixture data for report development'],
    certification: {
      patAction,
      units: certifiedIdx.filter(Boolean).length,
      excludedPatOutliers: units.filter((x) => x.final === 'pass' && x.patOutlier && patAction === 'exclude-units').length,
    },
  };
  return result;
}

/** A decision about exactly this result. */
export function decisionFor(result: LotResult, disposition: Disposition = 'ACCEPT', decidedBy = 'A. Engineer'): DecisionRecord {
  return {
    lot: result.lot,
    revision: result.revision,
    disposition,
    decidedBy,
    decidedKind: 'engineer',
    decidedAt: '2024-06-12T09:30:00.000Z',
    reason: disposition === 'ACCEPT' ? 'Lane 3 hot shift reviewed: within baseline band, laser bias trimmed on line 2.' : 'Held for review',
    resultSha256: resultSha256(result),
    specVersion: result.product.specVersion,
    policyVersion: result.policy.version,
    baselineVersion: result.baseline?.version ?? null,
  };
}

export const FIXTURE_CONTEXT: CertificateContext = {
  company: { name: 'Lumen Photonics Manufacturing Co., Ltd.', address: ['88 Optics Park Road', 'Shenzhen 518000, China'], logoPath: null },
  customer: 'Hyperscale Networks Inc.',
  purchaseOrder: 'PO-7731-0042',
  showStations: false,
};

/** Validate against the TypeBox schema (the source of truth of schemas/lot-result.schema.json). */
export function lotResultErrors(value: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(LotResult);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
