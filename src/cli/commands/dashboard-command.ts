/**
 * @module `lotqa dashboard` — bull-board for the queues, on 127.0.0.1.
 */
import type { Command } from 'commander';
import { commandConfig, printLine, wholeNumber } from '../../queue/cli-support.js';
import { openQueues } from '../../queue/lotqa-queues.js';
import { startDashboard } from '../../queue/queue-dashboard.js';
import { bullConnection, createWorkerConnection } from '../../queue/redis-connection.js';

export function registerDashboardCommand(program: Command): void {
  program
    .command('dashboard')
    .description('Serve the queue dashboard (bull-board): jobs, failures with reasons, retries')
    .option('--port <n>', 'port', wholeNumber('--port', 1), 3300)
    .option(
      '--host <addr>',
      'address to listen on (the dashboard can retry and delete jobs: keep it on loopback or behind authentication)',
      '127.0.0.1',
    )
    .option('--read-only', 'no retry/delete/clean buttons')
    .action(async (opts: { port: number; host: string; readOnly?: boolean }, cmd: Command) => {
      const config = commandConfig(cmd);
      const conn = createWorkerConnection(config.redisUrl);
      conn.on('error', () => undefined);
      const queues = openQueues(config, bullConnection(conn));
      const { app, url } = await startDashboard(queues, { port: opts.port, host: opts.host, readOnly: opts.readOnly ?? false });
      printLine(`queue dashboard on ${url} (Ctrl-C to stop)`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          void app.close().then(async () => {
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
