/**
 * @module ProcessModel — the synthetic factory's picture of a healthy production line for one
 * product: for every measured slot (parameter × corner × lane) the mean and the unit-to-unit σ,
 * derived from the spec limits so that a healthy lot reaches a chosen capability.
 *
 * How a slot's mean and σ are found (per parameter and lane, all corners together):
 * 1. The temperature shift of corner c is δ_c = k·(T_c − T_room), k from {@link parameterPhysics}.
 * 2. In "room coordinates" each corner's window is [LSL_c − δ_c, USL_c − δ_c]; the usable window is
 *    the intersection over the corners: [lowB, upB].
 * 3. Two-sided: the room mean is the window centre and σ = m / (3·g·C + a), where m is the window's
 *    half-width, C the target capability, g = √(1 + s_station² + s_drift²/12) the inflation by station
 *    offsets and drift, a the largest fixed lane offset (in σ). The worst corner then has Cpk ≈ C.
 *    When temperature eats more than half the window, k is scaled down until it eats exactly half.
 * 4. One-sided: σ is the parameter's typical spread and the mean sits (3·g·C + a)·σ inside the limit
 *    ("k·σ from the limit"). No limit: target, else the typical value.
 * Expression limits are evaluated on the typical values of the parameters they read (modelled first).
 */
import type { ParameterSpec, ProductSpec, CanonicalUnit } from '../domain/product-spec.js';
import { parameterPhysics, type ParameterPhysics } from './parameter-physics.js';
import { SeededRandom } from './seeded-random.js';
import { limitInputs, slotLimitDefinition, slotLimitValues, type ResolvedLimits } from './slot-limits.js';
import { SimSpecError } from './sim-errors.js';
import quantile from '@stdlib/stats-base-dists-normal-quantile';

/** Knobs of the healthy process. All spreads are in units of the slot's unit-to-unit σ. */
export interface ProcessSettings {
  /** Cpk a healthy lot reaches on its worst corner and lane. @defaultValue 1.67 */
  readonly capability: number;
  /** σ of the fixed per-lane mean offsets (same for every lot of the product). @defaultValue 0.2 */
  readonly laneOffsetSigma: number;
  /** σ of the fixed per-station offsets. @defaultValue 0.1 */
  readonly stationOffsetSigma: number;
  /** Typical total slow drift over a lot's test time (σ of the drift amount). @defaultValue 0.1 */
  readonly driftSigma: number;
  /** Correlation of one unit's lane between corners (a strong laser is strong hot and cold). @defaultValue 0.6 */
  readonly cornerCorrelation: number;
  /** Share of receiver-sensitivity readings written as censored `<floor`. @defaultValue 0.003 */
  readonly censorRate: number;
}

export const DEFAULT_PROCESS_SETTINGS: ProcessSettings = Object.freeze({
  capability: 1.67,
  laneOffsetSigma: 0.2,
  stationOffsetSigma: 0.1,
  driftSigma: 0.1,
  cornerCorrelation: 0.6,
  censorRate: 0.003,
});

/** One driver of a slot, resolved to the driver's slot and its loading on standard-normal scale. */
export interface SlotDriver {
  readonly slot: number;
  readonly loading: number;
}

/** One measured slot of a unit: what is generated and how. */
export interface SlotModel {
  readonly index: number;
  readonly parameter: string;
  readonly unit: CanonicalUnit;
  readonly scope: 'lane' | 'module';
  readonly corner: string;
  /** 0-based lane, or null for a module-scope parameter. */
  readonly lane: number | null;
  /** Mean of a healthy unit (log10 of the value for log-scale parameters), lot/station/drift excluded. */
  readonly mean: number;
  /** Unit-to-unit σ (decades for log-scale parameters). Shifts "in σ" are in this unit. */
  readonly sigma: number;
  readonly skew: number;
  readonly logScale: boolean;
  readonly decimals: number;
  readonly floor: number | null;
  /** Fixed lane offset included in `mean`, in σ. */
  readonly laneOffset: number;
  /** Typical limits in the canonical unit (expressions evaluated on typical inputs); null = none/unknown. */
  readonly lsl: number | null;
  readonly usl: number | null;
  readonly limits: ResolvedLimits;
  readonly informativeLsl: boolean;
  readonly critical: boolean;
  /** Readings below this are written `<floor` (canonical unit, the censor-rate quantile rounded to 0.1); null = never censored. */
  readonly censorFloor: number | null;
  readonly drivers: readonly SlotDriver[];
  /** √(1 − Σ loading²): weight of the slot's own innovation. */
  readonly innovation: number;
  /** Index of the (parameter, lane) pair, shared by its corners (for the persistent unit effect). */
  readonly unitEffect: number;
}

