/**
 * @module GenerateLot — one synthetic production lot: units → test runs (attempts) → readings in
 * canonical units, from a seed. Pure: same options → same lot, value for value.
 *
 * A reading of unit i in slot s (model scale; log10 for log-scale parameters):
 * ```
 * x = μ_s + σ_s·(lot_p + station_p + drift_p·(i/(n−1) − ½) + shift_s) + σ_s·f_s·shape(z_s)
 * z_s = Σ loading·z_driver + innovation·(√ρ·u_{unit,lane,p} + √(1−ρ)·e_s)
 * ```
 * μ_s and σ_s come from {@link buildProcessModel}; `shape` is the identity, or a standardised
 * log-normal for skewed parameters (TDECQ); f_s is the variance blow-up factor (1 when healthy);
 * shift_s the injected mean shift. Every unit draws from its own stream, so an injection changes
 * exactly what it names and nothing else.
 */
import { CENSOR_BELOW, CENSOR_NONE } from '../domain/lot-data.js';
import type { ProductSpec } from '../domain/product-spec.js';
import { buildProcessModel, slotKey, type ProcessModel, type SlotModel } from './process-model.js';
import { SeededRandom } from './seeded-random.js';
import { MALFORMATION_KINDS, type GenerateLotOptions, type MalformationKind, type ResolvedLotOptions } from './lot-options.js';
import { SimOptionError } from './sim-errors.js';
import { slotLimitsForRun } from './run-limits.js';
import { isConstant } from './slot-limits.js';

/** Something injected into one run, as the manifest reports it. */
export type InjectedFault =
  | { readonly kind: 'outlier'; readonly parameter: string; readonly corner: string; readonly lane: number | null; readonly sigmas: number }
  | {
      readonly kind: 'limit-failure';
      readonly parameter: string;
      readonly corner: string;
      readonly lane: number | null;
      readonly limit: 'lsl' | 'usl';
      readonly limitValue: number;
      readonly value: number;
    };

/** One test of one unit (an attempt): the readings of every slot, in the model's slot order. */
export interface GeneratedRun {
  readonly serial: string;
  readonly lot: string;
  readonly station: string;
  /** ISO-8601 UTC instant, whole seconds. */
  readonly testTime: string;
  /** 1 = first test, 2 = retest. */
  readonly attempt: number;
  readonly operator: string;
  /** 0-based index of the unit in the lot. */
  readonly unitIndex: number;
  /** Readings in canonical units, indexed like `lot.model.slots`; for a censored reading, the bound. */
  readonly values: Float64Array;
  /** CENSOR_NONE or CENSOR_BELOW per slot. */
  readonly censoring: Uint8Array;
  /** Slot indices outside their (judged) limits. */
  readonly failedSlots: readonly number[];
  readonly passed: boolean;
  readonly faults: readonly InjectedFault[];
  /** How the file of this run will be broken when written, or null. */
  readonly malformation: MalformationKind | null;
}

export interface GeneratedLot {
  readonly lot: string;
  readonly productId: string;
  readonly spec: ProductSpec;
  readonly options: ResolvedLotOptions;
  readonly model: ProcessModel;
  /** First attempts in unit order, then retests in time order. */
  readonly runs: readonly GeneratedRun[];
  /** The lot's mean offset per parameter id, in σ. */
  readonly lotOffsets: Readonly<Record<string, number>>;
}

const BASE_START_MS = Date.UTC(2025, 0, 6, 6, 0, 0);

function check(condition: boolean, message: string): void {
  if (!condition) throw new SimOptionError(message);
}

