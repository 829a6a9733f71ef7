/**
 * Benchmark: `lotqa run --no-reports` as a whole process (the compiled build, `/usr/bin/time -v`: wall
 * time and peak RSS) on generated lots of several sizes, next to the same lot through the pandas script
 * a quality engineer would write (bench/pandas-lot.py, Debian's /usr/bin/python3 with python3-pandas).
 *
 *   npx tsx bench/run-lot-bench.ts [sizes=1000,10000,100000] [runs=3] [pandas sizes=1000,10000]
 *
 * Lots are generated once into bench/out/lots/ (osfp-800g-dr8 in the wide-eu-preamble vendor layout:
 * decimal commas, mW, a key=value preamble, 0.4 % retests) and reused. Each run gets a fresh SQLite store.
 * lotqa and pandas runs of a size are interleaved, so both see the same machine. Prints every run with the
 * 1-minute load average before it, then one table of medians: wall, CPU (user + system), measurements/s,
 * peak RSS, and the pandas ratio. The machine is shared: read the load column before the figures.
 *
 * `LOTQA_BENCH_COMPARE=<another lotqa checkout>` also runs that checkout's bin/lotqa.mjs, interleaved,
 * for a before/after pair on the same machine state (e.g. `git archive <commit> | tar -x -C /tmp/before`
 * with node_modules linked).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureBuild } from '../scripts/build.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/lotqa.mjs');
const sizes = (process.argv[2] ?? '1000,10000,100000').split(',').map(Number);
const runs = Number(process.argv[3] ?? 3);
const pandasSizes = new Set((process.argv[4] ?? '1000,10000').split(',').map(Number));
const PRODUCT = 'osfp-800g-dr8';
const PROFILE = 'wide-eu-preamble';

interface Measured {
  readonly wallS: number;
  /** User + system CPU seconds of the whole process (steadier than wall on a shared machine). */
  readonly cpuS: number;
  readonly rssMB: number;
  readonly load: number;
  readonly measurements: number;
  readonly files: number;
  /** The lot's result sha256 as `lotqa run` printed it (empty for pandas). */
  readonly hash: string;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs `cmd` under /usr/bin/time -v; wall and peak RSS from its report, stdout for the counts. */
function timed(
  cmd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): { wallS: number; cpuS: number; rssMB: number; stdout: string; load: number } {
  const load = loadavg()[0] ?? 0;
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const user = Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN);
  const sys = Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN);
  if (!wall || !rss || (r.status !== 0 && r.status !== 3))
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  const wallS = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  return { wallS, cpuS: user + sys, rssMB: Number(rss[1]) / 1024, stdout: r.stdout, load };
}

