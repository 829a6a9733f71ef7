/**
 * The table reader's fast path hands long rows (one reading per row) to the mapper as ranges of the
 * file's text (RowMapper.mapLongRanges) instead of a string per cell. It must give exactly the outcome of
 * splitting the row and mapping its strings (mapLong): runs, readings with the station's verdicts and
 * limits, quarantine entries and their order. Checked on generated files in the long-generic layout whose
 * rows mix plain readings with every shape the fast path must hand back — odd values, units, limits,
 * results, test names and lanes, identity changes and clashes mid-file, repeats, ragged and blank rows —
 * read whole (ranges) and streamed (papaparse, strings).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { findProduct, findProfile } from '../../src/domain/catalog.js';
import type { IngestOutcome } from '../../src/domain/measurement.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';
import { RowMapper } from '../../src/ingest/row-mapper.js';
import { seededRandom } from './support/seeded-random.js';
import { quoteLine, QUOTING_STYLES } from './support/quoting.js';

const product = findProduct('osfp-800g-dr8');
const profile = findProfile('long-generic');
const dir = mkdtempSync(join(tmpdir(), 'lotqa-long-range-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'Serial,Lot,Station,TestTime,Attempt,Operator,Corner,Lane,Test,Value,Unit,LowLimit,HighLimit,Result';
/** Test name, a plain value, its unit, low and high limit: what a healthy station writes per lane. */
const TESTS: readonly (readonly [string, string, string, string, string])[] = [
  ['TxPower', '0.686', 'dBm', '-2.9', '4'],
  ['OMA', '1.86895997165', 'mW', '0.5', ''],
  ['TDECQ', '1.474', 'dB', '', '3.4'],
  ['TDECQ_Ceq', '1.400', 'dB', '', '3.4'],
  ['ER', '7.145', 'dB', '3.5', ''],
  ['RxSens', '-7.637', 'dBm', '', '-4.4'],
  ['PreFecBER', '2.675e-7', 'ratio', '', '0.00024'],
];
const ODD_VALUES = [
  '',
  ' 1.25',
  '1.25 ',
  '<0.5',
  '>=2.0',
  'NaN',
  'inf',
  '1,5',
  '1.2.3',
  '-0.5',
  '0',
  '1e400',
  '1e-400',
  '#N/A',
  '99999999',
  '+4.2',
  '.5',
  '5.',
  '8.3E+2',
];
const ODD_UNITS = ['', ' dBm', 'DBM', 'µW', 'uW', 'mw', 'furlong', 'dB ', 'W'];
const ODD_LIMITS = ['', ' 3', '<3', 'x', '1e400', '-0', 'NaN', '3.5'];
const ODD_RESULTS = ['', 'pass', ' PASS', 'FAIL', 'ng', 'OK', 'maybe', 'P'];
const ODD_TESTS = ['txpower', ' TxPower', 'TxPower ', 'Unknown', 'tx_avg_power', 'tx_oma_minus_tdecq', ''];
const ODD_LANES = ['8', 'x', ' 2', '-1', '', '01'];
const ODD_IDENTITY: readonly (readonly [number, string])[] = [
  [0, 'SNB1000000002'],
  [1, 'B99'],
  [2, 'ATE-02'],
  [3, '2025-06-04T09:00:00Z'],
  [3, 'yesterday'],
  [4, '2'],
  [4, 'x'],
  [5, ''],
  [6, '99C'],
  [6, ' 0C'],
  [0, ''],
];

