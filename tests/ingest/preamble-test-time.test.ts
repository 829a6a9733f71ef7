/**
 * A test time read from the preamble that is not a time: every row of the unit is quarantined (none can be
 * placed in time), and each quarantine entry says where the bad value actually is — the preamble line — not
 * only the row it was applied to, so a person finds it in the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProduct, findProfile } from '../../src/domain/catalog.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';

const dir = mkdtempSync(join(tmpdir(), 'lotqa-preamble-time-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const product = findProduct('osfp-800g-dr8');
const profile = findProfile('wide-eu-preamble');

describe('a bad test time in the preamble', () => {
  it('quarantines the rows and names the preamble line the value was read from', async () => {
    const lines = [
      'Serial=SN-T1',
      'Lot=LT1',
      'Station=ATE-01',
      'Date=45.13.2025 25:61:00',
      'Attempt=1',
      'Operator=OP-A',
      'Temp;Kanal;TxPower [mW];OMA [mW];TDECQ [dB];TDECQ_Ceq [dB];ER [dB];Wavelength [nm];SMSR [dB];RxSens OMA [mW];BER;Module Power [mW];Icc [mA]',
      'T25;1;1,19;1,86;0,855;0,912;7,751;1311,2;42,0;0,209;8,267e-7;14512,2;2810',
      'T25;2;1,21;1,84;0,845;0,902;7,651;1310,2;41,0;0,219;7,267e-7;14512,2;2810',
    ];
    const path = join(dir, 'bad-date.csv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const outcome = await parseStationFile(path, { product, profile, profiles: [profile] });
    expect(outcome.kind).toBe('parsed');
    if (outcome.kind !== 'parsed') return;
    const bad = outcome.file.quarantine.filter((q) => q.reason === 'bad-timestamp');
    expect(bad.map((q) => q.line)).toEqual([8, 9]);
    for (const q of bad) {
      expect(q.rawValue).toBe('45.13.2025 25:61:00');
      expect(q.message).toMatch(/not a valid test time \(read from the preamble line 4\)/);
    }
  });
});
