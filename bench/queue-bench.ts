/**
 * Queue benchmark: a synthetic lot (default 10,000 units, one file each) through the distributed
 * pipeline — `submit`, ingest workers, evaluate, report — with 1 and with 2 worker processes
 * (the compiled dist/workers/all-workers.js, built first; QBENCH_FROM_SOURCE=1 runs workers/all-workers.ts
 * through tsx instead), PostgreSQL as the shared store, Redis for the queues), against the embedded
 * path (ingestFiles + signOffLot on SQLite) on the same files. Prints files/s, measurements/s and
 * end-to-end times (median of `runs`).
 *
 *   npx tsx bench/queue-bench.ts [units=10000] [runs=1] [concurrency=2] [workers=1,2]
 *
 * `concurrency` is the workers' LOTQA_CONCURRENCY (evaluate, report); file jobs at once per process follow
 * LOTQA_INGEST_CONCURRENCY (default: the configuration's ingestConcurrency); `QBENCH_FILES_PER_JOB` puts that many
 * files in each ingest job (default 1). `QBENCH_NODE_ARGS` adds node options to the worker processes (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
 * to profile them; the profile is written when they stop); `QBENCH_SKIP_EMBEDDED=1` skips the embedded run.
 *
 * Needs Redis (REDIS_URL, default redis://127.0.0.1:6379) and PostgreSQL (BENCH_PG_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres). Uses its own queue prefix and PG schema, removed after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Redis } from 'ioredis';
import { loadConfig, type LotqaConfig } from '../src/config.js';
import { findPolicy } from '../src/acceptance/policy-catalog.js';
import { findProduct, findProfile, listShippedProfiles } from '../src/domain/catalog.js';
import { collectStationFiles } from '../src/pipeline/collect-files.js';
import { ingestFiles } from '../src/pipeline/ingest-files.js';
import { signOffLot } from '../src/pipeline/sign-off-lot.js';
import { openQueues } from '../src/queue/lotqa-queues.js';
import { openConfiguredStore, certificateContextOf } from '../src/queue/lotqa-runtime.js';
import { bullConnection, createWorkerConnection } from '../src/queue/redis-connection.js';
import { submitFiles } from '../src/queue/submit-files.js';
import { generateLot, writeLotFiles } from '../src/sim/index.js';
import { openStore } from '../src/store/index.js';
import { ensureBuild } from '../scripts/build.mjs';

const PRODUCT = 'qsfp112-400g-dr4';
const LOT = 'LQ-BENCH';
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface RunResult {
  readonly ingestS: number;
  readonly endToEndS: number;
  readonly submitS: number;
  readonly files: number;
  readonly measurements: number;
  readonly resultSha256: string;
  /** CPU seconds spent during the ingest window by the worker processes, PostgreSQL and Redis (queue runs only). */
  readonly cpu?: CpuSeconds;
}

interface CpuSeconds {
  readonly workers: number;
  readonly postgres: number;
  readonly redis: number;
}

/** Linux clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on every common kernel). */
const TICKS_PER_S = 100;

/** utime + stime of a process in seconds, or 0 once it is gone. */
function processCpuS(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces), from ')': state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of the PostgreSQL processes that work for this run, by pid: the workers' backends (found by
 * the application name they connect with) and the server's own background processes (WAL writer,
 * checkpointer: shared with anyone else using the server). Other clients' backends are left out.
 */
