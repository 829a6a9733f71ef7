/**
 * Benchmark: the evaluate stage of `lotqa run` on a 10,000-unit lot, embedded (SQLite) — everything from
 * `store.loadLot` to the evaluation being saved and read back (issue 4: whole run < 5 s, < 1 GB).
 *
 *   npx tsx bench/evaluate-bench.ts [--runs 3] [--db bench/out/evaluate-10k.sqlite] [--lot BIG] [--units 10000]
 *
 * The first call generates and ingests the lots into `--db` (1,000 baseline units in lots BASE, BASE2, BASE3 and the lot to
 * evaluate, ~40 s, outside the measurement). Each run is a fresh child process on a private copy of the
 * database (so the save is a real first insert and peak RSS is that of one evaluation); the parent prints the
 * median of every stage over the runs. Machines here are shared and noisy: compare medians, not single runs.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { findPolicy } from '../src/acceptance/policy-catalog.js';
import { findProduct, findProfile, listShippedProfiles } from '../src/domain/catalog.js';
import { evaluateLot } from '../src/evaluate/evaluate-lot.js';
import { lotContentHash } from '../src/domain/lot-content.js';
import { collectStationFiles } from '../src/pipeline/collect-files.js';
import { ingestFiles } from '../src/pipeline/ingest-files.js';
import { createBaseline } from '../src/pipeline/lot-stages.js';
import { resultSha256 } from '../src/report/result-hash.js';
import { generateHistory, writeLotFiles } from '../src/sim/index.js';
import { openStore } from '../src/store/index.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    db: { type: 'string', default: 'bench/out/evaluate-10k.sqlite' },
    lot: { type: 'string', default: 'BIG' },
    units: { type: 'string', default: '10000' },
    product: { type: 'string', default: 'osfp-800g-dr8' },
    child: { type: 'string' },
  },
});
const spec = findProduct(args.product);
const policy = findPolicy('default');
const STAGES = ['load', 'evaluate', 'hash', 'save', 'read back', 'total'] as const;
type Timings = Record<(typeof STAGES)[number], number> & { jsonBytes: number; peakRssMb: number; disposition: string };

/** One measured evaluation on the database copy `db` (runs in a child process). */
async function measure(db: string): Promise<Timings> {
  const store = openStore({ sqlitePath: db });
  const t = () => performance.now();
  const times: Partial<Timings> = {};
  const start = t();
  let s = start;
  const lap = (name: (typeof STAGES)[number]) => {
    const now = t();
    times[name] = now - s;
    s = now;
  };
  const lot = await store.loadLot(args.lot);
  const b = await store.activeBaseline(spec.productId);
  lap('load');
  const result = evaluateLot({
    lot,
    spec,
    policy,
    baseline: b ? { version: b.version, createdAt: b.createdAt, payload: b.payload } : null,
    revision: 1,
  });
  lap('evaluate');
  const hash = resultSha256(result);
  lap('hash');
  await store.saveEvaluation({ lot: args.lot, contentHash: lotContentHash(lot.fileHashes), resultSha256: hash, result, revision: 1 });
  lap('save');
  const back = await store.latestEvaluation(args.lot);
  lap('read back');
  times.total = t() - start;
  await store.close();
  return {
    ...(times as Record<(typeof STAGES)[number], number>),
    jsonBytes: JSON.stringify(back?.result ?? null).length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    disposition: result.proposal.disposition,
  };
}

async function prepare(db: string): Promise<void> {
  console.log(`preparing ${db} (generate + ingest ${args.units} units, not measured)…`);
  const work = mkdtempSync(join(tmpdir(), 'lotqa-evalbench-'));
  try {
    const profile = findProfile('wide-v2');
    const h = generateHistory({
      product: spec,
      seed: 'prof',
      // A baseline needs ≥ 3 lots (lot-to-lot variation): three of ~334 units, as many units as one BASE of 1,000.
      lots: [
        { lot: 'BASE', units: 334 },
        { lot: 'BASE2', units: 333 },
        { lot: 'BASE3', units: 333 },
        { lot: args.lot, units: Number(args.units) },
      ],
    });
    h.slice(0, 3).forEach((l, i) => writeLotFiles(l, profile, join(work, `base${i}`)));
    writeLotFiles(h[3]!, profile, join(work, 'lot'));
    mkdirSync(dirname(db), { recursive: true });
    const store = openStore({ sqlitePath: db });
    await store.migrate();
    const profiles = listShippedProfiles().map((e) => e.document);
    await ingestFiles(store, await collectStationFiles([work]), { product: spec, profiles });
    await createBaseline(store, { productId: spec.productId, lots: ['BASE', 'BASE2', 'BASE3'], createdBy: 'bench', spec });
    await store.close();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

if (args.child !== undefined) {
  console.log(JSON.stringify(await measure(args.child)));
} else {
  if (!existsSync(args.db)) await prepare(args.db);
  const runs: Timings[] = [];
  for (let i = 0; i < Number(args.runs); i++) {
    const dir = mkdtempSync(join(tmpdir(), 'lotqa-evalbench-'));
    const copy = join(dir, 'db.sqlite');
    copyFileSync(args.db, copy);
    try {
      const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, ...process.argv.slice(2), '--child', copy], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (child.status !== 0) throw new Error(`run ${i + 1} failed:\n${child.stderr}`);
      const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as Timings;
      runs.push(r);
      console.log(
        `run ${i + 1}: ${STAGES.map((k) => `${k} ${r[k].toFixed(0)} ms`).join(', ')}; JSON ${(r.jsonBytes / 1e6).toFixed(1)} MB; peak RSS ${r.peakRssMb.toFixed(0)} MB; ${r.disposition}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`\nmedian of ${runs.length} runs (lot ${args.lot}):`);
  for (const k of STAGES)
    console.log(
      `  ${k.padEnd(10)} ${median(runs.map((r) => r[k]))
        .toFixed(0)
        .padStart(7)} ms`,
    );
  console.log(`  JSON       ${(median(runs.map((r) => r.jsonBytes)) / 1e6).toFixed(1).padStart(7)} MB`);
  console.log(
    `  peak RSS   ${median(runs.map((r) => r.peakRssMb))
      .toFixed(0)
      .padStart(7)} MB`,
  );
}
