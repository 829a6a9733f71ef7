/**
 * The table reader's fast path hands wide rows to the mapper as ranges of the file's text
 * (RowMapper.mapWideRanges) instead of a string per cell. It must give exactly the outcome of splitting
 * the row and mapping its strings: checked on generated files in the reference lot's format (decimal
 * commas, mW, key=value preamble) whose rows mix plain readings with every shape the fast path must hand
 * back (spaces, censoring, junk, ragged rows, blank rows, duplicates, bad lanes and corners, values out of
 * range, module values that disagree), read whole and streamed by lotqa (ranges) and compared with papaparse's splitting (strings); with
 * every quoting a writer uses, including the shapes only papaparse reads.
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
const profile = findProfile('wide-eu-preamble');
const dir = mkdtempSync(join(tmpdir(), 'lotqa-range-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER =
  'Temp;Kanal;TxPower [mW];OMA [mW];TDECQ [dB];TDECQ_Ceq [dB];ER [dB];Wavelength [nm];SMSR [dB];RxSens OMA [mW];BER;Module Power [mW];Icc [mA]';
const PLAIN = [
  '1,19261426586',
  '1,86895997165',
  '0,855',
  '0,912',
  '7,751',
  '1308,109',
  '40,565',
  '0,209266639372',
  '8,267e-7',
  '14512,1',
  '4389,1',
];
/** Cells a station may write instead of a plain reading. */
const ODD = [
  '',
  ' 1,25',
  '1,25 ',
  '<0,5',
  '>=2,0',
  'NaN',
  'inf',
  '1.5',
  '1,2,3',
  '-0,5',
  '0',
  '1e400',
  '1e-400',
  '1,2345678901234567',
  '0,000000000000000000000000001',
  '1,2µ',
  '\t3,1',
  '\u00a01,0',
  '#N/A',
  '99999999',
  '+4,2',
  ',5',
  '5,',
  '8,3E+2',
];

function fileText(seed: number): string {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const lines = ['Serial=SNB1000000001', 'Lot=B10000', 'Station=ATE-01', 'Date=04.06.2025 08:00:00', 'Attempt=1', 'Operator=OP-A', HEADER];
  for (const corner of ['T0', 'T25', 'T70']) {
    for (let lane = 1; lane <= 8; lane++) {
      const cells = PLAIN.map((v, i) => (i >= 9 && corner === 'T0' ? '' : v));
      // Module values of one corner disagree now and then (none of them is stored then).
      if (rnd() < 0.1) cells[9] = '14512,2';
      const odd = rnd();
      if (odd < 0.5) cells[Math.floor(rnd() * cells.length)] = pick(ODD);
      let laneCell = String(lane);
      let cornerCell = corner;
      const shape = rnd();
      if (shape < 0.03) laneCell = pick(['9', 'x', ' 2', '0', '']);
      else if (shape < 0.05) cornerCell = pick(['T99', ' T0', 't0', '']);
      let line = [cornerCell, laneCell, ...cells].join(';');
      const row = rnd();
      if (row < 0.03) line += ';';
      else if (row < 0.05) line += ';;';
      else if (row < 0.07) line += ';extra';
      else if (row < 0.09) line = line.slice(0, line.lastIndexOf(';'));
      else if (row < 0.11) line = ';;;;;;;;;;;;';
      else if (row < 0.13) line = '';
      else if (row < 0.15) line = ' ';
      lines.push(line);
      if (rnd() < 0.04) lines.push(line); // a repeated row: duplicates
    }
  }
  // Header and rows quoted as the file's writer does (seed by seed: none, all, some, hostile); the preamble as it is.
  const style = QUOTING_STYLES[seed % QUOTING_STYLES.length]!;
  const quoted = lines.map((l, i) => (i < 6 ? l : quoteLine(l, ';', style, rnd)));
  return `${quoted.join('\n')}\n`;
}

