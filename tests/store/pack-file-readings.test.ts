/**
 * A prepared file's runs packed in one pass (prepared-file.ts packFileReadings: one sort for the whole
 * file, and a recent file's order reused when its sort keys are the same) must be byte for byte what
 * packing each run on its own gives (run-readings.ts packRunReadings, a plain comparator sort).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Measurement, ParsedFile } from '../../src/domain/measurement.js';
import { packFileReadings, prepareParsedFile } from '../../src/store/records/prepared-file.js';
import { packRunReadings } from '../../src/store/run-readings.js';
import { stationLimits } from '../../src/domain/station-evidence.js';

const PARAMETERS = ['tx_power', 'er', 'oma', 'module_power', 'rx_sens'];
const CORNERS = ['cold', 'room', 'hot'];

/** A file of `runs` runs whose readings are `cells` (run, parameter, corner, lane), listed in that order. */
function fileOf(runs: number, cells: readonly (readonly [number, number, number, number])[], salt: number): ParsedFile {
  const measurements: Measurement[] = cells.map(([run, p, c, lane], i) => ({
    run,
    parameter: PARAMETERS[p]!,
    corner: CORNERS[c]!,
    lane: lane === -1 ? null : lane,
    value: Math.sin(i + salt) * 10 ** (i % 7),
    censoring: (['none', 'below', 'above'] as const)[(i + salt) % 3]!,
    line: 2 + i,
  }));
  return {
    path: `/drop/F${salt}.csv`,
    name: `F${salt}.csv`,
    sha256: salt.toString(16).padStart(64, '0'),
    bytes: 100,
    profileId: 'wide-v2',
    productId: 'prod',
    profileChoice: 'test',
    dataRows: runs,
    runs: Array.from({ length: runs }, (_, r) => ({
      serial: `SN${r}`,
      lot: 'L1',
      station: 'ATE-01',
      testTime: '2025-04-02T06:28:30.000Z',
      declaredAttempt: 1,
      operator: null,
    })),
    measurements,
    quarantine: [],
  };
}

/** What packing each run alone gives, with the same ids. */
function perRun(file: ParsedFile, parameterIds: ReadonlyMap<string, number>, cornerIds: ReadonlyMap<string, number>): Buffer[] {
  return file.runs.map((_, r) => {
    const ms = file.measurements.filter((m) => m.run === r);
    return packRunReadings(
      {
        length: ms.length,
        parameterId: ms.map((m) => parameterIds.get(m.parameter)!),
        cornerId: ms.map((m) => cornerIds.get(m.corner)!),
        lane: ms.map((m) => m.lane ?? -1),
        value: ms.map((m) => m.value),
        censoring: ms.map((m) => ['none', 'below', 'above'].indexOf(m.censoring)),
        line: ms.map((m) => m.line),
      },
      String,
    );
  });
}

const cells = fc
  .integer({ min: 1, max: 3 })
  .chain((runs) =>
    fc
      .uniqueArray(
        fc.tuple(
          fc.integer({ min: 0, max: runs - 1 }),
          fc.integer({ min: 0, max: PARAMETERS.length - 1 }),
          fc.integer({ min: 0, max: CORNERS.length - 1 }),
          fc.integer({ min: -1, max: 7 }),
        ),
        { selector: (t) => t.join('/'), minLength: 1, maxLength: 80 },
      )
      .map((list) => ({ runs, list })),
  );
const ids = fc.shuffledSubarray([3, 9, 1, 40, 7, 12, 25, 2], { minLength: 8, maxLength: 8 });

describe('packFileReadings', () => {
  it('packs every run as packRunReadings does, also when it reuses a recent file order', () => {
    fc.assert(
      fc.property(cells, cells, ids, ({ runs, list }, other, shuffled) => {
        const parameterIds = new Map(PARAMETERS.map((p, k) => [p, shuffled[k]!]));
        const cornerIds = new Map(CORNERS.map((c, k) => [c, shuffled[5 + k]!]));
        // The same layout twice (the second reuses the first's order), another layout, the first again.
        const files = [fileOf(runs, list, 1), fileOf(runs, list, 2), fileOf(other.runs, other.list, 3), fileOf(runs, list, 4)];
        for (const file of files) {
          const prepared = prepareParsedFile(file);
          const runIds = Int32Array.from(file.runs, (_, r) => 100 + r);
          const rows = packFileReadings(prepared, runIds, parameterIds, cornerIds);
          const expected = perRun(file, parameterIds, cornerIds);
          expect(rows.map((row) => row.run_id)).toEqual([...runIds]);
          expect(rows.map((row) => row.reading_count)).toEqual(expected.map((b) => b.byteLength / 20));
          rows.forEach((row, r) => expect(row.readings.equals(expected[r]!)).toBe(true));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("a file's station limit set", () => {
  /** A file of `units` runs, each with 12 readings carrying the station's limits (one lane's low differs per unit). */
  const limitedFile = (units: number, salt: number): ParsedFile => {
    const file = fileOf(
      units,
      Array.from({ length: units * 12 }, (_, i) => [Math.floor(i / 12), i % 4, (i >> 2) % 3, -1] as const),
      salt,
    );
    return {
      ...file,
      measurements: file.measurements.map((m, i) => ({ ...m, stationLimits: { low: i % 12 === 0 ? m.run / 10 : null, high: 4 } })),
    };
  };
  const expected = (file: ParsedFile): string =>
    JSON.stringify(
      stationLimits(file).map((l) => ({
        station: l.station,
        parameter: l.parameter,
        corner: l.corner,
        lane: l.lane,
        low: l.low,
        high: l.high,
      })),
    );

  it('is every distinct limit, in file order, for a per-unit file and for a file of 1,000 units (12,000 limits)', () => {
    for (const file of [limitedFile(1, 901), limitedFile(1_000, 902)]) {
      const set = prepareParsedFile(file).station?.limitSet;
      expect(set?.json).toBe(expected(file));
    }
  });

  it('of a file too large to remember is made anew each time (a later small file is not given its set)', () => {
    const big = limitedFile(1_000, 903);
    expect(prepareParsedFile(big).station?.limitSet?.json).toBe(expected(big));
    const small = limitedFile(1, 904);
    expect(prepareParsedFile(small).station?.limitSet?.json).toBe(expected(small));
    expect(prepareParsedFile(big).station?.limitSet?.json).toBe(expected(big));
  });
});
