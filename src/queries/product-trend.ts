/**
 * @module A product's earlier lots for the batch-to-batch trend: per lot, the latest evaluation's own
 * statistics per critical chart (`LotResult.trend.lot`) and its first test time, oldest first. Only those
 * two small pieces of each stored result are read (a JSON path in SQL), never the whole LotResult.
 */
import { voidedLots } from './lot-voids.js';
import { sql, type RawBuilder } from 'kysely';
import type { TrendCellStat, TrendHistoryLot } from '../domain/trend-history.js';
import type { Store } from '../store/store.js';

/** A text (or JSON-as-text) inside the stored result, in the store's own SQL. */
function resultText(store: Store, path: readonly string[]): RawBuilder<string | null> {
  return store.backend === 'postgres'
    ? sql<string | null>`(${sql.ref('e.result')} #>> ${sql.lit(`{${path.join(',')}}`)})`
    : sql<string | null>`json_extract(${sql.ref('e.result')}, ${sql.lit(`$.${path.join('.')}`)})`;
}

/** Earlier lots of `productId` (not `exceptLot`) in order of first test time, then lot name. */
export async function productTrendHistory(store: Store, productId: string, exceptLot: string): Promise<TrendHistoryLot[]> {
  const { db } = store.reads;
  const rows = await db
    .selectFrom('lot_evaluations as e')
    .innerJoin('lots as l', 'l.lot', 'e.lot')
    .select(['e.lot as lot', 'e.revision as revision'])
    .select(resultText(store, ['quantity', 'firstTestTime']).as('first_test'))
    .select(resultText(store, ['trend', 'lot']).as('stats'))
    .where('l.product_id', '=', productId)
    .where('e.lot', '!=', exceptLot)
    .execute();
  // The latest revision of each lot stands for it.
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if ((latest.get(r.lot)?.revision ?? -1) < r.revision) latest.set(r.lot, r);
  // A void lot (lotqa lot void: stored by mistake, or a test run) is no part of the product's history.
  const voided = await voidedLots(store, [...latest.keys()]);
  const out: TrendHistoryLot[] = [];
  for (const r of latest.values()) {
    if (voided.has(r.lot)) continue;
    if (r.stats === null || r.first_test === null) continue; // evaluated before lotqa kept trend statistics
    out.push({ lot: r.lot, at: r.first_test, cells: JSON.parse(r.stats) as TrendCellStat[] });
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.lot < b.lot ? -1 : a.lot > b.lot ? 1 : 0));
}

/** The first test time a stored evaluation of `lot` recorded (`quantity.firstTestTime`), read without the result. */
export async function storedFirstTestTime(store: Store, lot: string, revision: number): Promise<string | null> {
  const row = await store.reads.db
    .selectFrom('lot_evaluations as e')
    .select(resultText(store, ['quantity', 'firstTestTime']).as('first_test'))
    .where('e.lot', '=', lot)
    .where('e.revision', '=', revision)
    .executeTakeFirst();
  return row?.first_test ?? null;
}
