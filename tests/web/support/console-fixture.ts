/**
 * A small factory history for the console's tests: five baseline lots and two new lots of a DR4 product,
 * written by one station profile, ingested, the baseline frozen, and the new lots signed off by policy —
 * CLEAN (accepted) and SHIFT (an in-spec +1σ launch-power shift on lane 3: held for an engineer).
 */
import { join } from 'node:path';
import { findPolicy } from '../../../src/acceptance/policy-catalog.js';
import { findProduct, findProfile, listShippedProfiles } from '../../../src/domain/catalog.js';
import { collectStationFiles } from '../../../src/pipeline/collect-files.js';
import { ingestFiles } from '../../../src/pipeline/ingest-files.js';
import { createBaseline } from '../../../src/pipeline/lot-stages.js';
import { signOffLot } from '../../../src/pipeline/sign-off-lot.js';
import { generateHistory, writeLotFiles } from '../../../src/sim/index.js';
import type { Store } from '../../../src/store/index.js';

export const FIXTURE_PRODUCT = 'qsfp112-400g-dr4';
export const BASELINE = ['B1', 'B2', 'B3', 'B4', 'B5'];

/** Fills `store` (migrated) from files written under `dir`; returns the dispositions of the new lots. */
export async function buildConsoleFixture(
  store: Store,
  dir: string,
  units = 40,
  extra: { lot: string; units: number; shift?: number }[] = [],
): Promise<Record<string, string>> {
  const spec = findProduct(FIXTURE_PRODUCT);
  const policy = findPolicy('default');
  const history = generateHistory({
    product: spec,
    seed: 'console',
    startTime: '2026-06-01T06:00:00Z',
    lots: [
      ...BASELINE.map((lot) => ({ lot, units, retestRate: 0.02 })),
      { lot: 'CLEAN', units, retestRate: 0.02 },
      { lot: 'SHIFT', units, retestRate: 0.02, shifts: [{ parameter: 'tx_avg_power', lane: 2, sigma: 3 }] },
      ...extra.map((e) => ({
        lot: e.lot,
        units: e.units,
        retestRate: 0.01,
        ...(e.shift ? { shifts: [{ parameter: 'tx_avg_power', lane: 2, sigma: e.shift }] } : {}),
      })),
    ],
  });
  const profile = findProfile('wide-v2');
  for (const lot of history) writeLotFiles(lot, profile, join(dir, lot.options.lot));
  const profiles = listShippedProfiles().map((e) => e.document);
  await ingestFiles(store, await collectStationFiles([dir]), { product: spec, profiles });
  await createBaseline(store, { productId: spec.productId, lots: BASELINE, createdBy: 'test', spec });
  const out: Record<string, string> = {};
  for (const lot of ['CLEAN', 'SHIFT', ...extra.map((e) => e.lot)]) {
    const s = await signOffLot(store, lot, { policy, spec, reports: null });
    out[lot] = s.signOff.decision.disposition;
  }
  return out;
}
