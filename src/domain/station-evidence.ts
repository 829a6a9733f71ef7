/**
 * @module The station's own verdicts and limits as evidence. A station judges every unit itself
 * (PASS/FAIL per reading, per row or per unit) against limits it was loaded with; lotqa never uses
 * either to judge, but where they disagree with lotqa's judgement or the product spec a quality
 * engineer must know: a station that fails units lotqa passes may be testing against an old limit
 * ("ATE-02 tests ER against 3.5 dB, the spec says 3.6 dB"), or lotqa may be judging the wrong thing.
 *
 * Pure: parsed runs and readings, lotqa's per-unit verdicts and the spec in; the differences out, each
 * with a sentence for a person. Storing the evidence and reporting it per lot follow the store.
 */
import { laneName, type LaneNaming } from './lanes.js';
import type { Verdict } from './lot-result.js';
import { measurementColumns, type MeasurementColumns } from './measurement-columns.js';
import type { Measurement, TestRun } from './measurement.js';
import type { ParameterSpec, ProductSpec } from './product-spec.js';
import { parameterOf, resolveLimits } from './spec-limits.js';

/** The station's verdict on one test run (one attempt of one unit). */
export interface StationRunVerdict {
  readonly serial: string;
  readonly lot: string;
  readonly station: string;
  readonly testTime: string;
  readonly verdict: 'pass' | 'fail';
  /** Where it comes from: the station's unit verdict, or its verdicts on the run's readings (any fail fails). */
  readonly from: 'unit' | 'readings';
  /** Position of the run in its file, when known (the store keeps verdicts by it). */
  readonly run?: number;
}

/** One limit a station tested one parameter against, at a corner and lane, in the canonical unit. */
export interface StationLimit {
  readonly station: string;
  readonly parameter: string;
  readonly corner: string;
  readonly lane: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

/**
 * Whether the spec writes this side of a parameter's limit as an expression (on the parameter or any
 * override): the limit then depends on each unit's own readings, a station's value there cannot be
 * compared with the spec and differs unit by unit, so ingest does not keep it (it would make every
 * file's limit set unique: ~15 KB per file for nothing).
 */
export function specSideIsExpression(p: ParameterSpec, side: 'lsl' | 'usl'): boolean {
  // Asked for every reading with a limit column: answered once per parameter spec.
  let sides = expressionSides.get(p);
  if (sides === undefined) {
    const isExpression = (v: unknown): boolean => v !== undefined && typeof v !== 'number';
    const of = (s: 'lsl' | 'usl'): boolean => isExpression(p[s]) || (p.overrides ?? []).some((o) => isExpression(o[s]));
    sides = { lsl: of('lsl'), usl: of('usl') };
    expressionSides.set(p, sides);
  }
  return sides[side];
}
const expressionSides = new WeakMap<ParameterSpec, { lsl: boolean; usl: boolean }>();

/** The station's verdict per run of a parsed file: its unit verdict, else what its readings' verdicts add up to. */
export function stationRunVerdicts(file: {
  readonly runs: readonly TestRun[];
  readonly measurements: readonly Measurement[];
}): StationRunVerdict[] {
  return stationRunVerdictsOfColumns(file.runs, measurementColumns(file.measurements));
}

/**
 * stationRunVerdicts of a file whose readings are columns (`verdict[i]`: 0 none, 1 pass, 2 fail, of run
 * `run[i]`), without building a reading object each: the store prepares every file's evidence this way.
 */
export function stationRunVerdictsOfColumns(
  runs: readonly TestRun[],
  readings: { readonly length: number; readonly run: ArrayLike<number>; readonly verdict: ArrayLike<number> },
): StationRunVerdict[] {
  // A run fails when any of its readings fails, else passes when one passes.
  const fromReadings = new Map<number, 'pass' | 'fail'>();
  for (let i = 0; i < readings.length; i++) {
    const v = readings.verdict[i];
    const run = readings.run[i]!;
    if ((v === 1 || v === 2) && fromReadings.get(run) !== 'fail') fromReadings.set(run, v === 1 ? 'pass' : 'fail');
  }
  // Each run's verdict: the station's for the unit when it gives one, else the one from its readings.
  const out: StationRunVerdict[] = [];
  runs.forEach((run, i) => {
    const { serial, lot, station, testTime } = run;
    if (run.stationVerdict !== undefined) out.push({ serial, lot, station, testTime, verdict: run.stationVerdict, from: 'unit', run: i });
    else {
      const verdict = fromReadings.get(i);
      if (verdict !== undefined) out.push({ serial, lot, station, testTime, verdict, from: 'readings', run: i });
    }
  });
  return out;
}

/** The distinct limits each station of a parsed file tested against (one entry per station × parameter × corner × lane × limits). */
export function stationLimits(file: { readonly runs: readonly TestRun[]; readonly measurements: readonly Measurement[] }): StationLimit[] {
  return stationLimitsOfColumns(file.runs, measurementColumns(file.measurements));
}

/**
 * stationLimits of a file whose readings are columns (`limitFlags[i]`: 0 none, else bit 1 low absent,
 * bit 2 high absent), without building a reading object each: a 170 MB station file of 10,000 units
 * made 2 million of them (~0.5 GB) when the store prepared its limit set.
 */
export function stationLimitsOfColumns(runs: readonly TestRun[], c: MeasurementColumns): StationLimit[] {
  // Grouped by station, parameter, corner and lane as one number (a key string per reading, with its two
  // limits written as text, was ~0.25 µs a reading); within a group the limits are compared as numbers
  // (finite or null, as ingestion keeps them: equal exactly when their text is).
  const stations = new Map<string, number>();
  const stationIndex = runs.map((r) => stations.get(r.station) ?? stations.set(r.station, stations.size).size - 1);
  const lanes = 32_768;
  const groups = new Map<number, StationLimit[]>();
  const out: StationLimit[] = [];
  for (let i = 0; i < c.length; i++) {
    const flags = c.limitFlags[i]!;
    if (flags === 0) continue;
    const run = c.run[i]!;
    const station = stationIndex[run] ?? -1;
    const key = (((station + 1) * c.parameters.length + c.parameter[i]!) * c.corners.length + c.corner[i]!) * lanes + (c.lane[i]! + 1);
    const low = flags & 2 ? null : c.low[i]!;
    const high = flags & 4 ? null : c.high[i]!;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = []));
    if (group.some((l) => l.low === low && l.high === high)) continue;
    const lane = c.lane[i]!;
    const limit: StationLimit = {
      station: runs[run]?.station ?? '',
      parameter: c.parameters[c.parameter[i]!]!,
      corner: c.corners[c.corner[i]!]!,
      lane: lane === -1 ? null : lane,
      low,
      high,
    };
    group.push(limit);
    out.push(limit);
  }
  return out;
}

