/**
 * @module Webhooks on lot events — a lot held, rejected or accepted, a certificate issued — read from
 * the audit trail (the outbox: whatever process recorded the decision, the event is there), delivered
 * as JSON with an HMAC-SHA256 signature, each delivery logged with its attempts. Retrying is the
 * caller's (the console's BullMQ queue): {@link deliverWebhook} throws when a delivery failed.
 *
 * Receivers check `X-Lotqa-Signature: sha256=<hex>` = HMAC-SHA256(secret, `<X-Lotqa-Timestamp>.<body>`).
 */
import { createHmac } from 'node:crypto';
import { LotqaError } from '../errors/lotqa-error.js';
import { auditEvent, auditEventsAfter } from '../queries/audit-search.js';
import type { AuditEvent, Store, WebhookDelivery } from '../store/store.js';

export const WEBHOOK_EVENTS = ['lot.hold', 'lot.rejected', 'lot.accepted', 'certificate.issued'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export class WebhookDeliveryError extends LotqaError {
  override name = 'WebhookDeliveryError';
}

/** The webhook event an audit event is, or null. */
export function webhookEventOf(e: AuditEvent): WebhookEvent | null {
  if (e.kind === 'certificate-issued') return 'certificate.issued';
  if (e.kind !== 'decided') return null;
  return e.payload.disposition === 'HOLD' ? 'lot.hold' : e.payload.disposition === 'REJECT' ? 'lot.rejected' : 'lot.accepted';
}

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Adds a pending delivery for every new lot event each webhook subscribes to; the new deliveries. */
export async function collectWebhookDeliveries(store: Store): Promise<WebhookDelivery[]> {
  const added: WebhookDelivery[] = [];
  for (const hook of await store.webhooks.listWebhooks()) {
    const events = await auditEventsAfter(store, await store.webhooks.cursor(hook), ['decided', 'certificate-issued']);
    for (const e of events) {
      const name = webhookEventOf(e);
      if (name === null || !hook.events.includes(name)) continue;
      const d = await store.webhooks.addDelivery(hook.id, e.id, name);
      if (d) added.push(d);
    }
  }
  return added;
}

/**
 * Sends one delivery. Logs the attempt; throws WebhookDeliveryError when the receiver did not answer 2xx
 * (so the queue retries), marking it failed when `lastAttempt`.
 */
export async function deliverWebhook(
  store: Store,
  deliveryId: number,
  options: { lastAttempt: boolean; fetch?: typeof fetch; timeoutMs?: number; now?: () => Date },
): Promise<WebhookDelivery> {
  const delivery = await store.webhooks.getDelivery(deliveryId);
  if (!delivery) throw new WebhookDeliveryError(`no webhook delivery ${deliveryId}`);
  if (delivery.status === 'delivered') return delivery;
  const hook = (await store.webhooks.listWebhooks()).find((h) => h.id === delivery.webhookId);
  const event = await auditEvent(store, delivery.auditEventId);
  if (!hook || !event) throw new WebhookDeliveryError(`webhook delivery ${deliveryId} names a webhook or event that is not stored`);
  const body = JSON.stringify({
    delivery: delivery.id,
    event: delivery.event,
    lot: event.lot,
    at: event.at,
    actor: event.actor,
    payload: event.payload,
  });
  const timestamp = String(Math.floor((options.now?.() ?? new Date()).getTime() / 1000));
  let responseStatus: number | null = null;
  let error: string | null = null;
  try {
    const response = await (options.fetch ?? fetch)(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-lotqa-event': delivery.event,
        'x-lotqa-delivery': String(delivery.id),
        'x-lotqa-timestamp': timestamp,
        'x-lotqa-signature': signWebhook(hook.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      redirect: 'error',
    });
    responseStatus = response.status;
    if (!response.ok) error = `the receiver answered ${response.status}`;
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const status = error === null ? 'delivered' : options.lastAttempt ? 'failed' : 'pending';
  await store.webhooks.recordAttempt(delivery.id, { status, responseStatus, error });
  if (error !== null) throw new WebhookDeliveryError(`webhook delivery ${delivery.id} to ${hook.url} failed: ${error}`);
  return (await store.webhooks.getDelivery(delivery.id))!;
}
