/**
 * A file that does not fit the product it is ingested as is rejected before anything is stored, and the
 * rejection names the product of the catalogs that fits. The files are laid out here row by row from
 * hand-chosen readings of an 800G DR8 module (IEEE 802.3df values), in the long-generic layout.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProduct, findProfile, listShippedProducts } from '../../src/domain/catalog.js';
import type { IngestOutcome, ParsedFile } from '../../src/domain/measurement.js';
import type { ProductSpec } from '../../src/domain/product-spec.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';
import { miniProduct, wideProfile } from './support/catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'lotqa-product-fit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const products = listShippedProducts().map((e) => e.document);
const longGeneric = findProfile('long-generic');
const HEADER = 'Serial,Lot,Station,TestTime,Corner,Lane,Test,Value,Unit';

/** Per-lane readings of one DR8 module: launch power, OMA, TDECQ, ER, wavelength, SMSR, sensitivity, pre-FEC BER. */
const LANE_TESTS: readonly [string, string, readonly number[]][] = [
  ['TxPower', 'dBm', [1.2, 1.4, 1.1, 1.3, 1.25, 1.35, 1.15, 1.3]],
  ['OMA', 'dBm', [2.1, 2.3, 2.0, 2.2, 2.15, 2.25, 2.05, 2.2]],
  ['TDECQ', 'dB', [1.8, 1.9, 2.0, 1.7, 1.85, 1.95, 1.75, 1.9]],
  ['ER', 'dB', [4.6, 4.5, 4.7, 4.4, 4.55, 4.65, 4.45, 4.6]],
  ['Wavelength', 'nm', [1310.2, 1310.8, 1309.9, 1311.1, 1310.5, 1310.0, 1310.9, 1310.4]],
  ['SMSR', 'dB', [41, 42, 40, 43, 41.5, 42.5, 40.5, 41]],
  ['RxSens', 'dBm', [-6.1, -6.0, -6.3, -5.9, -6.2, -6.05, -6.15, -6.0]],
  ['PreFecBER', 'ratio', [2e-7, 3e-7, 1e-7, 4e-7, 2.5e-7, 1.5e-7, 3.5e-7, 2e-7]],
];

/** One DR8 unit tested at 0/25/70 °C: every lane test on `lanes` lanes, module power and Icc at 25 and 70 °C. */
function dr8File(options: { lanes?: number; corners?: readonly string[]; serial?: string } = {}): string {
  const lanes = options.lanes ?? 8;
  const rows: string[] = [HEADER];
  const id = `${options.serial ?? 'SN80001'},L2501,ATE-08,2025-05-06T10:00:00Z`;
  for (const corner of options.corners ?? ['0C', '25C', '70C']) {
    for (const [test, unit, values] of LANE_TESTS)
      for (let lane = 0; lane < lanes; lane++) rows.push(`${id},${corner},${lane},${test},${values[lane % 8]},${unit}`);
    if (corner !== '0C' && corner !== '-40C') rows.push(`${id},${corner},,Power,14.2,W`, `${id},${corner},,Icc,4.31,A`);
  }
  return rows.join('\n') + '\n';
}

let n = 0;
async function parse(text: string, product: ProductSpec, profile = longGeneric): Promise<IngestOutcome> {
  const path = join(dir, `unit-${n++}.csv`);
  writeFileSync(path, text);
  return parseStationFile(path, { product, profile, profiles: [], products });
}
async function rejected(text: string, product: ProductSpec, profile = longGeneric) {
  const out = await parse(text, product, profile);
  if (out.kind !== 'rejected') throw new Error('expected the file to be rejected');
  return out.file;
}
async function parsed(text: string, product: ProductSpec, profile = longGeneric): Promise<ParsedFile> {
  const out = await parse(text, product, profile);
  if (out.kind !== 'parsed') throw new Error(out.file.message);
  return out.file;
}

