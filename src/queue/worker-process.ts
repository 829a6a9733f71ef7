/**
 * @module The body of every worker entry file (workers/*.ts): load the configuration, open the runtime
 * (waiting for PostgreSQL and Redis while they are down), start the workers, make sure the sign-off has a
 * schedule, and shut down gracefully on a signal. A worker stops on its own only for what waiting cannot
 * fix: a refused login or another configuration error, with exit code 2 and a message saying what to fix.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig, type LotqaConfig } from '../config.js';
import { ExitCode, LotqaError } from '../errors/lotqa-error.js';
import { QUEUE_NAMES, type QueueName } from './job-ids.js';
import { openRuntime, type LotqaRuntime } from './lotqa-runtime.js';
import { handleShutdown, parseQueueList, startWorkers, type WorkerPool } from './lotqa-workers.js';
import { getSignOffSchedule, upsertSignOffSchedule } from './sign-off-schedule.js';
import { createLogger, type Logger } from './logger.js';
import { connectProducer, redactRedisUrl } from './redis-connection.js';
import { isRedisLoginRefused, isTransientServiceError, RedisLoginError } from './service-faults.js';

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
  /** Longest wait between two tries to reach PostgreSQL and Redis at start-up. @defaultValue 30 s */
  readonly maxRetryDelayMs?: number;
}

export async function runWorkerProcess(options: WorkerProcessOptions): Promise<WorkerPool> {
  const log = createLogger(options.component);
  const config = options.config ?? loadConfig();
  const queues = options.queues ?? (process.env.LOTQA_QUEUES ? parseQueueList(process.env.LOTQA_QUEUES) : [...QUEUE_NAMES]);
  const rt = await openRuntimeWhenReachable(config, log, options.maxRetryDelayMs ?? 30_000);
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
  if (options.handleSignals ?? true) {
    const exit = handleShutdown(pool, rt);
    // A password changed under a running worker: Redis refuses every reconnect, and waiting cannot fix it.
    rt.connection.on('error', (err: Error) => {
      if (!isRedisLoginRefused(err)) return;
      log.fatal({ err: err.message, redis: redactRedisUrl(config.redisUrl) }, 'Redis refused the login: fix REDIS_URL; stopping');
      exit('refused Redis login', ExitCode.configOrService);
    });
  }
  return pool;
}

/**
 * Opens the runtime, trying again (1 s, 2 s, 4 s … up to `maxDelayMs`) while PostgreSQL or Redis is
 * unreachable: workers started before their database, or during a restart, wait instead of dying. A
 * refused login or any other configuration error ends the wait at once.
 */
async function openRuntimeWhenReachable(config: Readonly<LotqaConfig>, log: Logger, maxDelayMs: number): Promise<LotqaRuntime> {
  for (let attempt = 1; ; attempt++) {
    try {
      // The worker connection retries forever, even on a refused login: check the login once first.
      (await connectProducer(config.redisUrl)).disconnect();
      return await openRuntime(config, { log });
    } catch (err) {
      if (err instanceof RedisLoginError || isRedisLoginRefused(err) || !isTransientServiceError(err)) throw err;
      const delay = Math.min(maxDelayMs, 1000 * 2 ** (attempt - 1));
      log.warn({ err: (err as Error).message, attempt, retryInMs: delay }, 'a service is unreachable; waiting for it');
      await sleep(delay);
    }
  }
}

/**
 * Runs a worker process from an entry file (workers/*.ts): a start-up failure is printed as the CLI
 * prints it (`lotqa: message`, `hint: …`) and ends the process with the error's exit code.
 */
export async function runWorkerMain(options: WorkerProcessOptions): Promise<void> {
  try {
    await runWorkerProcess(options);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    process.stderr.write(`lotqa ${options.component}: ${e.message}\n`);
    if (e instanceof LotqaError && e.hint) process.stderr.write(`hint: ${e.hint}\n`);
    process.exit(e instanceof LotqaError ? e.exitCode : ExitCode.configOrService);
  }
}
