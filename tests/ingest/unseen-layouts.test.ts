/**
 * Station files in layouts lotqa has not shipped a profile for, and the junk real stations write. Each
 * file under tests/fixtures/unseen/ holds the same unit (SN0101, lot L2501, 2 lanes × 2 corners) written
 * another way; it must be read to the same readings when its profile can say how it is written, or be
 * refused row by row (or whole) with the file, line, column, value and what to do — never read wrong.
 *
 * The expected readings are recomputed here from the station's own numbers, not taken from lotqa:
 * P[dBm] = 10·log10(P[mW]) (the definition of dBm), 1 W = 1000 mW, 1 mW = 1000 µW.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { IngestOutcome, ParsedFile, RejectedFile } from '../../src/domain/measurement.js';
import { findProduct, findProfile } from '../../src/domain/catalog.js';
import type { StationProfile } from '../../src/domain/station-profile.js';
import { certificateDraws, checkIdentityValue } from '../../src/ingest/identity-check.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';
import { allProfiles, longProfile, miniProduct, wideProfile } from './support/catalog.js';

const UNSEEN = fileURLToPath(new URL('../fixtures/unseen/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'lotqa-unseen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const parse = (path: string, profile?: StationProfile): Promise<IngestOutcome> =>
  parseStationFile(path, { product: miniProduct, ...(profile ? { profile } : {}), profiles: allProfiles });

async function parsed(name: string, profile?: StationProfile): Promise<ParsedFile> {
  const out = await parse(`${UNSEEN}${name}`, profile);
  if (out.kind !== 'parsed') throw new Error(`expected ${name} to parse: ${out.file.message}`);
  return out.file;
}
async function rejected(path: string, profile?: StationProfile): Promise<RejectedFile> {
  const out = await parse(path, profile);
  if (out.kind !== 'rejected') throw new Error(`expected ${path} to be rejected`);
  return out.file;
}

// fontkit is the font engine PDFKit draws the certificate with (a dependency of pdfkit).
const fontkit = createRequire(import.meta.url)('fontkit') as { openSync(path: string): unknown };
const SYSTEM_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

const dBm = (mW: number): number => 10 * Math.log10(mW);

/** The unit as the station measured it: Tx power in mW, ER in dB, module power in mW (hot only). */
const STATION = {
  power: { room: [1, 0.5], hot: [0.9, 0.8] },
  er: { room: [4.1, 4.3], hot: [4.0, 3.9] },
  modulePowerMw: 9500,
};

/** Every reading of the unit, canonical units, sorted, for comparing two layouts of it. */
function readings(f: ParsedFile): string[] {
  return f.measurements
    .map((m) => `${m.parameter}@${m.corner}/${m.lane ?? 'module'}=${m.value.toFixed(6)}${m.censoring === 'none' ? '' : m.censoring}`)
    .sort();
}

const EXPECTED = [
  ...(['room', 'hot'] as const).flatMap((corner) =>
    [0, 1].flatMap((lane) => [
      `tx_avg_power@${corner}/${lane}=${dBm(STATION.power[corner][lane]!).toFixed(6)}`,
      `tx_er@${corner}/${lane}=${STATION.er[corner][lane]!.toFixed(6)}`,
    ]),
  ),
  `module_power@hot/module=${(STATION.modulePowerMw / 1000).toFixed(6)}`,
].sort();

const tabProfile: StationProfile = { ...wideProfile, id: 'wide-tab', description: 'wide-v2 written tab-separated', delimiter: '\t' };

