/**
 * @module Part of a stored LotResult: the few cells a chart page shows (by their index in `cells`) and the
 * small lot-level pieces the charts and explanations need (units, reasons, trend, station effects,
 * baseline, family), extracted by the database from the stored JSON — never the whole result (~25-50 MB
 * for a 10,000-unit lot, of which the cells' points are nearly all). Read for display only: a certificate,
 * a report or `verify` reads the whole result, checked.
 */
import { sql, type RawBuilder } from 'kysely';
import type { CellResult, LotResult } from '../domain/lot-result.js';
import type { Store } from '../store/store.js';

/** What a chart page needs of a LotResult: every lot-level field it reads, and some of the cells. */
export type LotResultPart = Pick<
  LotResult,
  'lot' | 'revision' | 'product' | 'policy' | 'baseline' | 'units' | 'proposal' | 'family' | 'trend' | 'stationEffects'
> & { readonly cells: CellResult[] };

const LOT_FIELDS = ['lot', 'revision', 'product', 'policy', 'baseline', 'units', 'proposal', 'family', 'trend', 'stationEffects'] as const;

/** A piece of the stored result as JSON text (null when absent), in the store's own SQL. */
function jsonAt(store: Store, path: readonly (string | number)[]): RawBuilder<string | null> {
  if (store.backend === 'postgres') return sql<string | null>`((${sql.ref('result')} #> ${sql.lit(`{${path.join(',')}}`)})::text)`;
  const p = path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('');
  // `->` answers JSON text for scalars too (json_extract would answer a bare SQL string).
  return sql<string | null>`(${sql.ref('result')} -> ${sql.lit(`$${p}`)})`;
}

/** The lot-level fields and the cells at `cellIndices` of a stored evaluation, or null when there is none. */
export async function lotResultPart(
  store: Store,
  lot: string,
  revision: number,
  cellIndices: readonly number[],
): Promise<LotResultPart | null> {
  const cols = [
    ...LOT_FIELDS.map((f) => ({ alias: `f_${f}`, path: [f] as (string | number)[] })),
    ...cellIndices.map((i) => ({ alias: `c_${i}`, path: ['cells', i] })),
  ];
  // One statement, so the database parses the stored JSON once for every piece.
  const row = await store.reads.db
    .selectFrom('lot_evaluations')
    .where('lot', '=', lot)
    .where('revision', '=', revision)
    .select(cols.map((c) => jsonAt(store, c.path).as(c.alias)))
    .executeTakeFirst();
  if (!row) return null;
  const field = (f: string): unknown => {
    const v = row[`f_${f}`];
    return v === null || v === undefined ? undefined : JSON.parse(v);
  };
  const cells: CellResult[] = [];
  for (const i of cellIndices) {
    const v = row[`c_${i}`];
    if (v === null || v === undefined) throw new RangeError(`the stored result of lot ${lot} revision ${revision} has no cell ${i}`);
    cells.push(JSON.parse(v) as CellResult);
  }
  const out: Record<string, unknown> = { cells };
  for (const f of LOT_FIELDS) {
    const v = field(f);
    if (v !== undefined) out[f] = v;
  }
  return out as unknown as LotResultPart;
}
