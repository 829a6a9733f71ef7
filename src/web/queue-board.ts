/**
 * @module The queue dashboard (bull-board) inside the console, behind its login: only admins reach it,
 * and it is read-only (no retry, clean or delete buttons: those would be state-changing requests without
 * the console's CSRF token). `lotqa dashboard` stays for loopback-only use without accounts.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { LotqaQueues } from '../queue/lotqa-queues.js';

/** Where the board is mounted; every URL under it needs the admin role. */
export const QUEUE_BOARD_PATH = '/queues';

export async function mountQueueBoard(app: FastifyInstance, queues: LotqaQueues): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: [...queues.all.values()].map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'lotqa queues' } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
}
