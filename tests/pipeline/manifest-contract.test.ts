/**
 * The manifest is a contract (issue 12 item 5): more units than the manifest's quantity, or a unit
 * whose serial the manifest does not list, holds the lot with a reason saying so; a lot that keeps to
 * its manifest gets no such reason. Through real station files, `ingestFiles` (which records the
 * manifest beside the files) and the evaluation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProduct, findProfile, listShippedProfiles } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { generateLot, writeLotFiles } from '../../src/sim/index.js';
import { collectStationFiles } from '../../src/pipeline/collect-files.js';
import { ingestFiles } from '../../src/pipeline/ingest-files.js';
import { evaluateRevision } from '../../src/pipeline/lot-stages.js';
import { readLotManifestIn } from '../../src/ingest/lot-manifest.js';
import type { LotResult } from '../../src/domain/lot-result.js';
import { sqliteBackend } from '../store/support/store-backends.js';

const spec = findProduct('qsfp112-400g-dr4');
const profiles = listShippedProfiles().map((e) => e.document);
const policy = findPolicy('default');
let dir: string;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-manifest-'));
});

/** Writes a 12-unit lot, lets `edit` change its manifest, ingests and evaluates it in a fresh store. */
async function lotWithManifest(lot: string, edit: (m: Record<string, unknown>) => void): Promise<LotResult> {
  const folder = join(dir, lot);
  writeLotFiles(generateLot({ spec, lot, units: 12, seed: 51 }), findProfile('long-generic'), folder);
  const manifestPath = join(folder, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  edit(manifest);
  writeFileSync(manifestPath, JSON.stringify(manifest));
  const backend = sqliteBackend();
  const store = backend.open();
  try {
    await store.migrate();
    await ingestFiles(store, await collectStationFiles([folder]), { product: spec, profiles });
    return (await evaluateRevision(store, lot, { policy })).result;
  } finally {
    await store.close();
    await backend.cleanup();
  }
}

const manifestReasons = (r: LotResult) => r.proposal.reasons.filter((x) => x.code.startsWith('manifest-'));

describe('the manifest as a contract', () => {
  it('a lot that keeps to its manifest (quantity and serial list) has no manifest reason', async () => {
    const r = await lotWithManifest('MF-OK', () => undefined);
    expect(r.quantity.units).toBe(12);
    expect(manifestReasons(r)).toEqual([]);
  });

  it('more units than ordered holds the lot, saying how many more', async () => {
    const r = await lotWithManifest('MF-MORE', (m) => {
      m.quantity = 10;
    });
    expect(r.proposal.disposition).toBe('HOLD');
    expect(manifestReasons(r)).toEqual([
      expect.objectContaining({
        code: 'manifest-quantity',
        severity: 'HOLD',
        value: 12,
        threshold: 10,
      }),
    ]);
    expect(manifestReasons(r)[0]!.message).toMatch(/12 units stored, the manifest orders 10 \(2 more than ordered\)/);
  });

  it('a unit outside the manifest serial list holds the lot, naming the serial', async () => {
    let dropped = '';
    const r = await lotWithManifest('MF-SERIAL', (m) => {
      const serials = (m.files as { serial: string }[]).map((f) => f.serial);
      dropped = serials[6]!;
      m.serials = serials.filter((s) => s !== dropped);
      delete m.files;
    });
    expect(dropped).not.toBe('');
    expect(r.proposal.disposition).toBe('HOLD');
    expect(manifestReasons(r)).toEqual([
      expect.objectContaining({ code: 'manifest-serials', severity: 'HOLD', value: 1, serials: [dropped] }),
    ]);
  });

  it('reads a manifest with a bad serial list as an error naming the file', () => {
    const folder = mkdtempSync(join(dir, 'bad-'));
    writeFileSync(join(folder, 'manifest.json'), JSON.stringify({ lot: 'X', quantity: 3, serials: ['A', 7] }));
    expect(() => readLotManifestIn(folder)).toThrow(/manifest\.json: "serials" must be a list/);
    writeFileSync(join(folder, 'manifest.json'), JSON.stringify({ lot: 'X', quantity: 0 }));
    expect(() => readLotManifestIn(folder)).toThrow(/"quantity" must be a whole number ≥ 1, got 0/);
  });

  it('reads a settled manifest once per process, and again once it changes; a manifest just written every time', () => {
    const folder = mkdtempSync(join(dir, 'once-'));
    const path = join(folder, 'manifest.json');
    const write = (quantity: number, ageSeconds: number): void => {
      writeFileSync(path, JSON.stringify({ lot: 'X', product: 'qsfp112-400g-dr4', quantity, serials: ['B', 'A'] }));
      const then = Date.now() / 1000 - ageSeconds;
      utimesSync(path, then, then);
    };
    write(10, 3600);
    const first = readLotManifestIn(folder);
    expect(first).toEqual(expect.objectContaining({ lot: 'X', quantity: 10, serials: ['A', 'B'], productId: null }));
    expect(readLotManifestIn(folder)).toBe(first); // the same reading: not parsed again
    write(11, 1800); // the same size, another content
    expect(readLotManifestIn(folder)?.quantity).toBe(11);
    write(12, 0); // just written: its file times may not yet tell a rewrite apart
    const fresh = readLotManifestIn(folder);
    expect(fresh?.quantity).toBe(12);
    expect(readLotManifestIn(folder)).not.toBe(fresh);
    rmSync(path);
    expect(readLotManifestIn(folder)).toBeNull();
  });
});
