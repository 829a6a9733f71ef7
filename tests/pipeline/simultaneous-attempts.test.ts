/**
 * One unit cannot be in two testers at once. A serial reported at the same instant by two stations (the
 * same readings, so not a file conflict) holds the lot with a reason naming the serial, both stations,
 * both files and the time; its attempts meanwhile follow the documented tie-break (station id, then file
 * SHA-256), never the order the files arrived in, so the LotResult is byte-identical in either order on
 * both stores. A retest one second later on another station is an ordinary retest.
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
import type { Store } from '../../src/store/index.js';
import { migratedStores, postgresBackend, sqliteBackend } from '../store/support/store-backends.js';
import { restationedCopy } from './support/restationed-copy.js';
import { ingestFolders } from './support/ingest-folders.js';

const spec = findProduct('qsfp112-400g-dr4');
const policy = findPolicy('default');
const clock = { now: () => '2026-03-01T08:00:00.000Z' };
const LOT = 'TIE1';
const SERIAL = 'SNTIE100001';
let dir: string;
let original: string;
let twin: string;
/** The unit's test time as the generator wrote it (ISO, whole seconds). */
let testedAt: string;
const iso = (shiftMs: number) => new Date(Date.parse(testedAt) + shiftMs).toISOString();
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-ties-'));
  const written = writeLotFiles(generateLot({ spec, lot: LOT, units: 12, seed: 37 }), findProfile('long-generic'), join(dir, 'lot'));
  const first = written.manifest.files[0]!;
  expect(first).toMatchObject({ serial: SERIAL, station: 'ATE-01' });
  original = join(dir, 'lot', first.file);
  testedAt = first.testTime;
  // The same unit at the same instant on ATE-03 (a mistyped serial or a station clock: physically impossible).
  mkdirSync(join(dir, 'twin'));
  twin = join(dir, 'twin', first.file);
  restationedCopy(original, twin, 'ATE-03');
  // The same unit one second later on ATE-03: an ordinary retest.
  mkdirSync(join(dir, 'retest'));
  restationedCopy(original, join(dir, 'retest', first.file), 'ATE-03', 1000);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ingest = (store: Store, ...folders: string[]) => ingestFolders(store, dir, folders, spec);

describe.each([
  ['sqlite', sqliteBackend],
  ['postgres', postgresBackend],
] as const)('a unit tested at the same instant on two stations, on %s', (_name, make) => {
  const stores = migratedStores(make, 3, async (stores) => {
    // Store 0: the lot, then the twin file. Store 1: the other way round. Store 2: the lot, then the retest.
    await ingest(stores[0]!, 'lot');
    await ingest(stores[0]!, 'twin');
    await ingest(stores[1]!, 'twin');
    await ingest(stores[1]!, 'lot');
    await ingest(stores[2]!, 'lot');
    await ingest(stores[2]!, 'retest');
  });

  it('holds the lot naming the serial, both stations, both files and the time; the result is the same in either arrival order', async () => {
    const [a, b] = [await evaluateRevision(stores[0]!, LOT, { policy, clock }), await evaluateRevision(stores[1]!, LOT, { policy, clock })];
    for (const e of [a, b]) {
      expect(e.result.proposal.disposition).toBe('HOLD');
      const reason = e.result.proposal.reasons.find((r) => r.code === 'simultaneous-attempts');
      expect(reason).toMatchObject({ severity: 'HOLD', serials: [SERIAL] });
      expect(reason!.message).toContain(`unit ${SERIAL} tested at the same instant (${iso(0)}) on ATE-01 and ATE-03`);
      expect(reason!.message).toContain('which attempt came first is unknown');
      expect(reason!.message).toContain(sha(original).slice(0, 12));
      expect(reason!.message).toContain(sha(twin).slice(0, 12));
      // Meanwhile: two attempts, ranked by station id, so ATE-03's run is the final one.
      expect(e.result.units.find((u) => u.serial === SERIAL)).toMatchObject({ attempts: 2, station: 'ATE-03' });
    }
    expect(b.result).toEqual(a.result);
    expect(b.resultSha256).toBe(a.resultSha256);
  });

  it('does not flag a retest one second later on another station', async () => {
    const e = await evaluateRevision(stores[2]!, LOT, { policy, clock });
    expect(e.result.proposal.reasons.some((r) => r.code === 'simultaneous-attempts')).toBe(false);
    expect(e.result.units.find((u) => u.serial === SERIAL)).toMatchObject({
      attempts: 2,
      station: 'ATE-03',
      finalTestTime: iso(1000),
    });
  });
});