describe('the same unit in layouts no shipped profile describes', () => {
  it('tab-separated: refused with the header line and the closest profile until a profile says delimiter "\\t", then read exactly', async () => {
    const refusal = await rejected(`${UNSEEN}tab-separated.tsv`);
    expect(refusal.reason).toBe('no-matching-profile');
    expect(refusal.message).toMatch(/tab-separated\.tsv: the header on line 1 matches no station profile/);
    const f = await parsed('tab-separated.tsv', tabProfile);
    expect(readings(f)).toEqual(EXPECTED);
    expect(f.quarantine).toEqual([]);
  });

  it.each([
    ['crlf-bom.csv', 'CRLF line ends and a UTF-8 byte-order mark'],
    ['utf16be-bom.csv', 'UTF-16 big-endian with its byte-order mark'],
    ['trailing-delimiters.csv', 'a delimiter at the end of every line (an empty last column)'],
    ['quoted-scientific.csv', 'every field quoted, numbers in scientific notation (1.0000E+00)'],
  ])('%s (%s) reads to the same readings as the plain file', async (name) => {
    const f = await parsed(name);
    expect(f.profileId).toBe('wide-v2');
    expect(readings(f)).toEqual(EXPECTED);
    expect(f.quarantine).toEqual([]);
  });

  it('header units spelled otherwise (TX_POWER_UW, ER [dB], Module Power [W]) are read in the unit the header names', async () => {
    // The profile says "Tx Power (mW)" and "Module Power (mW)"; this station writes µW and W.
    const f = await parsed('header-unit-spellings.csv', wideProfile);
    expect(readings(f)).toEqual(EXPECTED);
    expect(f.quarantine).toEqual([]);
  });

  it('a header in a unit of another quantity is not taken for the parameter (dB is not a power)', async () => {
    const path = join(tmp, 'tx-power-in-db.csv');
    writeFileSync(
      path,
      'Serial,Lot,Station,Test Time,Corner,Lane,Tx Power (dB),ER (dB)\nSN0101,L2501,ATE-07,2025-03-02T09:00:00Z,T25,1,1,4.1\n',
    );
    const f = (await parse(path, wideProfile)) as { kind: 'parsed'; file: ParsedFile };
    expect(f.kind).toBe('parsed');
    expect(f.file.measurements.map((m) => m.parameter)).toEqual(['tx_er']);
    expect(f.file.quarantine.map((q) => q.reason)).toContain('missing-measurements');
  });
});

describe('lanes written with a prefix', () => {
  it('Ch1, Ch2 are quarantined with the fix (lanePrefixes) until the profile lists the prefix, then read 1-based', async () => {
    const without = await parsed('lanes-ch.csv', wideProfile);
    const badLanes = without.quarantine.filter((q) => q.reason === 'bad-lane');
    expect(badLanes).toHaveLength(4);
    expect(badLanes[0]).toMatchObject({ line: 2, column: 'Lane', rawValue: 'Ch1' });
    expect(badLanes[0]!.message).toMatch(/add "lanePrefixes": \["Ch"\] to station profile wide-v2/);
    expect(without.measurements.filter((m) => m.lane !== null)).toEqual([]);

    const f = await parsed('lanes-ch.csv', { ...wideProfile, lanePrefixes: ['Ch'] });
    expect(readings(f)).toEqual(EXPECTED);
    expect(f.quarantine).toEqual([]);
  });

  it('L0, L1 read with a 0-based profile; the same prefix under laneBase 1 refuses L0 instead of shifting lanes', async () => {
    const f = await parsed('lanes-l0.csv', { ...wideProfile, laneBase: 0, lanePrefixes: ['L'] });
    expect(readings(f)).toEqual(EXPECTED);
    const shifted = await parsed('lanes-l0.csv', { ...wideProfile, laneBase: 1, lanePrefixes: ['L'] });
    expect(shifted.quarantine.filter((q) => q.reason === 'bad-lane').map((q) => q.rawValue)).toEqual(['L0', 'L0']);
  });
});

describe('junk in value cells', () => {
  it('N/A, ---, FAIL and a thousands separator are quarantined by cell; a censored bound and scientific notation are readings', async () => {
    const f = await parsed('junk-values.csv', wideProfile);
    const bad = f.quarantine.filter((q) => q.reason === 'non-numeric');
    expect(bad.map((q) => [q.line, q.column, q.rawValue])).toEqual([
      [2, 'Tx Power (mW)', 'N/A'],
      [3, 'Tx Power (mW)', '---'],
      [4, 'Tx Power (mW)', 'FAIL'],
      [5, 'Tx Power (mW)', '1,234.5'],
    ]);
    for (const q of bad) expect(q.message).toMatch(/^junk-values\.csv line \d, column 'Tx Power \(mW\)', value '.+': /);
    expect(f.measurements.filter((m) => m.parameter === 'tx_avg_power')).toEqual([]);
    const er = Object.fromEntries(f.measurements.filter((m) => m.parameter === 'tx_er').map((m) => [`${m.corner}/${m.lane}`, m]));
    expect(er['room/0']).toMatchObject({ value: 3.0, censoring: 'below' });
    expect(er['room/1']).toMatchObject({ value: 4.3, censoring: 'none' });
  });
});