/** lotqa's judgement of one unit, as `LotResult.units` holds it. */
export interface UnitJudgement {
  readonly serial: string;
  /** Verdict on the unit's first attempt. */
  readonly firstPass: Verdict;
  /** Verdict on its last attempt. */
  readonly final: Verdict;
}

export interface VerdictDisagreement {
  readonly serial: string;
  readonly station: string;
  readonly testTime: string;
  /** Which of lotqa's verdicts the station's is compared with: the unit's first attempt, or its last. */
  readonly attempt: 'first' | 'final';
  readonly stationSays: 'pass' | 'fail';
  readonly lotqaSays: 'pass' | 'fail';
  readonly message: string;
}

export interface LimitDifference {
  readonly station: string;
  readonly parameter: string;
  readonly side: 'lower' | 'upper';
  readonly stationLimit: number;
  /** The spec's constant limit there; null when the spec has none on that side. */
  readonly specLimit: number | null;
  readonly unit: string;
  /** Where the station used this limit: corners, and lanes (null = a per-module parameter). */
  readonly corners: readonly string[];
  readonly lanes: readonly (number | null)[];
  readonly message: string;
}

export interface StationComparison {
  readonly verdicts: readonly VerdictDisagreement[];
  readonly limits: readonly LimitDifference[];
  /** What could not be compared, and why (a limit the spec writes as an expression, a unit lotqa did not judge). */
  readonly notCompared: readonly string[];
}

/** A limit as a person reads it: up to six significant digits, no trailing zeros. */
const show = (x: number): string => String(Number(x.toPrecision(6)));
const sameLimit = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const upper = (v: 'pass' | 'fail'): string => v.toUpperCase();

/**
 * Where the station's verdicts disagree with lotqa's and its limits with the spec's. A unit's runs are
 * ordered by test time: the first is compared with lotqa's first-pass verdict, the last with its final
 * verdict (a single run with both). lotqa's 'indeterminate' is not a disagreement (listed as not compared).
 */
