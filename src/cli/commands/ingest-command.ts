/**
 * @module `lotqa ingest` and the shared ingest step of `lotqa run`.
 */
import { LotqaError } from '../../errors/lotqa-error.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import type { ProductSpec } from '../../domain/product-spec.js';
import type { IngestSummary } from '../../pipeline/ingest-files.js';
import type { Store } from '../../store/store.js';
import { createProgress } from '../progress.js';
import { configOf, out, printJson, table, withStore } from '../cli-context.js';

export interface IngestFlags {
  readonly product?: string;
  readonly profile?: string;
  readonly json?: boolean;
}

/** The product named on the command line, or the one in a lot manifest (manifest.json) beside the files. */
export async function resolveProduct(paths: readonly string[], named: string | undefined): Promise<ProductSpec> {
  const { findProduct, listShippedProducts } = await import('../../domain/catalog.js');
  if (named) return findProduct(named);
  for (const p of paths) {
    const dir = existsSync(p) && statSync(p).isDirectory() ? p : dirname(p);
    const manifest = join(dir, 'manifest.json');
    if (existsSync(manifest)) {
      const m = JSON.parse(readFileSync(manifest, 'utf8')) as { product?: string; productId?: string };
      const id = m.productId ?? m.product;
      if (id) return findProduct(id);
    }
  }
  throw new LotqaError('the product of these units is not known', {
    hint: `name it with --product ID (shipped products: ${listShippedProducts()
      .map((e) => e.id)
      .join(', ')}), or put a manifest.json with "productId" beside the files`,
  });
}

export async function runIngest(store: Store, paths: readonly string[], flags: IngestFlags): Promise<IngestSummary> {
  const { findProfile, listShippedProfiles } = await import('../../domain/catalog.js');
  const { collectStationFiles } = await import('../../pipeline/collect-files.js');
  const { ingestFiles } = await import('../../pipeline/ingest-files.js');
  const product = await resolveProduct(paths, flags.product);
  const profile = flags.profile ? findProfile(flags.profile) : undefined;
  const profiles = listShippedProfiles().map((e) => e.document);
  const files = await collectStationFiles(paths);
  if (files.length === 0)
    throw new LotqaError(`no station files (.csv, .txt, .tsv, .dat) found in ${paths.join(', ')}`, {
      hint: 'give the station files, or the folders that hold them',
    });
  const progress = createProgress({ quiet: flags.json === true });
  progress.start('ingest', files.length);
  try {
    return await ingestFiles(store, files, { product, profile, profiles, onFile: (done) => progress.tick(done) });
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
  out(`quarantined  ${s.quarantinedRows} row(s)`);
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
    .option('--product <id|file>', 'product spec id or JSON file (default: manifest.json beside the files)')
    .option('--profile <id|file>', 'station profile id or JSON file (default: detected from each header)')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', '\nExit status is 1 when any file was rejected.\nExample: lotqa ingest ./drop/L2406 --product osfp-800g-dr8')
    .action(async (paths: string[], flags: IngestFlags, cmd: Command) => {
      const summary = await withStore(configOf(cmd), (store) => runIngest(store, paths, flags));
      if (flags.json) printJson(summary);
      else printIngestSummary(summary);
      if (summary.rejected > 0) process.exitCode = 1;
    });
}