export interface ProcessModel {
  readonly productId: string;
  readonly settings: ProcessSettings;
  readonly roomCorner: string;
  /** Slots in generation order (drivers before the parameters they drive). */
  readonly slots: readonly SlotModel[];
  readonly unitEffects: number;
  /** `slotKey(parameter, corner, lane)` → index into `slots`. */
  readonly slotIndex: ReadonlyMap<string, number>;
}

/** Key of a slot in {@link ProcessModel.slotIndex}. */
export function slotKey(parameter: string, corner: string, lane: number | null): string {
  return `${parameter}|${corner}|${lane ?? '-'}`;
}

function measuredCorners(spec: ProductSpec, parameter: ParameterSpec): string[] {
  const all = spec.corners.map((c) => c.id);
  if (parameter.corners === undefined) return all;
  for (const corner of parameter.corners) {
    if (!all.includes(corner)) {
      throw new SimSpecError(
        `parameter "${parameter.id}" is measured at corner "${corner}", which product "${spec.productId}" does not define (corners: ${all.join(', ')})`,
      );
    }
  }
  return all.filter((c) => parameter.corners?.includes(c));
}

/** Parameters in an order where drivers and expression inputs come first (spec order otherwise). */
function generationOrder(parameters: readonly ParameterSpec[]): ParameterSpec[] {
  const byId = new Map(parameters.map((p) => [p.id, p]));
  const dependencies = (p: ParameterSpec): string[] => {
    const physics = parameterPhysics(p.id, p.unit);
    const fromLimits = [p.lsl ?? null, p.usl ?? null, ...(p.overrides ?? []).flatMap((o) => [o.lsl ?? null, o.usl ?? null])].flatMap(
      limitInputs,
    );
    return [...physics.drivers.map((d) => d.parameter), ...fromLimits].filter((id) => id !== p.id && byId.has(id));
  };
  const ordered: ParameterSpec[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: ParameterSpec): void => {
    if (state.get(p.id) !== undefined) return; // done, or a cycle: keep spec order
    state.set(p.id, 'visiting');
    for (const dep of dependencies(p)) visit(byId.get(dep) as ParameterSpec);
    state.set(p.id, 'done');
    ordered.push(p);
  };
  for (const p of parameters) visit(p);
  return ordered;
}

interface Window {
  readonly low: number | null;
  readonly high: number | null;
}

/** Intersection of the corners' windows after removing `scale`·δ_c (room coordinates). */
function roomWindow(windows: readonly Window[], shifts: readonly number[], scale: number): Window {
  let low: number | null = null;
  let high: number | null = null;
  windows.forEach((w, i) => {
    const delta = scale * (shifts[i] ?? 0);
    if (w.low !== null) low = low === null ? w.low - delta : Math.max(low, w.low - delta);
    if (w.high !== null) high = high === null ? w.high - delta : Math.min(high, w.high - delta);
  });
  return { low, high };
}

function toModelScale(value: number | null, logScale: boolean): number | null {
  if (value === null) return null;
  if (!logScale) return value;
  return value > 0 ? Math.log10(value) : null;
}

/**
 * The healthy-process model of a product. Pure: same spec and settings → same model. Lane offsets
 * come from a stream seeded by the product id alone, so every lot of a product shares them.
 */
