/**
 * @module LotView — a lot prepared for judging: the measurement cube with derived parameters filled in,
 * each unit's first and final attempt, units in final-test-time order, and the list of cells
 * (parameter × corner × lane) the product defines.
 */
import { LotqaError } from '../errors/lotqa-error.js';
import type { LotData } from '../domain/lot-data.js';
import { MODULE_LANE } from '../domain/lot-data.js';
import type { ParameterSpec, ProductSpec } from '../domain/product-spec.js';
import { derivedParameters, parameterCorners, resolveLimits, type ResolvedLimits } from '../domain/spec-limits.js';
import { MeasurementCube } from './measurement-cube.js';

export interface UnitView {
  readonly serial: string;
  /** Run indices of this serial in attempt order. */
  readonly runs: readonly number[];
  readonly firstRun: number;
  readonly finalRun: number;
  readonly station: string;
  readonly finalTestTime: string;
}

export interface CellDef {
  readonly parameter: ParameterSpec;
  readonly parameterIndex: number;
  readonly corner: string;
  readonly cornerIndex: number;
  /** 0-based lane, or null for a per-module parameter. */
  readonly lane: number | null;
  /** Limits resolved once per cell (overrides applied, expressions compiled). */
  readonly limits: ResolvedLimits;
}

/**
 * What a chart's evaluation reads of a lot: the spec, the cube and each unit's serial and final run (in
 * the view's unit order). A LotView is one; a chart thread builds one from shared memory
 * (src/pipeline/chart-threads.ts).
 */
export interface ChartSource {
  readonly spec: ProductSpec;
  readonly cube: MeasurementCube;
  readonly units: readonly Pick<UnitView, 'serial' | 'finalRun'>[];
}

export interface LotView extends ChartSource {
  readonly lot: LotData;
  readonly spec: ProductSpec;
  readonly cube: MeasurementCube;
  /** Units ordered by the test time of their final attempt (the order charts are drawn in). */
  readonly units: readonly UnitView[];
  readonly cells: readonly CellDef[];
  /** Readings the spec does not know (ingest normally quarantines them). */
  readonly ignoredReadings: number;
}

export class LotEvaluationError extends LotqaError {
  override name = 'LotEvaluationError';
}

/** `shared`: the cube's arrays on SharedArrayBuffers, for chart threads to read in place. */
export function buildLotView(lot: LotData, spec: ProductSpec, options: { readonly shared?: boolean } = {}): LotView {
  if (lot.runs.length === 0) {
    // Every run held out by unresolved conflicts: the lot is not empty, its files disagree. Say so, never
    // "ingest its files", which would send the engineer to deliver the same files again. (evaluateLot HOLDs
    // such a lot before it gets here: held-without-units.ts; this is a baseline built from it.)
    const open = (lot.conflicts ?? []).filter((c) => c.resolution === null);
    if (open.length > 0) {
      const serials = [...new Set(open.map((c) => c.serial))];
      throw new LotEvaluationError(
        `lot ${lot.lot} has no units left to evaluate: every run is held out by ${open.length === 1 ? 'an unresolved file conflict' : `${open.length} unresolved file conflicts`} ` +
          `(unit${serials.length === 1 ? '' : 's'} ${serials.slice(0, 10).join(', ')}${serials.length > 10 ? ', …' : ''}); ` +
          `list them with lotqa conflicts ${lot.lot} and keep one file each with lotqa conflicts resolve ${lot.lot} <serial> --keep <sha256> --reason "…"`,
      );
    }
    throw new LotEvaluationError(
      `lot ${lot.lot} has no units: ingest its station files first (lotqa ingest <dir> --product ${spec.productId})`,
    );
  }
  const parameterIds = spec.parameters.map((p) => p.id);
  const corners = spec.corners.map((c) => c.id);
  const { cube, ignored } = MeasurementCube.fromLot(lot, parameterIds, corners, spec.laneCount, options.shared === true);
  fillDerived(cube, spec);

  const bySerial = new Map<string, number[]>();
  lot.runs.forEach((r, i) => {
    const list = bySerial.get(r.serial);
    if (list) list.push(i);
    else bySerial.set(r.serial, [i]);
  });
  const units: UnitView[] = [];
  for (const [serial, runs] of bySerial) {
    runs.sort((a, b) => lot.runs[a]!.attempt - lot.runs[b]!.attempt);
    const finalRun = runs[runs.length - 1]!;
    const final = lot.runs[finalRun]!;
    units.push({ serial, runs, firstRun: runs[0]!, finalRun, station: final.station, finalTestTime: final.testTime });
  }
  units.sort((a, b) => (a.finalTestTime < b.finalTestTime ? -1 : a.finalTestTime > b.finalTestTime ? 1 : a.serial < b.serial ? -1 : 1));

  return { lot, spec, cube, units, cells: cellDefsOf(spec, cube), ignoredReadings: ignored };
}