async function postgresCpuS(admin: pg.Client, applicationName: string): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE application_name = $1 OR backend_type <> 'client backend'`,
    [applicationName],
  );
  return new Map(rows.map((r) => [r.pid, processCpuS(r.pid)]));
}

async function redisCpuS(r: Redis): Promise<number> {
  const info = await r.info('cpu');
  const num = (k: string): number => Number(new RegExp(`^${k}:([0-9.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return num('used_cpu_user') + num('used_cpu_sys');
}

/** A CPU reading of the worker processes, PostgreSQL and Redis, to subtract from a later one. */
async function cpuNow(
  procs: readonly ChildProcess[],
  r: Redis,
  admin: pg.Client,
  applicationName: string,
): Promise<{ workers: number; pg: Map<number, number>; redis: number }> {
  return {
    workers: procs.reduce((s, p) => s + processCpuS(p.pid!), 0),
    pg: await postgresCpuS(admin, applicationName),
    redis: await redisCpuS(r),
  };
}

function cpuBetween(a: Awaited<ReturnType<typeof cpuNow>>, b: Awaited<ReturnType<typeof cpuNow>>): CpuSeconds {
  let postgres = 0;
  for (const [pid, s] of b.pg) postgres += s - (a.pg.get(pid) ?? 0);
  return { workers: b.workers - a.workers, postgres, redis: b.redis - a.redis };
}

async function embedded(dir: string, config: Readonly<LotqaConfig>): Promise<RunResult> {
  const work = mkdtempSync(join(tmpdir(), 'lotqa-qbench-emb-'));
  const store = openStore({ sqlitePath: join(work, 'bench.sqlite') });
  try {
    await store.migrate();
    const t0 = performance.now();
    const files = await collectStationFiles([dir]);
    const summary = await ingestFiles(store, files, {
      product: findProduct(PRODUCT),
      profiles: listShippedProfiles().map((e) => e.document),
    });
    const t1 = performance.now();
    const done = await signOffLot(store, LOT, {
      policy: findPolicy(config.policy),
      reports: { outDir: join(work, 'reports'), context: certificateContextOf(config) },
    });
    const t2 = performance.now();
    return {
      submitS: 0,
      ingestS: (t1 - t0) / 1000,
      endToEndS: (t2 - t0) / 1000,
      files: summary.stored,
      measurements: summary.measurements,
      resultSha256: done.evaluated.resultSha256,
    };
  } finally {
    await store.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Files per ingest job (`QBENCH_FILES_PER_JOB`, default 1: a job per file). */
const FILES_PER_JOB = Number(process.env.QBENCH_FILES_PER_JOB ?? 1);

const ingestConcurrency = (): number => loadConfig({ env: process.env, configPath: undefined }).ingestConcurrency;

/** The compiled worker (dist/, built at start), or the sources through tsx with QBENCH_FROM_SOURCE=1. */
const WORKER_ENTRY =
  process.env.QBENCH_FROM_SOURCE === '1'
    ? ['--import', 'tsx', join(import.meta.dirname, '../workers/all-workers.ts')]
    : [join(import.meta.dirname, '../dist/workers/all-workers.js')];

function spawnWorkers(n: number, env: NodeJS.ProcessEnv): ChildProcess[] {
  const extra = (process.env.QBENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  return Array.from({ length: n }, () =>
    spawn(process.execPath, [...extra, ...WORKER_ENTRY], { env, stdio: ['ignore', 'ignore', 'inherit'] }),
  );
}

async function distributed(dir: string, workers: number, concurrency: number, pgUrl: string): Promise<RunResult> {
  const id = randomBytes(3).toString('hex');
  const reportsDir = mkdtempSync(join(tmpdir(), 'lotqa-qbench-rep-'));
  const config = loadConfig({
    env: {},
    overrides: {
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      databaseUrl: pgUrl,
      pgSchema: `qbench_${id}`,
      queuePrefix: `qbench_${id}`,
      reportsDir,
      concurrency,
      queue: {
        attempts: 3,
        backoffMs: 500,
        lockDurationMs: 60_000,
        stalledIntervalMs: 30_000,
        maxStalledCount: 2,
        settleMs: 1000,
        shutdownTimeoutMs: 30_000,
        sandboxed: true,
      },
    },
  });
  const store = openConfiguredStore(config);
  await store.migrate();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: config.redisUrl,
    DATABASE_URL: pgUrl,
    LOTQA_PG_SCHEMA: config.pgSchema!,
    LOTQA_QUEUE_PREFIX: config.queuePrefix,
    LOTQA_REPORTS_DIR: reportsDir,
    LOTQA_CONCURRENCY: String(concurrency),
    LOTQA_INGEST_CONCURRENCY: String(ingestConcurrency()),
    LOTQA_SETTLE_MS: '1000',
    LOTQA_LOG_LEVEL: process.env.QBENCH_LOG_LEVEL ?? 'warn',
    LOTQA_QUEUES: 'ingest,evaluate,report',
    PGAPPNAME: config.pgSchema!, // names the workers' PostgreSQL backends, to count their CPU
  };
  const procs = spawnWorkers(workers, env);
  const conn = createWorkerConnection(config.redisUrl);
  const pgAdmin = new pg.Client({ connectionString: pgUrl });
  await pgAdmin.connect();
  const queues = openQueues(config, bullConnection(conn));
  try {
    await queues.ingest.waitUntilReady();
    // Let the worker processes start (tsx, module loading: seconds on a busy machine) so the clock
    // measures work, not start-up: wait until every process's ingest worker is connected.
    const ready = performance.now();
    while ((await queues.ingest.getWorkersCount()) < workers) {
      if (performance.now() - ready > 60_000)
        throw new Error(`only ${await queues.ingest.getWorkersCount()} of ${workers} worker process(es) connected after 60 s`);
      await sleep(200);
    }
    await sleep(1000); // the other queues' workers of the last process
    // The producer (hashing every file, enqueueing) runs first with the queue paused, so the ingest figure
    // is the workers' alone: in a factory the producers are the stations' watchers, elsewhere.
    await queues.ingest.pause();
    const t0 = performance.now();
    await submitFiles(queues, [dir], { filesPerJob: FILES_PER_JOB });
    const tSubmit = performance.now();
    const cpuAtResume = await cpuNow(procs, conn, pgAdmin, config.pgSchema!);
    await queues.ingest.resume();
    let tIngest = 0;
    let cpu: CpuSeconds | undefined;
    for (;;) {
      // Every job was added before this loop, so none waiting, active or delayed means all are done
      // (the completed set is trimmed to the retention count, so it cannot be counted up to the total).
      const c = await queues.ingest.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (!tIngest && Object.values(c).every((n) => n === 0)) {
        tIngest = performance.now();
        cpu = cpuBetween(cpuAtResume, await cpuNow(procs, conn, pgAdmin, config.pgSchema!));
      }
      if (tIngest && (await store.listCertificates(LOT)).length > 0) break;
      // The report job ends the run: it records the certificate when one is issued, and issues none for a
      // lot not accepted or while no company is configured (as here).
      if (tIngest && (await store.listDecisions(LOT)).length > 0 && ((await queues.report.getJobCounts('completed')).completed ?? 0) > 0)
        break;
      await sleep(200);
    }
    const tEnd = performance.now();
    // Where the time after ingest goes: the settle delay, the deciding evaluation job, the report job.
    const decided = (await queues.evaluate.getJobs(['completed'])).find(
      (j) => (j.returnvalue as { status?: string } | null)?.status === 'decided',
    );
    const report = (await queues.report.getJobs(['completed']))[0];
    const epoch = performance.timeOrigin;
    const at = (ms: number | undefined): string => (ms === undefined ? '?' : ((ms - epoch - tSubmit) / 1000).toFixed(1));
    console.log(
      `    after resume (s): ingest done ${((tIngest - tSubmit) / 1000).toFixed(1)}, evaluation ${at(decided?.processedOn)}–${at(decided?.finishedOn)}, report ${at(report?.processedOn)}–${at(report?.finishedOn)}, certificate seen ${((tEnd - tSubmit) / 1000).toFixed(1)}`,
    );
    const summary = await store.lotSummary(LOT);
    const latest = await store.latestEvaluation(LOT);
    return {
      submitS: (tSubmit - t0) / 1000,
      ingestS: (tIngest - tSubmit) / 1000,
      endToEndS: (tEnd - t0) / 1000,
      files: summary?.files ?? 0,
      measurements: summary?.measurements ?? 0,
      resultSha256: latest?.resultSha256 ?? '',
      ...(cpu ? { cpu } : {}),
    };
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
    await queues.close();
    conn.disconnect();
    await pgAdmin.end();
    await store.close();
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${config.pgSchema} CASCADE`);
    await admin.end();
    const r = new Redis(config.redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${config.queuePrefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
    r.disconnect();
    rmSync(reportsDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const units = Number(process.argv[2] ?? 10_000);
  const runs = Number(process.argv[3] ?? 1);
  const concurrency = Number(process.argv[4] ?? 2);
  const workerCounts = (process.argv[5] ?? '1,2').split(',').map(Number);
  const pgUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dir = mkdtempSync(join(tmpdir(), 'lotqa-qbench-lot-'));
  const config = loadConfig({ env: {} });
  try {
    const tg = performance.now();
    const written = writeLotFiles(
      generateLot({ spec: findProduct(PRODUCT), lot: LOT, units, seed: 2024 }),
      findProfile('long-generic'),
      dir,
    );
    console.log(
      `lot ${LOT}: ${units} units, ${written.manifest.files.length} files, ${(written.bytes / 1e6).toFixed(1)} MB (generated in ${((performance.now() - tg) / 1000).toFixed(1)} s)`,
    );
    const rows: { name: string; r: RunResult }[] = [];
    const collect = async (name: string, f: () => Promise<RunResult>): Promise<void> => {
      const rs: RunResult[] = [];
      for (let i = 0; i < runs; i++) {
        rs.push(await f());
        const r = rs[i]!;
        const perFile = (s: number): string => ((s / r.files) * 1000).toFixed(2);
        const cpu = r.cpu
          ? `; CPU ms per file during ingest: workers ${perFile(r.cpu.workers)}, PostgreSQL ${perFile(r.cpu.postgres)}, Redis ${perFile(r.cpu.redis)} (load ${loadavg()[0]!.toFixed(2)})`
          : '';
        console.log(`  ${name} run ${i + 1}: ingest ${r.ingestS.toFixed(1)} s, end-to-end ${r.endToEndS.toFixed(1)} s${cpu}`);
      }
      const pick = rs.find((r) => r.endToEndS === median(rs.map((x) => x.endToEndS)))!;
      rows.push({
        name,
        r: {
          ...pick,
          ingestS: median(rs.map((x) => x.ingestS)),
          endToEndS: median(rs.map((x) => x.endToEndS)),
          submitS: median(rs.map((x) => x.submitS)),
        },
      });
    };
    if (!process.env.QBENCH_SKIP_EMBEDDED) await collect('embedded (SQLite)', () => embedded(dir, config));
    for (const n of workerCounts)
      await collect(`queue, ${n} worker process${n === 1 ? '' : 'es'}`, () => distributed(dir, n, concurrency, pgUrl));
    console.log(
      `\nmedian of ${runs} run(s); worker concurrency ${concurrency}, ingest ${ingestConcurrency()} jobs of ${FILES_PER_JOB} file(s); queue: 'submit' = hashing and enqueueing every file with the queue paused, 'ingest' = from resume until every ingest job is done (the workers alone), 'end-to-end' = submit start to the lot's certificate; embedded: 'ingest' = ingestFiles`,
    );
    console.log('| path | submit s | ingest s | files/s | measurements/s | end-to-end s | same LotResult |');
    console.log('|---|---|---|---|---|---|---|');
    const ref = rows[0]!.r.resultSha256;
    for (const { name, r } of rows) {
      console.log(
        `| ${name} | ${r.submitS.toFixed(1)} | ${r.ingestS.toFixed(1)} | ${(r.files / r.ingestS).toFixed(0)} | ${(r.measurements / r.ingestS).toFixed(0)} | ${r.endToEndS.toFixed(1)} | ${r.resultSha256 === ref ? 'yes' : 'NO'} |`,
      );
    }
    const one = rows.find((x) => x.name === 'queue, 1 worker process')?.r;
    const two = rows.find((x) => x.name === 'queue, 2 worker processes')?.r;
    if (one && two) console.log(`\ningest speed-up 2 vs 1 worker processes: ${(one.ingestS / two.ingestS).toFixed(2)}× (target ≥ 1.6×)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.QBENCH_FROM_SOURCE !== '1') await ensureBuild();
await main();
