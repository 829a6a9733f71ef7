/**
 * @module Lots: a lot's readings (columnar, for the evaluation), what the store holds per lot, the
 * lot's content hash and unit count.
 */
import { lotContentHash } from '../../domain/lot-content.js';
import type { LotData } from '../../domain/lot-data.js';
import type { StoreDb, StoreDialect } from '../dialect/store-dialect.js';
import type { LotSummary } from '../store.js';
import { LotNotFoundError } from '../store-errors.js';
import { instantFromDb } from '../stored-values.js';
import { readLot } from './lot-reader.js';
import { lotContentMarks } from './lot-content-marks.js';

/** Ids of the files that gave the lot runs (a subquery). */
export function filesOfLot(db: StoreDb, lot: string) {
  return db.selectFrom('runs').innerJoin('lots', 'lots.id', 'runs.lot_id').select('runs.file_id').where('lots.lot', '=', lot);
}

/** Per lot: units, runs, files and readings stored, first and last test (aggregates every run of the lot). */
export function lotSummaryQuery(db: StoreDb) {
  return db
    .selectFrom('lots as l')
    .innerJoin('runs as r', 'r.lot_id', 'l.id')
    .select(['l.lot', 'l.product_id'])
    .select((eb) => [
      eb.fn.count<number>('r.serial').distinct().as('units'),
      eb.fn.countAll<number>().as('runs'),
      eb.fn.count<number>('r.file_id').distinct().as('files'),
      eb.fn.sum<number>('r.measurement_count').as('measurements'),
      eb.fn.min('r.test_time').as('first_test_time'),
      eb.fn.max('r.test_time').as('last_test_time'),
    ])
    .groupBy(['l.id', 'l.lot', 'l.product_id']);
}

export function toLotSummary(r: {
  lot: string;
  product_id: string;
  units: number;
  runs: number;
  files: number;
  measurements: number;
  first_test_time: Date | string;
  last_test_time: Date | string;
}): LotSummary {
  return {
    lot: r.lot,
    productId: r.product_id,
    units: Number(r.units),
    runs: Number(r.runs),
    files: Number(r.files),
    measurements: Number(r.measurements),
    firstTestTime: instantFromDb(r.first_test_time),
    lastTestTime: instantFromDb(r.last_test_time),
  };
}

export class LotRecords {
  readonly #dialect: StoreDialect;

  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
  }

  loadLot(lot: string): Promise<LotData> {
    return readLot(this.#dialect, lot);
  }

  async listLots(): Promise<LotSummary[]> {
    const rows = await lotSummaryQuery(this.#dialect.db).orderBy('l.lot').execute();
    return rows.map(toLotSummary);
  }

  async listLotIds(): Promise<string[]> {
    const rows = await this.#dialect.db.selectFrom('lots').select('lot').orderBy('lot').execute();
    return rows.map((r) => r.lot);
  }

  async lotSummary(lot: string): Promise<LotSummary | null> {
    const row = await lotSummaryQuery(this.#dialect.db).where('l.lot', '=', lot).executeTakeFirst();
    return row ? toLotSummary(row) : null;
  }

  async lotContentHash(lot: string): Promise<string> {
    const db = this.#dialect.db;
    const rows = await db.selectFrom('files as f').select('f.sha256').where('f.id', 'in', filesOfLot(db, lot)).execute();
    if (rows.length === 0) throw new LotNotFoundError(lot);
    const marks = await lotContentMarks(db, this.#dialect, lot);
    return lotContentHash(
      rows.map((r) => r.sha256),
      marks,
    );
  }

  /** Puts the lot under another product (lotqa lot move); its files and readings stay as stored. */
  async moveLot(lot: string, productId: string): Promise<void> {
    const moved = await this.#dialect.writeTransaction((trx) =>
      trx.updateTable('lots').set({ product_id: productId }).where('lot', '=', lot).executeTakeFirst(),
    );
    if (Number(moved.numUpdatedRows) !== 1) throw new LotNotFoundError(lot);
  }

  async unitCount(lot: string): Promise<number> {
    const row = await this.#dialect.db
      .selectFrom('runs')
      .innerJoin('lots', 'lots.id', 'runs.lot_id')
      .select((eb) => eb.fn.count<number>('runs.serial').distinct().as('units'))
      .where('lots.lot', '=', lot)
      .executeTakeFirst();
    return row?.units ?? 0;
  }
}
