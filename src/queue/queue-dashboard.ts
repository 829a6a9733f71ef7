/**
 * @module `lotqa dashboard`: bull-board over lotqa's queues, on loopback only by default (it can retry
 * and delete jobs, so put it behind your own authentication before exposing it).
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import type { LotqaQueues } from './lotqa-queues.js';

export interface DashboardOptions {
  /** @defaultValue 3300 */
  readonly port?: number;
  /** @defaultValue 127.0.0.1 */
  readonly host?: string;
  /** @defaultValue '/' */
  readonly basePath?: string;
  readonly readOnly?: boolean;
}

export async function startDashboard(queues: LotqaQueues, options: DashboardOptions = {}): Promise<{ app: FastifyInstance; url: string }> {
  const basePath = options.basePath ?? '/';
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: [...queues.all.values()].map((q) => new BullMQAdapter(q, { readOnlyMode: options.readOnly ?? false })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'lotqa queues' } },
  });
  const app = Fastify({ logger: false });
  await app.register(serverAdapter.registerPlugin(), { prefix: basePath });
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 3300;
  await app.listen({ host, port });
  const addr = app.server.address();
  const actualPort = addr && typeof addr === 'object' ? addr.port : port;
  return { app, url: `http://${host}:${actualPort}${basePath}` };
}
