/**
 * @module Cell series — the final-attempt readings of one chart (parameter × corner × lane) in the order
 * the units finished testing, with their censoring and the unit each came from.
 */
import { CENSOR_NONE, MODULE_LANE } from '../domain/lot-data.js';
import type { CellDef, LotView } from './lot-view.js';

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

export function cellSeries(view: LotView, cell: CellDef, include?: (unitIndex: number) => boolean): CellSeries {
  const { cube, units } = view;
  const lane = cell.lane ?? MODULE_LANE;
  const log = cell.parameter.spcScale === 'log10';
  const values: number[] = [];
  const censoring: number[] = [];
  const unitIndex: number[] = [];
  const exact: number[] = [];
  const exactUnitIndex: number[] = [];
  for (let u = 0; u < units.length; u++) {
    if (include && !include(u)) continue;
    const slot = cube.slot(units[u]!.finalRun, cell.parameterIndex, cell.cornerIndex, lane);
    const v = cube.values[slot]!;
    if (Number.isNaN(v)) continue;
    const c = cube.censoring[slot]!;
    values.push(v);
    censoring.push(c);
    unitIndex.push(u);
    if (c === CENSOR_NONE && (!log || v > 0)) {
      exact.push(log ? Math.log10(v) : v);
      exactUnitIndex.push(u);
    }
  }
  return {
    values: Float64Array.from(values),
    censoring: Uint8Array.from(censoring),
    unitIndex: Int32Array.from(unitIndex),
    exact: Float64Array.from(exact),
    exactUnitIndex: Int32Array.from(exactUnitIndex),
  };
}
