/**
 * What the lane margin (policy `maxLaneShiftSigma`, by baseline size `maxLaneShiftSigmaByBaselineLots`) protects: with no lane × lot variation (k = 0) and a
 * large lot, the lane test's standard error is tiny, so without a margin a harmless lane shift of a few
 * hundredths of σ would hold the lot. This freezes a baseline from `--baseline-lots` generated lots, then
 * judges `--lots` lots of `--units` units per shift size with one lane of one critical parameter shifted at
 * every corner, by the real buildBaseline/evaluateLot and the default policy with `--lane-margin`, and
 * prints how often the shifted lane was held for a lane shift — the smallest shift a large lot holds.
 *
 *   npx tsx bench/lane-margin-large-lot.ts [--units 10000] [--baseline-lots 10] [--baseline-units 200]
 *                                          [--lots 3] [--shifts 0,0.1,0.15,0.2] [--lane-margin 0.1]
 *                                          [--product qsfp112-400g-dr4]
 */
import { readFileSync } from 'node:fs';
import { findPolicy } from '../src/acceptance/policy-catalog.js';
import { findProduct } from '../src/domain/catalog.js';
import { laneShiftMargin } from '../src/domain/acceptance-policy.js';
import { buildBaseline } from '../src/evaluate/build-baseline.js';
import { evaluateLot } from '../src/evaluate/evaluate-lot.js';
import { generateHistory, SeededRandom } from '../src/sim/index.js';
import { toLotData } from '../src/sim/to-lot-data.js';
import { rate } from './wilson-interval.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const units = Number(flag('units', '10000'));
const baselineLots = Number(flag('baseline-lots', '10'));
const baselineUnits = Number(flag('baseline-units', '200'));
const lotsPerShift = Number(flag('lots', '3'));
const shifts = flag('shifts', '0,0.1,0.15,0.2').split(',').map(Number);
const product = flag('product', 'qsfp112-400g-dr4');
const base = findPolicy('default');
// Default: the policy's margin for this baseline size; --lane-margin replaces it (and the by-size table) for every size.
const margin = Number(flag('lane-margin', String(laneShiftMargin(base, baselineLots))));
const policy = { ...base, consistency: { ...base.consistency, maxLaneShiftSigma: margin, maxLaneShiftSigmaByBaselineLots: [] } };
const spec = findProduct(product);
const shiftable = spec.parameters.filter((p) => p.scope === 'lane' && !p.derived && p.critical && p.spcScale !== 'log10').map((p) => p.id);
const seed = 'lane-margin-large-lot';
const baselineDefs = Array.from({ length: baselineLots }, (_, i) => ({ lot: `Q${i + 1}`, units: baselineUnits }));
const lotDefaults = { laneLotSigma: 0 };
const baseline = {
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  payload: buildBaseline({
    spec,
    lots: generateHistory({ product: spec, seed, lotDefaults, lots: baselineDefs }).map(toLotData),
    createdBy: 'bench',
  }),
};
const pick = new SeededRandom(seed, 'pick');
const started = performance.now();
const lines: string[] = [];
for (const sigma of shifts) {
  let held = 0;
  let heldOther = 0;
  for (let i = 0; i < lotsPerShift; i++) {
    const target = { parameter: pick.pick(shiftable), lane: pick.integer(0, spec.laneCount - 1), sigma };
    const lot = `S${sigma}-${i}`;
    // The baseline lots again (same seeds, same readings) so the new lot follows them in time.
    const data = generateHistory({
      product: spec,
      seed,
      lotDefaults,
      lots: [...baselineDefs, { lot, units, ...(sigma > 0 ? { shifts: [target] } : {}) }],
    }).map(toLotData);
    const r = evaluateLot({ lot: data[baselineLots]!, spec, policy, baseline, revision: 1 });
    const lane = r.proposal.reasons.filter((x) => x.code === 'lane-shift' && x.severity !== 'INFO');
    if (lane.some((x) => x.parameter === target.parameter && x.lane === target.lane)) held++;
    else if (r.proposal.disposition !== 'ACCEPT') heldOther++;
    process.stderr.write(
      `${sigma}σ lot ${i + 1}/${lotsPerShift}: ${r.proposal.disposition}; ${lane.map((x) => x.message).join(' | ') || 'no lane-shift reason'} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
    );
  }
  lines.push(`| ${sigma} | ${rate(held, lotsPerShift)} | ${heldOther} |`);
}
console.log(
  `${product}, k = 0, ${units}-unit lots against a ${baselineLots}-lot baseline of ${baselineUnits}-unit lots, maxLaneShiftSigma ${margin} (\`npx tsx bench/lane-margin-large-lot.ts --units ${units} --baseline-lots ${baselineLots} --baseline-units ${baselineUnits} --lots ${lotsPerShift} --shifts ${shifts.join(',')} --lane-margin ${margin} --product ${product}\`, ${((performance.now() - started) / 60000).toFixed(1)} min; load average after: ${readFileSync('/proc/loadavg', 'utf8').trim()})`,
);
console.log('');
console.log('| lane shift (σ, every corner) | held for a lane shift of that lane | held for something else |');
console.log('|---|---|---|');
console.log(lines.join('\n'));
