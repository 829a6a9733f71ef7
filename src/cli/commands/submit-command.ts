/**
 * @module `lotqa submit` — hashes station files and puts one ingest job per file on the queue.
 */
import type { Command } from 'commander';
import { commandConfig, printJsonValue, printLine, withProducerQueues } from '../../queue/cli-support.js';
import { submitFiles } from '../../queue/submit-files.js';

export function registerSubmitCommand(program: Command): void {
  program
    .command('submit')
    .description('Queue station files for ingestion by the workers (the same content is processed once)')
    .argument('<paths...>', "station files or folders (a folder's manifest.json names the product and the lot quantity)")
    .option('--product <id|file>', 'product spec: catalog id, or a file in a catalog folder (default: from manifest.json)')
    .option('--profile <id|file>', 'station profile: catalog id, or a file in a catalog folder (default: detected per file)')
    .option('--json', 'print the submitted jobs as JSON')
    .addHelpText(
      'after',
      '\nWorkers find the product and profile by id in their catalogs (shipped + catalogDirs) and check they hold the same document (SHA-256).',
    )
    .action(async (paths: string[], opts: { product?: string; profile?: string; json?: boolean }, cmd: Command) => {
      const config = commandConfig(cmd);
      const { catalogOf } = await import('../../domain/catalog.js');
      const catalog = catalogOf(config);
      const submitted = await withProducerQueues(config, (queues) =>
        submitFiles(queues, paths, { product: opts.product, profile: opts.profile, catalog }),
      );
      if (opts.json) {
        printJsonValue(submitted);
        return;
      }
      for (const s of submitted) printLine(`${s.jobId}  ${s.path}`);
      const lots = [...new Set(submitted.map((s) => s.lot).filter((l): l is string => l !== null))];
      printLine(
        `${submitted.length} file(s) queued for ingestion${lots.length ? ` (lot ${lots.join(', ')})` : ''}; follow with: lotqa status`,
      );
    });
}
