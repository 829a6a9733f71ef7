/**
 * @module What `lotqa status` shows: per lot, what is stored and how far it got (complete? evaluated?
 * decided? certified?), plus the files the store rejected.
 */
import type { Store } from '../store/store.js';
import { lotCompleteness } from './lot-completeness.js';

export interface LotStatus {
  readonly lot: string;
  readonly productId: string;
  readonly units: number;
  readonly files: number;
  readonly measurements: number;
  readonly expectedUnits: number | null;
  readonly complete: boolean;
  readonly completeness: string;
  readonly latestRevision: number | null;
  /** Standing decision of the latest revision (final, else the HOLD), e.g. "ACCEPT by policy:default". */
  readonly decision: string | null;
  readonly certificates: number;
}

export async function lotStatus(store: Store, lot: string): Promise<LotStatus | null> {
  const s = await store.lotSummary(lot);
  if (!s) return null;
  const c = await lotCompleteness(store, lot);
  const latest = await store.latestEvaluation(lot);
  const decisions = latest ? (await store.listDecisions(lot)).filter((d) => d.revision === latest.revision) : [];
  const standing = decisions.find((d) => d.stage === 'final') ?? decisions[decisions.length - 1] ?? null;
  return {
    lot,
    productId: s.productId,
    units: s.units,
    files: s.files,
    measurements: s.measurements,
    expectedUnits: c.expectedUnits,
    complete: c.complete,
    completeness: c.why,
    latestRevision: latest?.revision ?? null,
    decision: standing ? `${standing.disposition} by ${standing.decidedBy}` : null,
    certificates: (await store.listCertificates(lot)).length,
  };
}

export async function allLotStatus(store: Store): Promise<{ lots: LotStatus[]; rejectedFiles: number }> {
  const lots: LotStatus[] = [];
  for (const s of await store.listLots()) {
    const st = await lotStatus(store, s.lot);
    if (st) lots.push(st);
  }
  return { lots, rejectedFiles: (await store.listRejectedFiles()).length };
}
