/**
 * Report bench: engineering report of a 10,000-unit DR8 lot (8 lanes × 3 corners × 10 parameters + module
 * power = 243 charts of 10,000 points each) and the Certificate of Conformance of the same lot.
 * Prints median render time over the runs, peak RSS, page count and file size. The result hash is computed
 * once (as writeLotReports does) and timed separately; so is signing the certificate with a throw-away
 * PKCS#12 key (RSA 2048). `togetherMs` = engineering report + certificate + signature (target ≤ 1 s).
 * Each render also reports its CPU time (process-wide, so the page deflate in libuv's pool counts) and
 * the first run apart: `lotqa run` renders each report once, in a process where that code is still cold.
 *   npx tsx bench/report-bench.ts [units=10000] [runs=3]
 *
 * The report step inside a whole `lotqa run` (where the process has ingested and evaluated the lot first):
 *   npx tsx bench/report-bench.ts --run-lot <lot folder> [runs=3]
 * runs the compiled CLI `run <folder>` (fresh SQLite store and report folder each time, a company set so
 * the certificate is written, LOTQA_TIMINGS=1) and prints the median CPU (user + system, the process's
 * own clock) and wall time of the report step and of each of its parts, the whole process's CPU and
 * peak RSS (`/usr/bin/time`), the result hash, and the 1-minute load average before each run. With
 * `LOTQA_BENCH_COMPARE=<another lotqa checkout>` that checkout's build runs too, interleaved, run by run.
 */
import { buildLotResult, decisionFor, FIXTURE_CONTEXT } from '../tests/report/support/lot-result-fixture.js';
import { renderEngineeringReport } from '../src/report/engineering-pdf.js';
import { renderCertificate } from '../src/report/coc-pdf.js';
import { resultSha256 } from '../src/report/result-hash.js';
import { readSigningCredential, signPdf } from '../src/report/certificate-signing.js';
import { throwawayP12 } from '../tests/report/support/throwaway-p12.js';
import { loadavg, tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureBuild } from '../scripts/build.mjs';

if (process.argv[2] === '--run-lot') {
  await benchReportStepOfRun(process.argv[3] ?? '', Number(process.argv[4] ?? 3));
  process.exit(0);
}

/** One `lotqa run` with LOTQA_TIMINGS=1: each timed phase (CPU and wall ms), the process's CPU, the hash. */
interface RunTimings {
  readonly load: number;
  readonly phases: Map<string, { cpuMs: number; wallMs: number }>;
  readonly processCpuS: number;
  /** Peak RSS of the whole run (`/usr/bin/time` %M). */
  readonly peakRssMB: number;
  readonly resultSha256: string;
}

