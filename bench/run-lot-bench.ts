/**
 * Benchmark: `lotqa run` on one generated lot, embedded (SQLite), stage by stage.
 *
 *   npx tsx bench/run-lot-bench.ts [units=10000] [product=osfp-800g-dr8] [profile=wide-v2]
 *
 * Prints wall time per stage (generate is outside the budget), its share of the run, and peak RSS.
 * Machines here are shared and noisy: run it twice and compare medians, not single figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProduct, findProfile, listShippedProfiles } from '../src/domain/catalog.js';
import { findPolicy } from '../src/acceptance/policy-catalog.js';
import { generateHistory, writeLotFiles } from '../src/sim/index.js';
import { openStore } from '../src/store/index.js';
import { collectStationFiles } from '../src/pipeline/collect-files.js';
import { ingestFiles } from '../src/pipeline/ingest-files.js';
import { createBaseline, evaluateRevision, signOffByPolicy } from '../src/pipeline/lot-stages.js';
import { issueReports } from '../src/pipeline/report-stage.js';

const units = Number(process.argv[2] ?? 10000);
const spec = findProduct(process.argv[3] ?? 'osfp-800g-dr8');
const profile = findProfile(process.argv[4] ?? 'wide-v2');
const policy = findPolicy('default');
const dir = mkdtempSync(join(tmpdir(), 'lotqa-bench-'));
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
const t = () => performance.now();
const stages: [string, number][] = [];
async function stage<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const s = t();
  const r = await fn();
  stages.push([name, t() - s]);
  return r;
}

try {
  const [base, lot] = await stage('generate (not in budget)', () => {
    const h = generateHistory({
      product: spec,
      seed: 'bench',
      lots: [
        { lot: 'BASE', units: Math.min(units, 1000) },
        { lot: 'BENCH', units },
      ],
    });
    writeLotFiles(h[0]!, profile, join(dir, 'base'));
    writeLotFiles(h[1]!, profile, join(dir, 'lot'));
    return h;
  });
  void base;
  void lot;
  const store = openStore({ sqlitePath: join(dir, 'bench.sqlite') });
  await store.migrate();
  const profiles = listShippedProfiles().map((e) => e.document);
  await ingestFiles(store, await collectStationFiles([join(dir, 'base')]), { product: spec, profiles });
  await createBaseline(store, { productId: spec.productId, lots: ['BASE'], createdBy: 'bench', spec });
  const runStart = t();
  const files = await collectStationFiles([join(dir, 'lot')]);
  const summary = await stage('ingest (parse + store)', () => ingestFiles(store, files, { product: spec, profiles }));
  const evaluated = await stage('evaluate (load + SPC + decide + save)', () => evaluateRevision(store, 'BENCH', { policy }));
  await stage('sign-off record', () => signOffByPolicy(store, evaluated, { policy }));
  await stage('reports (JSON, CSV, PDFs)', () =>
    issueReports(store, 'BENCH', {
      outDir: join(dir, 'reports'),
      context: { company: { name: 'Bench', address: [] }, customer: null, purchaseOrder: null, showStations: false },
    }),
  );
  const total = t() - runStart;
  await store.close();
  clearInterval(sampler);
  console.log(
    `lotqa run, embedded: ${units} units, ${summary.files} files, ${summary.measurements} measurements, ${evaluated.result.cells.length} charts → ${evaluated.result.proposal.disposition}`,
  );
  for (const [name, ms] of stages)
    console.log(
      `  ${name.padEnd(40)} ${(ms / 1000).toFixed(2).padStart(7)} s${name.includes('not in budget') ? '' : `  ${((ms / total) * 100).toFixed(0).padStart(3)} %`}`,
    );
  console.log(`  ${'total run (ingest → reports)'.padEnd(40)} ${(total / 1000).toFixed(2).padStart(7)} s`);
  console.log(
    `  files/s ${(summary.files / (stages[1]![1] / 1000)).toFixed(0)}, measurements/s ${(summary.measurements / (stages[1]![1] / 1000)).toFixed(0)}, peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`,
  );
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}
