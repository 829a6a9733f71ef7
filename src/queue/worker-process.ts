/**
 * @module The body of every worker entry file (workers/*.ts): load the configuration, open the runtime,
 * start the workers, make sure the sign-off has a schedule, and shut down gracefully on a signal.
 */
import { loadConfig, type LotqaConfig } from '../config.js';
import { QUEUE_NAMES, type QueueName } from './job-ids.js';
import { openRuntime } from './lotqa-runtime.js';
import { handleShutdown, parseQueueList, startWorkers, type WorkerPool } from './lotqa-workers.js';
import { getSignOffSchedule, upsertSignOffSchedule } from './sign-off-schedule.js';
import { createLogger } from './logger.js';

export interface WorkerProcessOptions {
  readonly component: string;
  /** @defaultValue `LOTQA_QUEUES` (comma-separated) or every queue */
  readonly queues?: readonly QueueName[];
  readonly concurrency?: number;
  /** @defaultValue config.ingestConcurrency (`LOTQA_INGEST_CONCURRENCY`) */
  readonly ingestConcurrency?: number;
  readonly config?: Readonly<LotqaConfig>;
  /** Install SIGTERM/SIGINT handlers that exit the process. @defaultValue true */
  readonly handleSignals?: boolean;
}

export async function runWorkerProcess(options: WorkerProcessOptions): Promise<WorkerPool> {
  const log = createLogger(options.component);
  const config = options.config ?? loadConfig();
  const queues = options.queues ?? (process.env.LOTQA_QUEUES ? parseQueueList(process.env.LOTQA_QUEUES) : [...QUEUE_NAMES]);
  const rt = await openRuntime(config, { log });
  const pool = await startWorkers(rt, {
    queues,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.ingestConcurrency ? { ingestConcurrency: options.ingestConcurrency } : {}),
  });
  if (queues.includes('sign-off')) {
    // The configured schedule is the default; `lotqa schedule set` changes it and a restart keeps that.
    const existing = await getSignOffSchedule(rt.queues.signOff);
    const schedule = existing ?? (await upsertSignOffSchedule(rt.queues.signOff, config.schedule));
    log.info(
      { pattern: schedule.pattern, tz: schedule.tz, next: schedule.next ? new Date(schedule.next).toISOString() : null },
      existing ? 'sign-off schedule in place' : 'sign-off schedule created from configuration',
    );
  }
  if (options.handleSignals ?? true) handleShutdown(pool, rt);
  return pool;
}