function lotFolder(units: number): string {
  const dir = join(LOTS, `${PROFILE}-${units}`);
  if (!existsSync(join(dir, 'manifest.json'))) {
    console.log(`generating ${units} units into ${dir} …`);
    const lot = `B${units}`;
    const r = spawnSync(
      process.execPath,
      [
        BIN,
        'generate',
        '--product',
        PRODUCT,
        '--profile',
        PROFILE,
        '--units',
        String(units),
        '--lot',
        lot,
        '--seed',
        '15',
        '--retest-rate',
        '0.004',
        '--out',
        dir,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (r.status !== 0) throw new Error(`lotqa generate failed for ${units} units`);
  }
  return dir;
}

/** Where generated lots are kept (`LOTQA_BENCH_LOTS`, e.g. /tmp/lots, to share them between checkouts). */
const LOTS = process.env.LOTQA_BENCH_LOTS ? resolve(process.env.LOTQA_BENCH_LOTS) : join(ROOT, 'bench/out/lots');
const COMPARE = process.env.LOTQA_BENCH_COMPARE ? join(resolve(process.env.LOTQA_BENCH_COMPARE), 'bin/lotqa.mjs') : null;

function lotqaRun(dir: string, bin = BIN): Measured {
  const store = mkdtempSync(join(tmpdir(), 'lotqa-runbench-'));
  try {
    const t = timed(process.execPath, [bin, 'run', dir, '--no-reports'], {
      LOTQA_SQLITE_PATH: join(store, 'bench.sqlite'),
      DATABASE_URL: '',
    });
    const measurements = Number(/measurements\s+(\d+)/.exec(t.stdout)?.[1] ?? NaN);
    const files = Number(/files\s+(\d+)/.exec(t.stdout)?.[1] ?? NaN);
    const hash = /result sha256 ([0-9a-f]{64})/.exec(t.stdout)?.[1] ?? 'none';
    return { wallS: t.wallS, cpuS: t.cpuS, rssMB: t.rssMB, load: t.load, measurements, files, hash };
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}

function pandasRun(dir: string): Measured {
  const t = timed('/usr/bin/python3', [join(ROOT, 'bench/pandas-lot.py'), dir]);
  const out = JSON.parse(t.stdout.trim().split('\n').at(-1) ?? '{}') as { files: number; measurements: number };
  return { wallS: t.wallS, cpuS: t.cpuS, rssMB: t.rssMB, load: t.load, measurements: out.measurements, files: out.files, hash: '' };
}

await ensureBuild();
const rows: string[] = [];
for (const units of sizes) {
  const dir = lotFolder(units);
  const lotqa: Measured[] = [];
  const pandas: Measured[] = [];
  const other: Measured[] = [];
  for (let i = 0; i < runs; i++) {
    if (COMPARE) {
      const o = lotqaRun(dir, COMPARE);
      other.push(o);
      console.log(
        `  ${units} units, compared checkout run ${i + 1}: ${o.wallS.toFixed(2)} s, CPU ${o.cpuS.toFixed(2)} s, ${o.rssMB.toFixed(0)} MB (load ${o.load.toFixed(2)}) result ${o.hash.slice(0, 12)}`,
      );
    }
    const l = lotqaRun(dir);
    lotqa.push(l);
    console.log(
      `  ${units} units, lotqa run ${i + 1}: ${l.wallS.toFixed(2)} s, CPU ${l.cpuS.toFixed(2)} s, ${l.rssMB.toFixed(0)} MB (load ${l.load.toFixed(2)}) result ${l.hash.slice(0, 12)}`,
    );
    if (pandasSizes.has(units)) {
      const p = pandasRun(dir);
      pandas.push(p);
      console.log(
        `  ${units} units, pandas run ${i + 1}: ${p.wallS.toFixed(2)} s, CPU ${p.cpuS.toFixed(2)} s, ${p.rssMB.toFixed(0)} MB (load ${p.load.toFixed(2)})`,
      );
    }
  }
  const wall = median(lotqa.map((m) => m.wallS));
  const m = lotqa[0]!.measurements;
  const pWall = pandas.length ? median(pandas.map((p) => p.wallS)) : NaN;
  rows.push(
    [
      String(units).padStart(7),
      String(lotqa[0]!.files).padStart(7),
      (m / 1e6).toFixed(2).padStart(6) + ' M',
      wall.toFixed(2).padStart(7) + ' s',
      median(lotqa.map((x) => x.cpuS))
        .toFixed(2)
        .padStart(6) + ' s',
      ((m / wall / 1e3).toFixed(0) + ' k').padStart(8),
      (median(lotqa.map((x) => x.rssMB)).toFixed(0) + ' MB').padStart(8),
      median(lotqa.map((x) => x.load))
        .toFixed(1)
        .padStart(5),
      pandas.length ? (pWall.toFixed(2) + ' s').padStart(9) : '        –',
      pandas.length ? (median(pandas.map((x) => x.rssMB)).toFixed(0) + ' MB').padStart(8) : '       –',
      pandas.length ? ((pWall / wall).toFixed(2) + '×').padStart(7) : '      –',
      ...(other.length
        ? [
            `compared checkout ${median(other.map((x) => x.wallS)).toFixed(2)} s, CPU ${median(other.map((x) => x.cpuS)).toFixed(2)} s, ${median(other.map((x) => x.rssMB)).toFixed(0)} MB (${(median(other.map((x) => x.wallS)) / wall).toFixed(2)}× this one's wall, ${(median(other.map((x) => x.cpuS)) / median(lotqa.map((x) => x.cpuS))).toFixed(2)}× its CPU)`,
          ]
        : []),
    ].join(' | '),
  );
}
console.log(`\nlotqa run --no-reports (compiled build, embedded SQLite) vs bench/pandas-lot.py; medians of ${runs} interleaved runs`);
console.log('  units |   files | readings |    wall |    CPU | readings/s | peak RSS | load |    pandas | pandas RSS | pandas/lotqa');
for (const r of rows) console.log(r);
