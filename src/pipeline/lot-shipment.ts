/**
 * @module Who a lot ships to — customer, purchase order, ship-to — kept with the lot in the store, so the
 * HOLD → decide → report flow, a scheduled sign-off and an automatic re-issue all print what was given
 * once at `run`, `submit`, `evaluate`, `report` or `lotqa lot set`. Every change is an audit event
 * naming who changed it, why, and what it was before.
 */
import type { CertificateContext } from '../domain/decision.js';
import type { LotShipment, Store, StoredLotShipment } from '../store/store.js';

/** What a command was given: a field left undefined keeps the stored value; an empty string clears it. */
export interface ShipmentChange {
  readonly customer?: string | undefined;
  readonly purchaseOrder?: string | undefined;
  readonly shipTo?: string | undefined;
}

const given = (v: string | undefined, stored: string | null): string | null =>
  v === undefined ? stored : v.trim() === '' ? null : v.trim();

export function hasShipmentChange(change: ShipmentChange): boolean {
  return change.customer !== undefined || change.purchaseOrder !== undefined || change.shipTo !== undefined;
}

/**
 * Merges `change` into the lot's stored shipment; stores it and appends a `lot-shipment-set` audit event
 * when anything differs. Returns the shipment now stored (null when none was ever set) and whether it changed.
 */
export async function setLotShipment(
  store: Store,
  lot: string,
  change: ShipmentChange,
  who: { readonly by: string; readonly reason: string },
): Promise<{ shipment: StoredLotShipment | null; changed: boolean }> {
  const before = await store.lotShipment(lot);
  if (!hasShipmentChange(change)) return { shipment: before, changed: false };
  const next: LotShipment = {
    customer: given(change.customer, before?.customer ?? null),
    purchaseOrder: given(change.purchaseOrder, before?.purchaseOrder ?? null),
    shipTo: given(change.shipTo, before?.shipTo ?? null),
  };
  if (before && sameShipment(before, next)) return { shipment: before, changed: false };
  if (!before && next.customer === null && next.purchaseOrder === null && next.shipTo === null) return { shipment: null, changed: false };
  const saved = await store.saveLotShipment(lot, next, who.by);
  await store.appendAudit({
    lot,
    kind: 'lot-shipment-set',
    actor: who.by,
    payload: {
      ...next,
      previous: before ? { customer: before.customer, purchaseOrder: before.purchaseOrder, shipTo: before.shipTo } : null,
      reason: who.reason,
    },
  });
  return { shipment: saved, changed: true };
}

export function sameShipment(a: LotShipment, b: LotShipment): boolean {
  return a.customer === b.customer && a.purchaseOrder === b.purchaseOrder && a.shipTo === b.shipTo;
}

/** The certificate context with the lot's stored shipment (the store is what certificates print). */
export function withShipment(context: CertificateContext, shipment: LotShipment | null): CertificateContext {
  return {
    ...context,
    customer: shipment?.customer ?? null,
    purchaseOrder: shipment?.purchaseOrder ?? null,
    shipTo: shipment?.shipTo ?? null,
  };
}
