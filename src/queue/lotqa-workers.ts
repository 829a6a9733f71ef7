/**
 * @module Starts BullMQ workers for some or all of lotqa's queues in this process and stops them in the
 * right order: workers (active jobs finish or, after the timeout, are handed back), then queues, then the
 * Redis connection, then the store.
 */
import { ExitCode, LotqaError, type LotqaErrorOptions } from '../errors/lotqa-error.js';
import { fileURLToPath } from 'node:url';
import { Worker, type Job, type WorkerOptions } from 'bullmq';
import { QUEUE_NAMES, type LotqaJobData, type QueueName } from './job-ids.js';
import { processLotqaJob } from './lot-processors.js';
import type { LotqaRuntime } from './lotqa-runtime.js';
import { bullConnection, evictionPolicyWarning } from './redis-connection.js';

export class WorkerOptionError extends LotqaError {
  override name = 'WorkerOptionError';

  constructor(message: string, options: LotqaErrorOptions = {}) {
    super(message, {
      exitCode: ExitCode.configOrService,
      hint: 'see `lotqa worker --help` and the queue settings of lotqa.config.json',
      ...options,
    });
  }
}

/** The sandboxed processor file: a .mjs entry that makes sure the child can load TypeScript (see the file). */
export const SANDBOX_PROCESSOR = fileURLToPath(new URL('./sandbox/lot-jobs-sandbox.mjs', import.meta.url));

/** Queues whose jobs are CPU-heavy enough to run in the sandbox when `queue.sandboxed` is on. */
const HEAVY: ReadonlySet<QueueName> = new Set(['evaluate', 'report', 'sign-off']);

export interface StartWorkersOptions {
  /** @defaultValue every queue */
  readonly queues?: readonly QueueName[];
  /** Evaluate and report jobs at once. @defaultValue config.concurrency (sign-off: always 1) */
  readonly concurrency?: number;
  /**
   * File jobs at once. A file job spends most of its time waiting on PostgreSQL and Redis, and the files
   * parsed while a write is in flight share the next one (group commit), so a process wants many.
   * @defaultValue config.ingestConcurrency
   */
  readonly ingestConcurrency?: number;
  /** @defaultValue config.queue.sandboxed */
  readonly sandboxed?: boolean;
}

export interface WorkerPool {
  readonly workers: readonly Worker[];
  /** Stops taking jobs, lets active ones finish for up to `timeoutMs`, then closes everything. */
  close(timeoutMs?: number): Promise<void>;
}

/** Parses `ingest,evaluate` into queue names, with a message that lists the valid ones. */
export function parseQueueList(text: string): QueueName[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!(QUEUE_NAMES as readonly string[]).includes(n))
      throw new WorkerOptionError(`unknown queue "${n}": choose from ${QUEUE_NAMES.join(', ')}`);
  }
  if (names.length === 0) throw new WorkerOptionError(`name at least one queue: ${QUEUE_NAMES.join(', ')}`);
  return [...new Set(names)] as QueueName[];
}

export async function startWorkers(rt: LotqaRuntime, options: StartWorkersOptions = {}): Promise<WorkerPool> {
  const warning = await evictionPolicyWarning(rt.connection);
  if (warning) rt.log.warn(warning);
  const names = options.queues ?? QUEUE_NAMES;
  const sandboxed = options.sandboxed ?? rt.config.queue.sandboxed;
  const q = rt.config.queue;
  const workers: Worker[] = [];
  const concurrency = options.concurrency ?? rt.config.concurrency;
  const ingestConcurrency = options.ingestConcurrency ?? rt.config.ingestConcurrency;
  for (const name of names) {
    const base: WorkerOptions = {
      connection: bullConnection(rt.connection),
      prefix: rt.config.queuePrefix,
      concurrency: name === 'sign-off' ? 1 : name === 'ingest' ? ingestConcurrency : concurrency,
      lockDuration: q.lockDurationMs,
      stalledInterval: q.stalledIntervalMs,
      maxStalledCount: q.maxStalledCount,
    };
    const worker =
      sandboxed && HEAVY.has(name)
        ? new Worker<LotqaJobData>(name, SANDBOX_PROCESSOR, base)
        : new Worker<LotqaJobData>(name, (job: Job<LotqaJobData>) => processLotqaJob(rt, job), base);
    const log = rt.log.child({ queue: name });
    worker.on('error', (err) => log.error({ err: err.message }, 'worker error'));
    worker.on('failed', (job, err) => log.warn({ jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, 'job failed'));
    worker.on('stalled', (jobId) => log.warn({ jobId }, 'job stalled (its worker stopped renewing the lock); handed back'));
    worker.on('completed', (job) => log.debug({ jobId: job.id }, 'job completed'));
    workers.push(worker);
  }
  rt.log.info({ queues: names, sandboxed, concurrency, ingestConcurrency, prefix: rt.config.queuePrefix }, 'workers started');
  let closing: Promise<void> | null = null;
  return {
    workers,
    close(timeoutMs = q.shutdownTimeoutMs) {
      closing ??= (async () => {
        await Promise.all(workers.map((w) => closeWithin(w, timeoutMs, rt)));
        await rt.close();
      })();
      return closing;
    },
  };
}

/**
 * `worker.close()` waits for active jobs with no limit of its own; after `timeoutMs` force-close it:
 * the unfinished jobs' locks lapse and another worker picks them up (the stall check), and since each
 * stage writes in one transaction nothing half-done is ever stored.
 */
async function closeWithin(worker: Worker, timeoutMs: number, rt: LotqaRuntime): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const graceful = worker.close();
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([graceful.then(() => 'closed' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    rt.log.warn({ queue: worker.name, timeoutMs }, 'active jobs did not finish in time; handing them back');
    await worker.close(true);
  }
}

/**
 * Process-level wiring for a worker entry: SIGTERM/SIGINT close the pool gracefully and exit 0; a second
 * signal exits at once; unhandled rejections are logged; an uncaught exception (a bug: dropped database
 * and Redis connections are handled where they happen) closes the pool and exits 1. Returns the same
 * stop for other fatal conditions (a refused login), with their exit code.
 */
export function handleShutdown(
  pool: WorkerPool,
  rt: Pick<LotqaRuntime, 'log'>,
  exit: (code: number) => void = (c) => process.exit(c),
): (reason: string, exitCode: number) => void {
  let stopping = false;
  const stop = (reason: string, exitCode: number): void => {
    if (stopping) {
      rt.log.warn({ reason }, 'second signal: exiting now');
      exit(exitCode === 0 ? 1 : exitCode);
      return;
    }
    stopping = true;
    rt.log.info({ reason }, 'shutting down: finishing active jobs');
    pool.close().then(
      () => {
        rt.log.info('stopped');
        exit(exitCode);
      },
      (err: unknown) => {
        rt.log.error({ err: (err as Error).message }, 'error while shutting down');
        exit(exitCode === 0 ? 1 : exitCode);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  process.on('SIGINT', () => stop('SIGINT', 0));
  process.on('unhandledRejection', (reason) =>
    rt.log.error({ err: reason instanceof Error ? reason.message : String(reason) }, 'unhandled promise rejection'),
  );
  process.on('uncaughtException', (err) => {
    rt.log.fatal({ err: err.message, stack: err.stack }, 'uncaught exception');
    stop('uncaughtException', 1);
  });
  return stop;
}
