import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { TextDecoder } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { IngestOutcome, ParsedFile, QuarantineReason, RejectedFile } from '../../src/domain/measurement.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';
import { allProfiles, euProfile, FIXTURES, fixture, longProfile, miniProduct, wideProfile } from './support/catalog.js';

const parse = (name: string, profile?: typeof longProfile): Promise<IngestOutcome> =>
  parseStationFile(fixture(name), { product: miniProduct, profile, profiles: allProfiles });

async function parsed(name: string, profile?: typeof longProfile): Promise<ParsedFile> {
  const out = await parse(name, profile);
  if (out.kind !== 'parsed') throw new Error(`expected ${name} to parse: ${out.file.message}`);
  return out.file;
}
async function rejected(name: string, profile?: typeof longProfile): Promise<RejectedFile> {
  const out = await parse(name, profile);
  if (out.kind !== 'rejected') throw new Error(`expected ${name} to be rejected`);
  return out.file;
}
const find = (f: ParsedFile, parameter: string, corner: string, lane: number | null) =>
  f.measurements.find((m) => m.parameter === parameter && m.corner === corner && m.lane === lane);

describe('long format', () => {
  it('maps aliases, converts units, keeps censoring and the station verdict', async () => {
    const f = await parsed('long-good.csv', longProfile);
    expect(f.profileChoice).toContain("'long-v1' named by the user");
    expect(f.runs).toEqual([
      { serial: 'SN0001', lot: 'L2401', station: 'ATE-03', testTime: '2025-03-02T08:14:55.000Z', declaredAttempt: 1, operator: null },
    ]);
    expect(f.measurements).toHaveLength(9);
    expect(f.quarantine).toEqual([]);
    expect(f.blankLines).toBe(1);
    expect(find(f, 'tx_avg_power', 'room', 1)?.value).toBeCloseTo(1.7609, 4); // 1.5 mW
    expect(find(f, 'tx_avg_power', 'hot', 0)?.value).toBeCloseTo(3.0103, 4); // 2000 µW
    expect(find(f, 'tx_er', 'room', 1)).toMatchObject({ value: 3, censoring: 'below', stationVerdict: 'fail', line: 5 });
    expect(find(f, 'tx_avg_power', 'hot', 1)).toMatchObject({ value: 4.5, censoring: 'above', line: 7 });
    // line 8 is blank, so the row after it is physical line 9
    expect(find(f, 'tx_er', 'hot', 0)?.line).toBe(9);
    expect(find(f, 'module_power', 'hot', null)).toMatchObject({ value: 12, lane: null, stationLimits: { low: null, high: 12 } });
  });

  it('counts physical lines across a quoted field that spans two lines', async () => {
    const f = await parsed('quoted-newline.csv');
    expect(f.measurements.map((m) => m.line)).toEqual([2, 4]);
  });

  it('groups a long file holding two units into two runs', async () => {
    const f = await parsed('two-units.csv');
    expect(f.runs.map((r) => [r.serial, r.declaredAttempt])).toEqual([
      ['SN0001', 1],
      ['SN0009', 2],
    ]);
    expect(f.measurements.map((m) => m.run)).toEqual([0, 1]);
  });
});

