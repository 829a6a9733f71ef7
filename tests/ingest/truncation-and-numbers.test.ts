/**
 * A file cut off inside its last record, numbers a double cannot hold, and quarantine rows that name the
 * column at fault. The files are written here byte for byte (some end without a line break), in the
 * long layout of tests/fixtures/csv with the value or another column last.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ParsedFile } from '../../src/domain/measurement.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';
import { longProfile, miniProduct } from './support/catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'lotqa-truncation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function parse(text: string, wholeFileBytes?: number): Promise<ParsedFile> {
  const path = join(dir, `f${n++}.csv`);
  writeFileSync(path, text);
  const out = await parseStationFile(path, { product: miniProduct, profile: longProfile, profiles: [], wholeFileBytes });
  if (out.kind !== 'parsed') throw new Error(out.file.message);
  return out.file;
}
/** Both read paths (whole string, streamed) must give the same outcome. */
async function parseBoth(text: string): Promise<ParsedFile> {
  const whole = await parse(text);
  const streamed = await parse(text, 0);
  expect({ ...streamed, path: '', name: '' }).toEqual({ ...whole, path: '', name: '', quarantine: streamed.quarantine });
  expect(streamed.quarantine.map((q) => ({ ...q, file: '', message: q.message.replace(/f\d+\.csv/g, '') }))).toEqual(
    whole.quarantine.map((q) => ({ ...q, file: '', message: q.message.replace(/f\d+\.csv/g, '') })),
  );
  return whole;
}

const VALUE_LAST = 'serial,lot,station,start_utc,corner_c,parameter,lane,unit,value';
const row = (param: string, lane: string, unit: string, value: string, corner = '25') =>
  `SN0001,L2401,ATE-03,2025-03-02T08:14:55Z,${corner},${param},${lane},${unit},${value}`;
const truncated = (f: ParsedFile) => f.quarantine.filter((q) => q.reason === 'truncated');

describe('the last record of a file without a final line break', () => {
  const earlier = [row('TX_POWER', '0', 'dBm', '1.840'), row('TX_POWER', '1', 'dBm', '1.905'), row('ER', '0', 'dB', '4.100')];

  it('is quarantined as truncated when its last value has fewer decimals than the column (-6.132 cut to -6.1)', async () => {
    const f = await parseBoth([VALUE_LAST, ...earlier, row('ER', '1', 'dB', '-6.1')].join('\n'));
    expect(truncated(f)).toEqual([expect.objectContaining({ line: 5, column: 'value', rawValue: '-6.1' })]);
    expect(truncated(f)[0]?.message).toContain("'-6.1' has 1 decimal where every earlier row of the column has 3");
    expect(f.measurements.map((m) => m.line)).toEqual([2, 3, 4]);
    expect(f.dataRows).toBe(4);
  });

  it('is a reading when it has the column’s form (-6.132)', async () => {
    const f = await parseBoth([VALUE_LAST, ...earlier, row('ER', '1', 'dB', '6.132')].join('\n'));
    expect(truncated(f)).toEqual([]);
    expect(f.measurements.find((m) => m.line === 5)?.value).toBe(6.132);
  });

  it('is a reading when the file ends with a line break, whatever its form', async () => {
    const f = await parseBoth([VALUE_LAST, ...earlier, row('ER', '1', 'dB', '6.1')].join('\n') + '\n');
    expect(truncated(f)).toEqual([]);
    expect(f.measurements.find((m) => m.line === 5)?.value).toBe(6.1);
  });

  it('is truncated when its value ends where no number ends (1. or 4.2e-), even as the only row', async () => {
    for (const cut of ['1.', '4.2e-', '-']) {
      const f = await parseBoth([VALUE_LAST, row('TX_POWER', '0', 'dBm', cut)].join('\n'));
      expect(truncated(f), cut).toEqual([expect.objectContaining({ line: 2, column: 'value', rawValue: cut })]);
      expect(f.measurements).toEqual([]);
    }
  });

  it('is truncated when its last field is empty where every earlier row has a value', async () => {
    const f = await parseBoth([VALUE_LAST, ...earlier, row('ER', '1', 'dB', '')].join('\n'));
    expect(truncated(f)).toEqual([expect.objectContaining({ line: 5, column: 'value', rawValue: '' })]);
  });

  it('is truncated when a word is cut (PASS → PAS)', async () => {
    const header = 'serial,lot,station,start_utc,corner_c,parameter,lane,value,unit,result';
    const r = (lane: string, value: string, result: string) =>
      `SN0001,L2401,ATE-03,2025-03-02T08:14:55Z,25,TX_POWER,${lane},${value},dBm,${result}`;
    const f = await parseBoth([header, r('0', '1.5', 'PASS'), r('1', '1.6', 'PAS')].join('\n'));
    expect(truncated(f)).toEqual([expect.objectContaining({ line: 3, column: 'result', rawValue: 'PAS' })]);
    expect(truncated(f)[0]?.message).toContain("'PAS' is the start of 'PASS'");
  });

  it('is truncated when a fixed-width test time is cut short', async () => {
    const header = 'serial,lot,station,corner_c,parameter,lane,value,unit,start_utc';
    const r = (param: string, lane: string, time: string) => `SN0001,L2401,ATE-03,25,${param},${lane},1.5,dB,${time}`;
    const f = await parseBoth(
      [header, r('ER', '0', '2025-03-02T08:14:55Z'), r('ER', '1', '2025-03-02T08:20:10Z'), r('ER', '1', '2025-03-02T09:0')].join('\n'),
    );
    expect(truncated(f)).toEqual([expect.objectContaining({ line: 4, column: 'start_utc', rawValue: '2025-03-02T09:0' })]);
    expect(truncated(f)[0]?.message).toContain('15 characters long where every earlier row of the column has 20');
  });

  it('is truncated when it has fewer fields than the header, naming no column', async () => {
    const f = await parseBoth([VALUE_LAST, ...earlier, 'SN0001,L2401,ATE-03,2025-03-02T08:14:55Z,25,ER,1,d'].join('\n'));
    expect(truncated(f)).toEqual([
      expect.objectContaining({ line: 5, column: null, rawValue: 'SN0001,L2401,ATE-03,2025-03-02T08:14:55Z,25,ER,1,d' }),
    ]);
    expect(truncated(f)[0]?.message).toContain('the file ends mid-row: 8 of 9 fields');
  });
});

