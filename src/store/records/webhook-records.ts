/**
 * @module Webhooks and their delivery log. The audit trail is the outbox: a delivery is one (webhook,
 * audit event) pair, inserted once (unique), so scanning the trail again never sends an event twice.
 */
import type { Selectable } from 'kysely';
import type { StoreDatabase } from '../database-schema.js';
import type { StoreDialect } from '../dialect/store-dialect.js';
import { StoredDocumentError } from '../store-errors.js';
import { instantFromDb, jsonToDb, nowInstant } from '../stored-values.js';

export interface WebhookRecord {
  readonly id: number;
  readonly url: string;
  readonly secret: string;
  readonly events: readonly string[];
  readonly createdBy: string;
  readonly createdAt: string;
  readonly fromAuditId: number;
}

export interface WebhookDelivery {
  readonly id: number;
  readonly webhookId: number;
  readonly auditEventId: number;
  readonly event: string;
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly responseStatus: number | null;
  readonly error: string | null;
  readonly updatedAt: string;
}

export class WebhookRecords {
  readonly #dialect: StoreDialect;

  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
  }

  async addWebhook(input: { url: string; secret: string; events: readonly string[]; createdBy: string }): Promise<WebhookRecord> {
    const row = await this.#dialect.writeTransaction(async (trx) => {
      const last = await trx
        .selectFrom('audit_events')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst();
      return trx
        .insertInto('webhooks')
        .values({
          url: input.url,
          secret: input.secret,
          events: jsonToDb(input.events),
          created_by: input.createdBy,
          created_at: nowInstant(),
          from_audit_id: Number(last?.id ?? 0),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return this.#toWebhook(row);
  }

  async listWebhooks(): Promise<WebhookRecord[]> {
    return (await this.#dialect.db.selectFrom('webhooks').selectAll().orderBy('id').execute()).map((r) => this.#toWebhook(r));
  }

  /** Adds a pending delivery unless this webhook already has one for this audit event; the new one or null. */
  async addDelivery(webhookId: number, auditEventId: number, event: string): Promise<WebhookDelivery | null> {
    const dialect = this.#dialect;
    try {
      const row = await dialect.writeTransaction((trx) =>
        trx
          .insertInto('webhook_deliveries')
          .values({ webhook_id: webhookId, audit_event_id: auditEventId, event, status: 'pending', attempts: 0, updated_at: nowInstant() })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      return toDelivery(row);
    } catch (err) {
      if (dialect.isUniqueViolation(err)) return null;
      throw err;
    }
  }

  /** The highest audit event id this webhook has a delivery for (or its starting point). */
  async cursor(webhook: WebhookRecord): Promise<number> {
    const row = await this.#dialect.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.max('audit_event_id').as('id'))
      .where('webhook_id', '=', webhook.id)
      .executeTakeFirst();
    return Math.max(webhook.fromAuditId, Number(row?.id ?? 0));
  }

  async getDelivery(id: number): Promise<WebhookDelivery | null> {
    const row = await this.#dialect.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toDelivery(row) : null;
  }

  async recordAttempt(
    id: number,
    outcome: { status: WebhookDelivery['status']; responseStatus: number | null; error: string | null },
  ): Promise<void> {
    await this.#dialect.writeTransaction((trx) =>
      trx
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          status: outcome.status,
          attempts: eb('attempts', '+', 1),
          response_status: outcome.responseStatus,
          error: outcome.error,
          updated_at: nowInstant(),
        }))
        .where('id', '=', id)
        .execute(),
    );
  }

  /** The delivery log, newest first. */
  async deliveries(limit = 200): Promise<WebhookDelivery[]> {
    return (await this.#dialect.db.selectFrom('webhook_deliveries').selectAll().orderBy('id', 'desc').limit(limit).execute()).map(
      toDelivery,
    );
  }

  #toWebhook(r: Selectable<StoreDatabase['webhooks']>): WebhookRecord {
    const events = this.#dialect.jsonFromDb(r.events);
    if (!Array.isArray(events) || !events.every((e) => typeof e === 'string'))
      throw new StoredDocumentError(`webhook ${r.id}`, 'webhook events', ['/: must be an array of event names']);
    return {
      id: r.id,
      url: r.url,
      secret: r.secret,
      events,
      createdBy: r.created_by,
      createdAt: instantFromDb(r.created_at),
      fromAuditId: Number(r.from_audit_id),
    };
  }
}

function toDelivery(r: Selectable<StoreDatabase['webhook_deliveries']>): WebhookDelivery {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    auditEventId: Number(r.audit_event_id),
    event: r.event,
    status: r.status,
    attempts: r.attempts,
    responseStatus: r.response_status,
    error: r.error,
    updatedAt: instantFromDb(r.updated_at),
  };
}
