/**
 * @module The audit trail searched across every lot: events whose kind, actor, lot or payload contain
 * the words asked for (case-insensitive), newest first. One query; the payloads are checked as they are
 * read, like every stored document.
 */
import { sql } from 'kysely';
import { toAuditEvent } from '../store/records/audit-records.js';
import type { AuditEvent, Store } from '../store/store.js';

export interface AuditSearch {
  /** Words that must all appear (in kind, actor, lot or payload). Empty: the latest events. */
  readonly q?: string;
  /** @defaultValue 200 */
  readonly limit?: number;
}

export async function searchAudit(store: Store, search: AuditSearch = {}): Promise<AuditEvent[]> {
  const words = (search.q ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, 8);
  let query = store.reads.db.selectFrom('audit_events').selectAll();
  for (const w of words) {
    // LIKE wildcards in the words are matched literally.
    const pattern = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(
      sql<boolean>`lower(kind || ' ' || actor || ' ' || coalesce(lot, '') || ' ' || cast(payload as text)) like ${pattern} escape '\\'`,
    );
  }
  const rows = await query
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(search.limit ?? 200, 1), 1000))
    .execute();
  return rows.map((r) => toAuditEvent(store.reads, r));
}

/** Audit events of the given kinds after `afterId`, oldest first (the webhook outbox). */
export async function auditEventsAfter(store: Store, afterId: number, kinds: readonly string[], limit = 500): Promise<AuditEvent[]> {
  if (kinds.length === 0) return [];
  const rows = await store.reads.db
    .selectFrom('audit_events')
    .selectAll()
    .where('id', '>', afterId)
    .where('kind', 'in', [...kinds])
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => toAuditEvent(store.reads, r));
}

/** One audit event by id, or null. */
export async function auditEvent(store: Store, id: number): Promise<AuditEvent | null> {
  const row = await store.reads.db.selectFrom('audit_events').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAuditEvent(store.reads, row) : null;
}
