/**
 * How often the default policy holds a healthy lot (false alarm) and catches a shifted lane (power), over
 * many generated product histories — the "Must show" table of issue 14, printed as Markdown for the README.
 *
 *   npx tsx bench/decision-error-rates.ts [--histories 10] [--healthy 30] [--shifted 4] [--units 200]
 *                                         [--product osfp-800g-dr8] [--workers 2]
 *                                         [--quick] [--baselines 5,10] [--k 0,0.2] [--variants all|robust|none]
 *                                         [--pooling parameter|homogeneous-parameters|moderated] [--share 0.5]
 *                                         [--lane-margin 0.1] [--targets-only]
 *                                         [--baseline-stations 4]
 *
 * --quick runs only the 10-lot baseline at k = 0.1, 0.2, 0.3 (the three power targets) and the mixed-k
 * healthy cells, so a policy change can be tried in minutes; --pooling and --share override the default
 * policy's `consistency.laneLotPooling` and `laneAcrossCornersAlphaShare` (the table says what ran); --k picks
 * the main cells' k values, --variants all adds the healthy-only robustness cells to a quick run, robust runs only
 * those (not the mixed-k ones), none drops every variant.
 *
 * Cells: lane × lot variation k ∈ {0, 0.1, 0.2, 0.3} (each lane's own lot offset, in unit-to-unit σ) on top of
 * the lot-wide 0.15σ, with 5-lot and 10-lot baselines. Each history (its own seed) freezes a baseline from its
 * first lots, then evaluates `healthy` healthy lots, `shifted` lots per shift size (1, 1.5, 2σ on one lane of
 * one critical parameter at every corner), one lot whose critical parameter is read by a stuck gauge, and one
 * lot tested on 4 stations of which ATE-03 reads a critical parameter 1σ high.
 * Healthy-only robustness cells at k = 0.2 (both baseline sizes): lane correlation 0.5 with 4 stations, and half
 * of the lane × lot variance corner-specific — the false-hold constraint must not rest on the simplest model.
 * Histories run in worker threads (one per core). Rates carry Wilson 95 % intervals.
 *
 * Beside each power two oracles (bench/lane-oracle.ts), both the same test structure (the across-corners lane
 * test at its share of α, the per-corner lane tests at the rest, Bonferroni in each) simulated from the
 * generator's model with the true variance components known:
 * - "known means" also knows the baseline's true lane means. No procedure has them, so it is an upper bound
 *   that cannot be reached, not the limit.
 * - "known variance components" estimates the lane means from the baseline's B lots as any procedure must:
 *   the lane contrast's predictive variance gains k²·f/B + f/(nB) (f = L/(L − 1)), normal reference. This is
 *   issue 14's oracle, the limit no procedure with a B-lot baseline can beat at that α and margin; the
 *   procedure itself pays the t quantile of its estimated variance on top.
 * --lane-margin overrides the policy's lane margin (the minimum practical lane shift, in σ; by default the
 * policy's maxLaneShiftSigmaByBaselineLots entry for the baseline size, else maxLaneShiftSigma) with one value
 * for every baseline size, for the procedure and both oracles.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { findProduct } from '../src/domain/catalog.js';
import { rate } from './wilson-interval.js';
import { parameterCorners } from '../src/domain/spec-limits.js';
import { findPolicy } from '../src/acceptance/policy-catalog.js';
import { laneShiftMargin } from '../src/domain/acceptance-policy.js';
import { buildBaseline } from '../src/evaluate/build-baseline.js';
import { evaluateLot } from '../src/evaluate/evaluate-lot.js';
import { laneOraclePower } from './lane-oracle.js';
import {
  DEFAULT_ACROSS_CORNERS_SHARE,
  DEFAULT_LANE_LOT_POOLING,
  laneLotComponents,
  type LaneLotPoolingMode,
} from '../src/evaluate/lane-across-corners.js';
import { readFileSync } from 'node:fs';
import { generateHistory, SeededRandom } from '../src/sim/index.js';
import { toLotData } from '../src/sim/to-lot-data.js';

const K_VALUES = [0, 0.1, 0.2, 0.3] as const;
const BASELINES = [5, 10] as const;
const SHIFTS = [1, 1.5, 2] as const;

/** Healthy-only robustness cells (k = 0.2): the false-hold constraint must not rest on the generator's simplest case. */
const VARIANTS = {
  main: {},
  'lane-correlation 0.5, 4 stations': { laneCorrelation: 0.5, stations: 4 },
  'half the lane × lot variance corner-specific': { laneLotCornerShare: 0.5 },
  'mixed k: 0 and 0.3': {},
  'mixed k: 0.2 and 0.3': {},
} as const;
/**
 * Mixed-k cells: the measured lane parameters alternate between two lane × lot σ (in the spec's order), so
 * pooling them would be wrong — the false-hold bound must hold where the homogeneity check has to say no.
 */
