/**
 * @module The console's webhook dispatcher: every few seconds it turns new lot events in the audit
 * trail into deliveries and queues each on its own BullMQ queue (`webhooks`), which retries a failed
 * delivery with exponential backoff (6 attempts: about 2 minutes in all) before logging it as failed.
 */
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { collectWebhookDeliveries, deliverWebhook } from '../pipeline/webhooks.js';
import type { Store } from '../store/store.js';

export interface WebhookDispatcherOptions {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  /** @defaultValue 5000 */
  readonly pollMs?: number;
  /** @defaultValue 6 */
  readonly attempts?: number;
  /** First retry delay; doubled each time. @defaultValue 2000 */
  readonly backoffMs?: number;
  readonly fetch?: typeof fetch;
}

export class WebhookDispatcher {
  readonly queue: Queue<{ delivery: number }>;
  readonly #worker: Worker<{ delivery: number }>;
  readonly #timer: NodeJS.Timeout;
  readonly #store: Store;
  readonly #attempts: number;
  readonly #backoffMs: number;
  #polling: Promise<void> = Promise.resolve();

  constructor(store: Store, options: WebhookDispatcherOptions) {
    this.#store = store;
    this.#attempts = options.attempts ?? 6;
    this.#backoffMs = options.backoffMs ?? 2000;
    const common = { connection: options.connection, prefix: options.prefix };
    this.queue = new Queue('webhooks', common);
    this.#worker = new Worker<{ delivery: number }>(
      'webhooks',
      async (job) =>
        void (await deliverWebhook(store, job.data.delivery, {
          lastAttempt: job.attemptsMade + 1 >= this.#attempts,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        })),
      { ...common, concurrency: 4 },
    );
    this.#worker.on('error', () => undefined);
    this.#timer = setInterval(() => void this.poll(), options.pollMs ?? 5000);
    this.#timer.unref();
  }

  /** Queues the deliveries of new events (one poll; also run by the timer). */
  poll(): Promise<void> {
    this.#polling = this.#polling.then(async () => {
      for (const d of await collectWebhookDeliveries(this.#store).catch(() => []))
        await this.queue.add(
          'deliver',
          { delivery: d.id },
          {
            jobId: `delivery-${d.id}`,
            attempts: this.#attempts,
            backoff: { type: 'exponential', delay: this.#backoffMs },
            removeOnComplete: { count: 1000 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        );
    });
    return this.#polling;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#polling;
    await this.#worker.close();
    await this.queue.close();
  }
}