function resolveOptions(options: GenerateLotOptions, model: ProcessModel, root: SeededRandom): ResolvedLotOptions {
  const { spec } = options;
  check(Number.isInteger(options.units) && options.units >= 1, `units must be a whole number ≥ 1, got ${options.units}`);
  check(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(options.lot),
    `lot "${options.lot}" must be letters, digits, '.', '_' or '-' (it becomes part of file names)`,
  );
  const stations = options.stations ?? 2;
  check(Number.isInteger(stations) && stations >= 1 && stations <= 99, `stations must be 1–99, got ${stations}`);
  const rate = (name: string, v: number): number => {
    check(Number.isFinite(v) && v >= 0 && v <= 1, `${name} must be between 0 and 1, got ${v}`);
    return v;
  };
  const measured = (parameter: string, what: string, lane?: number, corner?: string): void => {
    const p = spec.parameters.find((q) => q.id === parameter);
    check(
      p !== undefined,
      `${what}: product "${spec.productId}" has no parameter "${parameter}"; choose one of ${spec.parameters
        .filter((q) => q.derived === undefined)
        .map((q) => q.id)
        .join(', ')}`,
    );
    check(p?.derived === undefined, `${what}: "${parameter}" is derived (computed from other readings); shift one of its inputs instead`);
    if (lane !== undefined)
      check(
        Number.isInteger(lane) && lane >= 0 && lane < spec.laneCount && p?.scope === 'lane',
        `${what}: lane ${lane + 1} is not a lane of lane parameter "${parameter}" (${spec.productId} has lanes 1–${spec.laneCount}, numbered as the station prints them)`,
      );
    if (corner !== undefined)
      check(
        model.slots.some((s) => s.parameter === parameter && s.corner === corner),
        `${what}: "${parameter}" is not measured at corner "${corner}"`,
      );
  };
  for (const s of options.shifts ?? []) {
    measured(s.parameter, 'shift', s.lane, s.corner);
    check(Number.isFinite(s.sigma), `shift of "${s.parameter}": sigma must be a number, got ${s.sigma}`);
  }
  for (const v of options.variance ?? []) {
    measured(v.parameter, 'variance', v.lane, v.corner);
    check(Number.isFinite(v.factor) && v.factor > 0, `variance of "${v.parameter}": factor must be > 0, got ${v.factor}`);
  }
  const outliers = options.outliers ?? 0;
  check(
    Number.isInteger(outliers) && outliers >= 0 && outliers <= options.units,
    `outliers must be a whole number 0–${options.units}, got ${outliers}`,
  );
  for (const k of options.malformedKinds ?? [])
    check(MALFORMATION_KINDS.includes(k), `unknown malformation "${k}"; known: ${MALFORMATION_KINDS.join(', ')}`);
  const stationCount = options.stations ?? 2;
  for (const so of options.stationOffsets ?? []) {
    measured(so.parameter, 'station offset');
    check(Number.isFinite(so.sigma), `station offset of "${so.parameter}": sigma must be a number, got ${so.sigma}`);
    const names = Array.from({ length: stationCount }, (_, k) => stationName(k));
    check(names.includes(so.station), `station offset: no station "${so.station}" in a lot tested on ${names.join(', ')}`);
  }
  for (const st of options.stuck ?? []) measured(st.parameter, 'stuck gauge', st.lane);
  const laneLotSigma = options.laneLotSigma ?? 0;
  check(Number.isFinite(laneLotSigma) && laneLotSigma >= 0, `laneLotSigma must be ≥ 0, got ${laneLotSigma}`);
  const laneCorrelation = options.laneCorrelation ?? 0;
  check(
    Number.isFinite(laneCorrelation) && laneCorrelation >= 0 && laneCorrelation < 1,
    `laneCorrelation must be in [0, 1), got ${laneCorrelation}`,
  );
  const laneLotCornerShare = options.laneLotCornerShare ?? 0;
  check(
    Number.isFinite(laneLotCornerShare) && laneLotCornerShare >= 0 && laneLotCornerShare <= 1,
    `laneLotCornerShare must be in [0, 1], got ${laneLotCornerShare}`,
  );
  const laneLotOffsets: Record<string, number> = {};
  for (const [id, sigma] of Object.entries(options.laneLotSigmaByParameter ?? {})) {
    measured(id, 'lane × lot σ');
    check(Number.isFinite(sigma) && sigma >= 0, `lane × lot σ of "${id}" must be ≥ 0, got ${sigma}`);
  }
  for (const p of spec.parameters) {
    if (p.derived !== undefined || p.scope !== 'lane') continue;
    const sigma = options.laneLotSigmaByParameter?.[p.id] ?? laneLotSigma;
    if (sigma > 0)
      for (let l = 0; l < spec.laneCount; l++) {
        const shared = sigma * root.fork('lane-lot-offset', p.id, l).normal();
        if (laneLotCornerShare === 0) laneLotOffsets[`${p.id}|${l}`] = shared;
        // Its own stream per corner, so lots without a corner share draw exactly as before.
        else
          for (const c of spec.corners)
            laneLotOffsets[`${p.id}|${l}|${c.id}`] =
              Math.sqrt(1 - laneLotCornerShare) * shared +
              Math.sqrt(laneLotCornerShare) * sigma * root.fork('lane-lot-offset', p.id, l, 'corner', c.id).normal();
      }
  }
  const lotSigma = options.lotSigma ?? 0.15;
  check(Number.isFinite(lotSigma) && lotSigma >= 0, `lotSigma must be ≥ 0, got ${lotSigma}`);
  const startTime =
    options.startTime !== undefined
      ? new Date(options.startTime)
      : new Date(BASE_START_MS + root.fork('start-day').integer(0, 180) * 86_400_000);
  check(!Number.isNaN(startTime.getTime()), `startTime "${options.startTime}" is not an ISO-8601 instant`);
  const lotOffsets: Record<string, number> = {};
  for (const p of spec.parameters) {
    if (p.derived !== undefined) continue;
    lotOffsets[p.id] = options.lotOffsets?.[p.id] ?? lotSigma * root.fork('lot-offset', p.id).normal();
  }
  return {
    lot: options.lot,
    productId: spec.productId,
    productVersion: spec.version,
    units: options.units,
    seed: options.seed,
    process: model.settings,
    lotSigma,
    lotOffsets,
    laneLotSigma,
    laneLotCornerShare,
    laneLotOffsets,
    laneCorrelation,
    stationOffsets: options.stationOffsets ?? [],
    stuck: options.stuck ?? [],
    stations,
    startTime: startTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    spacingSeconds: options.spacingSeconds ?? 90,
    serialPrefix: options.serialPrefix ?? `SN${options.lot.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}`,
    shifts: options.shifts ?? [],
    variance: options.variance ?? [],
    outliers,
    retestRate: rate('retestRate', options.retestRate ?? 0),
    retestPassProbability: rate('retestPassProbability', options.retestPassProbability ?? 0.8),
    retestDelaySeconds: options.retestDelaySeconds ?? 3600,
    repeatabilitySigma: options.repeatabilitySigma ?? 0.1,
    malformedRate: rate('malformedRate', options.malformedRate ?? 0),
    malformedKinds: options.malformedKinds ?? MALFORMATION_KINDS,
  };
}