const MIXED_K: Partial<Record<Variant, readonly [number, number]>> = {
  'mixed k: 0 and 0.3': [0, 0.3],
  'mixed k: 0.2 and 0.3': [0.2, 0.3],
};
type Variant = keyof typeof VARIANTS;

interface Task {
  readonly variant: Variant;
  readonly k: number;
  readonly baselineLots: number;
  readonly history: number;
  readonly healthy: number;
  readonly shifted: number;
  readonly units: number;
  readonly product: string;
  readonly pooling: LaneLotPoolingMode;
  readonly share: number;
  /** --lane-margin: one maxLaneShiftSigma for every baseline size; null: the default policy's (by baseline size). */
  readonly laneMargin:
    number | null; /** Only issue 14's target shift for this k ({@link targetShift}), so its cell gets every shifted lot. */
  readonly targetsOnly: boolean;
  /** Stations the baseline lots were tested on (1: one, so the baseline records no station offsets). */
  readonly baselineStations: number;
}

/** Issue 14's power target for a lane × lot σ k: caught ≥ 95 % at 1σ for k ≤ 0.1, 1.5σ at 0.2, 2σ at 0.3. */
function targetShift(k: number): number {
  return k <= 0.1 ? 1 : k <= 0.2 ? 1.5 : 2;
}

interface Outcome {
  readonly task: Task;
  healthyLots: number;
  healthyHeld: number;
  shifted: Record<
    string,
    { lots: number; caught: number; wrongLane: number; familySizes: number[]; acrossCornerTests: number[]; corners: number[] }
  >;
  /**
   * Per shifted lot: did the shifted parameter's across-corners lane test borrow df from the other parameters
   * (pooled or moderated), was its own lane × lot estimate above its expectation, the SE (√ of the lane × lot
   * mean square) and df it was judged with, the oracle's √(true mean square), and whether it was caught.
   */
  shiftedDetail: { sigma: number; borrowed: boolean; ownHigh: boolean; seUsed: number; seTrue: number; df: number; caught: boolean }[];
  stuckLots: number;
  stuckHeld: number;
  stationLots: number;
  stationNamed: number;
  reasons: Record<string, number>;
  /** Mixed-k cells: did the baseline pool a parameter of the larger k with one of the smaller? */
  pooledAcrossK: boolean;
  pooledParameters: number;
}

