/**
 * @module `lotqa ingest` and the shared ingest step of `lotqa run`.
 */
import type { Command } from 'commander';
import { ExitCode, LotqaError } from '../../errors/lotqa-error.js';
import type { IngestDocuments } from '../catalog-options.js';
import type { IngestSummary } from '../../pipeline/ingest-files.js';
import type { Store } from '../../store/store.js';
import { createProgress } from '../progress.js';
import { configOf, out, printJson, table, withStore } from '../cli-context.js';
import { counted } from '../../domain/counted.js';

export interface IngestFlags {
  readonly product?: string;
  readonly profile?: string;
  readonly json?: boolean;
}

/**
 * The station files under `paths`, found before the store is opened: a wrong path or an empty folder
 * stops the command before anything (an empty lotqa.sqlite) is created.
 */
export async function collectIngestFiles(paths: readonly string[]): Promise<string[]> {
  const { collectStationFiles } = await import('../../pipeline/collect-files.js');
  const files = await collectStationFiles(paths);
  if (files.length === 0)
    throw new LotqaError(`no station files (.csv, .txt, .tsv, .dat) found in ${paths.join(', ')}`, {
      hint: 'give the station files, or the folders that hold them',
    });
  return files;
}

/**
 * Ingests the files with documents resolved beforehand (resolveIngestDocuments), so a bad product,
 * profile or catalog stops the command before anything is stored.
 */
export async function runIngest(store: Store, files: readonly string[], docs: IngestDocuments, flags: IngestFlags): Promise<IngestSummary> {
  const { ingestFiles } = await import('../../pipeline/ingest-files.js');
  const progress = createProgress({ quiet: flags.json === true });
  progress.start('ingest', files.length);
  try {
    return await ingestFiles(store, files, { ...docs, onFile: (done) => progress.tick(done) });
  } finally {
    progress.stop();
  }
}

export function printIngestSummary(s: IngestSummary): void {
  out(`files        ${s.files} (${s.stored} stored, ${s.duplicates} already ingested, ${s.rejected} rejected)`);
  out(`lots         ${s.lots.join(', ') || '—'}`);
  out(`units        ${s.units}`);
  out(`attempts     ${s.runs}`);
  out(`measurements ${s.measurements}`);
  out(`quarantined  ${counted(s.quarantinedRows, 'row')}`);
  const reasons = Object.entries(s.quarantineByReason).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) out(table(reasons.map(([r, n]) => ['  ', r, String(n)])));
  const profiles = Object.entries(s.profilesUsed);
  if (profiles.length > 0) out(`profiles     ${profiles.map(([p, n]) => `${p} (${n})`).join(', ')}`);
  if (s.rejections.length > 0) {
    out(`rejected files:`);
    for (const r of s.rejections.slice(0, 50)) out(`  ${r.path}${r.line ? `:${r.line}` : ''}  ${r.reason}: ${r.message}`);
    if (s.rejections.length > 50) out(`  … and ${s.rejections.length - 50} more (lotqa quarantine --json lists them all)`);
  }
}

export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description('Ingest station CSV files (files or folders): store every measurement, quarantine every bad row, reject unreadable files')
    .argument('<paths...>', 'station files or folders (walked recursively)')
    .option('--product <id|file>', 'product spec: catalog id or JSON file (default: manifest.json beside the files)')
    .option('--profile <id|file>', 'station profile: catalog id or JSON file (default: detected from each header among the catalogs)')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nCatalogs: the shipped documents plus the folders in "catalogDirs" (LOTQA_CATALOG_DIRS).\nExit status is 1 when any file was rejected.\nExample: lotqa ingest ./drop/L2406 --product osfp-800g-dr8',
    )
    .action(async (paths: string[], flags: IngestFlags, cmd: Command) => {
      const config = configOf(cmd);
      // The files first: a wrong path is named as such, and stops the command before the store is created.
      const files = await collectIngestFiles(paths);
      const { catalogFor, resolveIngestDocuments } = await import('../catalog-options.js');
      const docs = resolveIngestDocuments(catalogFor(config), paths, flags);
      const summary = await withStore(config, (store) => runIngest(store, files, docs, flags), { create: true });
      if (flags.json) printJson(summary);
      else printIngestSummary(summary);
      if (summary.rejected > 0) process.exitCode = ExitCode.rejectedOrUsage;
    });
}
