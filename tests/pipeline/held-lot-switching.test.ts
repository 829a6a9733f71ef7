/**
 * Fail closed with Z1.4 switching, through the store: a lot whose every run is held out by unresolved
 * conflicts, evaluated and signed off under an attributes policy, is HELD with the product's switching
 * state on its result, and leaves the stored switching state and the audit trail's switching events as
 * they were (it was not inspected: no accepted, no rejected lot). A discontinued product's held lot says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProduct, findProfile } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { generateLot, writeLotFiles } from '../../src/sim/index.js';
import { evaluateRevision, signOffByPolicy } from '../../src/pipeline/lot-stages.js';
import { initialSwitchingState, nextState, type SwitchingState } from '../../src/acceptance/z14-switching.js';
import { openStore, type Store } from '../../src/store/index.js';
import { conflictingCopy } from './support/conflicting-copy.js';
import { ingestFolders } from './support/ingest-folders.js';

const spec = findProduct('qsfp112-400g-dr4');
const policy = findPolicy('z14-level-ii-aql-0.65');
const clock = { now: () => '2026-03-01T08:00:00.000Z' };
let dir: string;

/** Writes lot `lot` (2 units) and a conflicting copy of every file: no run of it is left to judge. */
function conflictedLot(lot: string, seed: number): string[] {
  const written = writeLotFiles(generateLot({ spec, lot, units: 2, seed }), findProfile('long-generic'), join(dir, lot));
  mkdirSync(join(dir, `${lot}-again`));
  for (const f of written.manifest.files) conflictingCopy(join(dir, lot, f.file), join(dir, `${lot}-again`, f.file));
  return [lot, `${lot}-again`];
}

const afterRejectsOnTightened = (n: number): SwitchingState => {
  let s: SwitchingState = initialSwitchingState('tightened');
  for (let i = 0; i < n; i++) s = nextState(s, { verdict: 'reject' }).state;
  return s;
};

async function heldThroughStore(store: Store, lot: string, seed: number, state: SwitchingState) {
  await store.saveSamplingState(spec.productId, state, clock.now());
  await ingestFolders(store, dir, conflictedLot(lot, seed), spec);
  const evaluated = await evaluateRevision(store, lot, { policy, clock });
  const signOff = await signOffByPolicy(store, evaluated, { policy, clock });
  return { result: evaluated.result, signOff };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-held-switching-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a held lot without units under Z1.4 switching, through the store', () => {
  it('keeps a tightened product’s switching history exactly as it was (3 not accepted stays 3)', async () => {
    const store = openStore({ sqlitePath: join(dir, 'tightened.sqlite') });
    await store.migrate();
    try {
      const before = afterRejectsOnTightened(3);
      const { result, signOff } = await heldThroughStore(store, 'HSW1', 61, before);
      expect(signOff.decision.disposition).toBe('HOLD');
      expect(result.sampling).toMatchObject({ mode: 'attributes', severity: 'tightened', verdict: 'not-judged' });
      expect((await store.samplingState(spec.productId))?.payload).toEqual(before);
      expect((await store.auditTrail('HSW1')).some((e) => e.kind === 'sampling-switch')).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('holds a discontinued product’s lot with sampling-discontinued, and the product stays discontinued', async () => {
    const store = openStore({ sqlitePath: join(dir, 'discontinued.sqlite') });
    await store.migrate();
    try {
      const before = afterRejectsOnTightened(5);
      expect(before.severity).toBe('discontinued');
      const { result, signOff } = await heldThroughStore(store, 'HSW2', 62, before);
      expect(signOff.decision.disposition).toBe('HOLD');
      expect(result.sampling.severity).toBe('discontinued');
      expect(result.proposal.reasons.find((r) => r.code === 'sampling-discontinued')?.severity).toBe('HOLD');
      expect((await store.samplingState(spec.productId))?.payload).toEqual(before);
    } finally {
      await store.close();
    }
  });
});