describe('serials a spreadsheet rewrote', () => {
  it('1.23457E+11, ="SN0102" and a 72-character serial are quarantined with what happened; the good row is kept', async () => {
    const f = await parsed('spreadsheet-serials.csv', wideProfile);
    const refused = f.quarantine.filter((q) => q.reason === 'bad-identity');
    expect(refused.map((q) => [q.line, q.column, q.rawValue])).toEqual([
      [2, 'Serial', '1.23457E+11'],
      [3, 'Serial', '="SN0102"'],
      [4, 'Serial', `SN${'7'.repeat(70)}`],
    ]);
    expect(refused[0]!.message).toMatch(/scientific notation, as a spreadsheet shows a long number it has rounded/);
    expect(refused[1]!.message).toMatch(
      /wrapped in Excel's text formula ="SN0102" \(the file went through a spreadsheet; the serial is SN0102\)/,
    );
    expect(refused[2]!.message).toMatch(/is 72 characters long \(at most 64\)/);
    expect(f.runs.map((r) => r.serial)).toEqual(['SN0101']);
    expect(f.measurements.every((m) => m.line === 5)).toBe(true);
  });
});

describe('test times in other formats', () => {
  const at9utc = new Date(Date.UTC(2025, 2, 2, 9)).toISOString();

  it('a US 12-hour local time is refused per row until the profile gives its format and zone; Chicago 9:00 AM CST is 15:00 UTC', async () => {
    const refused = await parsed('us-12h-times.csv', wideProfile);
    expect(refused.measurements).toEqual([]);
    expect(refused.quarantine.filter((q) => q.reason === 'bad-timestamp')).toHaveLength(4);
    expect(refused.quarantine[0]!.message).toMatch(/value '03\/02\/2025 9:00 AM': not a valid test time; .*set "timestampFormat"/);

    const f = await parsed('us-12h-times.csv', { ...wideProfile, timestampFormat: 'MM/dd/yyyy h:mm a', timeZone: 'America/Chicago' });
    // CST is UTC−6 until the change to daylight time on 9 March 2025.
    expect(f.runs.map((r) => r.testTime)).toEqual([new Date(Date.UTC(2025, 2, 2, 15)).toISOString()]);
    expect(readings(f)).toEqual(EXPECTED);
  });

  it('Unix seconds ("timestampFormat": "X") name an instant whatever the profile’s time zone', async () => {
    expect(Date.UTC(2025, 2, 2, 9) / 1000).toBe(1740906000); // the value written in the file
    for (const timeZone of [undefined, 'Europe/Berlin', 'Asia/Shanghai']) {
      const f = await parsed('unix-seconds.csv', { ...wideProfile, timestampFormat: 'X', ...(timeZone ? { timeZone } : {}) });
      expect(f.runs.map((r) => r.testTime)).toEqual([at9utc]);
      expect(readings(f)).toEqual(EXPECTED);
    }
  });
});

describe('files no station writes', () => {
  it('a header of a million columns is refused at line 1, saying how long the line is', async () => {
    const path = join(tmp, 'million-columns.csv');
    const header = ['Serial', 'Lot', 'Station', 'Test Time', 'Corner', 'Lane', 'Tx Power (mW)'];
    for (let i = 0; i < 1_000_000; i++) header.push(`X${i}`);
    writeFileSync(path, `${header.join(',')}\nSN0101,L2501,ATE-07,2025-03-02T09:00:00Z,T25,1,1${','.repeat(1_000_000)}\n`);
    const refusal = await rejected(path);
    expect(refusal.reason).toBe('no-matching-profile');
    expect(refusal.line).toBe(1);
    expect(refusal.message).toMatch(/million-columns\.csv: line 1 runs past 1048576 characters without a line break \(\d+ fields so far\)/);
  });
});

