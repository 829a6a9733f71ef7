/**
 * @module `lotqa demo` — the README's first command: a realistic product history through the whole pipeline.
 */
import { LotqaError } from '../../errors/lotqa-error.js';
import type { Command } from 'commander';
import { createProgress } from '../progress.js';
import { certificateContext, configOf, out, printJson, table } from '../cli-context.js';
import type { CertificateContext } from '../../domain/decision.js';
import { printSignOff } from './lot-output.js';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Generate a product history (5 baseline lots + 3 new lots), build the baseline, run the new lots end to end and write their reports',
    )
    .option('--out <dir>', 'demo folder: data, database and reports (replaced on every run)', 'reports/demo')
    .option('--product <id>', 'product', 'osfp-800g-dr8')
    .option('--units <n>', 'units per lot', (v) => Number(v), 200)
    .option('--seed <seed>', 'seed of the synthetic factory', 'lotqa-demo')
    .option('--no-reports', 'skip the PDFs')
    .option('--json', 'print the decisions as JSON')
    .action(
      async (flags: { out: string; product: string; units: number; seed: string; reports: boolean; json?: boolean }, cmd: Command) => {
        const config = configOf(cmd);
        const { findPolicy } = await import('../../acceptance/policy-catalog.js');
        const { findProduct, listShippedProfiles } = await import('../../domain/catalog.js');
        const { runDemo } = await import('../../pipeline/demo.js');
        if (!Number.isInteger(flags.units) || flags.units < 30)
          throw new LotqaError(`--units must be a whole number ≥ 30, got ${flags.units}`, {
            hint: 'capability and the baseline need at least 30 units per lot',
          });
        const progress = createProgress({ quiet: flags.json === true });
        let started = false;
        const r = await runDemo({
          outDir: flags.out,
          spec: findProduct(flags.product),
          // The synthetic factory writes plain station tables; the shipped whole-file layouts (INI sections, a
          // fixed header block, commented footers) are read, not written, so the demo's lots use the others.
          profiles: listShippedProfiles()
            .map((e) => e.document)
            .filter((p) => p.layout === undefined),
          policy: findPolicy(config.policy),
          context: demoContext(
            certificateContext(config, {
              customer: 'Demo Hyperscaler Inc.',
              po: 'PO-DEMO-0001',
              shipTo: 'Receiving dock 3, 1 Datacenter Way, Reno NV',
            }),
          ),
          units: flags.units,
          seed: flags.seed,
          reports: flags.reports,
          onStep: (m) => {
            if (started) progress.stop();
            started = false;
            if (!flags.json) process.stderr.write(`• ${m}\n`);
          },
          onIngestProgress: (done, total) => {
            if (!started) progress.start('ingest', total);
            started = true;
            progress.tick(done);
          },
        });
        if (flags.json) {
          return printJson(
            r.lots.map((l) => ({
              lot: l.lot,
              story: l.story,
              expected: l.expected,
              disposition: l.signOff.signOff.decision.disposition,
              reasons: l.signOff.evaluated.result.proposal.reasons,
            })),
          );
        }
        out(
          `\ningested ${r.ingest.files} files: ${r.ingest.units} units, ${r.ingest.measurements} measurements, ${r.ingest.quarantinedRows} rows quarantined, ${r.ingest.rejected} files rejected; baseline v${r.baselineVersion}\n`,
        );
        for (const l of r.lots) {
          printSignOff(l.signOff, 4);
          out('');
        }
        out(
          table([
            ['lot', 'story', 'expected', 'decision', ''],
            ...r.lots.map((l) => [
              l.lot,
              l.story,
              l.expected,
              l.signOff.signOff.decision.disposition,
              l.signOff.signOff.decision.disposition === l.expected ? 'ok' : 'UNEXPECTED',
            ]),
          ]),
        );
        out(`\ndatabase: ${r.database}  (try: LOTQA_SQLITE_PATH=${r.database} npx lotqa lots)`);
        out(`open the web console: LOTQA_SQLITE_PATH=${r.database} npx lotqa serve   → http://127.0.0.1:3300/`);
        if (r.lots.some((l) => l.signOff.signOff.decision.disposition !== l.expected)) process.exitCode = 1;
      },
    );
}

/**
 * The demo certifies synthetic lots: while the configured company is lotqa's placeholder, the certificate
 * names the demo itself rather than a company (a real certificate with the placeholder is refused).
 */
function demoContext(context: CertificateContext): CertificateContext {
  const name = context.company.name.trim();
  if (name !== '' && name !== 'Example Photonics Ltd.') return context;
  return { ...context, company: { name: 'lotqa demo factory (synthetic data)', address: ['generated by lotqa demo'], logoPath: null } };
}
