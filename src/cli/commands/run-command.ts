/**
 * @module `lotqa run` — the main job, embedded: ingest, evaluate, decide and report in one process.
 */
import type { Command } from 'commander';
import type { LotSignOff } from '../../pipeline/sign-off-lot.js';
import {
  certificateContext,
  configOf,
  printJson,
  shipmentFlags,
  signOffOptions,
  whoRuns,
  withStore,
  type SignOffFlags,
} from '../cli-context.js';
import { collectIngestFiles, printIngestSummary, runIngest } from './ingest-command.js';
import { ExitCode } from '../../errors/lotqa-error.js';
import { printSignOff } from './lot-output.js';
import { sinceProcessStart, timedPhase } from '../../pipeline/phase-timings.js';

interface RunFlags extends SignOffFlags {
  profile?: string;
}

export function registerRunCommand(program: Command): void {
  signOffOptions(
    program
      .command('run')
      .description(
        'Ingest station files, evaluate each lot they hold, decide it by policy and write its reports (embedded: SQLite, no servers)',
      )
      .argument('<paths...>', 'station files or folders')
      .option('--product <id|file>', 'product spec: catalog id or JSON file (default: manifest.json beside the files)')
      .option('--profile <id|file>', 'station profile: catalog id or JSON file (default: detected from each header)'),
    {
      reports: 'decide only, write no PDFs',
      customer: 'customer printed on the certificate',
      json: 'print the LotResult of each lot as JSON',
    },
  )
    .addHelpText(
      'after',
      '\nExit status: 0 all lots accepted, 1 a file was rejected, 3 a lot is on HOLD or REJECTED.\nExample: lotqa run ./drop/L2406 --product osfp-800g-dr8 --customer "Hyperscaler A" --po 4500123',
    )
    .action(async (paths: string[], flags: RunFlags, cmd: Command) => {
      sinceProcessStart('start-up');
      const config = configOf(cmd);
      // The files first: a wrong path is named as such, and stops the command before the store is created.
      const files = await timedPhase('collect files', () => collectIngestFiles(paths));
      // Every document is resolved and checked before the first file is stored.
      const { catalog, docs, policy, specFinder, signOffLot } = await timedPhase('documents', async () => {
        const { catalogFor, resolveIngestDocuments, resolvePolicy, specFinder } = await import('../catalog-options.js');
        const { signOffLot } = await import('../../pipeline/sign-off-lot.js');
        const catalog = catalogFor(config);
        const docs = resolveIngestDocuments(catalog, paths, flags);
        return { catalog, docs, policy: resolvePolicy(catalog, config, flags.policy), specFinder, signOffLot };
      });
      const results: LotSignOff[] = [];
      const summary = await withStore(
        config,
        async (store) => {
          const s = await runIngest(store, files, docs, flags);
          if (!flags.json) printIngestSummary(s);
          for (const lot of s.lots) {
            results.push(
              await signOffLot(store, lot, {
                policy,
                findSpec: specFinder(catalog, docs.product),
                shipment: { change: shipmentFlags(flags), by: whoRuns() },
                reports: flags.reports
                  ? { outDir: flags.out ?? config.reportsDir, context: certificateContext(config, flags), draft: flags.draft === true }
                  : null,
              }),
            );
          }
          return s;
        },
        { create: true },
      );
      if (flags.json) printJson(results.length === 1 ? results[0]!.evaluated.result : results.map((r) => r.evaluated.result));
      else for (const r of results) printSignOff(r);
      sinceProcessStart('run done');
      if (summary.rejected > 0) process.exitCode = ExitCode.rejectedOrUsage;
      else if (results.some((r) => r.signOff.decision.disposition !== 'ACCEPT')) process.exitCode = ExitCode.lotNotAccepted;
    });
}
