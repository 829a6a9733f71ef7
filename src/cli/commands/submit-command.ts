/**
 * @module `lotqa submit` — hashes station files and puts them on the ingest queue, 16 files per job by default
 * (the queue's per-job cost paid once for all of them), or one job per file with --files-per-job 1.
 */
import type { Command } from 'commander';
import { commandConfig, printJsonValue, printLine, wholeNumber, withProducerQueues } from '../../queue/cli-support.js';
import { SUBMIT_FILES_PER_JOB, submitFiles } from '../../queue/submit-files.js';
import { LotqaError } from '../../errors/lotqa-error.js';
import { shipmentFlags, whoRuns, withStore } from '../cli-context.js';
import { counted } from '../../domain/counted.js';

export function registerSubmitCommand(program: Command): void {
  program
    .command('submit')
    .description('Queue station files for ingestion by the workers (the same content is processed once)')
    .argument('<paths...>', "station files or folders (a folder's manifest.json names the product and the lot quantity)")
    .option('--product <id|file>', 'product spec: catalog id, or a file in a catalog folder (default: from manifest.json)')
    .option('--profile <id|file>', 'station profile: catalog id, or a file in a catalog folder (default: detected per file)')
    .option('--customer <name>', "customer printed on the lot's certificate (stored with each lot named by a manifest)")
    .option('--po <number>', "purchase order printed on the lot's certificate (stored with the lot)")
    .option('--ship-to <address>', "ship-to address printed on the lot's certificate (stored with the lot)")
    .option(
      '--files-per-job <n>',
      `files in one ingest job: a large lot queues faster and the workers spend less per file; a file refused for what it says still fails as its own job; 1 = one job per file, id = its SHA-256 (default ${SUBMIT_FILES_PER_JOB})`,
      (text: string) => wholeNumber('--files-per-job', 1)(text),
    )
    .option('--json', 'print the submitted jobs as JSON')
    .addHelpText(
      'after',
      '\nWorkers find the product and profile by id in their catalogs (shipped + catalogDirs) and check they hold the same document (SHA-256).',
    )
    .action(
      async (
        paths: string[],
        opts: {
          product?: string;
          profile?: string;
          customer?: string;
          po?: string;
          shipTo?: string;
          filesPerJob?: number;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const config = commandConfig(cmd);
        const { catalogOf } = await import('../../domain/catalog.js');
        const catalog = catalogOf(config);
        const submitted = await withProducerQueues(config, (queues) =>
          submitFiles(queues, paths, {
            product: opts.product,
            profile: opts.profile,
            catalog,
            filesPerJob: opts.filesPerJob ?? SUBMIT_FILES_PER_JOB,
          }),
        );
        const lots = [...new Set(submitted.map((s) => s.lot).filter((l): l is string => l !== null))];
        const change = shipmentFlags(opts);
        if (Object.keys(change).length > 0) {
          if (lots.length === 0)
            throw new LotqaError('--customer, --po and --ship-to need to know the lot: put a manifest.json with "lot" beside the files', {
              hint: 'or set them once the lot is stored: lotqa lot set <lot> --customer … --po …',
            });
          const { setLotShipment } = await import('../../pipeline/lot-shipment.js');
          await withStore(config, async (store) => {
            for (const lot of lots) await setLotShipment(store, lot, change, { by: whoRuns(), reason: 'given with lotqa submit' });
          });
        }
        if (opts.json) {
          printJsonValue(submitted);
          return;
        }
        for (const s of submitted) printLine(`${s.jobId}  ${s.path}`);
        printLine(
          `${counted(submitted.length, 'file')} queued for ingestion${lots.length ? ` (lot ${lots.join(', ')})` : ''}; follow with: lotqa status`,
        );
      },
    );
}
