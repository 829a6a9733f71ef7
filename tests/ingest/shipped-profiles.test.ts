/**
 * The shipped station profiles and products (schemas/) with files written by the synthetic factory
 * (src/sim): every generated file must parse, be accounted for, and reproduce the manifest's hash.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listShippedProducts, listShippedProfiles } from '../../src/domain/catalog.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';
import { generateLot } from '../../src/sim/generate-lot.js';
import { writeLotFiles } from '../../src/sim/write-lot-files.js';

const dir = mkdtempSync(join(tmpdir(), 'lotqa-ingest-shipped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const profiles = listShippedProfiles().map((e) => e.document);
const products = listShippedProducts().map((e) => e.document);
const pairs = products.flatMap((product) => profiles.map((profile) => [product, profile] as const));

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
