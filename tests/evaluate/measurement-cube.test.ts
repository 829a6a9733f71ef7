/**
 * MeasurementCube.fromLot places every reading the spec knows in its slot and counts the rest: the same
 * cube and count as a reading-by-reading reference (the original slot() walk), on readings the spec does
 * not know too (unknown parameter or corner, a lane beyond the lane count or below the module lane).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MeasurementCube } from '../../src/evaluate/measurement-cube.js';
import type { LotData } from '../../src/domain/lot-data.js';

function reference(lot: LotData, parameters: string[], corners: string[], laneCount: number): { cube: MeasurementCube; ignored: number } {
  const cube = new MeasurementCube(parameters, corners, laneCount, lot.runs.length);
  let ignored = 0;
  for (let i = 0; i < lot.value.length; i++) {
    const p = cube.parameterIndex(lot.parameters[lot.parameterIndex[i]!]!) ?? -1;
    const c = cube.cornerIndex(lot.corners[lot.cornerIndex[i]!]!) ?? -1;
    const lane = lot.lane[i]!;
    if (p < 0 || c < 0 || lane >= laneCount || lane < -1) {
      ignored++;
      continue;
    }
    const s = cube.slot(lot.runIndex[i]!, p, c, lane);
    cube.values[s] = lot.value[i]!;
    cube.censoring[s] = lot.censoring[i]!;
  }
  return { cube, ignored };
}

describe('MeasurementCube.fromLot', () => {
  it('fills the same slots and counts the same ignored readings as the reading-by-reading reference', () => {
    const lotParameters = ['ER', 'OMA', 'TDECQ', 'UNKNOWN'];
    const lotCorners = ['HOT', 'ROOM', 'ODD'];
    const specParameters = ['TDECQ', 'OMA', 'ER', 'DERIVED'];
    const specCorners = ['ROOM', 'HOT'];
    const laneCount = 4;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(
          fc.record({
            run: fc.nat(),
            p: fc.integer({ min: 0, max: lotParameters.length - 1 }),
            c: fc.integer({ min: 0, max: lotCorners.length - 1 }),
            lane: fc.integer({ min: -2, max: laneCount + 1 }),
            v: fc.double({ noNaN: true }),
            cens: fc.integer({ min: 0, max: 2 }),
          }),
          { maxLength: 80 },
        ),
        (runCount, rs) => {
          const lot = {
            runs: Array.from({ length: runCount }, () => ({})),
            parameters: lotParameters,
            corners: lotCorners,
            runIndex: Int32Array.from(rs, (r) => r.run % runCount),
            parameterIndex: Uint16Array.from(rs, (r) => r.p),
            cornerIndex: Uint16Array.from(rs, (r) => r.c),
            lane: Int16Array.from(rs, (r) => r.lane),
            value: Float64Array.from(rs, (r) => r.v),
            censoring: Uint8Array.from(rs, (r) => r.cens),
          } as unknown as LotData;
          const expected = reference(lot, specParameters, specCorners, laneCount);
          const actual = MeasurementCube.fromLot(lot, specParameters, specCorners, laneCount);
          expect(actual.ignored).toBe(expected.ignored);
          expect(Array.from(actual.cube.values)).toEqual(Array.from(expected.cube.values));
          expect(Array.from(actual.cube.censoring)).toEqual(Array.from(expected.cube.censoring));
        },
      ),
    );
  });
});
