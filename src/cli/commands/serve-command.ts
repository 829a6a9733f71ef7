/**
 * @module `lotqa serve` — the web console on the configured store.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { certificateContext, configOf, out } from '../cli-context.js';
import { LotqaError } from '../../errors/lotqa-error.js';
import { laneNamingOf } from '../../domain/lanes.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve the web console: lots, charts, units, held-lot review with electronic signatures, REST API (/api/docs)')
    .option('--port <n>', 'port', (v) => Number(v), 3300)
    .option('--host <addr>', 'address to listen on (anything but loopback should be served over TLS)', '127.0.0.1')
    .option('--public-host <host[:port]...>', 'other host names the console is reached under (Host header check)')
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option('--tls-cert <file>', 'TLS certificate (PEM)')
    .option('--out <dir>', 'report folder for certificates issued after a signed decision')
    .option('--no-reports', 'record signed decisions without issuing reports')
    .option('--queues', 'show the queue dashboard (read-only, admins only) at /queues (needs Redis: REDIS_URL)')
    .option('--webhooks', 'deliver webhooks (POST /api/webhooks), retried through a BullMQ queue (needs Redis: REDIS_URL)')
    .action(
      async (
        flags: {
          port: number;
          host: string;
          publicHost?: string[];
          tlsKey?: string;
          tlsCert?: string;
          out?: string;
          reports: boolean;
          queues?: boolean;
          webhooks?: boolean;
        },
        cmd: Command,
      ) => {
        if (!Number.isInteger(flags.port) || flags.port < 0 || flags.port > 65535)
          throw new LotqaError(`--port must be a port number, got ${flags.port}`);
        if (Boolean(flags.tlsKey) !== Boolean(flags.tlsCert)) throw new LotqaError('TLS needs both --tls-key and --tls-cert');
        const config = configOf(cmd);
        const { openStore } = await import('../../store/index.js');
        const { ensureFirstAdmin } = await import('../../pipeline/accounts.js');
        const { startConsole } = await import('../../web/console-app.js');
        const { isLoopback } = await import('../../web/web-security.js');
        const { catalogFor, resolvePolicy, specFinder } = await import('../catalog-options.js');
        const store = openStore(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { sqlitePath: config.sqlitePath });
        await store.migrate();
        const admin = await ensureFirstAdmin(store);
        if (admin?.password) {
          out(`first start: created account "${admin.username}" with the one-time password  ${admin.password}`);
          out('  log in and create named accounts for your engineers; this password is not shown again');
        } else if (admin) out(`first start: created account "${admin.username}" with the password from LOTQA_ADMIN_PASSWORD`);
        const https = flags.tlsKey && flags.tlsCert ? { key: readFileSync(flags.tlsKey), cert: readFileSync(flags.tlsCert) } : null;
        if (!https && !isLoopback(flags.host))
          process.stderr.write(
            `warning: serving on ${flags.host} without TLS: passwords and session cookies cross the network in clear text; use --tls-key/--tls-cert or a TLS proxy\n`,
          );
        const catalog = catalogFor(config);
        let queues: import('../../queue/lotqa-queues.js').LotqaQueues | null = null;
        let redis: { disconnect(): void } | null = null;
        let dispatcher: import('../../web/webhook-dispatcher.js').WebhookDispatcher | null = null;
        if (flags.queues || flags.webhooks) {
          const { openQueues } = await import('../../queue/lotqa-queues.js');
          const { bullConnection, createWorkerConnection } = await import('../../queue/redis-connection.js');
          const conn = createWorkerConnection(config.redisUrl);
          conn.on('error', () => undefined);
          redis = conn;
          if (flags.queues) queues = openQueues(config, bullConnection(conn));
          if (flags.webhooks) {
            const { WebhookDispatcher } = await import('../../web/webhook-dispatcher.js');
            dispatcher = new WebhookDispatcher(store, { connection: bullConnection(conn), prefix: config.queuePrefix });
          }
        }
        const find = specFinder(catalog);
        const { app, url } = await startConsole(
          store,
          { host: flags.host, port: flags.port, https },
          {
            publicHosts: flags.publicHost ?? [],
            queues,
            laneNaming: (productId) => {
              try {
                return laneNamingOf(find(productId));
              } catch {
                return {};
              }
            },
            policyFor: (id) => catalog.policy(id).document,
            baselinePolicy: resolvePolicy(catalog, config, undefined),
            profileFor: (id) => catalog.profile(id).document,
            reports: flags.reports
              ? { outDir: flags.out ?? config.reportsDir, context: certificateContext(config, {}), findSpec: find }
              : null,
          },
        );
        out(`lotqa console on ${url} (${store.location}; Ctrl-C to stop)`);
        await new Promise<void>((done) => {
          const stop = (): void =>
            void app
              .close()
              .then(async () => {
                await dispatcher?.close();
                await queues?.close();
                redis?.disconnect();
                await store.close();
              })
              .then(done);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      },
    );
}
