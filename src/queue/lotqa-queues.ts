/**
 * @module The four queues with lotqa's job defaults (retries with exponential backoff, bounded retention),
 * and the helpers that put work on them. No stage logic here: jobs carry ids and paths, never results.
 */
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { LotqaConfig } from '../config.js';
import {
  QUEUE_NAMES,
  evaluateDedupId,
  reportJobId,
  type EvaluateJobData,
  type IngestQueueJobData,
  type QueueName,
  type ReportJobData,
  type SignOffJobData,
} from './job-ids.js';

export interface LotqaQueues {
  readonly ingest: Queue<IngestQueueJobData>;
  readonly evaluate: Queue<EvaluateJobData>;
  readonly report: Queue<ReportJobData>;
  readonly signOff: Queue<SignOffJobData>;
  /** Every queue by its name, for status and the dashboard. */
  readonly all: ReadonlyMap<QueueName, Queue>;
  readonly settleMs: number;
  close(): Promise<void>;
}

/** Defaults every lotqa job gets: what to do on failure and how long to keep it. */
export function defaultJobOptions(config: Readonly<LotqaConfig>): JobsOptions {
  return {
    attempts: config.queue.attempts,
    backoff: { type: 'exponential', delay: config.queue.backoffMs, jitter: 0.2 },
    removeOnComplete: { count: config.retention.completedCount },
    removeOnFail: { age: config.retention.failedAgeSeconds },
  };
}

/** Opens the queues under the configured prefix on `connection` (shared; BullMQ duplicates it where it must). */
export function openQueues(config: Readonly<LotqaConfig>, connection: ConnectionOptions): LotqaQueues {
  const opts = { connection, prefix: config.queuePrefix, defaultJobOptions: defaultJobOptions(config) };
  const ingest = new Queue<IngestQueueJobData>('ingest', opts);
  const evaluate = new Queue<EvaluateJobData>('evaluate', opts);
  const report = new Queue<ReportJobData>('report', opts);
  const signOff = new Queue<SignOffJobData>('sign-off', opts);
  const all = new Map<QueueName, Queue>([
    ['ingest', ingest as Queue],
    ['evaluate', evaluate as Queue],
    ['report', report as Queue],
    ['sign-off', signOff as Queue],
  ]);
  if (all.size !== QUEUE_NAMES.length) throw new Error('queue table out of sync with QUEUE_NAMES');
  return {
    ingest,
    evaluate,
    report,
    signOff,
    all,
    settleMs: config.queue.settleMs,
    async close() {
      await Promise.all([...all.values()].map((q) => q.close()));
    },
  };
}

/**
 * Asks for the lot to be evaluated once files stop arriving: requests for the same lot within `settleMs`
 * of each other collapse into one delayed job (BullMQ deduplication with `reschedule`: each request
 * moves it `settleMs` later).
 *
 * No request is ever folded into an evaluation that may already have read the lot: while the lot's job
 * is waiting it will read the store after this request's file was committed; while it is active,
 * `keepLastIfActive` queues one more job to run after it; once it has finished, the deduplication key is
 * gone and the request makes a new job. (A ttl-based key, as used before, could outlive its job when a
 * Redis stall delayed the add: the requests in that window were dropped and a complete lot stayed
 * undecided until the scheduled sign-off.)
 */
export async function requestEvaluation(
  queues: LotqaQueues,
  lot: string,
  trigger: string,
  settleMs: number = queues.settleMs,
): Promise<string | undefined> {
  const job = await queues.evaluate.add(
    'evaluate-lot',
    { kind: 'evaluate', lot, trigger },
    settleMs > 0 ? { delay: settleMs, deduplication: { id: evaluateDedupId(lot), reschedule: true, keepLastIfActive: true } } : {},
  );
  return job.id;
}

/** Asks for a decided revision's reports; one job per lot revision. */
export async function requestReports(queues: LotqaQueues, lot: string, revision: number): Promise<string | undefined> {
  const job = await queues.report.add('issue-reports', { kind: 'report', lot, revision }, { jobId: reportJobId(lot, revision) });
  return job.id;
}

/** Waiting / active / delayed / failed / completed counts per queue. */
export async function queueCounts(queues: LotqaQueues): Promise<Record<QueueName, Record<string, number>>> {
  const out = {} as Record<QueueName, Record<string, number>>;
  for (const [name, q] of queues.all) out[name] = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
  return out;
}