describe('lanes', () => {
  it('rejects an 8-lane file ingested as a 4-lane product and names the 8-lane product it fits', async () => {
    const r = await rejected(dr8File(), findProduct('qsfp112-400g-dr4'));
    expect(r.reason).toBe('wrong-product');
    expect(r.message).toMatch(/^unit-\d+\.csv does not fit product qsfp112-400g-dr4: 8 lanes found; product qsfp112-400g-dr4 has 4\. /);
    // the DR8 file's 14.2 W module power is beyond the linear-drive variant's 10 W: DR8, not DR8-LPO
    expect(r.message).toContain('osfp-800g-dr8 fits: ingest the file as product osfp-800g-dr8.');
    expect(r.message).toContain('Nothing from this file is stored.');
    expect(r.line).toBe(6); // the first row with lane index 4 (the fifth lane)
  });

  it('reads the same file as the product it fits', async () => {
    const f = await parsed(dr8File(), findProduct('osfp-800g-dr8'));
    expect(f.quarantine.filter((q) => q.line > 0)).toEqual([]);
    expect(f.measurements).toHaveLength(3 * 8 * 8 + 2 * 2);
  });

  it('keeps a file with one mistyped lane: the row is quarantined, the rest stored', async () => {
    const text = dr8File().replace(
      'SN80001,L2501,ATE-08,2025-05-06T10:00:00Z,25C,3,TxPower',
      'SN80001,L2501,ATE-08,2025-05-06T10:00:00Z,25C,9,TxPower',
    );
    const f = await parsed(text, findProduct('osfp-800g-dr8'));
    expect(f.quarantine.filter((q) => q.reason === 'bad-lane').map((q) => q.rawValue)).toEqual(['9']);
  });

  it('a 4-lane file is not rejected as an 8-lane product: the gaps are missing measurements', async () => {
    const f = await parsed(dr8File({ lanes: 4 }), findProduct('osfp-800g-dr8'));
    expect(f.quarantine.map((q) => q.reason)).toEqual(['missing-measurements']);
  });
});

describe('corners', () => {
  it('rejects a file tested at corners the product does not have, saying no other product fits', async () => {
    const r = await rejected(dr8File({ corners: ['-40C', '25C', '85C'] }), findProduct('osfp-800g-dr8'));
    expect(r.reason).toBe('wrong-product');
    expect(r.message).toContain("corners '-40C', '85C' (130 rows) found; product osfp-800g-dr8 has cold, room, hot");
    expect(r.message).toContain('No other product of the catalogs fits it either (osfp-800g-2xfr4, osfp-800g-dr8-lpo, qsfp112-400g-dr4)');
  });
});

describe('unknown tests', () => {
  it('rejects a file most of whose tests the product does not have', async () => {
    const id = 'SN90001,L2502,ATE-08,2025-05-06T11:00:00Z,25C';
    const rows = [HEADER];
    for (let lane = 0; lane < 4; lane++)
      rows.push(`${id},${lane},Ith,8.1,mA`, `${id},${lane},SlopeEff,0.31,W/A`, `${id},${lane},Vf,1.42,V`, `${id},${lane},TxPower,1.1,dBm`);
    const r = await rejected(rows.join('\n') + '\n', findProduct('qsfp112-400g-dr4'));
    expect(r.message).toContain('12 of 16 rows are tests product qsfp112-400g-dr4 does not have (Ith, SlopeEff, Vf)');
  });

  it('rejects a wide file most of whose parameter columns the product does not measure', async () => {
    const powerOnly: ProductSpec = { ...miniProduct, productId: 'mini-power-only', parameters: [miniProduct.parameters[0]!] };
    const text = [
      'Serial,Lot,Station,Test Time,Corner,Lane,Tx Power (mW),ER (dB),Module Power (mW)',
      'SN0002,L2401,ATE-07,2025-03-02T09:00:00Z,T25,1,1,4.1,9500',
      'SN0002,L2401,ATE-07,2025-03-02T09:00:00Z,T25,2,1,4.1,9500',
    ].join('\n');
    writeFileSync(join(dir, 'w.csv'), text + '\n');
    const r = await parseStationFile(join(dir, 'w.csv'), {
      product: powerOnly,
      profile: wideProfile,
      profiles: [],
      products: [miniProduct],
    });
    expect(r.kind).toBe('rejected');
    if (r.kind === 'rejected') {
      expect(r.file.message).toContain('2 of 3 parameter columns are parameters product mini-power-only does not measure');
      expect(r.file.message).toContain('mini-dr2 fits');
    }
  });
});
