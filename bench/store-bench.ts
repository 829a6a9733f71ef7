/**
 * Store benchmark: records N files × M measurements (default 10,000 × 300 = one 3-million-measurement
 * lot of 10,000 units) into a fresh SQLite file and a fresh PostgreSQL schema, then times loadLot.
 *
 *   npx tsx bench/store-bench.ts [--files 10000] [--per-file 300] [--backend sqlite|postgres|both]
 *                                [--loads 3]
 *
 * PostgreSQL: DATABASE_URL or LOTQA_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test);
 * the bench schema is dropped afterwards. Prints files/s, measurements/s, loadLot time (median of
 * --loads runs) and database size.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Measurement, ParsedFile } from '../src/domain/measurement.js';
import { openStore, type Store } from '../src/store/index.js';

const { values: args } = parseArgs({
  options: {
    files: { type: 'string', default: '10000' },
    'per-file': { type: 'string', default: '300' },
    backend: { type: 'string', default: 'both' },
    loads: { type: 'string', default: '3' },
  },
});
const FILES = Number(args.files);
const PER_FILE = Number(args['per-file']);
const LOADS = Number(args.loads);
const PG_URL = process.env.LOTQA_BENCH_PG_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const LOT = 'BENCH-LOT-0001';

/** One unit per file: 3 corners × (24 per-lane parameters × 4 lanes + 4 module parameters) = 300. */
function makeFiles(): ParsedFile[] {
  const corners = ['-5C', '25C', '75C'];
  const laneParams = Array.from({ length: 24 }, (_, i) => `lane_param_${i}`);
  const moduleParams = Array.from({ length: 4 }, (_, i) => `module_param_${i}`);
  let seed = 12345;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 10 - 5;
  const files: ParsedFile[] = [];
  for (let f = 0; f < FILES; f++) {
    const serial = `SN${String(f).padStart(6, '0')}`;
    const measurements: Measurement[] = [];
    let line = 2;
    outer: for (const corner of corners) {
      for (const p of laneParams)
        for (let lane = 0; lane < 4; lane++) {
          if (measurements.length === PER_FILE) break outer;
          measurements.push({ run: 0, parameter: p, corner, lane, value: next(), censoring: 'none', line: line++ });
        }
      for (const p of moduleParams) {
        if (measurements.length === PER_FILE) break outer;
        measurements.push({ run: 0, parameter: p, corner, lane: null, value: next(), censoring: 'none', line: line++ });
      }
    }
    const name = `${serial}.csv`;
    files.push({
      path: `/bench/${name}`,
      name,
      sha256: createHash('sha256').update(`bench:${f}`).digest('hex'),
      bytes: 20_000,
      profileId: 'long-v1',
      productId: 'QSFP28-LR4',
      profileChoice: 'named by user',
      dataRows: measurements.length,
      runs: [
        {
          serial,
          lot: LOT,
          station: `ATE-${f % 8}`,
          testTime: new Date(Date.UTC(2024, 4, 1) + f * 6000).toISOString(),
          declaredAttempt: null,
          operator: null,
        },
      ],
      measurements,
      quarantine: [],
    });
  }
  return files;
}

function cpuSeconds(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function bench(label: string, store: Store, files: ParsedFile[], size: () => Promise<number>): Promise<void> {
  await store.migrate();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const f of files) await store.recordParsedFile(f);
  const writeS = (performance.now() - t0) / 1000;
  const writeCpu = cpuSeconds(process.cpuUsage(c0));
  const measurements = FILES * PER_FILE;
  const loadTimes: number[] = [];
  const loadCpu: number[] = [];
  let loaded = 0;
  for (let i = 0; i < LOADS; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    const lot = await store.loadLot(LOT);
    loadTimes.push(performance.now() - t);
    loadCpu.push(cpuSeconds(process.cpuUsage(c)) * 1000);
    loaded = lot.value.length;
  }
  const bytes = await size();
  console.log(
    `${label.padEnd(28)} files/s ${(FILES / writeS).toFixed(0).padStart(6)}  measurements/s ${(measurements / writeS).toFixed(0).padStart(8)}  ` +
      `write ${writeS.toFixed(1)} s (node CPU ${writeCpu.toFixed(1)} s)  loadLot(${loaded}) median ${median(loadTimes).toFixed(0)} ms ` +
      `[${loadTimes.map((x) => x.toFixed(0)).join(', ')}] (node CPU median ${median(loadCpu).toFixed(0)} ms)  ` +
      `size ${(bytes / 2 ** 20).toFixed(0)} MiB (${(bytes / measurements).toFixed(1)} B/measurement)`,
  );
}

const files = makeFiles();
console.log(
  `store bench: ${FILES} files × ${PER_FILE} measurements = ${FILES * PER_FILE} in one lot; readings packed per run; node ${process.version}`,
);

if (args.backend === 'sqlite' || args.backend === 'both') {
  const dir = mkdtempSync(join(tmpdir(), 'lotqa-bench-'));
  const path = join(dir, 'bench.sqlite');
  const store = openStore({ sqlitePath: path });
  try {
    await bench('sqlite (WAL, sync NORMAL)', store, files, () => {
      const wal = `${path}-wal`;
      return Promise.resolve(statSync(path).size + (existsSync(wal) ? statSync(wal).size : 0));
    });
  } finally {
    await store.close();
    if (process.env.LOTQA_BENCH_KEEP) console.log(`kept ${path}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (args.backend === 'postgres' || args.backend === 'both') {
  const schema = `bench_${Date.now().toString(36)}`;
  const store = openStore({ databaseUrl: PG_URL, pgSchema: schema });
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await bench('postgres', store, files, async () => {
      await admin.query(`vacuum analyze ${schema}.run_readings`);
      const r = await admin.query<{ bytes: string }>(
        `select sum(pg_total_relation_size(c.oid))::text as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r'`,
        [schema],
      );
      return Number(r.rows[0]?.bytes ?? 0);
    });
  } finally {
    await store.close();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}
