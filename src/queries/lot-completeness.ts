/**
 * @module When is a lot complete? The audit trail holds the facts: a `lot-closed` event (from `lotqa
 * close-lot`) with `expectedUnits: null` makes it complete at once; with `expectedUnits: N` (`close-lot
 * --expected N`), and a `lot-expected` event (from the lot's manifest.json), it is complete when its
 * stored unit count reaches N.
 */
import type { AuditEntry } from '../domain/stored-documents.js';
import { toAuditEvent } from '../store/records/audit-records.js';
import type { Store } from '../store/store.js';
import { counted } from '../domain/counted.js';

export const LOT_CLOSED = 'lot-closed';
export const LOT_EXPECTED = 'lot-expected';

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

/** The rule itself, over the lot's audit events (in the order appended) and its stored unit count. */
export function completenessOf(lot: string, events: readonly AuditEntry[], units: number): LotCompleteness {
  let closed = false;
  let closedNow = false;
  let expectedUnits: number | null = null;
  for (const e of events) {
    if (e.kind === LOT_CLOSED) {
      closed = true;
      const n = e.payload.expectedUnits;
      closedNow = n === null;
      expectedUnits = n ?? expectedUnits;
    } else if (e.kind === LOT_EXPECTED) {
      expectedUnits = e.payload.expectedUnits;
    }
  }
  if (closedNow) return { lot, complete: true, closed, units, expectedUnits, why: `closed with ${counted(units, 'unit')}` };
  if (expectedUnits !== null && units >= expectedUnits)
    return { lot, complete: true, closed, units, expectedUnits, why: `${units} of ${counted(expectedUnits, 'expected unit')} stored` };
  return {
    lot,
    complete: false,
    closed,
    units,
    expectedUnits,
    why:
      expectedUnits === null
        ? `open: ${counted(units, 'unit')}, no expected quantity (run lotqa close-lot ${lot})`
        : `open: ${units} of ${counted(expectedUnits, 'expected unit')}`,
  };
}

/** Completeness events of the given lots (all lots when `lots` is undefined), in the order appended. */
export async function completenessEvents(store: Store, lots?: readonly string[]): Promise<Map<string, AuditEntry[]>> {
  const { db } = store.reads;
  let query = db.selectFrom('audit_events').selectAll().where('kind', 'in', [LOT_CLOSED, LOT_EXPECTED]).orderBy('id');
  if (lots !== undefined) {
    if (lots.length === 0) return new Map();
    query = query.where('lot', 'in', lots);
  }
  const byLot = new Map<string, AuditEntry[]>();
  for (const row of await query.execute()) {
    if (row.lot === null) continue;
    const list = byLot.get(row.lot) ?? [];
    list.push(toAuditEvent(store.reads, row));
    byLot.set(row.lot, list);
  }
  return byLot;
}

/** The lot's completeness from its audit trail and stored unit count. */
export async function lotCompleteness(store: Store, lot: string): Promise<LotCompleteness> {
  const events = (await completenessEvents(store, [lot])).get(lot) ?? [];
  const units = await store.unitCount(lot);
  return completenessOf(lot, events, units);
}
