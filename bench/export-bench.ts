/**
 * Export bench: `lotqa export` streams a lot from the read model instead of loading it. Writes a
 * synthetic lot of N units × 300 readings into a SQLite store, then, each in its own process (so peak
 * RSS is the phase's own), exports it as long CSV and loads it whole with loadLot, and prints time and
 * peak RSS of each. Export memory should stay flat as N grows; loadLot's grows with the lot.
 *   npx tsx bench/export-bench.ts [units=20000]
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Measurement, ParsedFile } from '../src/domain/measurement.js';
import { exportReadings } from '../src/pipeline/export-readings.js';
import { openStore } from '../src/store/index.js';

const LOT = 'BENCH-EXPORT';
const [, script, arg1, arg2] = process.argv;

function unitFile(f: number): ParsedFile {
  const serial = `SN${String(f).padStart(6, '0')}`;
  const measurements: Measurement[] = [];
  let line = 2;
  let seed = f + 1;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 10 - 5;
  for (const corner of ['cold', 'room', 'hot'])
    for (let p = 0; p < 25; p++)
      for (let lane = 0; lane < 4; lane++)
        measurements.push({ run: 0, parameter: `param_${p}`, corner, lane, value: next(), censoring: 'none', line: line++ });
  return {
    path: `/bench/${serial}.csv`,
    name: `${serial}.csv`,
    sha256: createHash('sha256').update(`export-bench:${f}`).digest('hex'),
    bytes: 20_000,
    profileId: 'long-generic',
    productId: 'bench-product',
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
  };
}

async function phase(name: string, path: string): Promise<void> {
  const store = openStore({ sqlitePath: path });
  await store.migrate();
  const t = performance.now();
  let readings = 0;
  if (name === 'export') readings = (await exportReadings(store, LOT, { format: 'long', out: `${path}.csv` })).readings;
  else readings = (await store.loadLot(LOT)).value.length;
  const seconds = (performance.now() - t) / 1000;
  await store.close();
  console.log(
    JSON.stringify({ phase: name, readings, seconds: +seconds.toFixed(2), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }),
  );
}

if (arg1 === 'export' || arg1 === 'load') {
  await phase(arg1, arg2!);
} else {
  const units = Number(arg1 ?? 20_000);
  const dir = mkdtempSync(join(tmpdir(), 'lotqa-export-bench-'));
  const path = join(dir, 'bench.sqlite');
  try {
    const store = openStore({ sqlitePath: path });
    await store.migrate();
    for (let f = 0; f < units; f += 500)
      await store.recordParsedFiles(Array.from({ length: Math.min(500, units - f) }, (_, i) => unitFile(f + i)));
    await store.close();
    console.log(JSON.stringify({ units, readings: units * 300 }));
    for (const name of ['export', 'load']) {
      process.stdout.write(execFileSync(process.execPath, ['--import', 'tsx', script!, name, path], { encoding: 'utf8' }));
    }
    console.log(JSON.stringify({ csvMB: Math.round(statSync(`${path}.csv`).size / 1e6) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