describe('serials the certificate must print', () => {
  it('refuses a character the certificate font has no glyph for (序, ก, 한), and accepts Greek, Cyrillic, Hebrew, Arabic and accents', () => {
    for (const [serial, cp] of [
      ['序列号0001', 'U\\+5E8F'],
      ['SNก0001', 'U\\+0E01'],
      ['SN한0001', 'U\\+D55C'],
    ] as const) {
      const check = checkIdentityValue(serial, 'serial', miniProduct);
      expect(check.ok).toBe(false);
      if (!check.ok)
        expect(check.why).toMatch(new RegExp(`cannot draw \\(${cp} '.' at character \\d\\): the certificate would print an empty box`));
    }
    for (const mangled of ['1E+11', '1,23457E+11', '4.5e+9']) {
      const check = checkIdentityValue(mangled, 'serial', miniProduct);
      expect(check.ok ? 'accepted' : check.why).toMatch(/scientific notation/);
    }
    for (const serial of ['SN-Ω0001', 'СН0001', 'SNא0001', 'رقم0001', 'Café-0001', 'Æ-7'])
      expect(checkIdentityValue(serial, 'serial', miniProduct)).toEqual({ ok: true, value: serial });
  });

  it.skipIf(!existsSync(SYSTEM_FONT))(
    'the generated glyph table is the installed certificate font’s coverage (fontkit, code point by code point)',
    () => {
      const font = fontkit.openSync(SYSTEM_FONT) as { hasGlyphForCodePoint(cp: number): boolean };
      const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u;
      const differ: number[] = [];
      for (let cp = 0x20; cp < 0x110000; cp += cp < 0x30000 ? 1 : 0x100) {
        if (cp >= 0xd800 && cp < 0xe000) continue;
        const drawn = printable.test(String.fromCodePoint(cp)) && font.hasGlyphForCodePoint(cp);
        if (drawn !== certificateDraws(cp)) differ.push(cp);
      }
      expect(differ).toEqual([]);
    },
  );
});

describe('a header that names a column twice', () => {
  it('is refused when the profile reads that column (which "value" is the reading?), naming both columns', async () => {
    const refusal = await rejected(`${UNSEEN}duplicate-value-column.csv`, longProfile);
    expect(refusal.reason).toBe('no-matching-profile');
    expect(refusal.line).toBe(1);
    expect(refusal.message).toMatch(
      /line 1: the header names 'value' \(columns 9, 11\) more than once, and station profile 'long-v1' reads that column/,
    );
  });
});

