/**
 * @module When is a lot complete? Without changing the store schema: the audit trail holds the facts.
 * A `lot-closed` event (from `lotqa close-lot`) with `expectedUnits: null` makes it complete at once; with
 * `expectedUnits: N` (`close-lot --expected N`), and a `lot-expected` event (from the lot's manifest.json),
 * make it complete when its stored unit count reaches N.
 */
import type { Store } from '../store/store.js';

export const LOT_CLOSED = 'lot-closed';
export const LOT_EXPECTED = 'lot-expected';

export class LotCloseError extends Error {
  override name = 'LotCloseError';
}

export interface LotCompleteness {
  readonly lot: string;
  readonly complete: boolean;
  readonly closed: boolean;
  readonly units: number;
  /** The latest expected quantity recorded, or null. */
  readonly expectedUnits: number | null;
  /** Why it is (or is not yet) complete, in words. */
  readonly why: string;
}

/** Reads the lot's completeness from its audit trail and stored unit count. */
export async function lotCompleteness(store: Store, lot: string): Promise<LotCompleteness> {
  const trail = await store.auditTrail(lot);
  let closed = false;
  let closedNow = false;
  let expectedUnits: number | null = null;
  for (const e of trail) {
    if (e.kind === LOT_CLOSED) {
      closed = true;
      const n = e.payload.expectedUnits;
      closedNow = n === null;
      expectedUnits = n ?? expectedUnits;
    } else if (e.kind === LOT_EXPECTED) {
      expectedUnits = e.payload.expectedUnits;
    }
  }
  const units = await store.unitCount(lot);
  if (closedNow) return { lot, complete: true, closed, units, expectedUnits, why: `closed with ${units} unit(s)` };
  if (expectedUnits !== null && units >= expectedUnits)
    return { lot, complete: true, closed, units, expectedUnits, why: `${units} of ${expectedUnits} expected unit(s) stored` };
  return {
    lot,
    complete: false,
    closed,
    units,
    expectedUnits,
    why:
      expectedUnits === null
        ? `open: ${units} unit(s), no expected quantity (run lotqa close-lot ${lot})`
        : `open: ${units} of ${expectedUnits} expected unit(s)`,
  };
}

/** Records the expected quantity of a lot (from its manifest); a repeat of the latest value adds nothing. */
export async function recordExpectedUnits(
  store: Store,
  lot: string,
  expectedUnits: number,
  actor: string,
  source: string,
): Promise<boolean> {
  if (!Number.isInteger(expectedUnits) || expectedUnits < 1)
    throw new LotCloseError(`expected quantity of lot ${lot} must be a whole number ≥ 1, got ${expectedUnits}`);
  const current = await lotCompleteness(store, lot);
  if (current.expectedUnits === expectedUnits) return false;
  await store.appendAudit({ lot, kind: LOT_EXPECTED, actor, payload: { expectedUnits, source } });
  return true;
}

/**
 * Closes a lot. Without `expectedUnits` it is complete now, with what is stored; with it, it is complete
 * once that many units are stored (files still in the queue may land first).
 */
export async function closeLot(
  store: Store,
  lot: string,
  options: { expectedUnits?: number | undefined; actor: string },
): Promise<LotCompleteness> {
  const expectedUnits = options.expectedUnits ?? null;
  if (expectedUnits !== null && (!Number.isInteger(expectedUnits) || expectedUnits < 1)) {
    throw new LotCloseError(`--expected must be a whole number ≥ 1, got ${expectedUnits}`);
  }
  if (expectedUnits === null && !(await store.lotSummary(lot))) {
    throw new LotCloseError(
      `lot ${lot} has no stored units yet: submit its files first, or give --expected N to close it once N units have arrived`,
    );
  }
  await store.appendAudit({ lot, kind: LOT_CLOSED, actor: options.actor, payload: { expectedUnits } });
  return lotCompleteness(store, lot);
}
