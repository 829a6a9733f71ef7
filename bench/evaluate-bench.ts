/**
 * Benchmark: the evaluate stage of `lotqa run` on a 10,000-unit lot, embedded (SQLite) — everything from
 * `store.loadLot` to the evaluation being saved and read back (issue 4: whole run < 5 s, < 1 GB), the way
 * `lotqa run` does it (readings released once in the cube, the canonical JSON hashed while written and
 * stored as those bytes).
 *
 *   npx tsx bench/evaluate-bench.ts [--runs 3] [--db bench/out/evaluate-10k.sqlite] [--lot BIG] [--units 10000]
 *                                   [--against <lotqa checkout with dist/>]
 *
 * The first call generates and ingests the lots into `--db` (1,000 baseline units in lots BASE, BASE2, BASE3 and the lot to
 * evaluate, ~40 s, outside the measurement); `--db` may also be any store holding `--lot` (e.g. one a
 * `lotqa run` of a lot folder filled). Each run is a fresh child process on a private copy of the
 * database (so the save is a real first insert and peak RSS is that of one evaluation); the parent prints the
 * median wall and CPU time of every stage over the runs, and /proc/loadavg at the start of each run.
 * With `--against DIR`, every run also evaluates and hashes with the build in DIR/dist (say a checkout of
 * the previous commit, built): the two alternate run by run (A B B A …) on the same machine load, and the
 * result hashes must agree. Machines here are shared and noisy: compare medians, not single runs.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { findPolicy } from '../src/acceptance/policy-catalog.js';
import { findProduct, findProfile, listShippedProfiles } from '../src/domain/catalog.js';
import { evaluateLot } from '../src/evaluate/evaluate-lot.js';
import { lotContentHash } from '../src/domain/lot-content.js';
import { collectStationFiles } from '../src/pipeline/collect-files.js';
import { ingestFiles } from '../src/pipeline/ingest-files.js';
import { createBaseline } from '../src/pipeline/lot-stages.js';
import { canonicalJsonDigest } from '../src/report/result-hash.js';
import { generateHistory, writeLotFiles } from '../src/sim/index.js';
import { openStore } from '../src/store/index.js';
import { productTrendHistory } from '../src/queries/product-trend.js';
import { serialsInOtherLots } from '../src/queries/serials-elsewhere.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    db: { type: 'string', default: 'bench/out/evaluate-10k.sqlite' },
    lot: { type: 'string', default: 'BIG' },
    units: { type: 'string', default: '10000' },
    product: { type: 'string', default: 'osfp-800g-dr8' },
    against: { type: 'string' },
    impl: { type: 'string' },
    child: { type: 'string' },
  },
});
const spec = findProduct(args.product);
const policy = findPolicy('default');
const STAGES = ['load', 'evaluate', 'hash', 'save', 'read back', 'total'] as const;
type Stage = (typeof STAGES)[number];
interface Timings {
  readonly wall: Record<Stage, number>;
  readonly cpu: Record<Stage, number>;
  readonly jsonBytes: number;
  readonly peakRssMb: number;
  readonly disposition: string;
  readonly sha256: string;
}

/** evaluateLot and canonicalJsonDigest from this checkout, or from the build in `--impl` (a lotqa checkout's dist/). */
async function implementation(): Promise<{ evaluate: typeof evaluateLot; digest: typeof canonicalJsonDigest }> {
  if (args.impl === undefined) return { evaluate: evaluateLot, digest: canonicalJsonDigest };
  const at = (path: string) => pathToFileURL(join(resolve(args.impl!), 'dist', 'src', path)).href;
  const e = (await import(at('evaluate/evaluate-lot.js'))) as { evaluateLot: typeof evaluateLot };
  const h = (await import(at('report/result-hash.js'))) as { canonicalJsonDigest: typeof canonicalJsonDigest };
  return { evaluate: e.evaluateLot, digest: h.canonicalJsonDigest };
}

