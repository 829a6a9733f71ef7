/**
 * @module `lotqa watch` — an ATE drop folder: complete files are submitted, then archived or quarantined.
 */
import type { Command } from 'commander';
import { commandConfig, printLine, wholeNumber } from '../../queue/cli-support.js';
import { watchDropFolder } from '../../queue/drop-folder-watcher.js';
import { createLogger } from '../../queue/logger.js';
import { openQueues } from '../../queue/lotqa-queues.js';
import { bullConnection, createWorkerConnection } from '../../queue/redis-connection.js';

export function registerWatchCommand(program: Command): void {
  program
    .command('watch')
    .description(
      'Watch an ATE drop folder: submit each file once complete, move it to archive/ or quarantine/ (with a .reason.txt) when done',
    )
    .argument('<dir>', 'drop folder')
    .option('--product <id|file>', 'product spec: catalog id, or a file in a catalog folder (default: from manifest.json)')
    .option('--profile <id|file>', 'station profile: catalog id, or a file in a catalog folder (default: detected per file)')
    .option('--poll <ms>', 'poll interval; a file is complete when unchanged across two polls', wholeNumber('--poll', 50), 2000)
    .action(async (dir: string, opts: { product?: string; profile?: string; poll: number }, cmd: Command) => {
      const config = commandConfig(cmd);
      const log = createLogger('watch');
      // A long-running producer: reconnect after Redis restarts (a failed poll is retried on the next one).
      const conn = createWorkerConnection(config.redisUrl);
      conn.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error (retrying)'));
      const queues = openQueues(config, bullConnection(conn));
      const { catalogOf } = await import('../../domain/catalog.js');
      const catalog = catalogOf(config);
      // A product or profile the workers could not find stops the watcher now, not at the first file.
      if (opts.product !== undefined) catalog.product(opts.product);
      if (opts.profile !== undefined) catalog.profile(opts.profile);
      const watch = watchDropFolder(dir, queues, {
        product: opts.product,
        profile: opts.profile,
        catalog,
        pollMs: opts.poll,
        onEvent: (e) =>
          printLine(
            e.kind === 'quarantined'
              ? `quarantined ${e.path}: ${e.reason}`
              : e.kind === 'error'
                ? `error ${e.path}: ${e.message}`
                : `${e.kind} ${e.path}`,
          ),
      });
      printLine(`watching ${dir} (every ${opts.poll} ms); Ctrl-C to stop`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          void watch.stop().then(async () => {
            await queues.close();
            conn.disconnect();
            resolve();
          });
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
