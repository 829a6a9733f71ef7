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
  const cubeValues = cube.values;
  const cubeCensoring = cube.censoring;
  let k = 0;
  let censored = 0;
  const base = cube.cellBase(cell.parameterIndex, cell.cornerIndex, lane);
  for (let u = 0; u < n; u++) {
    if (include && !include(u)) continue;
    const slot = base + units[u]!;
    const v = cubeValues[slot]!;
    if (Number.isNaN(v)) continue;
    const c = cubeCensoring[slot]!;
    values[k] = v;
    censoring[k] = c;
    unitIndex[k] = u;
    if (c !== CENSOR_NONE) censored++;
    k++;
  }
  // Most charts are linear-scale with nothing censored: their exact series IS the series, so it shares
  // its arrays (nothing mutates a series) — a 100,000-unit lot's 228 charts hold 13 bytes per reading, not 25.
  if (!log && censored === 0) {
    const shared = values.subarray(0, k);
    const sharedUnits = unitIndex.subarray(0, k);
    return { values: shared, censoring: censoring.subarray(0, k), unitIndex: sharedUnits, exact: shared, exactUnitIndex: sharedUnits };
  }
  const exact = new Float64Array(k - censored);
  const exactUnitIndex = new Int32Array(k - censored);
  let e = 0;
  for (let i = 0; i < k; i++) {
    const v = values[i]!;
    if (censoring[i] === CENSOR_NONE && (!log || v > 0)) {
      exact[e] = log ? Math.log10(v) : v;
      exactUnitIndex[e] = unitIndex[i]!;
      e++;
    }
  }
  return {
    values: values.subarray(0, k),
    censoring: censoring.subarray(0, k),
    unitIndex: unitIndex.subarray(0, k),
    exact: exact.subarray(0, e),
    exactUnitIndex: exactUnitIndex.subarray(0, e),
  };
}
