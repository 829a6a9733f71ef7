/**
 * Report bench: engineering report of a 10,000-unit DR8 lot (8 lanes × 3 corners × 10 parameters + module
 * power = 243 charts of 10,000 points each) and the Certificate of Conformance of the same lot.
 * Prints median render time over the runs, peak RSS, page count and file size. The result hash is computed
 * once (as writeLotReports does) and timed separately; so is signing the certificate with a throw-away
 * PKCS#12 key (RSA 2048). `togetherMs` = engineering report + certificate + signature (target ≤ 1 s).
 * Each render also reports its CPU time (process-wide, so the page deflate in libuv's pool counts) and
 * the first run apart: `lotqa run` renders each report once, in a process where that code is still cold.
 *   npx tsx bench/report-bench.ts [units=10000] [runs=3]
 */
import { buildLotResult, decisionFor, FIXTURE_CONTEXT } from '../tests/report/support/lot-result-fixture.js';
import { renderEngineeringReport } from '../src/report/engineering-pdf.js';
import { renderCertificate } from '../src/report/coc-pdf.js';
import { resultSha256 } from '../src/report/result-hash.js';
import { readSigningCredential, signPdf } from '../src/report/certificate-signing.js';
import { throwawayP12 } from '../tests/report/support/throwaway-p12.js';
import { loadavg } from 'node:os';

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
