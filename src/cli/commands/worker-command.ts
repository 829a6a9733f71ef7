/**
 * @module `lotqa worker` — runs queue workers in this process until SIGTERM/SIGINT.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { resolve } from 'node:path';
import { commandConfig, wholeNumber } from '../../queue/cli-support.js';
import { QUEUE_NAMES } from '../../queue/job-ids.js';
import { parseQueueList } from '../../queue/lotqa-workers.js';
import { runWorkerProcess } from '../../queue/worker-process.js';

function argument<T>(parse: (s: string) => T) {
  return (text: string): T => {
    try {
      return parse(text);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'Process queued jobs (ingest, evaluate, report, sign-off) until stopped; run more of these, on more machines, to scale out',
    )
    .option('--queues <list>', `comma-separated queues to serve (${QUEUE_NAMES.join(',')})`, argument(parseQueueList))
    .option(
      '--concurrency <n>',
      'evaluate and report jobs at once (default: config concurrency, 2)',
      argument(wholeNumber('--concurrency', 1)),
    )
    .option('--policy <id|file>', 'acceptance policy: catalog id or JSON file (default: config policy)')
    .option(
      '--ingest-concurrency <n>',
      'file jobs at once; files parsed meanwhile are written together (default: config ingestConcurrency, 32)',
      argument(wholeNumber('--ingest-concurrency', 1)),
    )
    .action(
      async (
        opts: { queues?: ReturnType<typeof parseQueueList>; concurrency?: number; ingestConcurrency?: number; policy?: string },
        cmd: Command,
      ) => {
        const root = cmd.optsWithGlobals<{ config?: string }>();
        // Sandboxed processors run in child processes that read the configuration themselves.
        if (root.config) process.env.LOTQA_CONFIG = resolve(root.config);
        if (opts.policy) process.env.LOTQA_POLICY = /[\\/]|\.json$/i.test(opts.policy) ? resolve(opts.policy) : opts.policy;
        const config = commandConfig(cmd, {
          ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
          ...(opts.ingestConcurrency ? { ingestConcurrency: opts.ingestConcurrency } : {}),
        });
        await runWorkerProcess({
          component: 'worker',
          config,
          ...(opts.queues ? { queues: opts.queues } : {}),
          ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
        });
      },
    );
}
