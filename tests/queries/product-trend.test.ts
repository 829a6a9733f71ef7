/**
 * The product's earlier lots for the batch-to-batch trend, read from both stores through the real stages:
 * each lot's own statistics (LotResult.trend.lot) in first-test order, the lot being judged left out, the
 * latest revision standing for a lot; and a later lot's trend charts built from them (baseline lots are
 * phase I, not points).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProduct, findProfile, listShippedProfiles } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { generateHistory, writeLotFiles } from '../../src/sim/index.js';
import { collectStationFiles } from '../../src/pipeline/collect-files.js';
import { ingestFiles } from '../../src/pipeline/ingest-files.js';
import { createBaseline, evaluateRevision } from '../../src/pipeline/lot-stages.js';
import { productTrendHistory } from '../../src/queries/product-trend.js';
import { voidLot } from '../../src/pipeline/lot-void-move.js';
import type { Store } from '../../src/store/index.js';
import { postgresBackend, sqliteBackend, type TestBackend } from '../store/support/store-backends.js';

const spec = findProduct('qsfp112-400g-dr4');
const profiles = listShippedProfiles().map((e) => e.document);
const policy = findPolicy('default');
const clock = { now: () => '2026-03-01T08:00:00.000Z' };
const LOTS = ['B1', 'B2', 'B3', 'L1', 'L2'];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-trend-'));
  for (const h of generateHistory({ product: spec, seed: 'trend-store', lots: LOTS.map((lot) => ({ lot, units: 30 })) }))
    writeLotFiles(h, findProfile('wide-v2'), join(dir, h.lot));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['sqlite', sqliteBackend],
  ['postgres', postgresBackend],
] as const)('product trend history on %s', (_name, make) => {
  let backend: TestBackend;
  let store: Store;
  beforeAll(async () => {
    backend = make();
    store = backend.open();
    await store.migrate();
    await ingestFiles(store, await collectStationFiles(LOTS.map((l) => join(dir, l))), { product: spec, profiles });
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('reads earlier lots in test order and feeds them into the next evaluation', async () => {
    for (const lot of ['B1', 'B2', 'B3']) await evaluateRevision(store, lot, { policy, clock });
    await createBaseline(store, { productId: spec.productId, lots: ['B1', 'B2', 'B3'], createdBy: 'test', clock, spec });
    const l1 = await evaluateRevision(store, 'L1', { policy, clock });
    const history = await productTrendHistory(store, spec.productId, 'L2');
    expect(history.map((h) => h.lot)).toEqual(['B1', 'B2', 'B3', 'L1']);
    const times = history.map((h) => h.at);
    expect([...times].sort()).toEqual(times);
    // What was stored is what comes back.
    expect(history[3]!.cells).toEqual(l1.result.trend!.lot);
    expect(history[0]!.cells.length).toBeGreaterThan(0);
    const l2 = await evaluateRevision(store, 'L2', { policy, clock });
    const charts = l2.result.trend!.charts;
    expect(charts.length).toBeGreaterThan(0);
    expect(charts.every((c) => c.lots.join() === 'L1,L2')).toBe(true);
    expect(await productTrendHistory(store, spec.productId, 'L1')).toHaveLength(4);
  });

  it('makes the trend history an input of the evaluation: a changed history is a new evaluation, a later lot is not', async () => {
    // (After the test above: baseline B1–B3, L1 and L2 evaluated, L1 tested before L2.)
    const again = await evaluateRevision(store, 'L2', { policy, clock });
    expect(again).toMatchObject({ fresh: false, why: 'stored' });
    // L2 was tested after L1, so it is no part of L1's trend: L1 is still the same evaluation.
    expect(await evaluateRevision(store, 'L1', { policy, clock })).toMatchObject({ fresh: false, why: 'stored' });
    // Voiding L1 takes it out of L2's history: L2's trend would be drawn from other lots, so a new revision.
    await voidLot(store, { lot: 'L1', reason: 'test run', by: 'test' });
    const after = await evaluateRevision(store, 'L2', { policy, clock });
    expect(after).toMatchObject({ fresh: true, why: 'new-inputs', revision: again.revision + 1 });
    expect(after.changes).toEqual(['trend history (the earlier lots its batch-to-batch trend is drawn from)']);
    expect(after.inputsSha256).not.toBe(again.inputsSha256);
    expect(after.result.trend!.charts.every((c) => c.lots.join() === 'L2')).toBe(true);
    // And asked again, that one is stored.
    expect(await evaluateRevision(store, 'L2', { policy, clock })).toMatchObject({ fresh: false, why: 'stored' });
  });
});
