/**
 * @module Cell series — the final-attempt readings of one chart (parameter × corner × lane) in the order
 * the units finished testing, with their censoring and the unit each came from.
 */
import { CENSOR_NONE, MODULE_LANE } from '../domain/lot-data.js';
import type { CellDef, ChartSource } from './lot-view.js';

/** Each unit's final run as an array, per view (asked a few times per chart, for every unit). */
const finalRuns = new WeakMap<ChartSource, Int32Array>();

function finalRunsOf(view: ChartSource): Int32Array {
  let runs = finalRuns.get(view);
  if (runs === undefined) {
    runs = Int32Array.from(view.units, (u) => u.finalRun);
    finalRuns.set(view, runs);
  }
  return runs;
}

export interface CellSeries {
  /** All final-attempt readings present (censored ones at their bound). */
  readonly values: Float64Array;
  readonly censoring: Uint8Array;
  /** Index into view.units for each reading. */
  readonly unitIndex: Int32Array;
  /**
   * Uncensored readings on the parameter's SPC scale (what charts, tests and indices are computed from):
   * log10 of the value for `spcScale: 'log10'` parameters, whose non-positive readings are left out.
   */
  readonly exact: Float64Array;
  readonly exactUnitIndex: Int32Array;
}

/*
 * The loops over a cell's readings are small functions of their own: a loop hot enough to be compiled
 * while it runs (on-stack replacement) on the first chart is compiled together with the code after it,
 * which has not run yet, and on this V8 that compiled loop then bailed out after the loop on every later
 * chart (~180 times a 10,000-unit lot) instead of being replaced.
 */

/** Copies the present readings of one cell (slot base + each unit's final run) into the arrays; returns how many. */
function readCell(
  cubeValues: Float64Array,
  cubeCensoring: Uint8Array,
  base: number,
  units: Int32Array,
  include: ((unitIndex: number) => boolean) | undefined,
  values: Float64Array,
  censoring: Uint8Array,
  unitIndex: Int32Array,
): number {
  let k = 0;
  for (let u = 0; u < units.length; u++) {
    if (include && !include(u)) continue;
    const slot = base + units[u]!;
    const v = cubeValues[slot]!;
    if (Number.isNaN(v)) continue;
    values[k] = v;
    censoring[k] = cubeCensoring[slot]!;
    unitIndex[k] = u;
    k++;
  }
  return k;
}

/** How many of the first `k` censoring codes are not CENSOR_NONE. */
function censoredIn(censoring: Uint8Array, k: number): number {
  let censored = 0;
  for (let i = 0; i < k; i++) if (censoring[i] !== CENSOR_NONE) censored++;
  return censored;
}

/** Copies the uncensored readings (on the SPC scale; positive ones only for log10) and their units; returns how many. */
function keepExact(
  values: Float64Array,
  censoring: Uint8Array,
  unitIndex: Int32Array,
  k: number,
  log: boolean,
  exact: Float64Array,
  exactUnitIndex: Int32Array,
): number {
  let e = 0;
  for (let i = 0; i < k; i++) {
    const v = values[i]!;
    if (censoring[i] === CENSOR_NONE && (!log || v > 0)) {
      exact[e] = log ? Math.log10(v) : v;
      exactUnitIndex[e] = unitIndex[i]!;
      e++;
    }
  }
  return e;
}

/**
 * Reads one cell's final-attempt series straight into preallocated typed arrays (no per-reading boxing:
 * a 10,000-unit lot has a few hundred cells). The arrays returned are views trimmed to the readings found.
 */
export function cellSeries(view: ChartSource, cell: CellDef, include?: (unitIndex: number) => boolean): CellSeries {
  const { cube } = view;
  const units = finalRunsOf(view);
  const lane = cell.lane ?? MODULE_LANE;
  const log = cell.parameter.spcScale === 'log10';
  const n = units.length;
  const values = new Float64Array(n);
  const censoring = new Uint8Array(n);
  const unitIndex = new Int32Array(n);
  const base = cube.cellBase(cell.parameterIndex, cell.cornerIndex, lane);
  const k = readCell(cube.values, cube.censoring, base, units, include, values, censoring, unitIndex);
  const censored = censoredIn(censoring, k);
  // Most charts are linear-scale with nothing censored: their exact series IS the series, so it shares
  // its arrays (nothing mutates a series) — a 100,000-unit lot's 228 charts hold 13 bytes per reading, not 25.
  if (!log && censored === 0) {
    const shared = values.subarray(0, k);
    const sharedUnits = unitIndex.subarray(0, k);
    return { values: shared, censoring: censoring.subarray(0, k), unitIndex: sharedUnits, exact: shared, exactUnitIndex: sharedUnits };
  }
  const exact = new Float64Array(k - censored);
  const exactUnitIndex = new Int32Array(k - censored);
  const e = keepExact(values, censoring, unitIndex, k, log, exact, exactUnitIndex);
  return {
    values: values.subarray(0, k),
    censoring: censoring.subarray(0, k),
    unitIndex: unitIndex.subarray(0, k),
    exact: exact.subarray(0, e),
    exactUnitIndex: exactUnitIndex.subarray(0, e),
  };
}
