/**
 * Conflicts are never settled by arrival order: two files reporting the same unit at the same test time
 * with different readings hold the lot, in whichever order they arrive, on both stores; an engineer keeps
 * one (audited, nothing deleted) and the next evaluation is a new revision.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { findProduct, findProfile } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { generateLot, writeLotFiles } from '../../src/sim/index.js';
import { evaluateRevision } from '../../src/pipeline/lot-stages.js';
import { lotConflicts, resolveConflict } from '../../src/pipeline/lot-conflicts.js';
import type { Store } from '../../src/store/index.js';
import { migratedStores, postgresBackend, sqliteBackend } from '../store/support/store-backends.js';
import { conflictingCopy } from './support/conflicting-copy.js';
import { ingestFolders } from './support/ingest-folders.js';

const spec = findProduct('qsfp112-400g-dr4');
const policy = findPolicy('default');
const clock = { now: () => '2026-03-01T08:00:00.000Z' };
const LOT = 'CFX1';
let dir: string;
let original: string;
let changed: string;
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-conflicts-'));
  const written = writeLotFiles(generateLot({ spec, lot: LOT, units: 12, seed: 31 }), findProfile('long-generic'), join(dir, 'lot'));
  const name = written.manifest.files[0]!.file;
  original = join(dir, 'lot', name);
  mkdirSync(join(dir, 'again'));
  // The station sent the first unit's file again, with one reading changed (a failing Tx power).
  changed = join(dir, 'again', name);
  conflictingCopy(original, changed);
  // And the very same bytes once more, from another folder: one file, never a conflict.
  mkdirSync(join(dir, 'same'));
  writeFileSync(join(dir, 'same', name), readFileSync(original));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ingest = (store: Store, ...folders: string[]) => ingestFolders(store, dir, folders, spec);

describe.each([
  ['sqlite', sqliteBackend],
  ['postgres', postgresBackend],
] as const)('conflicting files on %s', (_name, make) => {
  const stores = migratedStores(make, 2, async (stores) => {
    // Store 0: the original first, then the changed copy. Store 1: the other way round.
    await ingest(stores[0]!, 'lot');
    await ingest(stores[0]!, 'again');
    await ingest(stores[1]!, 'again');
    await ingest(stores[1]!, 'lot');
  });

  it('holds the lot, naming the serial and both files, with the same result whichever file came first', async () => {
    const [a, b] = [await evaluateRevision(stores[0]!, LOT, { policy, clock }), await evaluateRevision(stores[1]!, LOT, { policy, clock })];
    for (const e of [a, b]) {
      expect(e.result.proposal.disposition).toBe('HOLD');
      const reason = e.result.proposal.reasons[0]!;
      expect(reason.code).toBe('file-conflict');
      expect(reason.serials).toEqual(['SNCFX100001']);
      expect(reason.message).toContain(sha(original).slice(0, 12));
      expect(reason.message).toContain(sha(changed).slice(0, 12));
      // Both files name the same station: the reason says so, and carries each file's station.
      expect(reason.message).toContain(`${sha(original).slice(0, 12)} from ATE-01`);
      expect(reason.message).toContain('all from station ATE-01: it exported this test 2 times with different readings');
      expect(reason.files).toEqual([sha(original), sha(changed)].sort().map((f) => ({ sha256: f, station: 'ATE-01' })));
      // Both files' runs are held out: the unit is not judged on either.
      expect(e.result.units.some((u) => u.serial === 'SNCFX100001')).toBe(false);
      expect(e.result.fileHashes).toContain(sha(changed));
    }
    expect(b.resultSha256).toBe(a.resultSha256);
    const listed = await lotConflicts(stores[0]!, LOT);
    expect(listed).toEqual([
      {
        serial: 'SNCFX100001',
        testTime: listed[0]!.testTime,
        files: [sha(original), sha(changed)].sort(),
        stations: ['ATE-01', 'ATE-01'],
        resolution: null,
      },
    ]);
    expect(await lotConflicts(stores[1]!, LOT)).toEqual(listed);
  });

  it('takes the same bytes delivered again as the same file: no new conflict, no new revision', async () => {
    const before = await evaluateRevision(stores[0]!, LOT, { policy, clock });
    const again = await ingest(stores[0]!, 'same');
    expect(again.duplicates).toBe(1);
    const after = await evaluateRevision(stores[0]!, LOT, { policy, clock });
    expect(after).toMatchObject({ revision: before.revision, fresh: false, resultSha256: before.resultSha256 });
    expect(await lotConflicts(stores[0]!, LOT)).toHaveLength(1);
  });

  it('an engineer keeps one file: audited, nothing deleted, a new revision judged on the kept readings, alike in both stores', async () => {
    const results = [];
    for (const store of stores) {
      const before = await evaluateRevision(store, LOT, { policy, clock });
      await expect(resolveConflict(store, { lot: LOT, serial: 'SNCFX100001', keep: 'zz', reason: 'x', by: 'qe' })).rejects.toThrow(
        /not a file's SHA-256/,
      );
      await expect(
        resolveConflict(store, { lot: LOT, serial: 'SNCFX100001', keep: sha(original).slice(0, 10), reason: ' ', by: 'qe' }),
      ).rejects.toThrow(/written reason/);
      const settled = await resolveConflict(store, {
        lot: LOT,
        serial: 'SNCFX100001',
        keep: sha(original).slice(0, 10),
        reason: 'station log shows the second upload was a bench replay',
        by: 'qe.anna',
      });
      expect(settled.resolution).toMatchObject({ kept: sha(original), by: 'qe.anna' });
      const trail = await store.auditTrail(LOT);
      expect(trail.filter((e) => e.kind === 'conflict-resolved')).toHaveLength(1);
      expect((await store.listFiles(LOT)).map((f) => f.sha256)).toContain(sha(changed));
      const after = await evaluateRevision(store, LOT, { policy, clock });
      expect(after.revision).toBe(before.revision + 1);
      expect(after.result.proposal.reasons.some((r) => r.code === 'file-conflict')).toBe(false);
      const unit = after.result.units.find((u) => u.serial === 'SNCFX100001');
      expect(unit?.firstPass).toBe('pass');
      expect(after.result.contentHash).toBe(await store.lotContentHash(LOT));
      // A second resolution of the same conflict is refused: it is no longer open.
      await expect(
        resolveConflict(store, { lot: LOT, serial: 'SNCFX100001', keep: sha(changed), reason: 'again', by: 'qe' }),
      ).rejects.toThrow(/no open conflict/);
      results.push(after);
    }
    expect(results[1]!.resultSha256).toBe(results[0]!.resultSha256);
  });
});
