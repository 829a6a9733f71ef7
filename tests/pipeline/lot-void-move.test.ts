/**
 * Correcting a lot without destroying evidence (issue 10 item 7): `moveLot` puts a lot stored under the
 * wrong product under the right one (its readings must fit it) and the next evaluation is a new revision
 * under that product; `voidLot` keeps everything, shows the lot as void and keeps it out of baselines.
 * Both audited; no file, evaluation or decision is deleted. Both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProduct, findProfile, listShippedProfiles } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { generateLot, writeLotFiles } from '../../src/sim/index.js';
import { collectStationFiles } from '../../src/pipeline/collect-files.js';
import { ingestFiles } from '../../src/pipeline/ingest-files.js';
import { createBaseline, evaluateRevision, signOffByPolicy } from '../../src/pipeline/lot-stages.js';
import { moveLot, voidLot } from '../../src/pipeline/lot-void-move.js';
import { lotOverview } from '../../src/queries/index.js';
import { postgresBackend, sqliteBackend } from '../store/support/store-backends.js';

const dr8 = findProduct('osfp-800g-dr8');
const lpo = findProduct('osfp-800g-dr8-lpo');
const dr4 = findProduct('qsfp112-400g-dr4');
const profiles = listShippedProfiles().map((e) => e.document);
const policy = findPolicy('default');
const findSpec = (id: string) => [dr8, lpo, dr4].find((s) => s.productId === id)!;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-void-move-'));
  writeLotFiles(generateLot({ spec: dr8, lot: 'MV1', units: 6, seed: 81 }), findProfile('wide-v2'), join(dir, 'MV1'));
  // A later unit of the same lot, read as the right product once the lot has moved.
  writeLotFiles(
    generateLot({ spec: lpo, lot: 'MV1', units: 1, seed: 82, serialPrefix: 'LATE' }),
    findProfile('wide-v2'),
    join(dir, 'late'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['sqlite', sqliteBackend],
  ['postgres', postgresBackend],
] as const)('lot void and move on %s', (_name, make) => {
  it('moves a lot to the product its readings fit: audited, a new revision under that product, nothing deleted', async () => {
    const backend = make();
    const store = backend.open();
    try {
      await store.migrate();
      await ingestFiles(store, await collectStationFiles([join(dir, 'MV1')]), { product: dr8, profiles });
      const r1 = await evaluateRevision(store, 'MV1', { policy, findSpec });
      await signOffByPolicy(store, r1, { policy });
      const files = (await store.listFiles('MV1')).map((f) => f.sha256);

      await expect(moveLot(store, { lot: 'MV1', to: dr4, reason: 'wrong', by: 'qe' })).rejects.toThrow(
        /do not fit product qsfp112-400g-dr4: .*lane 8 \(product qsfp112-400g-dr4 has 4\)/,
      );
      await expect(moveLot(store, { lot: 'MV1', to: dr8, reason: 'same', by: 'qe' })).rejects.toThrow(/already product osfp-800g-dr8/);
      expect(await moveLot(store, { lot: 'MV1', to: lpo, reason: 'the cell builds the LPO variant', by: 'qe.anna' })).toEqual({
        from: 'osfp-800g-dr8',
        to: 'osfp-800g-dr8-lpo',
      });

      const r2 = await evaluateRevision(store, 'MV1', { policy, findSpec });
      expect(r2.revision).toBe(2);
      expect(r2.result.product.productId).toBe('osfp-800g-dr8-lpo');
      expect(r2.result.contentHash).toBe(await store.lotContentHash('MV1'));
      expect((await store.listFiles('MV1')).map((f) => f.sha256)).toEqual(files);
      expect((await store.listDecisions('MV1')).map((d) => d.revision)).toEqual([1]);
      expect(await store.getEvaluation('MV1', 1)).not.toBeNull();
      const trail = await store.auditTrail('MV1');
      expect(trail.find((e) => e.kind === 'lot-moved')).toMatchObject({
        actor: 'qe.anna',
        payload: { from: 'osfp-800g-dr8', to: 'osfp-800g-dr8-lpo', reason: 'the cell builds the LPO variant' },
      });
      // A later file of the lot, read as the product it moved to, is stored (not refused by a stale lookup).
      const late = await ingestFiles(store, await collectStationFiles([join(dir, 'late')]), { product: lpo, profiles });
      expect(late.stored).toBe(1);
    } finally {
      await store.close();
      await backend.cleanup();
    }
  });

  it('voids a lot: shown as void, kept out of baselines, nothing deleted, and a void lot is not corrected again', async () => {
    const backend = make();
    const store = backend.open();
    try {
      await store.migrate();
      await ingestFiles(store, await collectStationFiles([join(dir, 'MV1')]), { product: dr8, profiles });
      const r1 = await evaluateRevision(store, 'MV1', { policy, findSpec });
      await signOffByPolicy(store, r1, { policy });
      await expect(voidLot(store, { lot: 'MV1', reason: ' ', by: 'qe' })).rejects.toThrow(/written reason/);
      await expect(voidLot(store, { lot: 'NOPE', reason: 'x', by: 'qe' })).rejects.toThrow(/unknown lot 'NOPE'/);
      await voidLot(store, { lot: 'MV1', reason: 'line trial, not product', by: 'qe.bo' });

      const overview = await lotOverview(store, 'MV1');
      expect(overview).toMatchObject({ state: 'void', voided: { reason: 'line trial, not product', by: 'qe.bo' } });
      expect(overview?.decision?.revision).toBe(1);
      expect((await store.listFiles('MV1')).length).toBe(6);
      await expect(createBaseline(store, { productId: 'osfp-800g-dr8', lots: ['MV1'], createdBy: 'qe', spec: dr8 })).rejects.toThrow(
        /lot MV1 is void \(line trial, not product\)/,
      );
      await expect(voidLot(store, { lot: 'MV1', reason: 'again', by: 'qe' })).rejects.toThrow(/was voided by qe\.bo/);
      await expect(moveLot(store, { lot: 'MV1', to: lpo, reason: 'x', by: 'qe' })).rejects.toThrow(/was voided/);
      expect((await store.auditTrail('MV1')).filter((e) => e.kind === 'lot-voided')).toHaveLength(1);
      // Never decided again: a new revision of a void lot is not signed off.
      await ingestFiles(store, await collectStationFiles([join(dir, 'late')]), { product: dr8, profiles });
      const r2 = await evaluateRevision(store, 'MV1', { policy, findSpec });
      await expect(signOffByPolicy(store, r2, { policy })).rejects.toThrow(/lot MV1 is void/);
    } finally {
      await store.close();
      await backend.cleanup();
    }
  });
});
