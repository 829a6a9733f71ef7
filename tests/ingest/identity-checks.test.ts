/**
 * Serial numbers and lot ids that a spreadsheet, a person or a customer's system would misread are never
 * stored: every violation is quarantined (a cell) or rejects the file (an id the whole file carries),
 * with the file, line, column and value. The files are written here as a station would write them,
 * with the invisible characters spelled out as escapes so the reader sees them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IngestOutcome, ParsedFile } from '../../src/domain/measurement.js';
import type { ProductSpec } from '../../src/domain/product-spec.js';
import { checkIdentityValue } from '../../src/ingest/identity-check.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';
import { euProfile, longProfile, miniProduct } from './support/catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'lotqa-identity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const withRules: ProductSpec = {
  ...miniProduct,
  identity: {
    serial: { pattern: '^SN[0-9]{4}$', description: 'SN and four digits' },
    lot: { pattern: '^L[0-9]{4}$' },
  },
};

describe('the rules every serial and lot id obeys', () => {
  const refused: [string, string, RegExp][] = [
    ['a formula', '=HYPERLINK("x")', /starts with '=', which a spreadsheet runs as a formula/],
    ['a leading plus', '+SN0001', /starts with '\+'/],
    ['a leading minus', '-SN0001', /starts with '-'/],
    ['a leading at sign', '@SN0001', /starts with '@'/],
    ['a bell character', 'SN\u00070001', /control character \(U\+0007 at character 3\)/],
    ['a tab inside', 'SN\t0001', /control character \(U\+0009/],
    ['a C1 control', 'SN\u00850001', /control character \(U\+0085/],
    ['DEL', 'SN0001\u007f', /control character \(U\+007F/],
    ['a zero-width space', 'SN00\u200B01', /invisible character \(U\+200B ZERO WIDTH SPACE at character 5\)/],
    ['a zero-width joiner', 'SN\u200D0001', /U\+200D ZERO WIDTH JOINER/],
    ['a zero-width non-joiner', 'SN\u200C0001', /U\+200C ZERO WIDTH NON-JOINER/],
    ['a word joiner', 'SN\u20600001', /U\+2060 WORD JOINER/],
    ['a byte-order mark', '\uFEFFSN0001', /U\+FEFF ZERO WIDTH NO-BREAK SPACE/],
    ['a soft hyphen', 'SN\u00AD0001', /U\+00AD SOFT HYPHEN/],
    ['a right-to-left override', 'SN\u202E1000', /text-direction control \(U\+202E RIGHT-TO-LEFT OVERRIDE at character 3\)/],
    ['a left-to-right mark', 'SN0001\u200E', /U\+200E LEFT-TO-RIGHT MARK/],
    ['a right-to-left isolate', '\u2067SN0001', /U\+2067 RIGHT-TO-LEFT ISOLATE/],
    ['an Arabic letter mark', 'SN\u061C0001', /U\+061C ARABIC LETTER MARK/],
    ['a trailing space', 'SN0001 ', /has spaces around it/],
    ['a leading space', ' SN0001', /has spaces around it/],
    ['a trailing no-break space', 'SN0001\u00A0', /has spaces around it/],
    ['a leading ideographic space', '\u3000SN0001', /has spaces around it/],
  ];
  it.each(refused)('refuses %s', (_what, raw, why) => {
    const check = checkIdentityValue(raw, 'serial', miniProduct);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.why).toMatch(why);
  });

  it('says lot id for a lot', () => {
    const check = checkIdentityValue('=1+1', 'lot', miniProduct);
    expect(check).toEqual({ ok: false, why: "the lot id starts with '=', which a spreadsheet runs as a formula" });
  });

  it('NFC-normalises: é written as e + combining accent is the same id as the precomposed é', () => {
    const decomposed = 'SN-Caf\u0065\u0301'.slice(3); // "Cafe" + U+0301
    const check = checkIdentityValue(decomposed, 'serial', miniProduct);
    expect(check).toEqual({ ok: true, value: 'Caf\u00e9' });
  });

  it('accepts ordinary ids, inner spaces and hyphens included', () => {
    for (const id of ['SN0001', 'L2401-A', 'LOT 2401', '0042', 'Æ-7'])
      expect(checkIdentityValue(id, 'serial', miniProduct)).toEqual({ ok: true, value: id });
  });

  it('applies the product’s own pattern after normalising, and names its description', () => {
    expect(checkIdentityValue('SN0001', 'serial', withRules)).toEqual({ ok: true, value: 'SN0001' });
    expect(checkIdentityValue('SN001', 'serial', withRules)).toEqual({
      ok: false,
      why: "the serial does not match product mini-dr2's serial rule (SN and four digits) /^SN[0-9]{4}$/",
    });
    expect(checkIdentityValue('X2401', 'lot', withRules)).toMatchObject({ ok: false });
  });
});

let n = 0;
async function parse(
  text: string,
  options: { product?: ProductSpec; name?: string; profile?: typeof longProfile } = {},
): Promise<IngestOutcome> {
  const path = join(dir, options.name ?? `f${n++}.csv`);
  writeFileSync(path, text);
  return parseStationFile(path, { product: options.product ?? miniProduct, profile: options.profile ?? longProfile, profiles: [] });
}
async function parsed(text: string, product?: ProductSpec): Promise<ParsedFile> {
  const out = await parse(text, { product });
  if (out.kind !== 'parsed') throw new Error(out.file.message);
  return out.file;
}

const HEADER = 'serial,lot,station,start_utc,corner_c,parameter,lane,value,unit';
const row = (serial: string, lot = 'L2401', lane = '0') => `${serial},${lot},ATE-03,2025-03-02T08:14:55Z,25,TX_POWER,${lane},1.5,dBm`;

describe('ids in a column: the row is quarantined with file, line, column and value', () => {
  it('quarantines each bad serial and lot id, keeps the good rows', async () => {
    const f = await parsed(
      [
        HEADER,
        row('SN0001'),
        row('"=HYPERLINK(""x"")"'),
        row('SN\u200B0001'),
        row('SN0001 '),
        row('SN0001', ' L2401'),
        row('SN0001', 'L24\u202E01'),
        row('SN0001', 'L2401', '1'),
      ].join('\n') + '\n',
    );
    expect(f.measurements.map((m) => m.line)).toEqual([2, 8]);
    expect(f.runs.map((r) => r.serial)).toEqual(['SN0001']);
    const bad = f.quarantine.filter((q) => q.reason === 'bad-identity');
    expect(bad.map((q) => [q.line, q.column, q.rawValue])).toEqual([
      [3, 'serial', '=HYPERLINK("x")'],
      [4, 'serial', 'SN\u200B0001'],
      [5, 'serial', 'SN0001 '],
      [6, 'lot', ' L2401'],
      [7, 'lot', 'L24\u202E01'],
    ]);
    expect(bad[0]?.message).toMatch(/^f\d+\.csv line 3, column 'serial', value '=HYPERLINK\("x"\)': the serial starts with '='/);
  });

  it('applies the product’s serial pattern per row', async () => {
    const f = await parsed([HEADER, row('SN0001'), row('SN01', 'L2401', '1')].join('\n') + '\n', withRules);
    expect(f.quarantine.filter((q) => q.reason === 'bad-identity').map((q) => [q.line, q.column, q.rawValue])).toEqual([
      [3, 'serial', 'SN01'],
    ]);
  });

  it('stores the NFC form of a serial, so two spellings of one serial are one unit', async () => {
    const f = await parsed([HEADER, row('SN-Cafe\u0301'), row('SN-Caf\u00e9', 'L2401', '1')].join('\n') + '\n');
    expect(f.quarantine.filter((q) => q.line > 0)).toEqual([]);
    expect(f.runs.map((r) => r.serial)).toEqual(['SN-Caf\u00e9']);
    expect(f.measurements.map((m) => m.run)).toEqual([0, 0]);
  });
});

describe('an id the whole file carries (metadata or file name): the file is rejected', () => {
  const eu = (serial: string) =>
    [
      `Seriennummer=${serial}`,
      'Los=L2402',
      'Station: EU-01',
      'Datum: 02.03.2025 10:15:00',
      '',
      'Temperatur;Kanal;Leistung [µW];ER [dB];Modulleistung [W]',
      '25 °C;0;1000;4,1;',
    ].join('\n') + '\n';

  it('rejects a formula serial in the preamble, naming its line', async () => {
    const out = await parse(eu('@SUM(A1)'), { profile: euProfile });
    expect(out.kind).toBe('rejected');
    if (out.kind !== 'rejected') return;
    expect(out.file).toMatchObject({ reason: 'bad-identity', line: 1 });
    expect(out.file.message).toContain("serial '@SUM(A1)' from line 1 (metadata 'Seriennummer'): the serial starts with '@'");
  });

  it('rejects a serial from the file name that breaks the product’s pattern', async () => {
    const profile = {
      ...longProfile,
      id: 'by-name',
      fileNamePattern: '^(?<serial>[^_]+)_',
      identity: { ...longProfile.identity, serial: { fileName: 'serial' } },
    };
    const out = await parse([HEADER.replace('serial,', 'x,'), row('SN0001')].join('\n') + '\n', {
      name: 'SN01_a.csv',
      product: withRules,
      profile,
    });
    expect(out.kind).toBe('rejected');
    if (out.kind === 'rejected')
      expect(out.file.message).toContain("serial 'SN01' from the file name (group 'serial'): the serial does not match");
  });
});
