/**
 * The station's own verdicts and limits, read from its files, compared with lotqa's judgement of each
 * unit and with the product spec: the sentences a quality engineer reads when they disagree.
 */
import { describe, expect, it } from 'vitest';
import { findProduct } from '../../src/domain/catalog.js';
import type { ParsedFile } from '../../src/domain/measurement.js';
import {
  compareWithStation,
  stationLimits,
  stationRunVerdicts,
  stationRunVerdictsOfColumns,
  stationLimitsOfColumns,
  type StationRunVerdict,
} from '../../src/domain/station-evidence.js';
import { measurementColumns } from '../../src/domain/measurement-columns.js';
import type { Measurement, TestRun } from '../../src/domain/measurement.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';
import { fixture, longProfile, miniProduct } from './support/catalog.js';
import { sectionedProfile, vendorFile } from './support/vendor-profiles.js';

async function read(path: string, profile = longProfile): Promise<ParsedFile> {
  const out = await parseStationFile(path, { product: miniProduct, profile, profiles: [] });
  if (out.kind !== 'parsed') throw new Error(out.file.message);
  return out.file;
}

describe('the station’s evidence in a parsed file', () => {
  it('a unit verdict column and limit columns (ACME sectioned file)', async () => {
    const f = await read(vendorFile('acme-sectioned.csv'), sectionedProfile);
    expect(stationRunVerdicts(f)).toEqual([
      { serial: 'SN0101', lot: 'L2410', station: 'ACME-7', testTime: '2025-03-04T10:00:00.000Z', verdict: 'fail', from: 'unit', run: 0 },
    ]);
    expect(stationLimits(f).map((l) => [l.parameter, l.corner, l.lane, l.low, l.high])).toEqual([
      ['tx_avg_power', 'room', 0, -2.9, 4],
      ['tx_er', 'room', 0, 3.5, null],
      ['tx_avg_power', 'room', 1, -2.9, 4],
      ['tx_er', 'room', 1, 3.5, null],
      ['tx_avg_power', 'hot', 0, -2.9, 4],
      ['tx_er', 'hot', 0, 3.6, null],
      ['tx_avg_power', 'hot', 1, -2.9, 4],
      ['tx_er', 'hot', 1, 3.6, null],
    ]);
  });

  it('per-reading verdicts add up to the run’s (any FAIL fails it); limits come converted to the canonical unit', async () => {
    const f = await read(fixture('long-good.csv'));
    expect(stationRunVerdicts(f)).toEqual([expect.objectContaining({ serial: 'SN0001', verdict: 'fail', from: 'readings' })]);
    // PWR's upper limit is written 12000 mW: 12 W, the spec's own limit
    expect(stationLimits(f).find((l) => l.parameter === 'module_power')).toMatchObject({ low: null, high: 12 });
  });
});

/** The run verdicts written out plainly from reading objects: the oracle for the columnar code. */
function referenceVerdicts(runs: readonly TestRun[], measurements: readonly Measurement[]): StationRunVerdict[] {
  const fromReadings = new Map<number, 'pass' | 'fail'>();
  for (const m of measurements) {
    if (m.stationVerdict === undefined || fromReadings.get(m.run) === 'fail') continue;
    fromReadings.set(m.run, m.stationVerdict);
  }
  const out: StationRunVerdict[] = [];
  runs.forEach((run, i) => {
    const { serial, lot, station, testTime } = run;
    const verdict = run.stationVerdict ?? fromReadings.get(i);
    if (verdict !== undefined)
      out.push({ serial, lot, station, testTime, verdict, from: run.stationVerdict !== undefined ? 'unit' : 'readings', run: i });
  });
  return out;
}

/** The distinct station limits written out plainly (one text key per reading), in first-seen order: the oracle. */
function referenceLimits(runs: readonly TestRun[], measurements: readonly Measurement[]) {
  const seen = new Map<
    string,
    { station: string; parameter: string; corner: string; lane: number | null; low: number | null; high: number | null }
  >();
  for (const m of measurements) {
    const limits = m.stationLimits;
    if (limits === undefined) continue;
    const station = runs[m.run]?.station ?? '';
    const key = [station, m.parameter, m.corner, m.lane, limits.low, limits.high].join('\u0000');
    if (!seen.has(key))
      seen.set(key, { station, parameter: m.parameter, corner: m.corner, lane: m.lane, low: limits.low, high: limits.high });
  }
  return [...seen.values()];
}