export function compareWithStation(input: {
  readonly spec: ProductSpec;
  readonly runs: readonly StationRunVerdict[];
  readonly units: readonly UnitJudgement[];
  readonly limits: readonly StationLimit[];
}): StationComparison {
  const { spec } = input;
  const notCompared: string[] = [];
  const verdicts: VerdictDisagreement[] = [];
  const bySerial = new Map<string, StationRunVerdict[]>();
  for (const r of input.runs) bySerial.set(r.serial, [...(bySerial.get(r.serial) ?? []), r]);
  const judged = new Map(input.units.map((u) => [u.serial, u]));
  for (const [serial, runs] of [...bySerial].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const unit = judged.get(serial);
    if (unit === undefined) {
      notCompared.push(`unit ${serial}: the station judged it, lotqa has no verdict on it (its readings were not stored)`);
      continue;
    }
    const ordered = [...runs].sort((a, b) => (a.testTime < b.testTime ? -1 : a.testTime > b.testTime ? 1 : 0));
    const pairs: [StationRunVerdict, 'first' | 'final', Verdict][] = [[ordered[ordered.length - 1]!, 'final', unit.final]];
    if (ordered.length > 1) pairs.unshift([ordered[0]!, 'first', unit.firstPass]);
    for (const [run, attempt, lotqa] of pairs) {
      if (lotqa === 'indeterminate') {
        notCompared.push(
          `unit ${serial} (${attempt} attempt): the station says ${upper(run.verdict)}, lotqa could not judge it (indeterminate)`,
        );
        continue;
      }
      if (lotqa === run.verdict) continue;
      verdicts.push({
        serial,
        station: run.station,
        testTime: run.testTime,
        attempt,
        stationSays: run.verdict,
        lotqaSays: lotqa,
        message: `unit ${serial}, ${attempt === 'first' ? 'first' : 'final'} attempt (${run.station}, ${run.testTime}): the station says ${upper(run.verdict)}, lotqa says ${lotqa}`,
      });
    }
  }

  // Group equal findings: one station, parameter, side, station value and spec value, over corners and lanes.
  const groups = new Map<
    string,
    { base: Omit<LimitDifference, 'corners' | 'lanes' | 'message'>; corners: Set<string>; lanes: Set<number | null> }
  >();
  const expressions = new Set<string>();
  for (const l of input.limits) {
    let resolved;
    try {
      resolved = resolveLimits(spec, l.parameter, l.corner, l.lane);
    } catch {
      notCompared.push(`${l.station}: ${l.parameter} at ${l.corner} is not a reading product ${spec.productId} defines there`);
      continue;
    }
    const unit = parameterOf(spec, l.parameter).unit;
    for (const side of ['lower', 'upper'] as const) {
      const stationLimit = side === 'lower' ? l.low : l.high;
      if (stationLimit === null) continue;
      const specSide = side === 'lower' ? resolved.lsl : resolved.usl;
      if (specSide?.kind === 'expression') {
        const key = `${l.station}\u0000${l.parameter}\u0000${side}`;
        if (!expressions.has(key)) {
          expressions.add(key);
          notCompared.push(
            `${l.station}'s ${side} limit for ${l.parameter}: the spec's ${side} limit is the expression ${specSide.expression.text}, which depends on each unit's readings`,
          );
        }
        continue;
      }
      const specLimit = specSide === null ? null : specSide.value;
      if (specLimit !== null && sameLimit(stationLimit, specLimit)) continue;
      const key = `${l.station}\u0000${l.parameter}\u0000${side}\u0000${stationLimit}\u0000${specLimit}`;
      let g = groups.get(key);
      if (g === undefined) {
        g = {
          base: { station: l.station, parameter: l.parameter, side, stationLimit, specLimit, unit },
          corners: new Set(),
          lanes: new Set(),
        };
        groups.set(key, g);
      }
      g.corners.add(l.corner);
      g.lanes.add(l.lane);
    }
  }
  const cornerOrder = spec.corners.map((c) => c.id);
  const limits = [...groups.values()].map(({ base, corners, lanes }): LimitDifference => {
    const cs = [...corners].sort((a, b) => cornerOrder.indexOf(a) - cornerOrder.indexOf(b));
    const ls = [...lanes].sort((a, b) => (a ?? -1) - (b ?? -1));
    const p = parameterOf(spec, base.parameter);
    const lanesText = ls.every((x) => x === null)
      ? ''
      : `; lane${ls.length > 1 ? 's' : ''} ${ls.map((x) => laneName(spec as LaneNaming, x)).join(', ')}`;
    const says = base.specLimit === null ? `the spec has no ${base.side} limit` : `the spec says ${show(base.specLimit)} ${base.unit}`;
    return {
      ...base,
      corners: cs,
      lanes: ls,
      message: `${base.station} tests ${p.name} (${p.id}) against ${show(base.stationLimit)} ${base.unit}, ${says} (${base.side} limit; ${cs.join(', ')}${lanesText})`,
    };
  });
  limits.sort(
    (a, b) =>
      (a.station < b.station ? -1 : a.station > b.station ? 1 : 0) ||
      spec.parameters.findIndex((p) => p.id === a.parameter) - spec.parameters.findIndex((p) => p.id === b.parameter) ||
      (a.side < b.side ? -1 : a.side > b.side ? 1 : 0) ||
      a.stationLimit - b.stationLimit,
  );
  return { verdicts, limits, notCompared };
}