describe('numbers a double cannot hold', () => {
  it('quarantines 1e-400 (underflows to 0) and 1e400 (overflows to ∞) instead of storing 0 or ∞', async () => {
    const f = await parseBoth(
      [
        VALUE_LAST,
        row('TX_POWER', '0', 'dBm', '1e-400'),
        row('TX_POWER', '1', 'dBm', '<1E-400'),
        row('ER', '0', 'dB', '1e400'),
        row('ER', '1', 'dB', '0.0e-400'), // a written zero is a zero
      ].join('\n') + '\n',
    );
    expect(f.quarantine.filter((q) => q.line > 0).map((q) => [q.line, q.reason, q.column, q.rawValue])).toEqual([
      [2, 'underflow', 'value', '1e-400'],
      [3, 'underflow', 'value', '<1E-400'],
      [4, 'not-finite', 'value', '1e400'],
    ]);
    expect(f.quarantine[0]?.message).toContain('underflows to 0');
    expect(f.measurements.map((m) => [m.line, m.value])).toEqual([[5, 0]]);
  });

  it('quarantines a reading whose unit conversion leaves the doubles (1e-320 µW is 0 W)', async () => {
    const f = await parseBoth([VALUE_LAST, row('PWR', '', 'uW', '1e-320', '70')].join('\n') + '\n');
    expect(f.quarantine[0]).toMatchObject({ line: 2, reason: 'underflow', column: 'value', rawValue: '1e-320' });
    expect(f.quarantine[0]?.message).toContain('1e-320 uW in W underflows to 0');
  });
});

describe('quarantine rows name the column at fault', () => {
  it('an unknown or missing unit names the Unit column and its cell; a bad number names the Value column', async () => {
    const f = await parseBoth(
      [
        VALUE_LAST,
        row('TX_POWER', '0', 'furlong', '1.5'),
        row('TX_POWER', '1', '', '1.5'),
        row('ER', '0', 'dB', 'abc'),
        row('ER', '1', 'dB', '99'), // above the physical range: the value's fault
      ].join('\n') + '\n',
    );
    expect(f.quarantine.filter((q) => q.line > 0).map((q) => [q.line, q.reason, q.column, q.rawValue])).toEqual([
      [2, 'unknown-unit', 'unit', 'furlong'],
      [3, 'unknown-unit', 'unit', ''],
      [4, 'non-numeric', 'value', 'abc'],
      [5, 'physically-impossible', 'value', '99'],
    ]);
  });
});