describe('run verdicts from readings held as columns (what the store prepares)', () => {
  it('are those of the reading objects, for every mix of unit verdicts, readings that pass, fail or say nothing', () => {
    const run = (i: number, unit?: 'pass' | 'fail'): TestRun => ({
      serial: `SN${i}`,
      lot: 'L1',
      station: 'ATE-01',
      testTime: `2025-01-01T00:00:0${i}.000Z`,
      declaredAttempt: 1,
      operator: null,
      ...(unit === undefined ? {} : { stationVerdict: unit }),
    });
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let trial = 0; trial < 200; trial++) {
      const runs = [0, 1, 2, 3].map((i) => run(i, next() < 0.2 ? (next() < 0.5 ? 'pass' : 'fail') : undefined));
      const measurements: Measurement[] = Array.from({ length: 12 }, (_, k) => {
        const said = next();
        const m: Measurement = {
          run: Math.floor(next() * runs.length),
          parameter: 'tx_er',
          corner: 'room',
          lane: k % 4,
          value: 5,
          censoring: 'none',
          line: k + 2,
          ...(said < 0.4 ? {} : { stationVerdict: said < 0.8 ? ('pass' as const) : ('fail' as const) }),
        };
        return m;
      });
      expect(stationRunVerdictsOfColumns(runs, measurementColumns(measurements))).toEqual(referenceVerdicts(runs, measurements));
      expect(stationRunVerdicts({ runs, measurements })).toEqual(referenceVerdicts(runs, measurements));
    }
  });
});

describe('station limits from readings held as columns', () => {
  it('are those of the reading objects, in the same order, for lanes, module readings and one-sided limits', () => {
    let seed = 11;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const runs: TestRun[] = ['ATE-01', 'ATE-02'].map((station, i) => ({
      serial: `SN${i}`,
      lot: 'L1',
      station,
      testTime: `2025-01-01T00:00:0${i}.000Z`,
      declaredAttempt: 1,
      operator: null,
    }));
    for (let trial = 0; trial < 100; trial++) {
      const measurements: Measurement[] = Array.from({ length: 40 }, (_, k) => {
        const side = next();
        const low = side < 0.3 ? null : [3.5, 3.6][Math.floor(next() * 2)]!;
        const high = side > 0.7 ? null : 4;
        return {
          run: Math.floor(next() * 2),
          parameter: next() < 0.5 ? 'tx_er' : 'module_power',
          corner: next() < 0.5 ? 'room' : 'hot',
          lane: next() < 0.2 ? null : k % 3,
          value: 5,
          censoring: 'none',
          line: k + 2,
          ...(next() < 0.25 || (low === null && high === null) ? {} : { stationLimits: { low, high } }),
        };
      });
      expect(stationLimitsOfColumns(runs, measurementColumns(measurements))).toEqual(referenceLimits(runs, measurements));
      expect(stationLimits({ runs, measurements })).toEqual(referenceLimits(runs, measurements));
    }
  });
});