describe('wide format', () => {
  it('reads one row per lane × corner, converts mW, stores the repeated module parameter once', async () => {
    const f = await parsed('wide-good.csv', wideProfile);
    expect(f.quarantine).toEqual([]);
    expect(f.runs[0]).toMatchObject({ serial: 'SN0002', operator: 'jdoe', testTime: '2025-03-02T08:00:00.000Z', declaredAttempt: null });
    expect(find(f, 'tx_avg_power', 'room', 0)?.value).toBeCloseTo(0, 10); // 1 mW, lane "1" with laneBase 1
    expect(find(f, 'tx_avg_power', 'room', 1)?.value).toBeCloseTo(-3.0103, 4); // 0.5 mW
    const modulePower = f.measurements.filter((m) => m.parameter === 'module_power');
    expect(modulePower).toEqual([expect.objectContaining({ corner: 'hot', lane: null, value: 9.5, line: 4 })]);
  });

  it('reads a preamble, semicolons, decimal commas, µW and local times', async () => {
    const f = await parsed('wide-eu-preamble-semicolon.csv', euProfile);
    expect(f.quarantine).toEqual([]);
    // 02.03.2025 10:15:00 in Europe/Berlin (CET, UTC+1) = 09:15 UTC
    expect(f.runs).toEqual([
      {
        serial: 'SN0003',
        lot: 'L2402',
        station: 'EU-01',
        testTime: '2025-03-02T09:15:00.000Z',
        declaredAttempt: null,
        operator: 'mmüller',
      },
    ]);
    expect(find(f, 'tx_er', 'room', 1)?.value).toBe(4.25);
    expect(find(f, 'tx_avg_power', 'room', 1)?.value).toBeCloseTo(3.0103, 4); // 2000 µW
    expect(find(f, 'tx_avg_power', 'hot', 0)?.value).toBeCloseTo(10 * Math.log10(1.2505), 10);
    expect(find(f, 'tx_avg_power', 'room', 0)?.line).toBe(8); // 5 preamble lines + 1 blank + header
  });

  it('quarantines every copy of a module parameter whose lane rows disagree', async () => {
    const f = await parsed('wide-module-disagree.csv', wideProfile);
    const dup = f.quarantine.filter((q) => q.reason === 'duplicate-measurement');
    expect(dup.map((q) => [q.line, q.column, q.rawValue])).toEqual([
      [2, 'Module Power (mW)', '9500'],
      [3, 'Module Power (mW)', '9700'],
    ]);
    expect(f.measurements.some((m) => m.parameter === 'module_power')).toBe(false);
  });
});

describe('identity from the file name', () => {
  it('takes lot, serial and station from the name and default units from the profile', async () => {
    const f = await parsed('L2403_SN0004_ATE-09.csv');
    expect(f.profileId).toBe('filename-v1');
    expect(f.runs).toEqual([
      { serial: 'SN0004', lot: 'L2403', station: 'ATE-09', testTime: '2025-03-03T07:00:00.000Z', declaredAttempt: null, operator: null },
    ]);
    expect(f.measurements).toHaveLength(9);
    expect(f.quarantine).toEqual([]);
  });

  it('rejects the whole file when the name and the content name different serials', async () => {
    const r = await rejected('SN0001_identity-mismatch.csv');
    expect(r).toMatchObject({ reason: 'identity-mismatch', line: 2 });
    expect(r.message).toContain("'SN0001'");
    expect(r.message).toContain("'SN0002'");
  });
});

// One fixture per malformed case: [file, reason, line, column, rawValue]
const quarantineCases: [string, QuarantineReason, number, string | null, string | null][] = [
  ['unknown-parameter.csv', 'unknown-parameter', 3, 'parameter', 'TX_SMSR'],
  ['unknown-unit.csv', 'unknown-unit', 2, 'unit', 'furlong'],
  ['non-numeric.csv', 'non-numeric', 2, 'value', 'abc'],
  ['non-numeric.csv', 'non-numeric', 3, 'value', '0x1F'],
  ['not-finite.csv', 'not-finite', 2, 'value', 'NaN'],
  ['not-finite.csv', 'not-finite', 3, 'value', 'inf'],
  ['not-finite.csv', 'not-finite', 4, 'value', '-Infinity'],
  ['not-finite.csv', 'not-finite', 5, 'value', '1e999'],
  ['physically-impossible.csv', 'physically-impossible', 2, 'value', '0'],
  ['physically-impossible.csv', 'physically-impossible', 3, 'value', '-0.2'],
  ['physically-impossible.csv', 'physically-impossible', 4, 'value', '55'],
  ['unknown-corner.csv', 'unknown-corner', 3, 'corner_c', '-5'],
  ['bad-lane.csv', 'bad-lane', 2, 'lane', '2'],
  ['bad-lane.csv', 'bad-lane', 3, 'lane', '1.5'],
  ['bad-lane.csv', 'missing-field', 4, 'lane', ''],
  ['duplicate-measurement.csv', 'duplicate-measurement', 3, 'value', '1.90'],
  ['ragged-row.csv', 'ragged-row', 2, null, 'SN0001,L2401,ATE-03,2025-03-02T08:14:55Z,1,25,TX,TX_POWER,0,1.84,dBm,,,PASS,extra'],
  ['ragged-row.csv', 'ragged-row', 3, null, 'SN0001,L2401,ATE-03,2025-03-02T08:14:55Z,1,25,TX,TX_POWER,1,1.84,dBm'],
  ['truncated-last-row.csv', 'truncated', 3, null, 'SN0001,L2401,ATE-03,2025-03-02T08:14:55Z,1,25,TX,TX_POWER,1,1.'],
  ['missing-identity-value.csv', 'missing-field', 3, 'serial', ''],
  ['bad-timestamp.csv', 'bad-timestamp', 3, 'start_utc', '02/03/2025 8:14'],
  ['run-identity-conflict.csv', 'identity-mismatch', 3, 'lot', 'L2499'],
  ['wide-module-disagree.csv', 'bad-lane', 4, 'Lane', '3'],
];