export function buildProcessModel(spec: ProductSpec, overrides: Partial<ProcessSettings> = {}): ProcessModel {
  const settings: ProcessSettings = { ...DEFAULT_PROCESS_SETTINGS, ...overrides };
  if (!(settings.capability > 0)) throw new SimSpecError(`target capability must be > 0, got ${settings.capability}`);
  const roomCorner = [...spec.corners].sort((a, b) => Math.abs(a.caseTemperatureC - 25) - Math.abs(b.caseTemperatureC - 25))[0];
  if (roomCorner === undefined) throw new SimSpecError(`product "${spec.productId}" defines no corners`);
  const cornerTemperature = new Map(spec.corners.map((c) => [c.id, c.caseTemperatureC]));
  const productStream = new SeededRandom('product', spec.productId);
  const inflation = Math.sqrt(1 + settings.stationOffsetSigma ** 2 + settings.driftSigma ** 2 / 12);
  const reach = 3 * inflation * settings.capability;

  const slots: SlotModel[] = [];
  const slotIndex = new Map<string, number>();
  let unitEffects = 0;
  /** Typical value and spread (canonical unit) of already-modelled slots, for expression limits. */
  const typicalAt = (corner: string, lane: number | null): Map<string, { value: number; spread: number }> => {
    const inputs = new Map<string, { value: number; spread: number }>();
    for (const s of slots) {
      if (s.corner !== corner || (s.lane !== lane && s.lane !== null)) continue;
      const value = s.logScale ? 10 ** s.mean : s.mean;
      inputs.set(s.parameter, { value, spread: s.logScale ? 0 : s.sigma });
    }
    return inputs;
  };
  /**
   * Limits for modelling: an expression limit is evaluated with every input at its typical value and
   * at ±2σ, and the most restrictive result is kept, so units whose own inputs are unlucky still pass.
   */
  const modellingLimits = (limits: ResolvedLimits, corner: string, lane: number | null): { lsl: number | null; usl: number | null } => {
    const typical = typicalAt(corner, lane);
    const ids = [limits.lsl, limits.usl].flatMap((l) => (l !== null && l.kind === 'expression' ? [...l.expression.ids] : []));
    const unique = [...new Set(ids)].filter((id) => typical.has(id));
    let lsl: number | null = null;
    let usl: number | null = null;
    const combos = 3 ** Math.min(unique.length, 4);
    for (let c = 0; c < combos; c++) {
      const values = new Map<string, number>();
      let code = c;
      for (const id of unique) {
        const t = typical.get(id) as { value: number; spread: number };
        values.set(id, t.value + ((code % 3) - 1) * 2 * t.spread);
        code = Math.floor(code / 3);
      }
      for (const [id, t] of typical) if (!values.has(id)) values.set(id, t.value);
      const v = slotLimitValues(limits, (id) => values.get(id));
      if (v.lsl !== null) lsl = lsl === null ? v.lsl : Math.max(lsl, v.lsl);
      if (v.usl !== null) usl = usl === null ? v.usl : Math.min(usl, v.usl);
    }
    return { lsl, usl };
  };
  /** Limits at the typical inputs (what the slot reports as its LSL/USL). */
  const typicalLimits = (limits: ResolvedLimits, corner: string, lane: number | null): { lsl: number | null; usl: number | null } => {
    const typical = typicalAt(corner, lane);
    return slotLimitValues(limits, (id) => typical.get(id)?.value);
  };

  for (const parameter of generationOrder(spec.parameters.filter((p) => p.derived === undefined))) {
    const physics: ParameterPhysics = parameterPhysics(parameter.id, parameter.unit);
    const corners = measuredCorners(spec, parameter);
    const lanes: (number | null)[] = parameter.scope === 'lane' ? Array.from({ length: spec.laneCount }, (_, i) => i) : [null];
    const laneOffsets = lanes.map((lane) => {
      if (lane === null || spec.laneCount === 1) return 0;
      const z = productStream.fork('lane-offset', parameter.id, lane).normal();
      return settings.laneOffsetSigma * Math.max(-2.5, Math.min(2.5, z));
    });
    const widestOffset = Math.max(0, ...laneOffsets.map(Math.abs));

    lanes.forEach((lane, laneIdx) => {
      const definitions = corners.map((corner) => slotLimitDefinition(spec, parameter.id, corner, lane));
      const values = corners.map((corner, i) => typicalLimits(definitions[i] as ResolvedLimits, corner, lane));
      const modelling = corners.map((corner, i) => modellingLimits(definitions[i] as ResolvedLimits, corner, lane));
      const windows: Window[] = modelling.map((v) => ({
        low: toModelScale(v.lsl, physics.logScale),
        high: toModelScale(v.usl, physics.logScale),
      }));
      const shifts = corners.map((c) => physics.temperatureCoefficient * ((cornerTemperature.get(c) ?? 25) - roomCorner.caseTemperatureC));
      let scale = 1;
      const fixed = roomWindow(windows, shifts, 0);
      let window = roomWindow(windows, shifts, 1);
      let room: number;
      let sigma: number;
      if (fixed.low !== null && fixed.high !== null) {
        const fullHalf = (fixed.high - fixed.low) / 2;
        if (!(fullHalf > 0)) {
          throw new SimSpecError(
            `parameter "${parameter.id}" (lane ${lane ?? 'module'}): LSL ${fixed.low} is not below USL ${fixed.high}; fix the product spec`,
          );
        }
        const half = (w: Window): number => ((w.high ?? 0) - (w.low ?? 0)) / 2;
        if (half(window) < fullHalf / 2) {
          let lo = 0;
          let hi = 1;
          for (let i = 0; i < 50; i++) {
            const mid = (lo + hi) / 2;
            if (half(roomWindow(windows, shifts, mid)) < fullHalf / 2) hi = mid;
            else lo = mid;
          }
          scale = lo;
          window = roomWindow(windows, shifts, scale);
        }
        room = ((window.low ?? 0) + (window.high ?? 0)) / 2;
        sigma = half(window) / (reach + widestOffset);
      } else if (window.high !== null) {
        sigma = physics.sigma;
        room = window.high - (reach + widestOffset) * sigma;
      } else if (window.low !== null) {
        sigma = physics.sigma;
        room = window.low + (reach + widestOffset) * sigma;
      } else {
        sigma = physics.sigma;
        const typical = physics.tracksCornerTemperature ? roomCorner.caseTemperatureC : (definitions[0]?.target ?? physics.typical);
        room = toModelScale(typical, physics.logScale) ?? 0;
      }
      const laneOffset = laneOffsets[laneIdx] ?? 0;
      const effect = unitEffects++;
      corners.forEach((corner, i) => {
        const mean = room + scale * (shifts[i] ?? 0) + laneOffset * sigma;
        const limits = values[i] ?? { lsl: null, usl: null };
        const drivers: SlotDriver[] = [];
        for (const driver of physics.drivers) {
          const index = slotIndex.get(slotKey(driver.parameter, corner, lane)) ?? slotIndex.get(slotKey(driver.parameter, corner, null));
          const driverSlot = index === undefined ? undefined : slots[index];
          if (driverSlot === undefined || driverSlot.logScale !== physics.logScale) continue;
          drivers.push({ slot: driverSlot.index, loading: (driver.slope * driverSlot.sigma) / sigma });
        }
        const explained = drivers.reduce((sum, d) => sum + d.loading ** 2, 0);
        const cap = 0.9;
        const shrink = explained > cap ? Math.sqrt(cap / explained) : 1;
        const scaledDrivers = drivers.map((d) => ({ slot: d.slot, loading: d.loading * shrink }));
        const innovation = Math.sqrt(1 - Math.min(explained, cap));
        const censorFloor =
          physics.censoredBelow && settings.censorRate > 0 && !physics.logScale
            ? Math.round((mean + sigma * normalQuantile(settings.censorRate)) * 10) / 10
            : null;
        const slot: SlotModel = {
          index: slots.length,
          parameter: parameter.id,
          unit: parameter.unit,
          scope: parameter.scope,
          corner,
          lane,
          mean,
          sigma,
          skew: physics.skew,
          logScale: physics.logScale,
          decimals: physics.decimals,
          floor: physics.floor,
          laneOffset,
          lsl: limits.lsl,
          usl: limits.usl,
          limits: definitions[i] as ResolvedLimits,
          informativeLsl: parameter.informativeLsl === true,
          critical: parameter.critical,
          censorFloor,
          drivers: scaledDrivers,
          innovation,
          unitEffect: effect,
        };
        slotIndex.set(slotKey(parameter.id, corner, lane), slot.index);
        slots.push(slot);
      });
    });
  }
  return { productId: spec.productId, settings, roomCorner: roomCorner.id, slots, unitEffects, slotIndex };
}

function normalQuantile(p: number): number {
  return quantile(p, 0, 1);
}