describe('compared with lotqa and the spec', () => {
  it('"the station says FAIL, lotqa says pass" and "ACME-7 tests ER against 3.6 dB, the spec says 3.5 dB"', async () => {
    const f = await read(vendorFile('acme-sectioned.csv'), sectionedProfile);
    // lane 2 at 70 °C reads ER 3.55 dB: under the station's 3.6 dB, above the spec's 3.5 dB
    const c = compareWithStation({
      spec: miniProduct,
      runs: stationRunVerdicts(f),
      units: [{ serial: 'SN0101', firstPass: 'pass', final: 'pass' }],
      limits: stationLimits(f),
    });
    expect(c.verdicts).toEqual([
      {
        serial: 'SN0101',
        station: 'ACME-7',
        testTime: '2025-03-04T10:00:00.000Z',
        attempt: 'final',
        stationSays: 'fail',
        lotqaSays: 'pass',
        message: 'unit SN0101, final attempt (ACME-7, 2025-03-04T10:00:00.000Z): the station says FAIL, lotqa says pass',
      },
    ]);
    expect(c.limits.map((l) => l.message)).toEqual([
      'ACME-7 tests extinction ratio (tx_er) against 3.6 dB, the spec says 3.5 dB (lower limit; hot; lanes 1, 2)',
    ]);
    expect(c.limits[0]).toMatchObject({
      station: 'ACME-7',
      parameter: 'tx_er',
      side: 'lower',
      stationLimit: 3.6,
      specLimit: 3.5,
      corners: ['hot'],
      lanes: [0, 1],
    });
    expect(c.notCompared).toEqual([]);
  });

  it('compares a unit’s first run with lotqa’s first-pass verdict and its last with the final one', () => {
    const run = (testTime: string, verdict: 'pass' | 'fail'): StationRunVerdict => ({
      serial: 'SN7',
      lot: 'L1',
      station: 'ATE-02',
      testTime,
      verdict,
      from: 'unit',
    });
    const c = compareWithStation({
      spec: miniProduct,
      runs: [run('2025-01-02T10:00:00.000Z', 'pass'), run('2025-01-01T10:00:00.000Z', 'fail')],
      units: [{ serial: 'SN7', firstPass: 'pass', final: 'pass' }],
      limits: [],
    });
    expect(c.verdicts.map((v) => [v.attempt, v.testTime, v.stationSays, v.lotqaSays])).toEqual([
      ['first', '2025-01-01T10:00:00.000Z', 'fail', 'pass'],
    ]);
  });

  it('agrees silently where both say the same, and lists what it could not compare', () => {
    const runs: StationRunVerdict[] = [
      { serial: 'A', lot: 'L', station: 'S', testTime: 't', verdict: 'fail', from: 'unit' },
      { serial: 'B', lot: 'L', station: 'S', testTime: 't', verdict: 'pass', from: 'readings' },
      { serial: 'C', lot: 'L', station: 'S', testTime: 't', verdict: 'pass', from: 'unit' },
    ];
    const c = compareWithStation({
      spec: miniProduct,
      runs,
      units: [
        { serial: 'A', firstPass: 'fail', final: 'fail' },
        { serial: 'B', firstPass: 'indeterminate', final: 'indeterminate' },
      ],
      limits: [],
    });
    expect(c.verdicts).toEqual([]);
    expect(c.notCompared).toEqual([
      'unit B (final attempt): the station says PASS, lotqa could not judge it (indeterminate)',
      'unit C: the station judged it, lotqa has no verdict on it (its readings were not stored)',
    ]);
  });

  it('says when the spec has no limit on that side, and does not compare a limit the spec writes as an expression', () => {
    const dr8 = findProduct('osfp-800g-dr8');
    const c = compareWithStation({
      spec: dr8,
      runs: [],
      units: [],
      limits: [
        { station: 'ATE-02', parameter: 'tx_er', corner: 'room', lane: 2, low: 3.5, high: 9 },
        { station: 'ATE-02', parameter: 'tx_oma_outer', corner: 'room', lane: 2, low: -1.2, high: 4.2 },
        { station: 'ATE-02', parameter: 'module_power', corner: 'hot', lane: null, low: null, high: 16.5 },
      ],
    });
    expect(c.limits.map((l) => l.message)).toEqual([
      expect.stringMatching(/^ATE-02 tests .* \(tx_er\) against 9 dB, the spec has no upper limit \(upper limit; room; lane 3\)$/),
      expect.stringMatching(/^ATE-02 tests .* \(module_power\) against 16\.5 W, the spec says 17 W \(upper limit; hot\)$/),
    ]);
    expect(c.notCompared).toEqual([
      expect.stringMatching(
        /^ATE-02's lower limit for tx_oma_outer: the spec's lower limit is the expression .*depends on each unit's readings$/,
      ),
    ]);
  });
});
