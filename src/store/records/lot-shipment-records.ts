/**
 * @module Who a lot ships to — customer, purchase order, ship-to address — kept with the lot (set at
 * `run`, `submit`, `evaluate`, `report` or `lotqa lot set`) so every certificate of the lot, automatic
 * re-issues included, prints them. The row holds the current values; every change is an audit event
 * (written by the caller, `src/pipeline/lot-shipment.ts`). Keyed by lot id, so it can be set before the
 * lot's first file is stored (a distributed `submit`).
 */
import type { StoreDialect } from '../dialect/store-dialect.js';
import type { LotShipment, StoredLotShipment } from '../store.js';
import { instantFromDb, nowInstant, toStoredInstant } from '../stored-values.js';

export class LotShipmentRecords {
  readonly #dialect: StoreDialect;

  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
  }

  async saveLotShipment(lot: string, shipment: LotShipment, updatedBy: string, updatedAt?: string): Promise<StoredLotShipment> {
    const at = updatedAt === undefined ? nowInstant() : toStoredInstant(updatedAt, `time of the shipment of lot ${lot}`);
    const values = {
      customer: shipment.customer,
      purchase_order: shipment.purchaseOrder,
      ship_to: shipment.shipTo,
      updated_at: at,
      updated_by: updatedBy,
    };
    await this.#dialect.writeTransaction((trx) =>
      trx
        .insertInto('lot_shipments')
        .values({ lot, ...values })
        .onConflict((oc) => oc.column('lot').doUpdateSet(values))
        .execute(),
    );
    return { lot, ...shipment, updatedAt: at, updatedBy };
  }

  async lotShipment(lot: string): Promise<StoredLotShipment | null> {
    const r = await this.#dialect.db.selectFrom('lot_shipments').selectAll().where('lot', '=', lot).executeTakeFirst();
    return r
      ? {
          lot: r.lot,
          customer: r.customer,
          purchaseOrder: r.purchase_order,
          shipTo: r.ship_to,
          updatedAt: instantFromDb(r.updated_at),
          updatedBy: r.updated_by,
        }
      : null;
  }
}
