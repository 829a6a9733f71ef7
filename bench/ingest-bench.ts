/**
 * Ingest benchmark on a generated lot (default: 10,000 units of osfp-800g-dr8 in wide-v2, the
 * `lotqa run` target): writes the files once, then measures
 *   1. parsing alone, on this thread (files/s, measurements/s, CPU s);
 *   2. the store's share: the same outcomes written with recordParsedFile (one transaction per file)
 *      and with recordParsedFiles (batches of 64, one savepoint per file);
 *   3. ingestFiles end to end into a fresh SQLite store, without and with a parse thread;
 * and a large streamed long-format file to show memory stays bounded by the output, not the text.
 * CPU seconds are process CPU (all threads, GC included): on a shared machine they are steadier than
 * wall time. Run it twice and compare.
 *
 *   npx tsx bench/ingest-bench.ts [units=10000] [product=osfp-800g-dr8] [profile=wide-v2] [bigMB=20]
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestOutcome } from '../src/domain/measurement.js';
import { findProduct, findProfile, listShippedProfiles } from '../src/domain/catalog.js';
import { parseStationFile } from '../src/ingest/parse-station-file.js';
import { collectStationFiles } from '../src/pipeline/collect-files.js';
import { ingestFiles, recordOutcome } from '../src/pipeline/ingest-files.js';
import { generateLot, writeLotFiles } from '../src/sim/index.js';
import { openStore } from '../src/store/index.js';

const units = Number(process.argv[2] ?? 10000);
const product = findProduct(process.argv[3] ?? 'osfp-800g-dr8');
const profile = findProfile(process.argv[4] ?? 'wide-v2');
const bigMB = Number(process.argv[5] ?? 20);
const profiles = listShippedProfiles().map((e) => e.document);
const dir = mkdtempSync(join(tmpdir(), 'lotqa-ingest-bench-'));

const cpuSeconds = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
async function measure<T>(label: string, files: number, fn: () => Promise<T>, measurements: (r: T) => number): Promise<T> {
  global.gc?.();
  const w0 = performance.now();
  const c0 = cpuSeconds();
  const rss0 = process.memoryUsage.rss();
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 25);
  const r = await fn();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  const s = (performance.now() - w0) / 1000;
  const cpu = cpuSeconds() - c0;
  const m = measurements(r);
  console.log(
    `  ${label.padEnd(44)} ${s.toFixed(2).padStart(6)} s wall ${cpu.toFixed(2).padStart(6)} s CPU  ${(files / s).toFixed(0).padStart(6)} files/s ${(m / s).toFixed(0).padStart(8)} meas/s  peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`,
  );
  return r;
}

try {
  const lot = generateLot({ spec: product, lot: 'BENCH', units, seed: 'ingest-bench' });
  writeLotFiles(lot, profile, join(dir, 'lot'));
  const paths = await collectStationFiles([join(dir, 'lot')]);
  console.log(
    `ingest: ${paths.length} files of ${product.productId} in ${profile.id}, profile auto-detected among ${profiles.length}; load average ${loadavg()[0]?.toFixed(1)}`,
  );

  const outcomes = await measure(
    'parse only (this thread)',
    paths.length,
    async () => {
      const out: IngestOutcome[] = [];
      for (const p of paths) out.push(await parseStationFile(p, { product, profiles }));
      return out;
    },
    (out) => out.reduce((n, o) => n + (o.kind === 'parsed' ? o.file.measurements.length : 0), 0),
  );
  const total = outcomes.reduce((n, o) => n + (o.kind === 'parsed' ? o.file.measurements.length : 0), 0);
  for (const batched of [false, true]) {
    const store = openStore({ sqlitePath: join(dir, `store-${batched}.sqlite`) });
    await store.migrate();
    await measure(
      batched ? 'store only, recordParsedFiles × 64' : 'store only, recordParsedFile (1 tx per file)',
      paths.length,
      async () => {
        if (!batched) for (const [i, o] of outcomes.entries()) await recordOutcome(store, paths[i]!, o);
        else
          for (let i = 0; i < outcomes.length; i += 64)
            await store.recordParsedFiles(outcomes.slice(i, i + 64).flatMap((o) => (o.kind === 'parsed' ? [o.file] : [])));
      },
      () => total,
    );
    await store.close();
  }
  outcomes.length = 0;
  for (const threads of [0, 1]) {
    const store = openStore({ sqlitePath: join(dir, `ingest-${threads}.sqlite`) });
    await store.migrate();
    await measure(
      `ingestFiles, ${threads} parse thread${threads === 1 ? '' : 's'}`,
      paths.length,
      () => ingestFiles(store, paths, { product, profiles, threads }),
      (s) => s.measurements,
    );
    await store.close();
  }

  if (bigMB > 0) {
    const long = findProfile('long-generic');
    const header = 'Serial,Lot,Station,TestTime,Attempt,Corner,Test,Lane,Value,Unit\n';
    const big = join(dir, 'big-long.csv');
    const ws = createWriteStream(big);
    ws.write(header);
    let written = header.length;
    for (let unit = 0; written < bigMB * 1e6; unit++) {
      let chunk = '';
      const time = new Date(Date.UTC(2025, 2, 2) + unit * 60_000).toISOString();
      for (const c of ['0C', '25C', '70C'])
        for (let lane = 0; lane < 8; lane++)
          chunk += `SN${unit},BIG,ATE-03,${time},1,${c},TxPower,${lane},${(Math.random() * 4).toFixed(3)},dBm\n`;
      written += chunk.length;
      if (!ws.write(chunk)) await once(ws, 'drain');
    }
    ws.end();
    await once(ws, 'finish');
    const out = await measure(
      `one ${(written / 1e6).toFixed(0)} MB long file, streamed`,
      1,
      () => parseStationFile(big, { product, profiles, profile: long }),
      (o) => (o.kind === 'parsed' ? o.file.measurements.length : 0),
    );
    if (out.kind === 'rejected') console.log(`  (rejected: ${out.file.message})`);
    else console.log(`    ${out.file.dataRows} rows, ${out.file.runs.length} units, ${out.file.quarantine.length} quarantined`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
