/**
 * The stations' own verdicts and limits are kept with the files and reported in the LotResult where they
 * disagree with lotqa (issue 10 item 6): a unit the station failed and lotqa passed, a station testing ER
 * against 3.6 dB where the spec says 3.5 dB — through real station files, both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProduct, findProfile, listShippedProfiles } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { generateLot, writeLotFiles } from '../../src/sim/index.js';
import { collectStationFiles } from '../../src/pipeline/collect-files.js';
import { ingestFiles } from '../../src/pipeline/ingest-files.js';
import { evaluateRevision } from '../../src/pipeline/lot-stages.js';
import { postgresBackend, sqliteBackend } from '../store/support/store-backends.js';

const spec = findProduct('qsfp112-400g-dr4');
const profiles = listShippedProfiles().map((e) => e.document);
const policy = findPolicy('default');
const LOT = 'SEV1';
let dir: string;
let failedByStation: string;
let oldLimitStation: string;

/** Rewrites a long-layout file's cells: `edit(cells, column)` per data row. */
function rewrite(path: string, edit: (cells: string[], col: (name: string) => number) => void): void {
  const lines = readFileSync(path, 'utf8').split('\n');
  const header = lines[0]!.split(',');
  const col = (name: string) => header.indexOf(name);
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    const cells = lines[i]!.split(',');
    edit(cells, col);
    lines[i] = cells.join(',');
  }
  writeFileSync(path, lines.join('\n'));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-station-evidence-'));
  const written = writeLotFiles(generateLot({ spec, lot: LOT, units: 8, seed: 61 }), findProfile('long-generic'), dir);
  const passing = written.manifest.files.filter((f) => f.passed);
  // The station failed a unit lotqa passes: its first row's verdict is FAIL.
  failedByStation = passing[1]!.serial;
  let first = true;
  rewrite(join(dir, passing[1]!.file), (cells, col) => {
    if (first) cells[col('Result')] = 'FAIL';
    first = false;
  });
  // Another unit's station was loaded with an old ER limit: 3.6 dB.
  oldLimitStation = passing[2]!.station;
  rewrite(join(dir, passing[2]!.file), (cells, col) => {
    if (cells[col('Test')] === 'ER') cells[col('LowLimit')] = '3.6';
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['sqlite', sqliteBackend],
  ['postgres', postgresBackend],
] as const)('station evidence on %s', (_name, make) => {
  it('reports the unit the station failed and the station limit that differs from the spec, per unit and per lot', async () => {
    const backend = make();
    const store = backend.open();
    try {
      await store.migrate();
      await ingestFiles(store, await collectStationFiles([dir]), { product: spec, profiles });
      const { result } = await evaluateRevision(store, LOT, { policy });
      const ev = result.stationEvidence!;
      expect(ev.runsWithVerdict).toBe(8);
      expect(ev.disagreeingUnits).toEqual({ firstPass: 1, final: 1 });
      expect(ev.verdicts).toEqual([
        expect.objectContaining({ serial: failedByStation, attempt: 'final', stationSays: 'fail', lotqaSays: 'pass' }),
      ]);
      expect(ev.limits).toEqual([
        expect.objectContaining({
          station: oldLimitStation,
          parameter: 'tx_er',
          side: 'lower',
          stationLimit: 3.6,
          specLimit: 3.5,
          unit: 'dB',
        }),
      ]);
      expect(ev.limits[0]!.message).toContain(`${oldLimitStation} tests`);
      expect(ev.limits[0]!.message).toContain('against 3.6 dB, the spec says 3.5 dB');
      // Lanes are named as the spec names them (1-based), never 0-based indices.
      expect(ev.limits[0]!.message).toMatch(/lanes 1, 2, 3, 4/);
      // Evidence only: lotqa's own verdict on the unit stands.
      expect(result.units.find((u) => u.serial === failedByStation)?.final).toBe('pass');
    } finally {
      await store.close();
      await backend.cleanup();
    }
  });
});