/** The cells (parameter × corner × lane) the product defines, in the spec's order: the order of the result's charts. */
export function cellDefsOf(spec: ProductSpec, cube: MeasurementCube): CellDef[] {
  const cells: CellDef[] = [];
  spec.parameters.forEach((p, parameterIndex) => {
    for (const corner of parameterCorners(spec, p.id)) {
      const cornerIndex = cube.cornerIndex(corner)!;
      if (p.scope === 'module')
        cells.push({ parameter: p, parameterIndex, corner, cornerIndex, lane: null, limits: resolveLimits(spec, p.id, corner, null) });
      else
        for (let lane = 0; lane < spec.laneCount; lane++)
          cells.push({ parameter: p, parameterIndex, corner, cornerIndex, lane, limits: resolveLimits(spec, p.id, corner, lane) });
    }
  });
  return cells;
}

/**
 * Frees a lot's reading columns once a cube holds them: each column's buffer is detached (transferred to
 * a clone nobody keeps), so the memory goes back at the next collection whoever still holds the LotData.
 * Only for a LotData whose columns own their buffers (the store's lot reader allocates them per read).
 */
export function releaseReadingColumns(lot: LotData): void {
  const buffers = new Set<ArrayBuffer>();
  for (const column of [lot.runIndex, lot.parameterIndex, lot.cornerIndex, lot.lane, lot.value, lot.censoring])
    if (column.buffer instanceof ArrayBuffer && column.buffer.byteLength > 0) buffers.add(column.buffer);
  structuredClone(undefined, { transfer: [...buffers] });
}

/** Computes derived parameters (e.g. OMA − TDECQ) for every run, corner and lane, in dependency order. */
function fillDerived(cube: MeasurementCube, spec: ProductSpec): void {
  const derived = derivedParameters(spec);
  if (derived.length === 0) return;
  const scopeOf = new Map(spec.parameters.map((p) => [p.id, p.scope]));
  for (const d of derived) {
    const target = cube.parameterIndex(d.id)!;
    const inputIdx = d.inputs.map((id) => ({ id, index: cube.parameterIndex(id), module: scopeOf.get(id) === 'module' }));
    const lanes = d.parameter.scope === 'module' ? [MODULE_LANE] : Array.from({ length: spec.laneCount }, (_, i) => i);
    const inputs = new Map(inputIdx.map((x) => [x.id, x]));
    // One lookup re-pointed at each (run, lane) rather than a closure per slot (millions on a big lot).
    let c = 0;
    let run = 0;
    let lane = 0;
    const lookup = (id: string): number | undefined => {
      const inp = inputs.get(id);
      if (!inp || inp.index === undefined) return undefined;
      const v = cube.values[cube.slot(run, inp.index, c, inp.module ? MODULE_LANE : lane)]!;
      return Number.isNaN(v) ? undefined : v;
    };
    for (const corner of parameterCorners(spec, d.id)) {
      c = cube.cornerIndex(corner)!;
      for (run = 0; run < cube.runCount; run++) {
        for (const l of lanes) {
          lane = l;
          cube.values[cube.slot(run, target, c, lane)] = d.expression.evaluateOrNaN(lookup);
        }
      }
    }
  }
}