describe('malformed rows are quarantined with reason, line, column and value', () => {
  it.each(quarantineCases)('%s → %s at line %d', async (file, reason, line, column, rawValue) => {
    const f = await parsed(file);
    const entry = f.quarantine.find((q) => q.line === line && q.reason === reason);
    expect(entry).toMatchObject({ file, reason, line, column, rawValue });
    expect(entry?.message).toContain(`${file} line ${line}`);
  });

  it('says a cut-off last row is a truncated record', async () => {
    const f = await parsed('truncated-last-row.csv');
    expect(f.quarantine[0]?.message).toContain('the last record is cut off (the file ends mid-row: 10 of 14 fields');
    expect(f.measurements).toHaveLength(1);
  });

  it('tolerates trailing empty fields (spreadsheet exports) but not extra values', async () => {
    const f = await parsed('ragged-row.csv');
    expect(f.measurements.map((m) => m.line)).toEqual([4]);
  });

  it('lists, after the file, what the unit lacks against the product spec (line 0), keeping what is there', async () => {
    const f = await parsed('duplicate-measurement.csv');
    const missing = f.quarantine.filter((q) => q.reason === 'missing-measurements');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ line: 0, column: null });
    expect(missing[0]?.message).toContain('tx_avg_power @ room lane 2'); // lane index 1, named 1-based as the spec does
    expect(missing[0]?.message).toContain('module_power @ hot');
    expect(f.measurements).toHaveLength(1);
  });
});

describe('whole files that are rejected', () => {
  it.each([
    ['empty-0-bytes.csv', 'empty-file', null],
    ['empty-blank-lines.csv', 'empty-file', null],
    ['empty-header-only.csv', 'empty-file', 1],
    ['empty-preamble-only.csv', 'empty-file', null],
    ['binary-garbage.csv', 'binary-content', null],
    ['bad-encoding-latin1.csv', 'bad-encoding', 3],
    ['unterminated-quote.csv', 'truncated-file', 3],
    ['no-matching-profile.csv', 'no-matching-profile', 1],
  ] as const)('%s → %s', async (file, reason, line) => {
    const r = await rejected(file);
    expect(r).toMatchObject({ reason, line, name: file });
  });

  it('names, for the closest profiles, the columns that were missing', async () => {
    const r = await rejected('no-matching-profile.csv');
    expect(r.message).toContain('matches no station profile');
    expect(r.message).toContain(`'long-v1' is missing "serial", "lot"`);
  });

  it('says which column a named profile did not find', async () => {
    const r = await rejected('wide-good.csv', longProfile);
    expect(r.reason).toBe('no-matching-profile');
    expect(r.message).toContain(`columns "start_utc", "corner_c", "parameter", "value" not found`);
    expect(r.message).toContain(`profile 'long-v1'`);
  });

  it('hashes rejected files too', async () => {
    const r = await rejected('binary-garbage.csv');
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports a missing file as unreadable', async () => {
    const r = await rejected('does-not-exist.csv');
    expect(r.reason).toBe('unreadable');
  });
});