/** One measured evaluation on the database copy `db` (runs in a child process). */
async function measure(db: string): Promise<Timings> {
  const { evaluate, digest } = await implementation();
  const store = openStore({ sqlitePath: db });
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const wall: Partial<Record<Stage, number>> = {};
  const cpu: Partial<Record<Stage, number>> = {};
  const start = performance.now();
  const startCpu = cpuMs();
  let s = start;
  let c = startCpu;
  const lap = (name: Stage) => {
    const now = performance.now();
    const nowCpu = cpuMs();
    wall[name] = now - s;
    cpu[name] = nowCpu - c;
    s = now;
    c = nowCpu;
  };
  // What `lotqa run` loads (src/pipeline/lot-stages.ts), so a lot ingested but not yet evaluated gets
  // the result (and hash) `lotqa run` printed for it.
  const b = await store.activeBaseline(spec.productId);
  const history = await productTrendHistory(store, spec.productId, args.lot);
  const revision = ((await store.latestEvaluationHead(args.lot))?.revision ?? 0) + 1;
  const sampling = (await store.samplingState(spec.productId))?.payload ?? null;
  const lot = { ...(await store.loadLot(args.lot)), serialsElsewhere: await serialsInOtherLots(store, args.lot) };
  const contentHash = lotContentHash(lot.fileHashes, lot.contentMarks);
  lap('load');
  const result = evaluate({
    lot,
    spec,
    policy,
    baseline: b ? { version: b.version, createdAt: b.createdAt, payload: b.payload } : null,
    revision,
    sampling,
    history,
    releaseReadings: true,
  });
  lap('evaluate');
  const { bytes, sha256 } = digest(result);
  lap('hash');
  await store.saveEvaluation({ lot: args.lot, contentHash, resultSha256: sha256, result, resultJson: bytes, revision });
  lap('save');
  const back = await store.latestEvaluation(args.lot);
  lap('read back');
  wall.total = performance.now() - start;
  cpu.total = cpuMs() - startCpu;
  await store.close();
  return {
    wall: wall as Record<Stage, number>,
    cpu: cpu as Record<Stage, number>,
    jsonBytes: JSON.stringify(back?.result ?? null).length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    disposition: result.proposal.disposition,
    sha256,
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

const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

if (args.child !== undefined) {
  console.log(JSON.stringify(await measure(args.child)));
} else {
  if (!existsSync(args.db)) await prepare(args.db);
  const variants = args.against === undefined ? ['this checkout'] : ['this checkout', `--against ${args.against}`];
  const runs: Timings[][] = variants.map(() => []);
  const loads: string[] = [];
  const forwarded = process.argv.slice(2).filter((_, i, all) => all[i] !== '--against' && all[i - 1] !== '--against');
  for (let i = 0; i < Number(args.runs); i++) {
    // A B, then B A: neither build always runs first after the machine's load changes.
    const order = variants.map((_, v) => v);
    if (i % 2 === 1) order.reverse();
    for (const v of order) {
      const dir = mkdtempSync(join(tmpdir(), 'lotqa-evalbench-'));
      const copy = join(dir, 'db.sqlite');
      copyFileSync(args.db, copy);
      try {
        const load = loadavg();
        loads.push(load);
        const impl = v === 0 ? [] : ['--impl', args.against!];
        const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, ...forwarded, ...impl, '--child', copy], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        });
        if (child.status !== 0) throw new Error(`run ${i + 1} (${variants[v]}) failed:\n${child.stderr}`);
        const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as Timings;
        runs[v]!.push(r);
        console.log(
          `run ${i + 1} ${variants[v]}: ${STAGES.map((k) => `${k} ${r.wall[k].toFixed(0)}/${r.cpu[k].toFixed(0)}`).join(', ')} ms wall/CPU; JSON ${(r.jsonBytes / 1e6).toFixed(1)} MB; peak RSS ${r.peakRssMb.toFixed(0)} MB; ${r.disposition}; sha256 ${r.sha256.slice(0, 12)}; loadavg ${load}`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  for (const [v, name] of variants.entries()) {
    const rs = runs[v]!;
    console.log(`\nmedian of ${rs.length} runs (lot ${args.lot}, ${name}):          wall      CPU`);
    for (const k of STAGES)
      console.log(
        `  ${k.padEnd(10)} ${median(rs.map((r) => r.wall[k]))
          .toFixed(0)
          .padStart(7)} ms ${median(rs.map((r) => r.cpu[k]))
          .toFixed(0)
          .padStart(7)} ms`,
      );
    console.log(`  JSON       ${(median(rs.map((r) => r.jsonBytes)) / 1e6).toFixed(1).padStart(7)} MB`);
    console.log(
      `  peak RSS   ${median(rs.map((r) => r.peakRssMb))
        .toFixed(0)
        .padStart(7)} MB`,
    );
  }
  const hashes = new Set(runs.flat().map((r) => r.sha256));
  console.log(`\nresult sha256: ${[...hashes].join(', ')}${hashes.size === 1 ? ' (every run)' : ' — THE RUNS DISAGREE'}`);
  console.log(`/proc/loadavg at the runs' starts (1 5 15 min): ${loads.join('; ')}`);
  if (hashes.size !== 1) process.exitCode = 1;
}
