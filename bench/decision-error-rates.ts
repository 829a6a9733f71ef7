/**
 * How often the default policy holds a healthy lot (false alarm) and catches a shifted one (power),
 * measured over many generated lots — the numbers the README states.
 *
 *   npx tsx bench/decision-error-rates.ts [histories=10] [lotsPerHistory=10] [units=200] [product=osfp-800g-dr8]
 *
 * Each history is a product with its own seed: 5 qualified lots → baseline, then `lotsPerHistory` healthy
 * lots and as many lots with a +1σ (unit-to-unit σ) shift on one random lane of one parameter at every
 * corner, and as many with the shift at a single corner. Lot-to-lot variation of the mean: 0.15σ
 * (the generator's default). Lots are evaluated in memory (toLotData): the file path gives the same data.
 */
import { findProduct } from '../src/domain/catalog.js';
import { parameterCorners } from '../src/domain/spec-limits.js';
import { findPolicy } from '../src/acceptance/policy-catalog.js';
import { buildBaseline } from '../src/evaluate/build-baseline.js';
import { evaluateLot } from '../src/evaluate/evaluate-lot.js';
import { generateHistory } from '../src/sim/index.js';
import { toLotData } from '../src/sim/to-lot-data.js';

const histories = Number(process.argv[2] ?? 10);
const perHistory = Number(process.argv[3] ?? 10);
const units = Number(process.argv[4] ?? 200);
const spec = findProduct(process.argv[5] ?? 'osfp-800g-dr8');
const policy = findPolicy('default');
const shiftable = spec.parameters.filter((p) => p.scope === 'lane' && !p.derived && p.critical && p.spcScale !== 'log10').map((p) => p.id);

interface Tally {
  lots: number;
  held: number;
  rejected: number;
  caught: number;
  reasons: Map<string, number>;
}
const tally = (): Tally => ({ lots: 0, held: 0, rejected: 0, caught: 0, reasons: new Map() });
const healthy = tally();
const shifted = tally();
const shiftedOneCorner = tally();
const started = performance.now();

function wilson(k: number, n: number): string {
  // 95 % Wilson score interval for a binomial proportion.
  const z = 1.959963985;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return `[${(100 * Math.max(0, c - h)).toFixed(1)} %, ${(100 * Math.min(1, c + h)).toFixed(1)} %]`;
}

for (let h = 0; h < histories; h++) {
  const seed = `error-rates-${h}`;
  const baseLots = ['Q1', 'Q2', 'Q3', 'Q4', 'Q5'].map((lot) => ({ lot, units }));
  const cornerOf = (parameter: string, i: number): string => {
    const cs = parameterCorners(spec, parameter);
    return cs[i % cs.length]!;
  };
  const pick = (i: number) => ({ parameter: shiftable[(h * 7 + i * 3) % shiftable.length]!, lane: (h + i) % spec.laneCount });
  const lots = [
    ...baseLots,
    ...Array.from({ length: perHistory }, (_, i) => ({ lot: `H${i}`, units })),
    ...Array.from({ length: perHistory }, (_, i) => ({ lot: `S${i}`, units, shifts: [{ ...pick(i), sigma: 1 }] })),
    ...Array.from({ length: perHistory }, (_, i) => ({
      lot: `C${i}`,
      units,
      shifts: [{ ...pick(i), sigma: 1, corner: cornerOf(pick(i).parameter, i) }],
    })),
  ];
  const generated = generateHistory({ product: spec, seed, lots });
  const data = generated.map(toLotData);
  const baseline = {
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    payload: buildBaseline({ spec, lots: data.slice(0, 5), createdBy: 'study' }),
  };
  data.slice(5).forEach((lot, i) => {
    const r = evaluateLot({ lot, spec, policy, baseline, revision: 1 });
    const kind = lot.lot[0];
    const t = kind === 'H' ? healthy : kind === 'S' ? shifted : shiftedOneCorner;
    t.lots++;
    if (r.proposal.disposition === 'HOLD') t.held++;
    if (r.proposal.disposition === 'REJECT') t.rejected++;
    const target = (lots[5 + i] as { shifts?: { parameter: string; lane: number }[] }).shifts?.[0];
    if (
      target &&
      r.proposal.reasons.some(
        (x) => x.severity !== 'INFO' && x.parameter === target.parameter && (x.lane === target.lane || x.lane === null),
      )
    )
      t.caught++;
    for (const x of r.proposal.reasons) if (x.severity !== 'INFO') t.reasons.set(x.code, (t.reasons.get(x.code) ?? 0) + 1);
  });
  process.stderr.write(`history ${h + 1}/${histories} done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
}

const line = (name: string, t: Tally, what: string, k: number) =>
  `${name.padEnd(44)} ${String(t.lots).padStart(5)} lots  ${what} ${String(k).padStart(4)} = ${((100 * k) / t.lots).toFixed(1).padStart(5)} %  95 % CI ${wilson(k, t.lots)}`;
console.log(`default policy, ${spec.productId}, ${units}-unit lots, lot-to-lot σ of the mean 0.15σ, ${histories} product histories`);
console.log(line('healthy lots held or rejected (false alarm)', healthy, 'not accepted', healthy.held + healthy.rejected));
console.log(line('+1σ on one lane, all corners: shift caught', shifted, 'caught', shifted.caught));
console.log(line('+1σ on one lane, one corner: shift caught', shiftedOneCorner, 'caught', shiftedOneCorner.caught));
for (const [name, t] of [
  ['healthy', healthy],
  ['shifted', shifted],
  ['one corner', shiftedOneCorner],
] as const) {
  console.log(`  reasons on ${name} lots: ${[...t.reasons].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
}
console.log(`(${((performance.now() - started) / 1000).toFixed(0)} s)`);