describe('encodings', () => {
  it('strips a UTF-8 BOM', async () => {
    const f = await parsed('utf8-bom.csv');
    expect(f.profileId).toBe('long-v1');
    expect(f.measurements).toHaveLength(9);
  });

  it('decodes UTF-16 LE with a BOM and CRLF line breaks', async () => {
    const f = await parsed('utf16le-bom.csv');
    expect(f.profileId).toBe('wide-v2');
    expect(f.measurements).toHaveLength(9);
    expect(f.quarantine).toEqual([]);
  });

  it('reads windows-1252 when the profile declares it', async () => {
    const f = await parsed('bad-encoding-latin1.csv', { ...longProfile, encoding: 'windows-1252' });
    // é (0xE9 in windows-1252) is read; the row names another station for the same run, so it is held back
    expect(f.quarantine.find((q) => q.line === 3)).toMatchObject({ reason: 'identity-mismatch', rawValue: 'ATE-é' });
  });
});

describe('auto-detection', () => {
  it('says which profile it chose and from which columns', async () => {
    const f = await parsed('wide-good.csv');
    expect(f.profileChoice).toMatch(
      /^auto-detected profile 'wide-v2' from header columns Serial, Lot, Station, Test Time, Corner, Lane, Operator, Tx Power \(mW\)/,
    );
  });
});

describe('every file: sha256 and the accounting invariant', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.csv'));
  /** The fixtures made to be rejected, with why; every other one must parse and account for each line. */
  const REJECTED: Readonly<Record<string, string>> = {
    'SN0001_identity-mismatch.csv': 'identity-mismatch',
    'bad-encoding-latin1.csv': 'bad-encoding',
    'binary-garbage.csv': 'binary-content',
    'empty-0-bytes.csv': 'empty-file',
    'empty-blank-lines.csv': 'empty-file',
    'empty-header-only.csv': 'empty-file',
    'empty-preamble-only.csv': 'empty-file',
    'no-matching-profile.csv': 'no-matching-profile',
    'unterminated-quote.csv': 'truncated-file',
  };
  it('knows every rejected fixture', () => {
    for (const name of Object.keys(REJECTED)) expect(files).toContain(name);
  });
  it.each(files)('%s', async (file) => {
    const out = await parse(file);
    const sha = execFileSync('sha256sum', [fixture(file)], { encoding: 'utf8' }).split(' ')[0];
    expect(out.file.sha256).toBe(sha);
    const rejectedFor = REJECTED[file];
    if (rejectedFor !== undefined) {
      expect(out.kind).toBe('rejected');
      expect((out.file as RejectedFile).reason).toBe(rejectedFor);
      return;
    }
    expect(out.kind, out.kind === 'rejected' ? out.file.message : '').toBe('parsed');
    const f = out.file as ParsedFile;
    const headerLine = f.headerLine ?? -1;
    expect(headerLine).toBeGreaterThan(0);
    const bytes = readFileSync(fixture(file));
    const text = new TextDecoder(bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : 'utf-8').decode(bytes).replace(/^\uFEFF/, '');
    const lines = text.split(/\r\n|\n|\r/);
    if (lines[lines.length - 1] === '') lines.pop(); // the final line break ends the last line
    const continuation = file === 'quoted-newline.csv' ? new Set([3]) : new Set<number>(); // inside the quoted field of line 2
    const rows = new Set([...f.measurements.map((m) => m.line), ...f.quarantine.map((q) => q.line)]);
    const metadata = new Set((f.stationMetadata ?? []).map((m) => m.line));
    const other = new Set((f.otherLines ?? []).map((o) => o.line));
    let blank = 0;
    let dataLines = 0;
    lines.forEach((t, i) => {
      const n = i + 1;
      if (t.trim() === '') return void blank++;
      if (n === headerLine || continuation.has(n)) return;
      // every other line is metadata, a line kept out (comment, marker…), or a data row stored or quarantined
      expect(metadata.has(n) || other.has(n) || rows.has(n), `${file} line ${n} not accounted`).toBe(true);
      if (n > headerLine && !metadata.has(n) && !other.has(n)) dataLines++;
    });
    expect(f.blankLines, 'blank lines').toBe(blank);
    expect(f.dataRows, 'data rows').toBe(dataLines);
  });
});
