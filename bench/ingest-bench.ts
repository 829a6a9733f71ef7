/**
 * Ingest benchmark: writes N per-unit long-format files (~300 measurements each, like a 8-lane ×
 * 3-corner station file) to a temp dir with a simple local writer, parses them all, and prints
 * files/s, measurements/s and peak RSS (median of runs). Then parses one large long-format file to
 * show memory stays bounded by the output, not the text.
 *
 *   npx tsx bench/ingest-bench.ts [files=2000] [runs=3] [bigMB=50]
 */
import { mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { ProductSpec } from '../src/domain/product-spec.js';
import type { StationProfile } from '../src/domain/station-profile.js';
import { parseStationFile } from '../src/ingest/parse-station-file.js';

const PARAMS = ['tx_avg_power', 'tx_oma_outer', 'tx_er', 'tx_tdecq', 'tx_wavelength', 'tx_smsr', 'rx_sensitivity_oma', 'rx_overload', 'tx_off_power', 'tx_rin', 'tx_transition_time', 'ddm_txpower_err'];
const UNITS: Record<string, ProductSpec['parameters'][number]['unit']> = { tx_er: 'dB', tx_tdecq: 'dB', tx_smsr: 'dB', ddm_txpower_err: 'dB', tx_wavelength: 'nm', tx_rin: 'dB/Hz', tx_transition_time: 'ps' };
const product: ProductSpec = {
  kind: 'lotqa/product-spec', version: 'bench', productId: 'bench-dr8', partNumber: 'B', description: 'bench', formFactor: 'OSFP', laneCount: 8,
  corners: [{ id: 'cold', name: 'cold', caseTemperatureC: 0 }, { id: 'room', name: 'room', caseTemperatureC: 25 }, { id: 'hot', name: 'hot', caseTemperatureC: 70 }],
  standards: [],
  parameters: [
    ...PARAMS.map((id) => ({ id, name: id, unit: UNITS[id] ?? ('dBm' as const), scope: 'lane' as const, critical: true, source: 'bench', provenance: 'illustrative' as const })),
    { id: 'module_power', name: 'module power', unit: 'W', scope: 'module', critical: true, source: 'bench', provenance: 'illustrative' },
  ],
};
const profile: StationProfile = {
  kind: 'lotqa/station-profile', id: 'bench-long', description: 'bench', format: 'long', delimiter: ',', decimal: '.', preamble: false,
  identity: { serial: { column: ['serial'] }, lot: { column: ['lot'] }, station: { column: ['station'] }, testTime: { column: ['start_utc'] }, attempt: { column: ['attempt'] }, corner: { column: ['corner_c'] }, lane: { column: ['lane'] } },
  cornerAliases: { '0': 'cold', '25': 'room', '70': 'hot' }, laneBase: 0,
  long: { parameter: ['parameter'], value: ['value'], unit: ['unit'], lowLimit: ['lsl'], highLimit: ['usl'], result: ['result'], parameterAliases: {} },
};
const HEADER = 'serial,lot,station,start_utc,attempt,corner_c,step,parameter,lane,value,unit,lsl,usl,result\n';

function unitRows(serial: string, time: string): string {
  let s = '';
  for (const c of ['0', '25', '70']) {
    for (const p of PARAMS) for (let lane = 0; lane < 8; lane++) s += `${serial},L2401,ATE-03,${time},1,${c},TX,${p},${lane},${(Math.random() * 4).toFixed(3)},${UNITS[p] ?? 'dBm'},-1,5,PASS\n`;
    s += `${serial},L2401,ATE-03,${time},1,${c},PWR,module_power,,${(9 + Math.random()).toFixed(3)},W,,12,PASS\n`;
  }
  return s;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const files = Number(process.argv[2] ?? 2000);
  const runs = Number(process.argv[3] ?? 3);
  const bigMB = Number(process.argv[4] ?? 50);
  const dir = mkdtempSync(join(tmpdir(), 'lotqa-ingest-bench-'));
  try {
    const paths: string[] = [];
    for (let i = 0; i < files; i++) {
      const p = join(dir, `SN${String(i).padStart(6, '0')}.csv`);
      writeFileSync(p, HEADER + unitRows(`SN${String(i).padStart(6, '0')}`, '2025-03-02T08:14:55Z'));
      paths.push(p);
    }
    const rates: number[] = [];
    const mrates: number[] = [];
    const cpuRates: number[] = [];
    let peak = 0;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      let measurements = 0;
      for (const [i, p] of paths.entries()) {
        const out = await parseStationFile(p, { product, profile, profiles: [profile] });
        if (out.kind !== 'parsed') throw new Error(out.file.message);
        measurements += out.file.measurements.length;
        if (i % 100 === 0) peak = Math.max(peak, process.memoryUsage.rss());
      }
      const s = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(c0);
      cpuRates.push(files / ((cpu.user + cpu.system) / 1e6));
      rates.push(files / s);
      mrates.push(measurements / s);
    }
    console.log(`per-unit files: ${files} files × ${runs} runs (one process, one core)`);
    console.log(`  files/s        ${median(rates).toFixed(0)}  (10,000 files ≈ ${(10000 / median(rates)).toFixed(1)} s on one core)`);
    console.log(`  measurements/s ${median(mrates).toFixed(0)}`);
    console.log(`  files per CPU-second ${median(cpuRates).toFixed(0)}  (independent of other load on the machine; GC threads count too)`);
    console.log(`  peak RSS       ${(peak / 2 ** 20).toFixed(0)} MB`);

    if (bigMB > 0) {
      const big = join(dir, 'big-long.csv');
      const ws = createWriteStream(big);
      ws.write(HEADER);
      let written = HEADER.length;
      let unit = 0;
      while (written < bigMB * 1e6) {
        const chunk = unitRows(`SN${String(unit).padStart(7, '0')}`, new Date(Date.UTC(2025, 2, 2) + unit * 60_000).toISOString());
        unit++;
        written += chunk.length;
        if (!ws.write(chunk)) await once(ws, 'drain');
      }
      ws.end();
      await once(ws, 'finish');
      global.gc?.();
      const heap0 = process.memoryUsage().heapUsed;
      let heapPeak = heap0;
      const timer = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
      const t0 = performance.now();
      const out = await parseStationFile(big, { product, profile, profiles: [profile] });
      const s = (performance.now() - t0) / 1000;
      clearInterval(timer);
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      if (out.kind !== 'parsed') throw new Error(out.file.message);
      console.log(`large file: ${(written / 1e6).toFixed(1)} MB, ${out.file.dataRows} rows, ${out.file.runs.length} units`);
      console.log(`  ${(written / 1e6 / s).toFixed(1)} MB/s, ${(out.file.measurements.length / s).toFixed(0)} measurements/s, heap growth ${((heapPeak - heap0) / 2 ** 20).toFixed(0)} MB (the measurements themselves), RSS ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MB`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
