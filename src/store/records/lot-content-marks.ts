/**
 * @module What besides its files defines a lot's content (domain/lot-content.ts): the engineer's
 * resolutions of conflicts and the moves of the lot to another product, each a line of the content hash,
 * so either makes the next evaluation a new revision.
 */
import type { StoreDb, StoreDialect } from '../dialect/store-dialect.js';
import { toAuditEvent } from './audit-records.js';
import { conflictResolutions, resolutionMark, type ConflictResolution } from './lot-conflicts.js';

export async function lotContentMarks(
  db: StoreDb,
  dialect: Pick<StoreDialect, 'jsonFromDb'>,
  lot: string,
  resolutions?: readonly ConflictResolution[],
): Promise<string[]> {
  const moves = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('lot', '=', lot)
    .where('kind', '=', 'lot-moved')
    .orderBy('id')
    .execute();
  const marks = (resolutions ?? (await conflictResolutions(db, dialect, lot))).map(resolutionMark);
  moves.forEach((row, i) => {
    const e = toAuditEvent(dialect, row);
    // Numbered: moving back to a product the lot had before is still a new revision.
    if (e.kind === 'lot-moved') marks.push(`lot-moved ${i + 1} ${e.payload.from} -> ${e.payload.to}`);
  });
  return marks;
}
