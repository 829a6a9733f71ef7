/**
 * @module What `lotqa status` shows: per lot, what is stored and how far it got (complete? evaluated?
 * decided? certified?), plus the files the store rejected. Answered by the read model
 * (`src/queries/lot-overview.ts`): no lot and no result document is loaded.
 */
import { listLotOverviews, lotOverview, type LotOverview, type LotState } from '../queries/lot-overview.js';
import type { Store } from '../store/store.js';

export interface LotStatus {
  readonly lot: string;
  readonly productId: string;
  readonly state: LotState;
  readonly units: number;
  readonly files: number;
  readonly measurements: number;
  readonly expectedUnits: number | null;
  readonly complete: boolean;
  readonly completeness: string;
  readonly latestRevision: number | null;
  /** Standing decision of the latest revision (final, else the HOLD), e.g. "ACCEPT by policy:default". */
  readonly decision: string | null;
  readonly firstPassYield: number | null;
  readonly finalYield: number | null;
  readonly certificates: number;
}

function statusOf(o: LotOverview): LotStatus {
  return {
    lot: o.lot,
    productId: o.productId,
    state: o.state,
    units: o.units,
    files: o.files,
    measurements: o.measurements,
    expectedUnits: o.expectedUnits,
    complete: o.complete,
    completeness: o.completeness,
    latestRevision: o.revision,
    decision: o.decision ? `${o.decision.disposition} by ${o.decision.decidedBy}` : null,
    firstPassYield: o.firstPassYield,
    finalYield: o.finalYield,
    certificates: o.certificates,
  };
}

export async function lotStatus(store: Store, lot: string): Promise<LotStatus | null> {
  const o = await lotOverview(store, lot);
  return o ? statusOf(o) : null;
}

export async function allLotStatus(store: Store): Promise<{ lots: LotStatus[]; rejectedFiles: number }> {
  const lots = (await listLotOverviews(store)).map(statusOf);
  return { lots, rejectedFiles: (await store.listRejectedFiles()).length };
}