/** Station names as written in the files: ATE-01, ATE-02, … */
export function stationName(k: number): string {
  return `ATE-${String(k + 1).padStart(2, '0')}`;
}

/** Standardised log-normal (mean 0, sd 1) of shape `skew`; identity when skew is 0. */
function shape(z: number, skew: number): number {
  if (skew === 0) return z;
  const m = Math.exp((skew * skew) / 2);
  return (Math.exp(skew * z) - m) / (m * Math.sqrt(Math.exp(skew * skew) - 1));
}

/** Model-scale value → canonical reading: exponentiate, respect the physical floor, quantise. */
function toReading(slot: SlotModel, modelValue: number): number {
  let v = slot.logScale ? 10 ** modelValue : modelValue;
  if (slot.floor !== null && v < slot.floor) v = slot.floor;
  if (slot.logScale) return Number(v.toPrecision(slot.decimals));
  const scale = POWERS_OF_TEN[slot.decimals] ?? 10 ** slot.decimals;
  // k / 10^d is the double nearest the decimal k·10^-d, i.e. exactly what parsing the written text gives.
  return Math.round(v * scale) / scale;
}

const POWERS_OF_TEN = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

function matches(slot: SlotModel, target: { parameter: string; lane?: number; corner?: string }): boolean {
  return (
    slot.parameter === target.parameter &&
    (target.lane === undefined || slot.lane === target.lane) &&
    (target.corner === undefined || slot.corner === target.corner)
  );
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Operator by 8-hour shift of the test time (A: 00–08 UTC, B: 08–16, C: 16–24). */
function operatorAt(ms: number): string {
  return `OP-${'ABC'[Math.floor(new Date(ms).getUTCHours() / 8)] ?? 'A'}`;
}

/**
 * Generates a lot. Throws {@link SimOptionError} for options the product cannot honour (unknown
 * parameter, lane out of range, rate outside 0–1 …).
 * @example
 * const lot = generateLot({ spec, lot: 'L2401', units: 500, seed: 7, shifts: [{ parameter: 'tx_er', lane: 2, sigma: 1 }] });
 */
export function generateLot(options: GenerateLotOptions): GeneratedLot {
  const model = buildProcessModel(options.spec, options.process);
  const root = new SeededRandom(options.seed, 'lot', options.lot);
  const o = resolveOptions(options, model, root);
  const slots = model.slots;
  const n = slots.length;
  const rho = model.settings.cornerCorrelation;
  const sqrtRho = Math.sqrt(rho);
  const sqrtOneMinusRho = Math.sqrt(1 - rho);

  const shiftBy = new Float64Array(n);
  const spreadBy = new Float64Array(n).fill(1);
  for (const s of slots) {
    for (const shift of o.shifts) if (matches(s, shift)) shiftBy[s.index] = (shiftBy[s.index] ?? 0) + shift.sigma;
    for (const v of o.variance) if (matches(s, v)) spreadBy[s.index] = (spreadBy[s.index] ?? 1) * v.factor;
  }
  const parameters = [...new Set(slots.map((s) => s.parameter))];
  const parameterOf = Int32Array.from(slots, (s) => parameters.indexOf(s.parameter));
  const lotOffset = Float64Array.from(parameters, (p) => o.lotOffsets[p] ?? 0);
  const drift = Float64Array.from(parameters, (p) => model.settings.driftSigma * root.fork('drift', p).normal());
  const stationNames = Array.from({ length: o.stations }, (_, k) => stationName(k));
  const stationOffsets = stationNames.map((name) =>
    Float64Array.from(
      parameters,
      (p) =>
        model.settings.stationOffsetSigma * new SeededRandom('factory', options.spec.productId, 'station', name, p).normal() +
        o.stationOffsets.filter((so) => so.station === name && so.parameter === p).reduce((a, so) => a + so.sigma, 0),
    ),
  );
  // Per slot: the lane's own lot offset, whether its gauge is stuck, and its parameter × corner group (lanes of one unit share a component).
  const laneLot = Float64Array.from(slots, (s) =>
    s.lane === null ? 0 : (o.laneLotOffsets[`${s.parameter}|${s.lane}|${s.corner}`] ?? o.laneLotOffsets[`${s.parameter}|${s.lane}`] ?? 0),
  );
  const stuckSlot = slots.map((s) => o.stuck.some((st) => matches(s, st)));
  const lambda = o.laneCorrelation;
  const sqrtLambda = Math.sqrt(lambda);
  const sqrtOneMinusLambda = Math.sqrt(1 - lambda);
  const laneGroups = [...new Set(slots.map((s) => `${s.parameter}|${s.corner}`))];
  const laneGroupOf = Int32Array.from(slots, (s) => (s.lane === null ? -1 : laneGroups.indexOf(`${s.parameter}|${s.corner}`)));
  const startMs = Date.parse(o.startTime);

  /** Model-scale values of a healthy first test of unit i on station k. */
  const drawUnit = (serial: string, i: number, station: number): Float64Array => {
    const u = root.fork('unit', serial);
    const effects = new Float64Array(model.unitEffects);
    for (let e = 0; e < effects.length; e++) effects[e] = u.normal();
    const z = new Float64Array(n);
    const x = new Float64Array(n);
    const progress = o.units > 1 ? i / (o.units - 1) - 0.5 : 0;
    const stationOffset = stationOffsets[station] as Float64Array;
    // The unit-wide component its lanes share; its own stream, so lots without it draw exactly as before.
    let common: Float64Array | null = null;
    if (lambda > 0) {
      const c = root.fork('unit', serial, 'lanes');
      common = Float64Array.from(laneGroups, () => c.normal());
    }
    for (let j = 0; j < n; j++) {
      const s = slots[j] as SlotModel;
      let own = sqrtRho * (effects[s.unitEffect] ?? 0) + sqrtOneMinusRho * u.normal();
      if (common !== null && laneGroupOf[j]! >= 0) own = sqrtLambda * common[laneGroupOf[j]!]! + sqrtOneMinusLambda * own;
      let zj = s.innovation * own;
      for (const d of s.drivers) zj += d.loading * (z[d.slot] ?? 0);
      z[j] = zj;
      const p = parameterOf[j] ?? 0;
      const offset = (lotOffset[p] ?? 0) + (laneLot[j] ?? 0) + (stationOffset[p] ?? 0) + (drift[p] ?? 0) * progress + (shiftBy[j] ?? 0);
      x[j] = stuckSlot[j] ? s.mean : s.mean + s.sigma * (offset + (spreadBy[j] ?? 1) * shape(zj, s.skew));
    }
    return x;
  };

  // Injections: chosen from their own streams so healthy draws never change.
  const inject = root.fork('inject');
  const unitIndices = Array.from({ length: o.units }, (_, i) => i);
  const outlierUnits = new Set(inject.fork('outlier-units').sample(unitIndices, o.outliers));
  const retestCount = Math.round(o.retestRate * o.units);
  const retestUnits = new Set(
    inject.fork('retest-units').sample(
      unitIndices.filter((i) => !outlierUnits.has(i)),
      retestCount,
    ),
  );
  const judgeable = slots.filter((s) => isConstant(s.limits.usl) || (isConstant(s.limits.lsl) && !s.informativeLsl));
  const failable = judgeable.some((s) => s.critical) ? judgeable.filter((s) => s.critical) : judgeable;
  if (retestCount > 0 && failable.length === 0)
    throw new SimOptionError(`retestRate: product "${options.spec.productId}" has no parameter with a constant limit to fail`);

  /** Pushes a slot past one of its constant limits by 0.5–2 σ. */
  const failSlot = (values: Float64Array, slot: SlotModel, stream: SeededRandom, faults: InjectedFault[]): void => {
    const useUsl = isConstant(slot.limits.usl) && (slot.informativeLsl || !isConstant(slot.limits.lsl) || stream.chance(0.5));
    const limitValue = (useUsl ? slot.usl : slot.lsl) as number;
    const beyond = 0.5 + 1.5 * stream.uniform();
    const modelLimit = slot.logScale ? Math.log10(limitValue) : limitValue;
    const modelValue = useUsl ? modelLimit + beyond * slot.sigma : modelLimit - beyond * slot.sigma;
    let value = toReading(slot, modelValue);
    if (useUsl ? value <= limitValue : value >= limitValue)
      value = useUsl ? limitValue + 10 ** -slot.decimals : limitValue - 10 ** -slot.decimals;
    values[slot.index] = value;
    faults.push({
      kind: 'limit-failure',
      parameter: slot.parameter,
      corner: slot.corner,
      lane: slot.lane,
      limit: useUsl ? 'usl' : 'lsl',
      limitValue,
      value,
    });
  };

  const finish = (modelValues: Float64Array): { values: Float64Array; censoring: Uint8Array } => {
    const values = new Float64Array(n);
    const censoring = new Uint8Array(n);
    for (let j = 0; j < n; j++) {
      const s = slots[j] as SlotModel;
      const v = toReading(s, modelValues[j] ?? 0);
      if (s.censorFloor !== null && v < s.censorFloor) {
        values[j] = s.censorFloor;
        censoring[j] = CENSOR_BELOW;
      } else {
        values[j] = v;
        censoring[j] = CENSOR_NONE;
      }
    }
    return { values, censoring };
  };

  const runs: GeneratedRun[] = [];
  const retests: GeneratedRun[] = [];
  const pad = String(Math.max(o.units, 99_999)).length;
  for (let i = 0; i < o.units; i++) {
    const serial = `${o.serialPrefix}${String(i + 1).padStart(pad, '0')}`;
    const station = i % o.stations;
    const timeMs = startMs + Math.floor(i / o.stations) * o.spacingSeconds * 1000;
    const healthy = drawUnit(serial, i, station);
    const modelValues = Float64Array.from(healthy);
    const faults: InjectedFault[] = [];
    const unitStream = inject.fork('unit', serial);
    if (outlierUnits.has(i)) {
      const slot = unitStream.pick(slots);
      const sigmas = (unitStream.chance(0.5) ? 1 : -1) * (6 + 2 * unitStream.uniform());
      modelValues[slot.index] = (modelValues[slot.index] ?? 0) + sigmas * slot.sigma;
      faults.push({ kind: 'outlier', parameter: slot.parameter, corner: slot.corner, lane: slot.lane, sigmas: Number(sigmas.toFixed(3)) });
    }
    const first = finish(modelValues);
    let failing: SlotModel | null = null;
    if (retestUnits.has(i)) {
      failing = unitStream.pick(failable);
      failSlot(first.values, failing, unitStream, faults);
    }
    runs.push(
      makeRun(model, {
        serial,
        lot: o.lot,
        station: stationNames[station] ?? '',
        testTime: isoSeconds(timeMs),
        attempt: 1,
        operator: operatorAt(timeMs),
        unitIndex: i,
        ...first,
        faults,
        malformation: null,
      }),
    );

    if (failing !== null) {
      const again = root.fork('unit', serial, 'attempt', 2);
      const retestValues = Float64Array.from(healthy, (v, j) =>
        stuckSlot[j] ? v : v + o.repeatabilitySigma * (slots[j]?.sigma ?? 0) * again.normal(),
      );
      const second = finish(retestValues);
      const retestFaults: InjectedFault[] = [];
      if (!unitStream.chance(o.retestPassProbability)) failSlot(second.values, failing, unitStream, retestFaults);
      const retestMs = timeMs + o.retestDelaySeconds * 1000;
      const retestStation = (station + 1) % o.stations;
      retests.push(
        makeRun(model, {
          serial,
          lot: o.lot,
          station: stationNames[retestStation] ?? '',
          testTime: isoSeconds(retestMs),
          attempt: 2,
          operator: operatorAt(retestMs),
          unitIndex: i,
          ...second,
          faults: retestFaults,
          malformation: null,
        }),
      );
    }
  }
  retests.sort((a, b) => (a.testTime < b.testTime ? -1 : a.testTime > b.testTime ? 1 : a.unitIndex - b.unitIndex));
  const all = [...runs, ...retests];

  const malformedCount = Math.round(o.malformedRate * all.length);
  if (malformedCount > 0 && o.malformedKinds.length > 0) {
    const pickKind = inject.fork('malformed-kinds');
    const chosen = inject.fork('malformed-files').sample(
      all.map((_, k) => k),
      malformedCount,
    );
    chosen.sort((a, b) => a - b);
    for (const k of chosen) {
      const run = all[k] as GeneratedRun;
      all[k] = { ...run, malformation: pickKind.pick(o.malformedKinds) };
    }
  }
  return { lot: o.lot, productId: options.spec.productId, spec: options.spec, options: o, model, runs: all, lotOffsets: o.lotOffsets };
}

type RunDraft = Omit<GeneratedRun, 'failedSlots' | 'passed'>;

/** Adds the verdict: every slot judged against its limits (informative LSLs are not judged). */
function makeRun(model: ProcessModel, draft: RunDraft): GeneratedRun {
  const failedSlots: number[] = [];
  const { values } = draft;
  for (const slot of model.slots) {
    const expression =
      (slot.limits.lsl !== null && !isConstant(slot.limits.lsl)) || (slot.limits.usl !== null && !isConstant(slot.limits.usl));
    const { lsl, usl } = expression ? slotLimitsForRun(model, values, slot) : slot;
    const v = values[slot.index] ?? NaN;
    if ((usl !== null && v > usl) || (lsl !== null && !slot.informativeLsl && v < lsl)) failedSlots.push(slot.index);
  }
  return { ...draft, failedSlots, passed: failedSlots.length === 0 };
}

/**
 * Readings of one slot across the lot's runs (attempt 1 by default), in unit order — the canonical
 * values a test or benchmark compares with what ingest stored.
 */
export function slotValues(lot: GeneratedLot, parameter: string, corner: string, lane: number | null, attempt = 1): Float64Array {
  const index = lot.model.slotIndex.get(slotKey(parameter, corner, lane));
  if (index === undefined)
    throw new SimOptionError(`no slot ${parameter} @ ${corner} lane ${lane ?? 'module'} in product "${lot.productId}"`);
  const runs = lot.runs.filter((r) => r.attempt === attempt);
  return Float64Array.from(runs, (r) => r.values[index] ?? NaN);
}
