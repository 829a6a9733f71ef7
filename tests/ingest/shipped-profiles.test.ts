/**
 * The shipped station profiles and products (schemas/) with files written by the synthetic factory
 * (src/sim): every generated file must parse, be accounted for, and reproduce the manifest's hash.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { listShippedProducts, listShippedProfiles } from '../../src/domain/catalog.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';
import { generateLot } from '../../src/sim/generate-lot.js';
import { writeLotFiles } from '../../src/sim/write-lot-files.js';

const dir = mkdtempSync(join(tmpdir(), 'lotqa-ingest-shipped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const profiles = listShippedProfiles().map((e) => e.document);
const products = listShippedProducts().map((e) => e.document);
/**
 * The generator writes a preamble, a header and rows; it does not write markers, sections, footers or
 * fixed blocks. Profiles that describe those are tested below with files written by hand.
 */
const generatorWrites = (p: (typeof profiles)[number]): boolean =>
  p.layout?.tableStart === undefined && p.layout?.tableEnd === undefined && p.layout?.fixedBlock === undefined;
const pairs = products.flatMap((product) => profiles.filter(generatorWrites).map((profile) => [product, profile] as const));

describe('generator-style files with the shipped profiles', () => {
  it.each(pairs.map(([product, profile]) => [product.productId, profile.id, product, profile] as const))(
    '%s written by %s',
    async (_p, _s, product, profile) => {
      const lot = generateLot({ spec: product, lot: 'L9001', units: 3, seed: 7 });
      let written;
      try {
        written = writeLotFiles(lot, profile, join(dir, `${product.productId}-${profile.id}`));
      } catch (err) {
        // the generator refuses layouts a profile cannot express (e.g. no lane column for 8 lanes)
        expect((err as Error).name).toMatch(/Sim/);
        return;
      }
      for (const file of written.manifest.files) {
        const out = await parseStationFile(join(written.outDir, file.file), { product, profiles });
        if (out.kind === 'rejected') throw new Error(out.file.message);
        const f = out.file;
        expect(f.sha256).toBe(file.sha256);
        expect(f.profileId).toBe(profile.id);
        expect(f.runs.map((r) => r.serial)).toContain(file.serial);
        // a healthy generated lot: nothing quarantined, not even a missing lane or corner
        expect(f.quarantine, f.quarantine[0]?.message).toEqual([]);
        expect(f.measurements.length).toBeGreaterThan(0);
      }
    },
  );
});

const HAND = fileURLToPath(new URL('../fixtures/vendor-shipped/', import.meta.url));

describe('hand-written station files in the shipped example layouts, as a QSFP112 DR4 station writes them', () => {
  const dr4 = products.find((p) => p.productId === 'qsfp112-400g-dr4')!;
  it.each([
    ['ini-sections-dr4.csv', 'ini-sections', 'QD240001', 'ATE-12', '2025-06-03T07:45:10.000Z', 'pass'],
    ['long-commented-footer-dr4.csv', 'long-commented-footer', 'QD240002', 'ATE-07', '2025-06-03T08:02:41.000Z', 'pass'],
    ['fixed-header-block-dr4.txt', 'fixed-header-block', 'QD240003', 'ATE-31', '2025-06-03T08:15:00.000Z', undefined],
  ] as const)('%s is detected as %s and read whole', async (file, profileId, serial, station, testTime, verdict) => {
    const out = await parseStationFile(join(HAND, file), { product: dr4, profiles });
    if (out.kind === 'rejected') throw new Error(out.file.message);
    const f = out.file;
    expect(f.profileId).toBe(profileId);
    expect(f.quarantine, f.quarantine[0]?.message).toEqual([]);
    expect(f.runs).toHaveLength(1);
    expect(f.runs[0]).toMatchObject({ serial, lot: 'QL2405', station, testTime });
    expect(f.runs[0]?.stationVerdict).toBe(verdict);
    // 4 lanes × 3 corners of power, OMA, TDECQ, ER and sensitivity; wavelength and SMSR at room and hot; module power and Icc twice
    expect(f.measurements).toHaveLength(4 * 3 * 5 + 4 * 2 * 2 + 2 * 2);
  });
});
