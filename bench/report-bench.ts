/**
 * Report bench: engineering report of a 10,000-unit DR8 lot (8 lanes × 3 corners × 10 parameters + module
 * power = 243 charts of 10,000 points each) and the Certificate of Conformance of the same lot.
 * Prints median render time over the runs, peak RSS, page count and file size. The result hash is computed
 * once (as writeLotReports does) and timed separately.
 *   npx tsx bench/report-bench.ts [units=10000] [runs=3]
 */
import { buildLotResult, decisionFor, FIXTURE_CONTEXT } from '../tests/report/support/lot-result-fixture.js';
import { renderEngineeringReport } from '../src/report/engineering-pdf.js';
import { renderCertificate } from '../src/report/coc-pdf.js';
import { resultSha256 } from '../src/report/result-hash.js';

const units = Number(process.argv[2] ?? 10_000);
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

const engTimes: number[] = [];
let eng: Buffer = Buffer.alloc(0);
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  eng = await renderEngineeringReport(result, decision, { resultSha256: hash });
  engTimes.push(performance.now() - t);
}
const cocTimes: number[] = [];
let coc: Buffer = Buffer.alloc(0);
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  coc = await renderCertificate(result, decision, FIXTURE_CONTEXT, { resultSha256: hash });
  cocTimes.push(performance.now() - t);
}
const pages = (eng.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
const report = {
  units,
  charts: result.cells.length,
  fixtureBuildMs: Math.round(tFixture),
  resultSha256Ms: Math.round(tHash),
  engineering: { medianMs: Math.round(median(engTimes)), runsMs: engTimes.map(Math.round), pages, bytes: eng.length },
  certificate: { medianMs: Math.round(median(cocTimes)), runsMs: cocTimes.map(Math.round), bytes: coc.length },
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
};
console.log(JSON.stringify(report, null, 2));
