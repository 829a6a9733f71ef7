/**
 * @module Serials of a lot that were also tested in another lot: a serial should belong to one lot, so
 * one seen elsewhere is a relabelled unit, a mis-scanned label or a lot id typed wrong — a warning in
 * the lot's result (the evaluation does not judge it). One query over the runs' serial index.
 */
import type { Store } from '../store/store.js';

export interface SerialElsewhere {
  readonly serial: string;
  /** The other lots, sorted. */
  readonly lots: readonly string[];
}

/** The lot's serials seen in other lots, sorted by serial. */
export async function serialsInOtherLots(store: Store, lot: string): Promise<SerialElsewhere[]> {
  const db = store.reads.db;
  const rows = await db
    .selectFrom('runs as r')
    .innerJoin('lots as l', 'l.id', 'r.lot_id')
    .innerJoin('runs as o', (join) => join.onRef('o.serial', '=', 'r.serial').onRef('o.lot_id', '<>', 'r.lot_id'))
    .innerJoin('lots as ol', 'ol.id', 'o.lot_id')
    .select(['r.serial', 'ol.lot'])
    .distinct()
    .where('l.lot', '=', lot)
    .orderBy('r.serial')
    .orderBy('ol.lot')
    .execute();
  const out: SerialElsewhere[] = [];
  for (const row of rows) {
    const last = out.at(-1);
    if (last?.serial === row.serial) (last.lots as string[]).push(row.lot);
    else out.push({ serial: row.serial, lots: [row.lot] });
  }
  return out;
}
