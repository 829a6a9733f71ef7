/**
 * Webhooks: lot events read from the audit trail, delivered once per (webhook, event) with an HMAC
 * signature the receiver can check, retried through a real BullMQ queue (Redis) when the receiver
 * fails, and logged; a receiver that never answers 2xx ends as a failed delivery.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { createAccount, issueApiToken } from '../../src/pipeline/accounts.js';
import { signWebhook } from '../../src/pipeline/webhooks.js';
import { bullConnection, createWorkerConnection } from '../../src/queue/redis-connection.js';
import { openStore, type Store } from '../../src/store/index.js';
import { buildConsoleApp } from '../../src/web/console-app.js';
import { WebhookDispatcher } from '../../src/web/webhook-dispatcher.js';
import { testConfig } from '../queue/support/queue-fixture.js';

const HOST = 'console.test:3300';
let dir: string;
let store: Store;
let redis: Redis;
let dispatcher: WebhookDispatcher;
let receiver: Server;
let base: string;
const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
/** Per path: the statuses to answer, in order (then 200). */
const script = new Map<string, number[]>();

async function until<T>(what: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-hooks-'));
  store = openStore({ sqlitePath: join(dir, 'hooks.sqlite') });
  await store.migrate();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      const statuses = script.get(req.url ?? '') ?? [];
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const addr = receiver.address();
  base = `http://127.0.0.1:${addr && typeof addr === 'object' ? addr.port : 0}`;
  const config = testConfig();
  redis = createWorkerConnection(config.redisUrl);
  dispatcher = new WebhookDispatcher(store, {
    connection: bullConnection(redis),
    prefix: config.queuePrefix,
    pollMs: 3_600_000,
    attempts: 3,
    backoffMs: 100,
  });
}, 60_000);
afterAll(async () => {
  await dispatcher.close();
  redis.disconnect();
  await new Promise((r) => receiver.close(r));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const decided = (lot: string, disposition: 'HOLD' | 'ACCEPT' | 'REJECT') =>
  store.appendAudit({
    lot,
    kind: 'decided',
    actor: 'policy:default',
    payload: { revision: 1, disposition, reason: `${disposition} by test` },
  });

describe('webhooks', () => {
  it('an admin subscribes through the API and gets the secret once; others cannot; bad input is 400', async () => {
    await createAccount(store, { username: 'ada', fullName: 'Ada Admin', role: 'admin', password: 'ada-password', by: 'test' });
    await createAccount(store, { username: 'vic', fullName: 'Vic Viewer', role: 'viewer', password: 'vic-password', by: 'test' });
    const app = await buildConsoleApp(store, { allowedHosts: [HOST], prewarm: false });
    try {
      const call = async (user: string, body: unknown) =>
        app.inject({
          method: 'POST',
          url: '/api/webhooks',
          headers: { host: HOST, authorization: `Bearer ${await issueApiToken(store, user, 'test')}`, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
      expect((await call('vic', { url: `${base}/x`, events: ['lot.hold'] })).statusCode).toBe(403);
      const bad = await call('ada', { url: 'file:///etc/passwd', events: ['lot.hold'] });
      expect(bad.statusCode).toBe(400);
      expect(bad.json<{ message: string }>().message).toMatch(/url/);
      expect((await call('ada', { url: `${base}/x`, events: ['lot.exploded'] })).statusCode).toBe(400);
      const ok = await call('ada', { url: `${base}/mes`, events: ['lot.hold', 'lot.rejected'] });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json<{ secret: string }>().secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      const list = await app.inject({
        method: 'GET',
        url: '/api/webhooks',
        headers: { host: HOST, authorization: `Bearer ${await issueApiToken(store, 'ada', 't')}` },
      });
      expect(JSON.stringify(list.json())).not.toContain(ok.json<{ secret: string }>().secret);
    } finally {
      await app.close();
    }
  });

  it('delivers a subscribed event once, signed, retrying a failing receiver; skips unsubscribed and earlier events', async () => {
    await decided('OLD', 'HOLD'); // before the subscription: never delivered
    const hook = await store.webhooks.addWebhook({
      url: `${base}/hook`,
      secret: 's3cret',
      events: ['lot.hold', 'lot.rejected'],
      createdBy: 'test',
    });
    script.set('/hook', [500]);
    await decided('L1', 'ACCEPT'); // not subscribed
    const hold = await decided('L1', 'HOLD');
    await dispatcher.poll();
    await dispatcher.poll(); // a second scan adds nothing
    const delivery = await until(async () =>
      (await store.webhooks.deliveries()).find((d) => d.webhookId === hook.id && d.status === 'delivered'),
    );
    expect(delivery).toMatchObject({ auditEventId: hold.id, event: 'lot.hold', attempts: 2, responseStatus: 200 });
    const hits = received.filter((r) => r.path === '/hook');
    expect(hits).toHaveLength(2); // 500, then 200
    const last = hits.at(-1)!;
    expect(JSON.parse(last.body)).toMatchObject({ event: 'lot.hold', lot: 'L1', payload: { disposition: 'HOLD' } });
    expect(last.headers['x-lotqa-signature']).toBe(signWebhook('s3cret', String(last.headers['x-lotqa-timestamp']), last.body));
    expect((await store.webhooks.deliveries()).filter((d) => d.webhookId === hook.id)).toHaveLength(1);
  });

  it('logs a delivery as failed after its last attempt', async () => {
    const hook = await store.webhooks.addWebhook({ url: `${base}/down`, secret: 'x', events: ['lot.rejected'], createdBy: 'test' });
    script.set('/down', [503, 503, 503, 503]);
    await decided('L2', 'REJECT');
    await dispatcher.poll();
    const failed = await until(async () =>
      (await store.webhooks.deliveries()).find((d) => d.webhookId === hook.id && d.status === 'failed'),
    );
    expect(failed).toMatchObject({ attempts: 3, responseStatus: 503, error: 'the receiver answered 503' });
  });
});
