/**
 * @module A lot's full trail for an auditor: what is stored (summary and every file), each evaluated
 * revision, every decision and certificate, and every audit event in the order appended — without
 * reading any LotResult document.
 */
import { toAuditEvent } from '../store/records/audit-records.js';
import type { AuditEvent, LotSummary, Store, StoredFile } from '../store/store.js';
import { lotHistory, type RevisionSummary } from './lot-history.js';

export interface LotAuditTrail {
  readonly summary: LotSummary;
  readonly files: readonly StoredFile[];
  /** Oldest revision first, each with its decisions and certificates. */
  readonly revisions: readonly RevisionSummary[];
  readonly events: readonly AuditEvent[];
}

/** The lot's trail, or null when nothing is stored for it. */
export async function lotAuditTrail(store: Store, lot: string): Promise<LotAuditTrail | null> {
  const summary = await store.lotSummary(lot);
  if (!summary) return null;
  const { db } = store.reads;
  const events = (await db.selectFrom('audit_events').selectAll().where('lot', '=', lot).orderBy('id').execute()).map((row) =>
    toAuditEvent(store.reads, row),
  );
  return {
    summary,
    files: await store.listFiles(lot),
    revisions: (await lotHistory(store, lot)).revisions,
    events,
  };
}