function runHistory(task: Task): Outcome {
  const spec = findProduct(task.product);
  const base = findPolicy('default');
  const policy = {
    ...base,
    consistency: {
      ...base.consistency,
      laneLotPooling: task.pooling,
      laneAcrossCornersAlphaShare: task.share,
      ...(task.laneMargin === null ? {} : { maxLaneShiftSigma: task.laneMargin, maxLaneShiftSigmaByBaselineLots: [] }),
    },
  };
  const shiftable = spec.parameters
    .filter((p) => p.scope === 'lane' && !p.derived && p.critical && p.spcScale !== 'log10')
    .map((p) => p.id);
  const pick = new SeededRandom('decision-error-rates', task.k, task.baselineLots, task.history, 'pick');
  const lots = [
    ...Array.from({ length: task.baselineLots }, (_, i) => ({
      lot: `Q${i + 1}`,
      units: task.units,
      ...(task.baselineStations > 1 ? { stations: task.baselineStations } : {}),
    })),
    ...Array.from({ length: task.healthy }, (_, i) => ({ lot: `H${i}`, units: task.units })),
    ...(task.variant !== 'main' ? [] : task.targetsOnly ? [targetShift(task.k)] : SHIFTS).flatMap((sigma) =>
      Array.from({ length: task.shifted }, (_, i) => ({
        lot: `S${String(sigma).replace('.', 'p')}-${i}`,
        units: task.units,
        shifts: [{ parameter: pick.pick(shiftable), lane: pick.integer(0, spec.laneCount - 1), sigma }],
      })),
    ),
    ...(task.variant !== 'main'
      ? []
      : [
          { lot: 'STUCK', units: task.units, stuck: [{ parameter: pick.pick(shiftable), lane: pick.integer(0, spec.laneCount - 1) }] },
          {
            lot: 'STATION',
            units: task.units,
            stations: 4,
            stationOffsets: [{ station: 'ATE-03', parameter: pick.pick(shiftable), sigma: 1 }],
          },
        ]),
  ];
  const mixed = MIXED_K[task.variant];
  const laneLotSigmaByParameter = mixed
    ? Object.fromEntries(spec.parameters.filter((p) => p.scope === 'lane' && !p.derived).map((p, i) => [p.id, mixed[i % 2]!] as const))
    : undefined;
  const data = generateHistory({
    product: spec,
    seed: `error-rates/${task.variant === 'main' ? '' : `${task.variant}/`}${task.k}/${task.baselineLots}/${task.history}`,
    lotDefaults: { laneLotSigma: task.k, ...VARIANTS[task.variant], ...(laneLotSigmaByParameter ? { laneLotSigmaByParameter } : {}) },
    lots,
  }).map(toLotData);
  const baseline = {
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    payload: buildBaseline({ spec, lots: data.slice(0, task.baselineLots), createdBy: 'study' }),
  };
  const out: Outcome = {
    task,
    healthyLots: 0,
    healthyHeld: 0,
    shifted: {},
    stuckLots: 0,
    stuckHeld: 0,
    stationLots: 0,
    stationNamed: 0,
    reasons: {},
    pooledAcrossK: false,
    shiftedDetail: [],
    pooledParameters: Math.max(0, ...(baseline.payload.acrossCorners ?? []).map((a) => a.laneLotPool?.parameters.length ?? 0)),
  };
  if (mixed && laneLotSigmaByParameter) {
    const pooled = (baseline.payload.acrossCorners ?? []).find((a) => a.laneLotPool)?.laneLotPool?.parameters ?? [];
    out.pooledAcrossK = new Set(pooled.map((p) => laneLotSigmaByParameter[p])).size > 1;
  }
  for (const s of SHIFTS)
    out.shifted[String(s)] = { lots: 0, caught: 0, wrongLane: 0, familySizes: [], acrossCornerTests: [], corners: [] };
  const acrossCornerTests = (baseline.payload.acrossCorners ?? []).reduce((a, c) => a + c.lanes.length, 0);
  data.slice(task.baselineLots).forEach((lot, i) => {
    const r = evaluateLot({ lot, spec, policy, baseline, revision: 1 });
    const def = lots[task.baselineLots + i] as {
      lot: string;
      shifts?: { parameter: string; lane: number; sigma: number }[];
      stationOffsets?: { station: string; parameter: string }[];
    };
    const notAccepted = r.proposal.disposition !== 'ACCEPT';
    if (def.lot.startsWith('H')) {
      out.healthyLots++;
      if (notAccepted) out.healthyHeld++;
      for (const x of r.proposal.reasons) if (x.severity !== 'INFO') out.reasons[x.code] = (out.reasons[x.code] ?? 0) + 1;
    } else if (def.lot === 'STATION') {
      const target = def.stationOffsets![0]!;
      out.stationLots++;
      if (r.proposal.reasons.some((x) => x.code === 'station-shift' && x.station === target.station && x.parameter === target.parameter))
        out.stationNamed++;
    } else if (def.lot === 'STUCK') {
      out.stuckLots++;
      if (r.proposal.reasons.some((x) => x.code === 'statistics-unavailable' && x.severity === 'HOLD')) out.stuckHeld++;
    } else {
      const target = def.shifts![0]!;
      const t = out.shifted[String(target.sigma)]!;
      t.lots++;
      t.familySizes.push(r.family.tests);
      t.acrossCornerTests.push(acrossCornerTests);
      t.corners.push(parameterCorners(spec, target.parameter).length);
      const caught = r.proposal.reasons.some(
        (x) => x.severity !== 'INFO' && x.parameter === target.parameter && (x.lane === target.lane || x.lane === null),
      );
      if (caught) t.caught++;
      const ac = (baseline.payload.acrossCorners ?? []).find((a) => a.parameter === target.parameter);
      if (ac !== undefined) {
        const used = laneLotComponents(ac, task.pooling);
        const f = spec.laneCount / (spec.laneCount - 1);
        const kTrue = mixed && laneLotSigmaByParameter ? laneLotSigmaByParameter[target.parameter]! : task.k;
        const vTrue = kTrue * kTrue * f + ac.laneContrastSamplingVariance;
        out.shiftedDetail.push({
          sigma: target.sigma,
          borrowed: used.laneLotDf > ac.laneLotDf + 0.5,
          ownHigh: ac.laneContrastVariance > vTrue,
          seUsed: Math.sqrt(used.laneContrastVariance),
          seTrue: Math.sqrt(vTrue),
          df: used.laneLotDf,
          caught,
        });
      }
      // Attribution: a lane-shift reason naming another lane of the shifted parameter sends an engineer to the wrong laser.
      if (r.proposal.reasons.some((x) => x.code === 'lane-shift' && x.parameter === target.parameter && x.lane !== target.lane))
        t.wrongLane++;
    }
  });
  return out;
}

