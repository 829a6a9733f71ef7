/**
 * @module MeasurementCube — a lot's measurements laid out densely by run × parameter × corner × lane.
 *
 * Why dense: conformance needs, for every reading, the other readings of the same run, corner and lane
 * (derived parameters such as OMA − TDECQ, limits such as max(−4.6, SECQ − 6.0)). A dense Float64Array
 * answers that with index arithmetic; 10,000 units × 12 parameters × 3 corners × 9 lane slots is ~3.5 M
 * slots (28 MB), well inside the budget, and avoids millions of small objects. Missing readings are NaN.
 *
 * Layout: cell-major, run innermost — slot = ((parameter × corners + corner) × laneSlots + lane + 1) ×
 * runs + run. A chart's series (one cell, every unit's final run) is then one mostly sequential walk
 * instead of one cache miss per unit (run-major rows are ~3 kB apart), and a loop over runs that reads
 * a few hundred cells of each run keeps those cells' cache lines warm from one run to the next.
 */
import { CENSOR_NONE, MODULE_LANE, type LotData } from '../domain/lot-data.js';

export class MeasurementCube {
  /** Parameter ids, measured ones first (as in the spec) then derived ones. */
  readonly parameters: readonly string[];
  readonly corners: readonly string[];
  readonly laneCount: number;
  readonly runCount: number;
  readonly values: Float64Array;
  readonly censoring: Uint8Array;
  readonly #paramIndex: Map<string, number>;
  readonly #cornerIndex: Map<string, number>;
  readonly #laneSlots: number;

  /**
   * An empty cube (every slot NaN), or one over `arrays` already filled (a chart thread's view of a cube
   * in shared memory). `shared`: the new arrays on SharedArrayBuffers.
   */
  constructor(
    parameters: readonly string[],
    corners: readonly string[],
    laneCount: number,
    runCount: number,
    options: { readonly shared?: boolean; readonly arrays?: { readonly values: Float64Array; readonly censoring: Uint8Array } } = {},
  ) {
    this.parameters = parameters;
    this.corners = corners;
    this.laneCount = laneCount;
    this.runCount = runCount;
    this.#laneSlots = laneCount + 1;
    const size = runCount * parameters.length * corners.length * this.#laneSlots;
    if (options.arrays !== undefined) {
      if (options.arrays.values.length !== size || options.arrays.censoring.length !== size)
        throw new RangeError(
          `a cube of ${size} slots was given arrays of ${options.arrays.values.length} and ${options.arrays.censoring.length}`,
        );
      this.values = options.arrays.values;
      this.censoring = options.arrays.censoring;
    } else if (options.shared === true) {
      this.values = new Float64Array(new SharedArrayBuffer(size * 8)).fill(Number.NaN);
      this.censoring = new Uint8Array(new SharedArrayBuffer(size));
    } else {
      this.values = new Float64Array(size).fill(Number.NaN);
      this.censoring = new Uint8Array(size);
    }
    this.#paramIndex = new Map(parameters.map((p, i) => [p, i]));
    this.#cornerIndex = new Map(corners.map((c, i) => [c, i]));
  }

  parameterIndex(id: string): number | undefined {
    return this.#paramIndex.get(id);
  }

  cornerIndex(id: string): number | undefined {
    return this.#cornerIndex.get(id);
  }

  /** Flat slot of (run, parameter, corner, lane); lane MODULE_LANE (−1) for per-module readings. */
  slot(run: number, parameter: number, corner: number, lane: number): number {
    return ((parameter * this.corners.length + corner) * this.#laneSlots + (lane + 1)) * this.runCount + run;
  }

  /** Slot of run 0 of one cell: the cell's readings are at cellBase + run (see the layout above). */
  cellBase(parameter: number, corner: number, lane: number): number {
    return ((parameter * this.corners.length + corner) * this.#laneSlots + (lane + 1)) * this.runCount;
  }

  /**
   * Fills the cube from a lot's columnar data. Readings of parameters or corners the spec does not know,
   * or lanes beyond the lane count, are counted and returned (ingest should have quarantined them already).
   */
  static fromLot(
    lot: LotData,
    parameters: readonly string[],
    corners: readonly string[],
    laneCount: number,
    shared = false,
  ): { cube: MeasurementCube; ignored: number } {
    const runCount = lot.runs.length;
    const cube = new MeasurementCube(parameters, corners, laneCount, runCount, { shared });
    // The cube cell (before the lane) of each (lot parameter, lot corner) pair, or -1 when the spec does not
    // know one of them: one lookup per reading instead of two maps and a slot() call.
    const lotCorners = lot.corners.length;
    const cellOf = new Int32Array(lot.parameters.length * lotCorners).fill(-1);
    lot.parameters.forEach((parameter, lp) => {
      const p = cube.#paramIndex.get(parameter);
      if (p === undefined) return;
      lot.corners.forEach((corner, lc) => {
        const c = cube.#cornerIndex.get(corner);
        if (c !== undefined) cellOf[lp * lotCorners + lc] = (p * corners.length + c) * cube.#laneSlots;
      });
    });
    const { runIndex, parameterIndex, cornerIndex, lane: laneOf, value, censoring } = lot;
    const cubeValues = cube.values;
    const cubeCensoring = cube.censoring;
    let ignored = 0;
    const n = value.length;
    for (let i = 0; i < n; i++) {
      const lc = cornerIndex[i]!;
      const cell = lc < lotCorners ? (cellOf[parameterIndex[i]! * lotCorners + lc] ?? -1) : -1;
      const lane = laneOf[i]!;
      if (cell < 0 || lane >= laneCount || lane < MODULE_LANE) {
        ignored++;
        continue;
      }
      const s = (cell + lane + 1) * runCount + runIndex[i]!;
      cubeValues[s] = value[i]!;
      cubeCensoring[s] = censoring[i] ?? CENSOR_NONE;
    }
    return { cube, ignored };
  }
}