function lotqaRunTimed(main: string, folder: string): RunTimings {
  const work = mkdtempSync(join(tmpdir(), 'lotqa-reportbench-'));
  try {
    const config = join(work, 'lotqa.config.json');
    writeFileSync(config, JSON.stringify({ company: { name: 'Bench Photonics GmbH', address: ['2 Bench Road'] } }));
    const load = loadavg()[0] ?? 0;
    const r = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        'lotqa-bench-cpu %U %S %M',
        process.execPath,
        main,
        'run',
        folder,
        '--out',
        join(work, 'reports'),
        '--customer',
        'Bench Customer',
        '--po',
        'PO-1',
      ],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
        env: { ...process.env, LOTQA_CONFIG: config, LOTQA_SQLITE_PATH: join(work, 'bench.sqlite'), LOTQA_TIMINGS: '1', DATABASE_URL: '' },
      },
    );
    const cpu = /lotqa-bench-cpu ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
    if ((r.status !== 0 && r.status !== 3) || !cpu)
      throw new Error(`lotqa run ${folder} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
    const phases = new Map<string, { cpuMs: number; wallMs: number }>();
    for (const m of r.stderr.matchAll(/^lotqa timing (.+): (\d+) ms wall, (\d+) ms CPU$/gm))
      phases.set(m[1]!, { wallMs: Number(m[2]), cpuMs: Number(m[3]) });
    const resultSha256 = /result sha256 ([0-9a-f]{64})/.exec(r.stdout)?.[1] ?? 'none';
    return { load, phases, processCpuS: Number(cpu[1]) + Number(cpu[2]), peakRssMB: Math.round(Number(cpu[3]) / 1024), resultSha256 };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function benchReportStepOfRun(folder: string, runs: number): Promise<void> {
  if (folder === '') throw new Error('usage: npx tsx bench/report-bench.ts --run-lot <lot folder> [runs=3]');
  await ensureBuild();
  const checkouts: [string, string][] = [['this checkout', resolve(import.meta.dirname, '../dist/src/cli/main.js')]];
  if (process.env.LOTQA_BENCH_COMPARE) checkouts.push(['compared', join(resolve(process.env.LOTQA_BENCH_COMPARE), 'dist/src/cli/main.js')]);
  const all = new Map<string, RunTimings[]>(checkouts.map(([name]) => [name, []]));
  for (let i = 0; i < runs; i++) {
    // Interleaved (and the order alternated), so both see the same machine.
    for (const [name, main] of i % 2 === 0 ? checkouts : [...checkouts].reverse()) {
      const t = lotqaRunTimed(main, resolve(folder));
      all.get(name)!.push(t);
      const report = t.phases.get('report');
      console.log(
        `  ${name} run ${i + 1}: report ${report?.cpuMs ?? '?'} ms CPU / ${report?.wallMs ?? '?'} ms wall, process ${t.processCpuS.toFixed(2)} s CPU, ${t.peakRssMB} MB (load ${t.load.toFixed(2)}) result ${t.resultSha256.slice(0, 12)}`,
      );
    }
  }
  for (const [name, list] of all) {
    const parts = [...new Set(list.flatMap((t) => [...t.phases.keys()]))].filter((p) => p === 'report' || p.startsWith('report: '));
    const summary = Object.fromEntries(
      parts.map((p) => {
        const got = list.map((t) => t.phases.get(p)).filter((x) => x !== undefined);
        return [p, { cpuMedianMs: median(got.map((x) => x.cpuMs)), wallMedianMs: median(got.map((x) => x.wallMs)), runs: got.length }];
      }),
    );
    console.log(
      JSON.stringify(
        {
          checkout: name,
          folder,
          runs,
          reportStep: summary,
          processCpuMedianS: Math.round(median(list.map((t) => t.processCpuS)) * 100) / 100,
          peakRssMB: list.map((t) => t.peakRssMB),
          resultSha256: [...new Set(list.map((t) => t.resultSha256))],
          loadBefore: list.map((t) => Math.round(t.load * 100) / 100),
          loadEnd: Math.round((loadavg()[0] ?? 0) * 100) / 100,
        },
        null,
        2,
      ),
    );
  }
}

const units = Number(process.argv[2] ?? 10_000);
const loadStart = Math.round((loadavg()[0] ?? 0) * 100) / 100;
const runs = Number(process.argv[3] ?? 3);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const t0 = performance.now();
const result = buildLotResult({ units });
const decision = decisionFor(result);
const tFixture = performance.now() - t0;
const t1 = performance.now();
const hash = resultSha256(result);
const tHash = performance.now() - t1;

/** CPU milliseconds (user + system, all threads) since `start`. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

const engTimes: number[] = [];
const engCpu: number[] = [];
let eng: Buffer = Buffer.alloc(0);
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const c = process.cpuUsage();
  eng = await renderEngineeringReport(result, decision, { resultSha256: hash });
  engTimes.push(performance.now() - t);
  engCpu.push(cpuMs(c));
}
const cocTimes: number[] = [];
const cocCpu: number[] = [];
let coc: Buffer = Buffer.alloc(0);
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const c = process.cpuUsage();
  coc = await renderCertificate(result, decision, FIXTURE_CONTEXT, { resultSha256: hash });
  cocTimes.push(performance.now() - t);
  cocCpu.push(cpuMs(c));
}
// Signing the certificate (what a configured company certificate adds), timed apart from rendering.
const p12 = throwawayP12();
const credential = readSigningCredential(p12.p12, p12.password, 'bench.p12');
const signTimes: number[] = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  await signPdf(coc, credential, { reason: 'bench', signingTime: new Date(decision.decidedAt) });
  signTimes.push(performance.now() - t);
}
const pages = (eng.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
const report = {
  units,
  charts: result.cells.length,
  fixtureBuildMs: Math.round(tFixture),
  resultSha256Ms: Math.round(tHash),
  engineering: {
    medianMs: Math.round(median(engTimes)),
    runsMs: engTimes.map(Math.round),
    cpuMedianMs: Math.round(median(engCpu)),
    cpuRunsMs: engCpu.map(Math.round),
    pages,
    bytes: eng.length,
  },
  certificate: {
    medianMs: Math.round(median(cocTimes)),
    runsMs: cocTimes.map(Math.round),
    cpuMedianMs: Math.round(median(cocCpu)),
    cpuRunsMs: cocCpu.map(Math.round),
    bytes: coc.length,
  },
  signing: { medianMs: Math.round(median(signTimes)), runsMs: signTimes.map(Math.round) },
  togetherMs: Math.round(median(engTimes) + median(cocTimes) + median(signTimes)),
  togetherCpuMs: Math.round(median(engCpu) + median(cocCpu) + median(signTimes)),
  // The first (cold) render of each, as `lotqa run` does it once per process.
  firstRunTogetherMs: Math.round(engTimes[0]! + cocTimes[0]! + signTimes[0]!),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  // The machine is shared: the 1-minute load average at the start and at the end of the timed part.
  load: { start: loadStart, end: Math.round((loadavg()[0] ?? 0) * 100) / 100 },
};
console.log(JSON.stringify(report, null, 2));