describe('the README example: a profile written for a station lotqa does not ship', () => {
  it('acme-t9-tab.profile.json validates and reads its tab-separated, Ch-numbered, US-time, mW file with nothing quarantined', async () => {
    const profile = findProfile(`${UNSEEN}acme-t9-tab.profile.json`);
    const product = findProduct('qsfp112-400g-dr4');
    const out = await parseStationFile(`${UNSEEN}acme-t9-tab.tsv`, { product, profile, profiles: [profile] });
    if (out.kind !== 'parsed') throw new Error(out.file.message);
    const f = out.file;
    expect(f.quarantine).toEqual([]);
    // 2:00:00 PM in Shenzhen (UTC+8, no daylight time) is 06:00 UTC.
    expect(f.runs).toMatchObject([{ serial: 'SN0042', lot: 'L2614', station: 'T9-03', testTime: '2025-03-09T06:00:00.000Z' }]);
    // Every value cell of the file is one reading (module values repeat per lane row and are stored once).
    const rows = readFileSync(`${UNSEEN}acme-t9-tab.tsv`, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'));
    const laneCells = rows.flatMap((r) => r.slice(7, 14)).filter((c) => c !== '').length;
    const moduleRows = rows.filter((r) => r[14] !== '').length;
    expect(f.measurements).toHaveLength(laneCells + (2 * moduleRows) / product.laneCount);
    for (const r of rows) {
      const lane = Number(r[6]!.slice(2)) - 1;
      const m = f.measurements.find((x) => x.parameter === 'tx_avg_power' && x.lane === lane && x.line === rows.indexOf(r) + 2);
      expect(m?.value).toBeCloseTo(dBm(Number(r[7])), 9);
    }
  });
});

describe('an attempt number no station writes', () => {
  it('20 digits (a serial in the attempt column) is quarantined, not stored as 1e20', async () => {
    const path = join(tmp, 'attempt-20-digits.csv');
    writeFileSync(
      path,
      'serial,lot,station,start_utc,attempt,corner_c,lane,parameter,value,unit\n' +
        'SN0101,L2501,ATE-03,2025-03-02T08:14:55Z,99999999999999999999,25,0,TX_POWER,1.84,dBm\n' +
        'SN0101,L2501,ATE-03,2025-03-02T08:14:55Z,2,25,1,TX_POWER,1.5,dBm\n',
    );
    const out = await parse(path, longProfile);
    if (out.kind !== 'parsed') throw new Error(out.file.message);
    expect(out.file.quarantine.filter((q) => q.reason === 'non-numeric').map((q) => [q.line, q.column, q.rawValue])).toEqual([
      [2, 'attempt', '99999999999999999999'],
    ]);
    expect(out.file.runs.map((r) => r.declaredAttempt)).toEqual([2]);
  });
});

describe('a local test time where the clocks change', () => {
  it('in the hour the clocks went back is quarantined with both instants it could be, not placed by a guess', async () => {
    const path = join(tmp, 'clock-change.csv');
    writeFileSync(
      path,
      'Serial,Lot,Station,Test Time,Corner,Lane,Tx Power (mW),ER (dB)\n' +
        'SN0101,L2501,ATE-07,2025-10-26 02:30:00,T25,1,1,4.1\n' +
        'SN0102,L2501,ATE-07,2025-10-26 03:30:00,T25,1,1,4.1\n',
    );
    const out = await parse(path, { ...wideProfile, timeZone: 'Europe/Berlin' });
    if (out.kind !== 'parsed') throw new Error(out.file.message);
    const q = out.file.quarantine.find((e) => e.reason === 'bad-timestamp');
    expect(q).toMatchObject({ line: 2, column: 'Test Time', rawValue: '2025-10-26 02:30:00' });
    expect(q!.message).toMatch(
      /clocks went back in Europe\/Berlin: it is 2025-10-26T00:30:00\.000Z or 2025-10-26T01:30:00\.000Z\. Have the station write times with their UTC offset/,
    );
    // 03:30 CET (UTC+1), after the change, is one instant.
    expect(out.file.runs.map((r) => [r.serial, r.testTime])).toEqual([['SN0102', '2025-10-26T02:30:00.000Z']]);
  });
});

describe('a cell of hostile length', () => {
  it('an operator of 100,000 characters quarantines its row, and the quarantine keeps 200 characters and the length, not the cell', async () => {
    const path = join(tmp, 'huge-operator.csv');
    const huge = 'x'.repeat(100_000);
    writeFileSync(
      path,
      'Serial,Lot,Station,Test Time,Corner,Lane,Operator,Tx Power (mW),ER (dB)\n' +
        `SN0101,L2501,ATE-07,2025-03-02T09:00:00Z,T25,1,${huge},1,4.1\n` +
        'SN0102,L2501,ATE-07,2025-03-02T09:05:00Z,T25,1,jdoe,1,4.1\n',
    );
    const out = await parse(path, wideProfile);
    if (out.kind !== 'parsed') throw new Error(out.file.message);
    const q = out.file.quarantine.find((e) => e.reason === 'bad-identity')!;
    expect(q).toMatchObject({ line: 2, column: 'Operator', rawValue: `${'x'.repeat(200)}… (100000 characters)` });
    expect(q.message).toMatch(/the operator name is 100000 characters long \(at most 128\)/);
    expect(q.message.length).toBeLessThan(600);
    expect(out.file.runs.map((r) => r.serial)).toEqual(['SN0102']);
  });
});
