/**
 * @module Recording a lot's manifest (quantity ordered, serials listed) in its audit trail, once per
 * change, from `lotqa ingest`/`run` and the ingest workers alike, so the evaluation holds the lot to it
 * whichever way its files came in.
 */
import { dirname } from 'node:path';
import { readLotManifestIn, type LotManifest } from '../ingest/lot-manifest.js';
import type { Store } from '../store/store.js';

const sameList = (a: readonly string[] | null, b: readonly string[] | null): boolean =>
  a === null || b === null ? a === b : a.length === b.length && a.every((x, i) => x === b[i]);

/** Appends a `lot-expected` event unless the latest one already says the same; true when it appended. */
export async function recordLotManifest(store: Store, manifest: LotManifest, actor = 'lotqa:manifest'): Promise<boolean> {
  const { lot, quantity } = manifest;
  if (lot === null || quantity === null) return false;
  const last = (await store.auditTrail(lot)).filter((e) => e.kind === 'lot-expected').at(-1);
  if (last?.kind === 'lot-expected' && last.payload.expectedUnits === quantity && sameList(last.payload.serials ?? null, manifest.serials))
    return false;
  await store.appendAudit({
    lot,
    kind: 'lot-expected',
    actor,
    payload: { expectedUnits: quantity, source: manifest.path, ...(manifest.serials !== null ? { serials: [...manifest.serials] } : {}) },
  });
  return true;
}

/** Records the manifest beside each of the files (once per folder) whose lot received files; the manifests recorded. */
export async function recordManifestsBeside(store: Store, paths: readonly string[], lots: readonly string[]): Promise<LotManifest[]> {
  const recorded: LotManifest[] = [];
  for (const dir of new Set(paths.map((p) => dirname(p)))) {
    const manifest = readLotManifestIn(dir);
    if (manifest?.lot != null && lots.includes(manifest.lot) && (await recordLotManifest(store, manifest))) recorded.push(manifest);
  }
  return recorded;
}
