/**
 * Batch-to-batch trend with the default settings (TREND_DEFAULTS): how often a healthy history signals, and
 * how many lots a slow drift takes to be caught — printed as Markdown for the README's "How a lot is decided".
 *
 *   npx tsx bench/trend-run-length.ts [--histories 100] [--groups 24] [--lots 25] [--drift-histories 300] [--beta 0.1]
 *
 * `--beta` overrides the phase I bound's β (TREND_DEFAULTS.phaseOneBeta), for choosing the default.
 *
 * Each simulated history (bench/trend-simulation.ts: the real variance components and trend charts) has a
 * baseline of 5 or 10 lots of 200 units and 4 lanes, lot-wide σ 0.15 and lane × lot σ 0.1 (in within-lot σ),
 * then `lots` healthy lots. A product has `groups` critical parameter × corner groups (24 on
 * qsfp112-400g-dr4: 8 critical parameters × 3 corners), simulated independently; a lot "signals" when any
 * chart of any group does. Drift: 0.1σ per lot after the baseline on one group; run length = lots until the
 * first signal. Rates carry Wilson 95 % intervals; the median run length a distribution-free 95 % interval.
 */
import { TREND_DEFAULTS } from '../src/domain/acceptance-policy.js';
import { simulateTrendHistory } from './trend-simulation.js';
import { wilson } from './wilson-interval.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Median of sorted `x` with the order-statistic 95 % interval (normal approximation to the binomial). */
function medianWithInterval(x: readonly number[]): [number, number, number] {
  const n = x.length;
  const half = (1.959963985 * Math.sqrt(n)) / 2;
  const lo = Math.max(0, Math.floor(n / 2 - half));
  const hi = Math.min(n - 1, Math.ceil(n / 2 + half));
  return [x[Math.floor(n / 2)]!, x[lo]!, x[hi]!];
}

const histories = arg('histories', 100);
const groups = arg('groups', 24);
const lots = arg('lots', 25);
const driftHistories = arg('drift-histories', 300);
const settings = { ...TREND_DEFAULTS, phaseOneBeta: arg('beta', TREND_DEFAULTS.phaseOneBeta) };
const base = { lanes: 4, units: 200, lotSigma: 0.15, laneLotSigma: 0.1, settings };
const pct = (k: number, n: number): string => {
  const [a, b] = wilson(k, n);
  return `${((100 * k) / n).toFixed(2)} % [${a.toFixed(2)}, ${b.toFixed(2)}]`;
};

console.log(
  `Trend settings: EWMA λ = ${settings.ewmaLambda}, L = ${settings.ewmaL}; CUSUM k = ${settings.cusumK}, h = ${settings.cusumH}; phase I bound β = ${settings.phaseOneBeta}\n`,
);
console.log(
  '| baseline | healthy lots signalling, per parameter × corner: lot-mean charts | lot-σ charts | any, per product of ' +
    groups +
    ' groups | healthy histories with any signal | lot-σ charts, per product | median lots to catch 0.1σ/lot drift [95 %] | caught within 10 lots |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const baselineLots of [5, 10]) {
  let groupMean = 0;
  let groupSigma = 0;
  let productSignals = 0;
  let productSigma = 0;
  // Signals cluster in histories whose baseline happened to underestimate (every later lot shares phase I),
  // so the per-lot Wilson interval is too narrow; the share of histories that ever signal shows the clustering.
  let historiesSignalling = 0;
  for (let h = 0; h < histories; h++) {
    const any = new Array<boolean>(lots).fill(false);
    const anySigma = new Array<boolean>(lots).fill(false);
    for (let g = 0; g < groups; g++) {
      const r = simulateTrendHistory({ ...base, seed: `healthy-${baselineLots}-${h}-${g}`, baselineLots, lots, driftPerLot: 0 });
      r.signalled.forEach((s, i) => {
        if (s) any[i] = true;
        if (r.meanSignalled[i]) groupMean++;
        if (r.sigmaSignalled[i]) {
          groupSigma++;
          anySigma[i] = true;
        }
      });
    }
    productSignals += any.filter(Boolean).length;
    if (any.some(Boolean)) historiesSignalling++;
    productSigma += anySigma.filter(Boolean).length;
  }
  const runs: number[] = [];
  for (let h = 0; h < driftHistories; h++) {
    const r = simulateTrendHistory({ ...base, seed: `drift-${baselineLots}-${h}`, baselineLots, lots: 60, driftPerLot: 0.1 });
    const i = r.signalled.indexOf(true);
    runs.push(i < 0 ? Infinity : i + 1);
  }
  runs.sort((a, b) => a - b);
  const [m, lo, hi] = medianWithInterval(runs);
  const within10 = runs.filter((x) => x <= 10).length;
  console.log(
    `| ${baselineLots} lots | ${pct(groupMean, histories * groups * lots)} | ${pct(groupSigma, histories * groups * lots)} | ${pct(productSignals, histories * lots)} | ${pct(historiesSignalling, histories)} | ${pct(productSigma, histories * lots)} | ${m} [${lo}, ${hi}] | ${pct(within10, driftHistories)} |`,
  );
}
console.log(
  `\n${histories} healthy histories × ${lots} lots × ${groups} groups and ${driftHistories} drifting histories per baseline size.`,
);
