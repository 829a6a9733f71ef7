/**
 * Benchmark: I-MR chart + all eight Nelson rules, and I-MR + all eight Western Electric rules, over
 * 1,000,000 values. Prints the median of 7 runs. Target: < 0.5 s each on the 2-core dev machine.
 * Run: npx tsx bench/spc-charts-bench.ts
 */
import { imrChart } from '../src/spc/imr-chart.js';
import type { RuleSelection } from '../src/spc/run-rules.js';

const N = 1_000_000;
const RUNS = 7;

/** Deterministic pseudo-normal data (sum of 4 LCG uniforms) with a small drift, so rules do fire. */
function data(): Float64Array {
  const xs = new Float64Array(N);
  let s = 12345;
  const u = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  for (let i = 0; i < N; i++) xs[i] = 10 + (u() + u() + u() + u() - 2) * 1.7 + (i % 50_000 < 200 ? 1.5 : 0);
  return xs;
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)] as number;
}

const xs = data();
for (const [label, rules] of [
  ['I-MR + Nelson 1-8', { set: 'nelson' }],
  ['I-MR + Western Electric 1-8', { set: 'western-electric' }],
] as [string, RuleSelection][]) {
  imrChart(xs, { rules }); // warm-up
  const times: number[] = [];
  let signals = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const c = imrChart(xs, { rules });
    times.push(performance.now() - t0);
    signals = c.individuals.signals.length;
  }
  console.log(
    `${label}: median ${(median(times) / 1000).toFixed(3)} s over ${RUNS} runs (${N.toLocaleString('en')} values, ${signals} signals)`,
  );
}
