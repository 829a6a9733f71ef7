/**
 * @module BullMQ sandboxed processor for the CPU-heavy queues (evaluate, report, sign-off). BullMQ runs
 * this file in a child process; the parent's event loop stays free to renew job locks however long an
 * evaluation or a PDF takes. The child opens its own runtime from the same configuration (environment
 * and LOTQA_CONFIG, inherited from the worker process) and keeps it for the jobs that follow.
 */
import type { SandboxedJob } from 'bullmq';
import { loadConfig } from '../../config.js';
import type { LotqaJobData } from '../job-ids.js';
import { processLotqaJob } from '../lot-processors.js';
import { openRuntime, type LotqaRuntime } from '../lotqa-runtime.js';
import { exitWhenParentDies } from './parent-watchdog.js';

let runtime: Promise<LotqaRuntime> | null = null;

function shared(): Promise<LotqaRuntime> {
  runtime ??= openRuntime(loadConfig(), { component: 'sandbox' }).catch((err: unknown) => {
    runtime = null;
    throw err;
  });
  return runtime;
}

const exit = (): void => {
  setTimeout(() => process.exit(0), 3000).unref(); // never hang on a connection that will not close
  void (runtime ?? Promise.resolve(null))
    .then((rt) => rt?.close())
    .catch(() => undefined)
    .finally(() => process.exit(0));
};
// BullMQ ends children with SIGTERM when it closes; release the store's connections first.
process.once('SIGTERM', exit);
// The worker process died (kill -9, crash): the IPC channel closes. Do not linger as an orphan.
process.once('disconnect', exit);
// …and when a long evaluation keeps this event loop too busy to hear that, a thread of its own notices.
exitWhenParentDies();

export default async function lotJobsSandbox(job: SandboxedJob<LotqaJobData>): Promise<unknown> {
  return processLotqaJob(await shared(), job);
}