const parse = (path: string, wholeFileBytes?: number, splitter?: 'papaparse'): Promise<IngestOutcome> =>
  parseStationFile(path, { product, profiles: [profile], wholeFileBytes, splitter });

describe('wide rows read as ranges of the text', () => {
  it('give the outcome of papaparse, whole or streamed, on 60 files of mixed rows and quoting', async () => {
    const spy = vi.spyOn(RowMapper.prototype, 'mapWideRanges');
    try {
      for (let seed = 1; seed <= 60; seed++) {
        const path = join(dir, `mixed-${seed}.csv`);
        const text = fileText(seed);
        writeFileSync(path, text);
        // papaparse, streamed, is the reference: lotqa's own splitting, whole or in pieces, must agree.
        const reference = await parse(path, 0, 'papaparse');
        const whole = await parse(path);
        expect(whole, `seed ${seed}`).toEqual(reference);
        expect(await parse(path, 0), `seed ${seed}`).toEqual(reference);
        if (seed % 4 === 0) {
          // Unquoted files: every blank line counted (a blank last line too: streamed, papaparse gives no
          // empty row for the final line break, split as one string it does).
          const blank = text
            .split('\n')
            .slice(7, -1)
            .filter((l) => l.split(';').every((f) => f.trim() === '')).length;
          expect(whole.kind === 'parsed' && whole.file.blankLines, `seed ${seed}`).toBe(blank);
        }
      }
      const answers = spy.mock.results.map((r) => r.value as boolean);
      // Both ways were taken: most rows read in place, the odd ones handed back to be split.
      expect(answers.filter((a) => a).length).toBeGreaterThan(500);
      expect(answers.filter((a) => !a).length).toBeGreaterThan(100);
    } finally {
      spy.mockRestore();
    }
  });

  it('read a plain file of the reference format to the same readings as splitting it', async () => {
    const lines = ['Serial=SNB1', 'Lot=B1', 'Station=ATE-01', 'Date=04.06.2025 08:00:00', 'Attempt=1', 'Operator=OP-A', HEADER];
    for (const corner of ['T0', 'T25', 'T70']) for (let lane = 1; lane <= 8; lane++) lines.push([corner, String(lane), ...PLAIN].join(';'));
    const path = join(dir, 'plain.csv');
    writeFileSync(path, `${lines.join('\r\n')}\r\n`);
    const whole = await parse(path);
    expect(whole).toEqual(await parse(path, 0, 'papaparse'));
    // Every field quoted, as some exporters write them: the same readings, still read in place.
    const quotedPath = join(dir, 'plain-quoted.csv');
    const quotedLines = lines.map((l, i) =>
      i < 6
        ? l
        : l
            .split(';')
            .map((f) => `"${f}"`)
            .join(';'),
    );
    writeFileSync(quotedPath, `${quotedLines.join('\r\n')}\r\n`);
    const spy = vi.spyOn(RowMapper.prototype, 'mapWideRanges');
    try {
      const quoted = await parse(quotedPath);
      expect(quoted.kind === 'parsed' && quoted.file.measurements).toEqual(whole.kind === 'parsed' && whole.file.measurements);
      expect(spy.mock.results.filter((r) => r.value === true)).toHaveLength(24);
    } finally {
      spy.mockRestore();
    }
    expect(whole.kind).toBe('parsed');
    if (whole.kind !== 'parsed') return;
    expect(whole.file.quarantine).toEqual([]);
    // 9 lane parameters × 8 lanes × 3 corners, plus 2 module parameters × 3 corners.
    expect(whole.file.measurements).toHaveLength(9 * 8 * 3 + 2 * 3);
    expect(whole.file.measurements[0]).toEqual({
      run: 0,
      parameter: 'tx_avg_power',
      corner: 'cold',
      lane: 0,
      value: 10 * Math.log10(1.19261426586),
      censoring: 'none',
      line: 8,
    });
  });
});
