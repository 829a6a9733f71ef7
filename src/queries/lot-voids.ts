/**
 * @module Voided lots: a lot stored by mistake (a test run, the wrong lot id) is voided, never deleted:
 * its files, evaluations and decisions stay, it is shown as void and kept out of baselines. One query
 * over the `lot-voided` audit events.
 */
import { toAuditEvent } from '../store/records/audit-records.js';
import type { Store } from '../store/store.js';

export interface LotVoid {
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

/** The voided lots among `lots` (every lot when absent), each with its (first) voiding. */
export async function voidedLots(store: Store, lots?: readonly string[]): Promise<Map<string, LotVoid>> {
  const { db } = store.reads;
  let query = db.selectFrom('audit_events').selectAll().where('kind', '=', 'lot-voided').orderBy('id');
  if (lots !== undefined) {
    if (lots.length === 0) return new Map();
    query = query.where('lot', 'in', lots);
  }
  const out = new Map<string, LotVoid>();
  for (const row of await query.execute()) {
    const e = toAuditEvent(store.reads, row);
    if (e.kind === 'lot-voided' && row.lot !== null && !out.has(row.lot))
      out.set(row.lot, { reason: e.payload.reason, by: e.actor, at: e.at });
  }
  return out;
}