/**
 * Where the shifted lots' power goes: split by whether the shifted parameter borrowed df from the others
 * (pooled / moderated) or kept its own, and whether its own lane × lot estimate was above its expectation;
 * each with the catch rate, the median df and the median ratio of the √ mean square used to the true one.
 */
function shiftDiagnostics(b: number, k: number, cell: readonly Outcome[]): string {
  const target = targetShift(k);
  const rows = cell.flatMap((o) => o.shiftedDetail).filter((r) => r.sigma === target);
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const part = (label: string, sel: typeof rows): string =>
    sel.length === 0
      ? `${label} 0 lots`
      : `${label} ${rate(
          sel.filter((r) => r.caught).length,
          sel.length,
        )}, median df ${median(sel.map((r) => r.df)).toFixed(0)}, SE used / true ${median(sel.map((r) => r.seUsed / r.seTrue)).toFixed(2)}`;
  const groups = [
    ['borrowed df, own estimate low:', rows.filter((r) => r.borrowed && !r.ownHigh)],
    ['borrowed df, own high:', rows.filter((r) => r.borrowed && r.ownHigh)],
    ['own df, own low:', rows.filter((r) => !r.borrowed && !r.ownHigh)],
    ['own df, own high:', rows.filter((r) => !r.borrowed && r.ownHigh)],
  ] as const;
  return `- ${b}-lot baseline, k = ${k}, ${target}σ shifted lots: ${groups.map(([l, sel]) => part(l, sel)).join('; ')}.`;
}

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const histories = Number(flag('histories', '10'));
  const healthy = Number(flag('healthy', '30'));
  const shifted = Number(flag('shifted', '4'));
  const units = Number(flag('units', '200'));
  const product = flag('product', 'osfp-800g-dr8');
  const workers = Number(flag('workers', '2'));
  const quick = process.argv.includes('--quick');
  const pooling = flag('pooling', findPolicy('default').consistency.laneLotPooling ?? DEFAULT_LANE_LOT_POOLING) as LaneLotPoolingMode;
  if (pooling !== 'parameter' && pooling !== 'homogeneous-parameters' && pooling !== 'moderated')
    throw new Error(`--pooling ${String(pooling)}: parameter, homogeneous-parameters or moderated`);
  const defaultPolicy = findPolicy('default');
  const share = Number(flag('share', String(defaultPolicy.consistency.laneAcrossCornersAlphaShare ?? DEFAULT_ACROSS_CORNERS_SHARE)));
  // Without --lane-margin the default policy's margin for each baseline size (maxLaneShiftSigmaByBaselineLots).
  const laneMargin = process.argv.includes('--lane-margin') ? Number(flag('lane-margin', '')) : null;
  if (laneMargin !== null && !(laneMargin >= 0))
    throw new Error(`--lane-margin ${flag('lane-margin', '')}: a lane shift in σ, 0 or more (default: the policy's by baseline size)`);
  const marginFor = (baselineLots: number): number => laneMargin ?? laneShiftMargin(defaultPolicy, baselineLots);
  // --targets-only: each k's shifted lots all at issue 14's target shift for that k (the other shift cells stay empty).
  const targetsOnly = process.argv.includes('--targets-only');
  const only = flag('baselines', '');
  const baselines: readonly number[] = only !== '' ? only.split(',').map(Number) : quick ? [10] : BASELINES;
  const marginWords =
    laneMargin !== null
      ? `maxLaneShiftSigma ${laneMargin}`
      : `lane margin ${baselines.map((b) => `${marginFor(b)} with ${b} baseline lots`).join(', ')}`;
  const onlyK = flag('k', '');
  const kValues: readonly number[] = onlyK !== '' ? onlyK.split(',').map(Number) : quick ? K_VALUES.filter((k) => k > 0) : K_VALUES;
  // --variants all: the healthy-only robustness cells too (quick runs only the mixed-k ones); none: main cells only.
  const variantFlag = flag('variants', '');
  const variants = (Object.keys(VARIANTS) as Variant[]).filter(
    (v) =>
      v !== 'main' &&
      variantFlag !== 'none' &&
      (variantFlag === 'all' || (variantFlag === 'robust' ? MIXED_K[v] === undefined : !quick || MIXED_K[v] !== undefined)),
  );
  // --baseline-stations 4: the baseline lots tested on 4 stations reading alike, so the station test also
  // carries the error of the station offsets the baseline records (src/evaluate/station-effects.ts).
  const baselineStations = Number(flag('baseline-stations', '1'));
  const common = { units, product, pooling, share, laneMargin, targetsOnly, baselineStations };
  const tasks: Task[] = [];
  for (let h = 0; h < histories; h++)
    for (const baselineLots of baselines)
      for (const k of kValues) tasks.push({ variant: 'main', k, baselineLots, history: h, healthy, shifted, ...common });
  for (let h = 0; h < histories; h++)
    for (const baselineLots of baselines)
      for (const variant of variants)
        tasks.push({ variant, k: MIXED_K[variant] ? 0 : 0.2, baselineLots, history: h, healthy, shifted: 0, ...common });
  const started = performance.now();
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, tasks.length) }, async () => {
      const worker = new Worker(fileURLToPath(new URL('./decision-error-rates-worker.mjs', import.meta.url)), {
        workerData: { worker: true },
      });
      try {
        while (next < tasks.length) {
          const task = tasks[next++]!;
          // One error listener per task, removed with its task (a leftover per task trips Node's leak warning).
          const outcome = await new Promise<Outcome>((resolve, reject) => {
            const onError = (err: Error): void => reject(err);
            worker.once('message', (o: Outcome) => {
              worker.off('error', onError);
              resolve(o);
            });
            worker.once('error', onError);
            worker.postMessage(task);
          });
          outcomes.push(outcome);
          process.stderr.write(
            `${outcomes.length}/${tasks.length} histories (k = ${task.k}, ${task.baselineLots}-lot baseline) ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
          );
        }
      } finally {
        await worker.terminate();
      }
    }),
  );

  const spec = findProduct(product);
  const policy = defaultPolicy;
  const alpha = policy.consistency.alpha;
  const lines: string[] = [];
  lines.push(
    `Default policy (laneLotPooling ${pooling}, laneAcrossCornersAlphaShare ${share}, ${marginWords}), ${product} (${spec.laneCount} lanes), ${units}-unit lots, lot-wide lot-to-lot σ 0.15σ; ${histories} histories per cell, ${healthy} healthy lots and ${shifted} lots per shift size per history (\`npx tsx bench/decision-error-rates.ts --histories ${histories} --healthy ${healthy} --shifted ${shifted} --units ${units} --product ${product}${quick ? ' --quick' : ''}${only !== '' ? ` --baselines ${only}` : ''}${onlyK !== '' ? ` --k ${onlyK}` : ''}${variantFlag !== '' ? ` --variants ${variantFlag}` : ''}${targetsOnly ? ' --targets-only' : ''}${baselineStations > 1 ? ` --baseline-stations ${baselineStations}` : ''} --pooling ${pooling} --share ${share}${laneMargin === null ? '' : ` --lane-margin ${laneMargin}`}\`, ${((performance.now() - started) / 60000).toFixed(0)} min on ${workers} workers; load average after: ${readFileSync('/proc/loadavg', 'utf8').trim()}). Rates with Wilson 95 % intervals; in brackets two oracles of the same test structure (bench/lane-oracle.ts): knowing the true variance components and the baseline's true lane means / knowing the true variance components, the lane means estimated from the baseline's lots as any procedure must.`,
  );
  lines.push('');
  lines.push(
    '| baseline | k (lane × lot σ) | healthy lots held or rejected | 1σ one lane caught (oracle: known means / known variance components) | 1.5σ caught (oracles) | 2σ caught (oracles) |',
  );
  lines.push('|---|---|---|---|---|---|');
  const reasons: Record<string, number> = {};
  let stuckLots = 0;
  let stuckHeld = 0;
  let stationLots = 0;
  let stationNamed = 0;
  let shiftedLots = 0;
  let wrongLane = 0;
  const diagnostics: string[] = [];
  for (const b of baselines)
    for (const k of kValues) {
      const cell = outcomes.filter((o) => o.task.variant === 'main' && o.task.k === k && o.task.baselineLots === b);
      const hl = cell.reduce((a, o) => a + o.healthyLots, 0);
      const hh = cell.reduce((a, o) => a + o.healthyHeld, 0);
      for (const o of cell) {
        stuckLots += o.stuckLots;
        stuckHeld += o.stuckHeld;
        stationLots += o.stationLots;
        stationNamed += o.stationNamed;
        for (const [code, v] of Object.entries(o.reasons)) reasons[code] = (reasons[code] ?? 0) + v;
      }
      const cols = SHIFTS.map((s) => {
        const all = cell.map((o) => o.shifted[String(s)]!);
        const n = all.reduce((a, t) => a + t.lots, 0);
        const caught = all.reduce((a, t) => a + t.caught, 0);
        shiftedLots += n;
        wrongLane += all.reduce((a, t) => a + t.wrongLane, 0);
        const fam = all.flatMap((t) => t.familySizes);
        const acr = all.flatMap((t) => t.acrossCornerTests);
        const corners = all.flatMap((t) => t.corners);
        const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 1;
        if (n === 0) return '—';
        const oracleCell = {
          shift: s,
          laneLotSigma: k,
          lanes: spec.laneCount,
          units,
          corners: median(corners),
          acrossCornerTests: median(acr),
          otherTests: median(fam) - median(acr),
          alpha,
          share,
          margin: marginFor(b),
        };
        const knownMeans = laneOraclePower(oracleCell);
        const knownComponents = laneOraclePower({ ...oracleCell, baselineLots: b });
        return `${rate(caught, n)} (${(100 * knownMeans).toFixed(0)} % / ${(100 * knownComponents).toFixed(0)} %)`;
      });
      lines.push(`| ${b} lots | ${k} | ${rate(hh, hl)} | ${cols.join(' | ')} |`);
      diagnostics.push(shiftDiagnostics(b, k, cell));
    }
  lines.push('');
  lines.push(...diagnostics);
  lines.push('');
  for (const variant of variants) {
    for (const b of baselines) {
      const cell = outcomes.filter((o) => o.task.variant === variant && o.task.baselineLots === b);
      for (const o of cell) for (const [code, v] of Object.entries(o.reasons)) reasons[code] = (reasons[code] ?? 0) + v;
      lines.push(
        `Healthy lots, ${MIXED_K[variant] ? `lane parameters alternating k = ${MIXED_K[variant].join(' / ')}` : `k = 0.2, ${variant}`}, ${b}-lot baseline: held or rejected ${rate(
          cell.reduce((a, o) => a + o.healthyHeld, 0),
          cell.reduce((a, o) => a + o.healthyLots, 0),
        )}${MIXED_K[variant] ? `; baselines pooling parameters of both k: ${cell.filter((o) => o.pooledAcrossK).length}/${cell.length}` : ''}.`,
      );
    }
  }
  const pooledCounts = outcomes.filter((o) => o.task.variant === 'main').map((o) => o.pooledParameters);
  lines.push(
    `Main cells: parameters in the baseline's lane × lot pool (median over ${pooledCounts.length} baselines): ${[...pooledCounts].sort((a, b) => a - b)[Math.floor(pooledCounts.length / 2)] ?? 0}.`,
  );
  lines.push(`Lots with one lane shifted whose lane-shift reasons also name another lane: ${rate(wrongLane, shiftedLots)}.`);
  lines.push(`Stuck gauge on a critical parameter (one lane): held ${rate(stuckHeld, stuckLots)}.`);
  lines.push(
    `Station offset of 1σ on one of 4 stations (one critical parameter): the reason names the station ${rate(stationNamed, stationLots)}.`,
  );
  lines.push(
    `Reasons on healthy lots: ${
      Object.entries(reasons)
        .map(([c, v]) => `${c} ${v}`)
        .join(', ') || 'none'
    }.`,
  );
  console.log(lines.join('\n'));
}

if (isMainThread) {
  await main();
} else if ((workerData as { worker?: boolean } | null)?.worker) {
  parentPort!.on('message', (task: Task) => parentPort!.postMessage(runHistory(task)));
}
