/**
 * @module The lot's manifest as the store knows it: the latest `lot-expected` audit event (recorded
 * from the manifest.json beside the lot's files by `lotqa ingest`/`run` and the ingest workers).
 */
import type { LotData } from '../../domain/lot-data.js';
import type { StoreDb, StoreDialect } from '../dialect/store-dialect.js';
import { toAuditEvent } from './audit-records.js';

export async function latestManifest(db: StoreDb, dialect: Pick<StoreDialect, 'jsonFromDb'>, lot: string): Promise<LotData['manifest']> {
  const row = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('lot', '=', lot)
    .where('kind', '=', 'lot-expected')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const e = toAuditEvent(dialect, row);
  return e.kind === 'lot-expected' ? { quantity: e.payload.expectedUnits, serials: e.payload.serials ?? null } : null;
}
