/**
 * Benchmark of the per-parameter statistics a lot evaluation runs: capability (with its A–D test and percentile
 * fallback) plus every consistency test against a baseline (Welch and pooled t, F, Brown–Forsythe, KS, TOST,
 * mean shift), on
 *   (a) one 10,000-value parameter cell, and
 *   (b) 720 parameter × corner × lane cells of 10,000 values each (≈ 7.2 M values, more than a 3 M-value lot).
 * Data are deterministic (a seeded LCG + Box–Muller), so runs are comparable. Reports the median of ≥ 5 runs.
 *
 * Run: npx tsx bench/spc-stats-bench.ts [runs]
 */
import { processCapability } from '../src/spc/capability.js';
import {
  brownForsytheTest,
  equivalenceTost,
  fTest,
  kolmogorovSmirnovTwoSample,
  meanShift,
  pooledTTest,
  summarizeSample,
  welchTTest,
} from '../src/spc/consistency.js';

function gaussian(n: number, seed: number, mean: number, sd: number): Float64Array {
  let s = seed >>> 0 || 1;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u()));
    const t = 2 * Math.PI * u();
    out[i] = mean + sd * r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = mean + sd * r * Math.sin(t);
  }
  return out;
}

function evaluateCell(lot: Float64Array, baseline: Float64Array): number {
  const cap = processCapability(lot, { lsl: -4, usl: 4, withinSigma: 0.95, withinSigmaEstimator: 'given' });
  // summaries once per sample: the t/F/TOST/shift tests all accept them
  const base = summarizeSample(baseline);
  const cur = summarizeSample(lot);
  const w = welchTTest(cur, base);
  const p = pooledTTest(cur, base);
  const f = fTest(cur, base);
  const bf = brownForsytheTest([lot, baseline]);
  const ks = kolmogorovSmirnovTwoSample(lot, baseline);
  const eq = equivalenceTost(cur, base, 0.1);
  const ms = meanShift(cur, base);
  return cap.cpk + w.pValue + p.pValue + f.pValueTwoSided + bf.pValue + ks.pValue + eq.pValue + ms.baselineSigmas;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const runs = Math.max(5, Number(process.argv[2] ?? 5));
const N = 10_000;
const CELLS = 720;
const lots = Array.from({ length: CELLS }, (_, c) => gaussian(N, 1000 + c, 0.02 * (c % 7), 1 + 0.01 * (c % 5)));
const baselines = Array.from({ length: CELLS }, (_, c) => gaussian(N, 5000 + c, 0, 1));

let sink = 0;
// warm-up (JIT)
for (let c = 0; c < 20; c++) sink += evaluateCell(lots[c]!, baselines[c]!);

const single: number[] = [];
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  sink += evaluateCell(lots[r % CELLS]!, baselines[r % CELLS]!);
  single.push(performance.now() - t0);
}
const whole: number[] = [];
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  for (let c = 0; c < CELLS; c++) sink += evaluateCell(lots[c]!, baselines[c]!);
  whole.push(performance.now() - t0);
}
console.log(`spc-stats bench (Node ${process.version}, median of ${runs} runs)`);
console.log(`  one 10,000-value cell (capability + A-D + all consistency tests): ${median(single).toFixed(2)} ms`);
console.log(
  `  ${CELLS} cells × 10,000 values (${((CELLS * N) / 1e6).toFixed(1)} M values):            ${(median(whole) / 1000).toFixed(2)} s`,
);
console.log(`  runs (s): ${whole.map((x) => (x / 1000).toFixed(2)).join(', ')}   [checksum ${sink.toFixed(3)}]`);
