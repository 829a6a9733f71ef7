/**
 * A station exporting the same test twice (the same serial, station, test time and readings, but other
 * file bytes: rows in another order, CRLF line ends, another folder) is one attempt, not a retest: the
 * unit's attempts, the runs counted, the yields and the proposal are those of the lot without the second
 * export, and the same whichever export arrived first (the file with the smallest SHA-256 is the one
 * counted), on both stores; an INFO reason names the re-export. `lotqa unit` lists one attempt too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { findProduct, findProfile } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { generateLot, writeLotFiles } from '../../src/sim/index.js';
import { evaluateRevision } from '../../src/pipeline/lot-stages.js';
import { lotConflicts } from '../../src/pipeline/lot-conflicts.js';
import { unitReadings } from '../../src/queries/unit-readings.js';
import type { Store } from '../../src/store/index.js';
import { migratedStores, postgresBackend, sqliteBackend } from '../store/support/store-backends.js';
import { reExportedCopy } from './support/re-exported-copy.js';
import { ingestFolders } from './support/ingest-folders.js';

const spec = findProduct('qsfp112-400g-dr4');
const policy = findPolicy('default');
const clock = { now: () => '2026-03-01T08:00:00.000Z' };
const LOT = 'REX1';
let dir: string;
let original: string;
let again: string;
let serial: string;
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-re-export-'));
  const written = writeLotFiles(generateLot({ spec, lot: LOT, units: 12, seed: 43 }), findProfile('long-generic'), join(dir, 'lot'));
  const first = written.manifest.files[0]!;
  serial = first.serial;
  original = join(dir, 'lot', first.file);
  mkdirSync(join(dir, 'again'));
  again = join(dir, 'again', first.file);
  reExportedCopy(original, again);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ingest = (store: Store, ...folders: string[]) => ingestFolders(store, dir, folders, spec);

describe.each([
  ['sqlite', sqliteBackend],
  ['postgres', postgresBackend],
] as const)('a test exported twice by its station, on %s', (_name, make) => {
  const stores = migratedStores(make, 3, async (stores) => {
    // Store 0: the lot, then the second export. Store 1: the other way round. Store 2: the lot alone.
    await ingest(stores[0]!, 'lot');
    await ingest(stores[0]!, 'again');
    await ingest(stores[1]!, 'again');
    await ingest(stores[1]!, 'lot');
    await ingest(stores[2]!, 'lot');
  });

  it('is one attempt: units, runs, yields and proposal as without it, in either arrival order; an INFO reason names it', async () => {
    expect(sha(again)).not.toBe(sha(original));
    const [a, b, alone] = await Promise.all(stores.map((s) => evaluateRevision(s, LOT, { policy, clock })));
    for (const e of [a!, b!]) {
      expect(e.result.units).toEqual(alone!.result.units);
      expect(e.result.units.find((u) => u.serial === serial)).toMatchObject({ attempts: 1 });
      expect(e.result.quantity.runs).toBe(alone!.result.quantity.runs);
      expect(e.result.yields).toEqual(alone!.result.yields);
      expect(e.result.proposal.disposition).toBe(alone!.result.proposal.disposition);
      // Both exports stay part of the lot's content.
      expect(e.result.fileHashes).toEqual(expect.arrayContaining([sha(original), sha(again)]));
      const [kept, repeat] = [sha(original), sha(again)].sort();
      const note = e.result.proposal.reasons.find((r) => r.code === 're-exported-test');
      expect(note).toMatchObject({ severity: 'INFO', value: 1, serials: [serial] });
      expect(note!.message).toContain(`unit ${serial} at `);
      expect(note!.message).toMatch(/^1 test was exported again by the same station with the same readings and counts as one attempt: /);
      expect(note!.message).toContain(`on ATE-01 (file ${kept!.slice(0, 12)} counted; ${repeat!.slice(0, 12)} not)`);
      expect(e.result.proposal.reasons.some((r) => r.code === 'file-conflict' || r.code === 'simultaneous-attempts')).toBe(false);
      expect(await lotConflicts(stores[0]!, LOT)).toEqual([]);
    }
    expect(b!.result).toEqual(a!.result);
    expect(b!.resultSha256).toBe(a!.resultSha256);
  });

  it('lists one attempt for the unit, from the file with the smallest SHA-256, whichever came first', async () => {
    const kept = [sha(original), sha(again)].sort()[0]!;
    for (const store of stores.slice(0, 2)) {
      const unit = await unitReadings(store, LOT, serial);
      expect(unit?.attempts.map((x) => [x.attempt, x.final, x.station, x.file.sha256])).toEqual([[1, true, 'ATE-01', kept]]);
    }
  });
});