/** A file of `units` units (168 rows each, ~13 kB), its lines ending in `newline`. */
function fileText(seed: number, units = 1, newline = '\n'): string {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const lines = [HEADER];
  for (let u = 1; u <= units; u++)
    for (const corner of ['0C', '25C', '70C']) {
      for (let lane = 0; lane < 8; lane++) {
        for (const [test, value, unit, low, high] of TESTS) {
          const cells = [
            `SNB${1000000000 + u}`,
            'B1',
            'ATE-01',
            '2025-06-04T08:00:00Z',
            '1',
            'OP-A',
            corner,
            String(lane),
            test,
            value,
            unit,
            low,
            high,
            'PASS',
          ];
          const odd = rnd();
          if (odd < 0.05) cells[9] = pick(ODD_VALUES);
          else if (odd < 0.08) cells[10] = pick(ODD_UNITS);
          else if (odd < 0.11) cells[11 + Math.floor(rnd() * 2)] = pick(ODD_LIMITS);
          else if (odd < 0.14) cells[13] = pick(ODD_RESULTS);
          else if (odd < 0.16) cells[8] = pick(ODD_TESTS);
          else if (odd < 0.18) cells[7] = pick(ODD_LANES);
          else if (odd < 0.2) {
            const [at, v] = pick(ODD_IDENTITY);
            cells[at] = v;
          }
          let line = cells.join(',');
          const row = rnd();
          if (row < 0.02) line += ',';
          else if (row < 0.03) line += ',,';
          else if (row < 0.04) line += ',extra';
          else if (row < 0.05) line = line.slice(0, line.lastIndexOf(','));
          else if (row < 0.06) line = ',,,,,,,,,,,,,';
          else if (row < 0.07) line = '';
          lines.push(line);
          if (rnd() < 0.03) lines.push(line); // a repeated row: a duplicate reading
        }
      }
    }
  const style = QUOTING_STYLES[seed % QUOTING_STYLES.length]!;
  return `${lines.map((l) => quoteLine(l, ',', style, rnd)).join(newline)}${newline}`;
}

const parse = (path: string, wholeFileBytes?: number, splitter?: 'papaparse'): Promise<IngestOutcome> =>
  parseStationFile(path, { product, profiles: [profile], wholeFileBytes, splitter });

const footerProfile = findProfile('long-commented-footer');
const FOOTER_HEADER = 'DUT_SN,LOTNO,TESTER,START_TIME,RUN,TEMP,CH,TEST_NAME,MEAS,UNITS,LO_LIM,HI_LIM,P_F';
const FOOTER_TESTS: readonly (readonly [string, string, string, string, string])[] = [
  ['TX_POW', '0.686', 'dBm', '-2.9', '4'],
  ['TX_ER', '7.145', 'dB', '3.5', ''],
  ['TX_WL', '1312.788', 'nm', '1304.5', '1317.5'],
  ['RX_BER', '0.000001472', 'ratio', '', '0.00024'],
];

/**
 * A test executive's long file with what its layout rules look at: '#' comments inside the table,
 * TOTAL summary rows, the END_DATA marker (sometimes missing: the last row is then held and reported
 * cut off), a footer of 'Key: Value' lines with the unit's Overall verdict, and odd cells now and then.
 */
function footerText(seed: number): string {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const lines = ['# station export v3', FOOTER_HEADER];
  for (const corner of ['0C', '25C', '70C']) {
    for (let lane = 0; lane < 8; lane++) {
      for (const [test, value, unit, low, high] of FOOTER_TESTS) {
        const cells = [
          'SNB1000000001',
          'B1',
          'ATE-01',
          '2025-06-04T08:00:00Z',
          '1',
          corner,
          String(lane),
          test,
          value,
          unit,
          low,
          high,
          'PASS',
        ];
        const odd = rnd();
        if (odd < 0.05) cells[8] = pick(ODD_VALUES);
        else if (odd < 0.08) cells[9] = pick(ODD_UNITS);
        else if (odd < 0.1) cells[10 + Math.floor(rnd() * 2)] = pick(ODD_LIMITS);
        else if (odd < 0.12) cells[12] = pick(ODD_RESULTS);
        else if (odd < 0.14) cells[6] = pick(ODD_LANES);
        lines.push(cells.join(','));
        const extra = rnd();
        if (extra < 0.03) lines.push(`# lane ${lane} retried`);
        else if (extra < 0.05) lines.push(`TOTAL,${lane},${test}`);
        else if (extra < 0.06) lines.push('');
      }
    }
  }
  const ending = rnd();
  if (ending < 0.8) lines.push('END_DATA', 'Overall: PASS', 'Operator: OP-A', '# end');
  else if (ending < 0.9) lines.push('END_DATA');
  // else: no END_DATA, the file stops after its last reading row
  return `${lines.join('\n')}\n`;
}

