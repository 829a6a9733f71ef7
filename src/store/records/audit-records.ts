/**
 * @module The audit trail: append-only events (the database refuses UPDATE and DELETE), per lot in the
 * order appended, each carrying a link of the audit events' hash chain.
 */
import type { Selectable } from 'kysely';
import type { StoreDatabase } from '../database-schema.js';
import type { StoreDialect } from '../dialect/store-dialect.js';
import type { AuditEvent, AuditInput } from '../store.js';
import { checkAuditEntry } from '../stored-documents.js';
import { instantFromDb, jsonToDb, nowInstant, toStoredInstant } from '../stored-values.js';
import { chainContent, linkRow } from './hash-chain.js';

type AuditRow = Selectable<StoreDatabase['audit_events']>;

export class AuditRecords {
  readonly #dialect: StoreDialect;

  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
  }

  #toAudit(r: AuditRow): AuditEvent {
    return toAuditEvent(this.#dialect, r);
  }

  async appendAudit(input: AuditInput): Promise<AuditEvent> {
    const at = input.at === undefined ? nowInstant() : toStoredInstant(input.at, `time of audit event ${input.kind}`);
    checkAuditEntry(input.kind, input.payload, `the new "${input.kind}" audit event${input.lot === null ? '' : ` of lot ${input.lot}`}`);
    const dialect = this.#dialect;
    const row = await dialect.writeTransaction(async (trx) => {
      const covered = { at, lot: input.lot, kind: input.kind, actor: input.actor, payload: jsonToDb(input.payload) };
      const link = await linkRow(trx, 'audit_events', chainContent(dialect, 'audit_events', covered));
      return trx
        .insertInto('audit_events')
        .values({ ...covered, ...link })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return this.#toAudit(row);
  }

  async auditTrail(lot: string): Promise<AuditEvent[]> {
    const rows = await this.#dialect.db.selectFrom('audit_events').selectAll().where('lot', '=', lot).orderBy('id').execute();
    return rows.map((r) => this.#toAudit(r));
  }
}

/** An `audit_events` row as the event the store hands out (kind and payload checked together). */
export function toAuditEvent(dialect: Pick<StoreDialect, 'jsonFromDb'>, r: AuditRow): AuditEvent {
  const entry = checkAuditEntry(r.kind, dialect.jsonFromDb(r.payload), `audit event ${r.id}${r.lot === null ? '' : ` of lot ${r.lot}`}`);
  return { ...entry, id: r.id, at: instantFromDb(r.at), lot: r.lot, actor: r.actor };
}
