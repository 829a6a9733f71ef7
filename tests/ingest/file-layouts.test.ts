/**
 * Station files as vendors write them, around the table: INI sections, comment lines, a totals row, end
 * markers and footers, a fixed header block, `key,value` metadata. Every file here was written by hand
 * (tests/fixtures/vendor/), not by lotqa's generator; each is read with the profile that describes it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParsedFile } from '../../src/domain/measurement.js';
import type { StationProfile } from '../../src/domain/station-profile.js';
import { validateDocument } from '../../src/domain/schema-registry.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';
import { compileLayout } from '../../src/ingest/file-layout.js';
import { allProfiles, miniProduct } from './support/catalog.js';
import {
  blankLineFooterProfile,
  commentedFooterProfile,
  fixedBlockProfile,
  keyCommaProfile,
  sectionedProfile,
  vendorFile,
  vendorProfiles,
} from './support/vendor-profiles.js';

async function parsed(name: string, profile: StationProfile, wholeFileBytes?: number): Promise<ParsedFile> {
  const out = await parseStationFile(vendorFile(name), { product: miniProduct, profile, profiles: [], wholeFileBytes });
  if (out.kind !== 'parsed') throw new Error(`expected ${name} to parse: ${out.file.message}`);
  return out.file;
}
const find = (f: ParsedFile, parameter: string, corner: string, lane: number | null) =>
  f.measurements.find((m) => m.parameter === parameter && m.corner === corner && m.lane === lane);
const metadataOf = (f: ParsedFile) => (f.stationMetadata ?? []).map((m) => [m.line, m.section, m.key, m.value, m.place]);
const otherOf = (f: ParsedFile) => (f.otherLines ?? []).map((o) => [o.line, o.kind, o.text]);

const CASES: readonly [string, StationProfile][] = [
  ['acme-sectioned.csv', sectionedProfile],
  ['ate2-commented-footer.csv', commentedFooterProfile],
  ['ate2-no-end-marker.csv', commentedFooterProfile],
  ['fixed-block-report.txt', fixedBlockProfile],
  ['key-comma-begin-data.csv', keyCommaProfile],
  ['blank-line-footer.csv', blankLineFooterProfile],
];

describe('the vendor profiles are valid station profiles', () => {
  it.each(vendorProfiles.map((p) => [p.id, p] as const))('%s', (_id, profile) => {
    expect(() => validateDocument('station-profile', JSON.parse(JSON.stringify(profile)), profile.id)).not.toThrow();
  });
});

describe('INI-style sections: [Header] metadata, [Data] starts the table, [End] ends it, a [Summary] after it', () => {
  it('reads identity from the [Header] section, the readings from the table, and keeps every section line', async () => {
    const f = await parsed('acme-sectioned.csv', sectionedProfile);
    expect(f.quarantine).toEqual([]);
    expect(f.headerLine).toBe(14);
    expect(f.runs).toEqual([
      {
        serial: 'SN0101',
        lot: 'L2410',
        station: 'ACME-7',
        testTime: '2025-03-04T10:00:00.000Z',
        declaredAttempt: null,
        operator: 'kim',
        stationVerdict: 'fail', // the Result column says FAIL on one row
      },
    ]);
    expect(f.measurements).toHaveLength(9);
    expect(find(f, 'tx_avg_power', 'room', 0)).toMatchObject({ value: 1.234, line: 15, stationLimits: { low: -2.9, high: 4 } });
    expect(find(f, 'tx_er', 'hot', 1)).toMatchObject({ value: 3.55, line: 18, stationLimits: { low: 3.6, high: null } });
    expect(find(f, 'module_power', 'hot', null)).toMatchObject({ value: 9.5, line: 17 });
    expect(metadataOf(f)).toEqual([
      [2, 'Header', 'Product', 'MINI-DR2', 'before-table'],
      [3, 'Header', 'Serial', 'SN0101', 'before-table'],
      [4, 'Header', 'Lot', 'L2410', 'before-table'],
      [5, 'Header', 'Station', 'ACME-7', 'before-table'],
      [6, 'Header', 'TestDate', '2025-03-04T10:00:00Z', 'before-table'],
      [7, 'Header', 'Operator', 'kim', 'before-table'],
      [10, 'Settings', 'Wavelength', '1310', 'before-table'],
      [11, 'Settings', 'Firmware', '2.4.1', 'before-table'],
      [22, 'Summary', 'Result', 'FAIL', 'after-table'],
      [23, 'Summary', 'Duration', '37 s', 'after-table'],
    ]);
    expect(otherOf(f)).toEqual([
      [1, 'marker', '[Header]'],
      [9, 'marker', '[Settings]'],
      [13, 'marker', '[Data]'],
      [19, 'marker', '[End]'],
      [21, 'marker', '[Summary]'],
    ]);
    expect(f.blankLines).toBe(3);
  });

  it('stores the SHA-256 of the bytes as the station wrote them', async () => {
    const f = await parsed('acme-sectioned.csv', sectionedProfile);
    expect(f.sha256).toBe(execFileSync('sha256sum', [vendorFile('acme-sectioned.csv')], { encoding: 'utf8' }).split(' ')[0]);
  });
});

describe('comment lines, a totals row, an end marker and a footer', () => {
  it('keeps comments (also inside the table), the Total row and the footer out of the readings', async () => {
    const f = await parsed('ate2-commented-footer.csv', commentedFooterProfile);
    expect(f.quarantine).toEqual([]);
    expect(f.headerLine).toBe(3);
    expect(f.measurements).toHaveLength(9);
    expect(f.dataRows).toBe(9);
    expect(find(f, 'tx_er', 'room', 1)?.line).toBe(8); // after the comment on line 7
    expect(otherOf(f)).toEqual([
      [1, 'comment', '# ACME ATE-2 export, format 3'],
      [2, 'comment', '# columns: see manual section 4.2'],
      [7, 'comment', '# lane 1 ER re-measured after fibre clean'],
      [14, 'summary', 'Total,,,,,,,9 tests,,,,9 PASS'],
      [15, 'marker', 'END_DATA'],
    ]);
    expect(metadataOf(f)).toEqual([
      [16, null, 'Overall', 'PASS', 'after-table'],
      [17, null, 'Tested by', 'jdoe', 'after-table'],
    ]);
    expect(f.runs[0]?.stationVerdict).toBe('pass'); // from the footer
  });

  it('quarantines the last row as truncated when the declared end marker is missing', async () => {
    const f = await parsed('ate2-no-end-marker.csv', commentedFooterProfile);
    expect(f.dataRows).toBe(8);
    expect(f.measurements).toHaveLength(7);
    const cut = f.quarantine.filter((q) => q.reason === 'truncated');
    expect(cut).toEqual([
      expect.objectContaining({
        line: 12,
        column: null,
        rawValue: 'SN0201,L2411,ATE-02,2025-03-04T11:00:00Z,70,ER,1,3.750,dB,3.5,,PASS',
      }),
    ]);
    expect(cut[0]?.message).toContain("the file ends before the table's end marker");
    expect(f.runs[0]?.stationVerdict).toBeUndefined(); // the footer never arrived
  });
});

describe('a fixed header block', () => {
  it('reads serial, lot, station and time by line and pattern, skips the dash lines, reads CRLF, ; and decimal commas', async () => {
    const f = await parsed('fixed-block-report.txt', fixedBlockProfile);
    expect(f.quarantine).toEqual([]);
    expect(f.headerLine).toBe(5);
    // 2025-03-05 08:30:00 in Europe/Berlin (CET, UTC+1)
    expect(f.runs).toEqual([
      { serial: 'SN0301', lot: 'L2412', station: 'ATE-11', testTime: '2025-03-05T07:30:00.000Z', declaredAttempt: null, operator: null },
    ]);
    expect(f.measurements).toHaveLength(9);
    expect(find(f, 'tx_avg_power', 'room', 0)?.value).toBeCloseTo(10 * Math.log10(1.25), 12);
    expect(find(f, 'tx_er', 'hot', 1)).toMatchObject({ value: 3.8, line: 9 });
    expect(metadataOf(f)).toEqual([
      [2, null, 'Serial', 'SN0301', 'before-table'],
      [2, null, 'Lot', 'L2412', 'before-table'],
      [3, null, 'Station', 'ATE-11', 'before-table'],
      [3, null, 'Time', '2025-03-05 08:30:00', 'before-table'],
    ]);
    expect(otherOf(f)).toEqual([
      [1, 'text', 'ACME OPTICAL TEST REPORT'],
      [4, 'marker', '----------------------------------------'],
      [10, 'marker', '----------------------------------------'],
    ]);
  });
});

describe('key,value metadata and BEGIN_DATA / END_DATA', () => {
  it('reads two-field metadata lines and the table between the markers', async () => {
    const f = await parsed('key-comma-begin-data.csv', keyCommaProfile);
    expect(f.quarantine).toEqual([]);
    expect(f.headerLine).toBe(7);
    expect(f.runs[0]).toMatchObject({ serial: 'SN0401', lot: 'L2413', station: 'ATE-05', stationVerdict: 'fail' });
    expect(f.measurements).toHaveLength(9);
    expect(otherOf(f)).toEqual([
      [6, 'marker', 'BEGIN_DATA'],
      [12, 'marker', 'END_DATA'],
    ]);
    expect(metadataOf(f).map((m) => m[2])).toEqual(['Serial', 'Lot', 'Station', 'Date', 'Result']);
  });
});

describe('a table that ends at a blank line', () => {
  it('reads the footer after it: key: value lines as metadata, anything else as footer text', async () => {
    const f = await parsed('blank-line-footer.csv', blankLineFooterProfile);
    expect(f.quarantine).toEqual([]);
    expect(f.measurements).toHaveLength(9);
    expect(f.blankLines).toBe(1);
    expect(metadataOf(f)).toEqual([
      [7, null, 'Units tested', '1', 'after-table'],
      [8, null, 'Verdict', 'PASS', 'after-table'],
    ]);
    expect(otherOf(f)).toEqual([[9, 'footer', 'Yield,100 %']]);
    expect(f.runs[0]?.stationVerdict).toBe('pass');
  });
});

describe('every vendor file', () => {
  it.each(CASES)('%s is auto-detected among all profiles, and reads the same whole or streamed', async (name, profile) => {
    const profiles = [...allProfiles, ...vendorProfiles];
    const out = await parseStationFile(vendorFile(name), { product: miniProduct, profiles });
    if (out.kind !== 'parsed') throw new Error(out.file.message);
    expect(out.file.profileId).toBe(profile.id);
    const named = await parsed(name, profile);
    const streamed = await parsed(name, profile, 0);
    expect({ ...streamed, profileChoice: '' }).toEqual({ ...named, profileChoice: '' });
    expect({ ...out.file, profileChoice: '' }).toEqual({ ...named, profileChoice: '' });
  });

  it.each(CASES)('%s: every line is a reading, a quarantined row, the header, metadata, blank or kept out', async (name, profile) => {
    const f = await parsed(name, profile);
    const lines = readFileSync(vendorFile(name), 'utf8').split(/\r\n|\n|\r/);
    if (lines[lines.length - 1] === '') lines.pop();
    const rows = new Set([...f.measurements.map((m) => m.line), ...f.quarantine.map((q) => q.line)]);
    const metadata = new Set((f.stationMetadata ?? []).map((m) => m.line));
    const other = new Set((f.otherLines ?? []).map((o) => o.line));
    let blank = 0;
    lines.forEach((t, i) => {
      const n = i + 1;
      if (t.trim() === '') return void blank++;
      const kinds = [n === f.headerLine, metadata.has(n), other.has(n), rows.has(n)].filter(Boolean).length;
      expect(kinds, `${name} line ${n}: "${t}"`).toBe(1);
    });
    expect(f.blankLines).toBe(blank);
  });
});

describe('a line rule (an end marker) matches the whole line, spaces and letter case aside', () => {
  const layoutWithEnd = (line: string) =>
    compileLayout({ ...commentedFooterProfile, layout: { ...commentedFooterProfile.layout, tableEnd: { line } } });
  it('END_DATA: any case and spaces around it; not a longer or shorter line', () => {
    const end = layoutWithEnd('END_DATA').tableEnd as (text: string) => boolean;
    expect(['END_DATA', ' end_data\t', 'End_Data'].map(end)).toEqual([true, true, true]);
    expect(['END_DATA2', 'END_DAT', 'SN1,END_DATA', ''].map(end)).toEqual([false, false, false, false]);
  });
  it('a marker whose lower case is longer than the line (İ, U+0130) still matches', () => {
    // 'İNDE' is 4 UTF-16 units; lower-cased it is 'i̇nde', 5 units: a comparison of lengths alone would miss it.
    const end = layoutWithEnd('İNDE').tableEnd as (text: string) => boolean;
    expect(['İNDE', 'i̇nde', ' İnde '].map(end)).toEqual([true, true, true]);
    expect(['INDE', 'İNDEX'].map(end)).toEqual([false, false]);
  });
});

describe('a startsWith rule (comments, summary rows) looks at the line after its leading spaces, in any case', () => {
  const layoutWithComment = (startsWith: string) =>
    compileLayout({ ...commentedFooterProfile, layout: { ...commentedFooterProfile.layout, comments: [{ startsWith }] } });
  it('TOTAL', () => {
    const isComment = layoutWithComment('TOTAL').isComment;
    expect(['TOTAL,1', 'total', '  Total x', '\tTOTALS'].map(isComment)).toEqual([true, true, true, true]);
    expect(['TOTA', 'SN1,TOTAL', 'xTOTAL', ''].map(isComment)).toEqual([false, false, false, false]);
  });
  it('a first character outside ASCII is lower-cased as the rule is (K, the Kelvin sign, is k)', () => {
    expect(layoutWithComment('kv').isComment('\u212AV line')).toBe(true);
    expect(layoutWithComment('#').isComment('# note')).toBe(true);
  });
});