describe('long rows read as ranges of the text', () => {
  it('give the outcome of papaparse, whole or streamed in pieces, on 40 files of mixed rows (up to 160 kB, LF and CRLF)', async () => {
    const spy = vi.spyOn(RowMapper.prototype, 'mapLongRanges');
    try {
      let quarantined = 0;
      let limits = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const path = join(dir, `mixed-${seed}.csv`);
        // Up to 12 units (~160 kB: streamed in three 64 kB pieces), some files with CRLF line ends.
        writeFileSync(path, fileText(seed, 1 + (seed % 12), seed % 3 === 0 ? '\r\n' : '\n'));
        // papaparse, streamed, is the reference: lotqa's own splitting, of the text whole or in pieces, must agree.
        const whole = await parse(path, 0, 'papaparse');
        expect(await parse(path), `seed ${seed}`).toEqual(whole);
        expect(await parse(path, 0), `seed ${seed}`).toEqual(whole);
        if (whole.kind === 'parsed') {
          quarantined += whole.file.quarantine.length;
          limits += whole.file.measurements.filter((m) => m.stationLimits !== undefined).length;
        }
      }
      const answers = spy.mock.results.map((r) => r.value as boolean);
      // Both ways were taken: most rows read in place, the odd ones handed back to be split.
      expect(answers.filter((a) => a).length).toBeGreaterThan(5000);
      expect(answers.filter((a) => !a).length).toBeGreaterThan(500);
      expect(quarantined).toBeGreaterThan(300);
      expect(limits).toBeGreaterThan(4000);
    } finally {
      spy.mockRestore();
    }
  });

  it('with comments, summary rows, an end marker and a footer: the outcome of splitting them, on 30 files', async () => {
    const spy = vi.spyOn(RowMapper.prototype, 'mapLongRanges');
    try {
      let otherLines = 0;
      let truncated = 0;
      for (let seed = 1; seed <= 30; seed++) {
        const path = join(dir, `footer-${seed}.csv`);
        writeFileSync(path, footerText(seed));
        const read = (wholeFileBytes?: number, splitter?: 'papaparse') =>
          parseStationFile(path, { product, profiles: [footerProfile], wholeFileBytes, splitter });
        const whole = await read(0, 'papaparse');
        expect(await read(), `seed ${seed}`).toEqual(whole);
        expect(await read(0), `seed ${seed}`).toEqual(whole);
        if (whole.kind === 'parsed') {
          otherLines += whole.file.otherLines?.length ?? 0;
          truncated += whole.file.quarantine.filter((q) => q.reason === 'truncated').length;
        }
      }
      expect(spy.mock.results.filter((r) => r.value === true).length).toBeGreaterThan(2000);
      expect(otherLines).toBeGreaterThan(50);
      expect(truncated).toBeGreaterThan(0);
    } finally {
      spy.mockRestore();
    }
  });

  it('read a plain file to the readings, verdicts and limits of splitting it', async () => {
    const lines = [HEADER];
    for (const corner of ['0C', '25C', '70C'])
      for (let lane = 0; lane < 8; lane++)
        for (const [test, value, unit, low, high] of TESTS)
          lines.push(
            ['SNB1', 'B1', 'ATE-01', '2025-06-04T08:00:00Z', '1', 'OP-A', corner, String(lane), test, value, unit, low, high, 'PASS'].join(
              ',',
            ),
          );
    const path = join(dir, 'plain.csv');
    writeFileSync(path, `${lines.join('\r\n')}\r\n`);
    const whole = await parse(path);
    expect(whole).toEqual(await parse(path, 0, 'papaparse'));
    expect(whole.kind).toBe('parsed');
    if (whole.kind !== 'parsed') return;
    // Only the tests this file leaves out (wavelength, SMSR, module power, current) are reported missing.
    expect(whole.file.quarantine.map((q) => q.reason)).toEqual(['missing-measurements']);
    expect(whole.file.runs).toHaveLength(1);
    expect(whole.file.measurements).toHaveLength(3 * 8 * TESTS.length);
    expect(whole.file.measurements[0]).toEqual({
      run: 0,
      parameter: 'tx_avg_power',
      corner: 'cold',
      lane: 0,
      value: 0.686,
      censoring: 'none',
      line: 2,
      stationVerdict: 'pass',
      stationLimits: { low: -2.9, high: 4 },
    });
    // OMA written in mW is stored in dBm; its station limit is not kept (the spec's lower OMA limit is an
    // expression of TDECQ, so a station's fixed number is no evidence of the same limit).
    expect(whole.file.measurements[1]).toEqual({
      run: 0,
      parameter: 'tx_oma_outer',
      corner: 'cold',
      lane: 0,
      value: 10 * Math.log10(1.86895997165),
      censoring: 'none',
      line: 3,
      stationVerdict: 'pass',
    });
  });
});
