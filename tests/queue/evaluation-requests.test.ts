/**
 * Evaluation requests are debounced (files of a lot arrive in bursts) but never lost: a request made
 * while the lot's previous evaluation is waiting, running or just finished must still lead to an
 * evaluation that starts after it. A lost request leaves a complete lot undecided until the scheduled
 * sign-off: that is how the Redis-restart test intermittently hung (the evaluation that ran saw 9 of
 * 24 units; the 15 later requests were folded into it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker, type Job } from 'bullmq';
import { openQueues, requestEvaluation, type LotqaQueues } from '../../src/queue/lotqa-queues.js';
import { bullConnection, createWorkerConnection } from '../../src/queue/redis-connection.js';
import type { EvaluateJobData } from '../../src/queue/job-ids.js';
import { deleteQueueKeys, testConfig, waitFor } from './support/queue-fixture.js';
import { startPrivateRedis } from './support/private-redis.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

interface Run {
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** The evaluate queue with a stand-in evaluation; with `holding`, each run waits for `release()`. */
function evaluateQueueWithGate(
  settleMs: number,
  options: { holding?: boolean; redisUrl?: string } = {},
): {
  queues: LotqaQueues;
  runs: Run[];
  started: () => number;
  release: () => void;
} {
  const holding = options.holding ?? false;
  const config = testConfig({ queue: { settleMs }, ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}) });
  const connection = createWorkerConnection(config.redisUrl);
  const queues = openQueues(config, bullConnection(connection));
  const runs: Run[] = [];
  let started = 0;
  let open: () => void = () => undefined;
  const gate = holding ? new Promise<void>((resolve) => (open = resolve)) : Promise.resolve();
  const worker = new Worker<EvaluateJobData>(
    'evaluate',
    async (_job: Job<EvaluateJobData>) => {
      const startedAt = Date.now();
      started++;
      await gate;
      runs.push({ startedAt, finishedAt: Date.now() });
    },
    { connection: bullConnection(connection), prefix: config.queuePrefix, concurrency: 2 },
  );
  cleanups.push(async () => {
    open();
    await worker.close(true);
    await queues.close();
    await deleteQueueKeys(config.redisUrl, config.queuePrefix);
    connection.disconnect();
  });
  return {
    queues,
    runs,
    started: () => started,
    release: () => open(),
  };
}

describe('evaluation requests', () => {
  it('a burst of requests for one lot makes one evaluation, after the last request', async () => {
    const q = evaluateQueueWithGate(400);
    const stamps: number[] = [];
    for (let i = 0; i < 5; i++) {
      stamps.push(Date.now());
      await requestEvaluation(q.queues, 'LOT-BURST', 'ingest');
      await sleep(100);
    }
    await waitFor('the evaluation', () => q.runs.length > 0 || null, 10_000, 20);
    await sleep(800); // room for a (wrong) second run
    expect(q.runs).toHaveLength(1);
    expect(q.runs[0]!.startedAt).toBeGreaterThanOrEqual(stamps.at(-1)! + 400 - 50);
  });

  // A Redis stall (CLIENT PAUSE, like a failover or a restart with commands queued in the client) makes a
  // request's add run later than its timestamp: the job is already due when it lands, so it runs while
  // its deduplication key is still alive. Requests in that window must not be folded into it.
  it("a request made while a stalled request's evaluation runs leads to another evaluation after it", async () => {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const q = evaluateQueueWithGate(300, { holding: true, redisUrl: redis.url });
    await q.queues.evaluate.waitUntilReady();
    redis.cli('client', 'pause', '600', 'WRITE');
    await requestEvaluation(q.queues, 'LOT-ACTIVE', 'ingest');
    await waitFor('the first evaluation to start', () => q.started() === 1 || null, 10_000, 5);
    const requestedAt = Date.now();
    await requestEvaluation(q.queues, 'LOT-ACTIVE', 'ingest'); // a file landed after the evaluation read the lot
    q.release();
    // Runs are recorded when they finish, in either order: wait for both, then look at when each started.
    await waitFor('both evaluations', () => q.runs.length === 2 || null, 10_000, 20);
    // Strictly after: the first run was seen started before the request, but Date.now() has millisecond
    // resolution and under load the poll that saw it can run in the same millisecond as the run's start.
    expect(q.runs.filter((r) => r.startedAt > requestedAt)).toHaveLength(1);
    expect(q.runs).toHaveLength(2);
  });

  it("a request made just after a stalled request's evaluation finished is not folded into it", async () => {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const q = evaluateQueueWithGate(300, { redisUrl: redis.url });
    await q.queues.evaluate.waitUntilReady();
    redis.cli('client', 'pause', '600', 'WRITE');
    await requestEvaluation(q.queues, 'LOT-AFTER', 'ingest');
    await waitFor('the first evaluation', () => q.runs.length === 1 || null, 10_000, 5);
    const requestedAt = Date.now();
    await requestEvaluation(q.queues, 'LOT-AFTER', 'ingest');
    await waitFor('an evaluation after the request', () => q.runs.find((r) => r.startedAt >= requestedAt) ?? null, 10_000, 20);
    expect(q.runs).toHaveLength(2);
  });

  it('requests for different lots do not fold into each other', async () => {
    const q = evaluateQueueWithGate(200);
    await requestEvaluation(q.queues, 'LOT-A', 'ingest');
    await requestEvaluation(q.queues, 'LOT-B', 'ingest');
    await waitFor('both evaluations', () => q.runs.length === 2 || null, 10_000, 20);
  });
});
