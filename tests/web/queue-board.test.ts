/** The queue dashboard behind the console's login: admins only, read-only, under the console's defences. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { createAccount } from '../../src/pipeline/accounts.js';
import { openQueues, type LotqaQueues } from '../../src/queue/lotqa-queues.js';
import { bullConnection, createWorkerConnection } from '../../src/queue/redis-connection.js';
import { openStore, type Store } from '../../src/store/index.js';
import { buildConsoleApp } from '../../src/web/console-app.js';
import { mountQueueBoard } from '../../src/web/queue-board.js';
import { testConfig } from '../queue/support/queue-fixture.js';

const HOST = 'console.test:3300';
let dir: string;
let store: Store;
let app: FastifyInstance;
let queues: LotqaQueues;
let redis: Redis;

async function session(username: string): Promise<string> {
  const form = await app.inject({ method: 'GET', url: '/login', headers: { host: HOST } });
  const c = String(form.headers['set-cookie']).match(/lotqa_login_csrf=([^;]+)/)![1]!;
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { host: HOST, origin: `http://${HOST}`, cookie: `lotqa_login_csrf=${c}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: c, username, password: `${username}-password` }).toString(),
  });
  return `lotqa_session=${String(res.headers['set-cookie']).match(/lotqa_session=([^;]+)/)![1]!}`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-board-'));
  store = openStore({ sqlitePath: join(dir, 'board.sqlite') });
  await store.migrate();
  await createAccount(store, { username: 'ada', fullName: 'Ada Admin', role: 'admin', password: 'ada-password', by: 'test' });
  await createAccount(store, { username: 'rita', fullName: 'Rita Approver', role: 'approver', password: 'rita-password', by: 'test' });
  const config = testConfig();
  redis = createWorkerConnection(config.redisUrl);
  queues = openQueues(config, bullConnection(redis));
  app = await buildConsoleApp(store, { allowedHosts: [HOST] });
  await mountQueueBoard(app, queues);
}, 60_000);
afterAll(async () => {
  await app.close();
  await queues.close();
  redis.disconnect();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the queue dashboard in the console', () => {
  it('sends a visitor without a session to the login page, and refuses an approver', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/queues', headers: { host: HOST } });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/login\?next=/);
    const api = await app.inject({ method: 'GET', url: '/queues/api/queues', headers: { host: HOST } });
    expect(api.statusCode).toBe(303);
    const rita = await app.inject({ method: 'GET', url: '/queues/api/queues', headers: { host: HOST, cookie: await session('rita') } });
    expect(rita.statusCode).toBe(403);
  });

  it("shows an admin lotqa's queues, read-only, with the console's security headers", async () => {
    const cookie = await session('ada');
    const page = await app.inject({ method: 'GET', url: '/queues', headers: { host: HOST, cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const api = await app.inject({ method: 'GET', url: '/queues/api/queues', headers: { host: HOST, cookie } });
    expect(api.statusCode).toBe(200);
    const names = api.json<{ queues: { name: string; readOnlyMode: boolean }[] }>().queues.map((q) => [q.name, q.readOnlyMode]);
    expect(names).toEqual(
      expect.arrayContaining([
        ['ingest', true],
        ['evaluate', true],
        ['report', true],
        ['sign-off', true],
      ]),
    );
    // A state-changing call without the CSRF token never reaches bull-board.
    const retry = await app.inject({
      method: 'PUT',
      url: '/queues/api/queues/ingest/retry/failed',
      headers: { host: HOST, cookie, origin: `http://${HOST}` },
    });
    expect(retry.statusCode).toBe(403);
  });
});
