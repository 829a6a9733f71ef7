/**
 * @module phase-one — Phase I baselines (estimate, remove assignable causes, re-estimate, freeze) and
 * Phase II evaluation against the frozen limits (spc-reference §1.5; Montgomery §6.2, §7.2).
 *
 * Phase I iterates: chart the kept points → collect the out-of-control points (every point that takes
 * part in a signal on the main chart or its dispersion chart) → ask which of them have an assignable
 * cause → drop those → repeat, until no signalled point has a cause (or `maxIterations`). Points
 * without a cause stay in the baseline, as practice requires. Causes come either as a list
 * (index + reason; a listed point is dropped only once it actually signals, so a stale list cannot
 * silently thin a good baseline — unused entries are reported back) or as a callback that sees the
 * signalled points and returns the ones with causes.
 *
 * The result's `frozen` object is plain JSON (see {@link FrozenLimits}); `phaseTwo` evaluates new data
 * against it without re-estimating anything.
 */
import type { ControlChart, FrozenLimits, RemovedPoint, Signal } from './chart-types.js';
import { npChart, pChart, uChart, cChart } from './attribute-charts.js';
import { imrChart } from './imr-chart.js';
import type { RuleSelection } from './run-rules.js';
import type { SubgroupInput } from './sigma-estimators.js';
import { SpcInputError } from './spc-error.js';
import { xbarRChart, type SubgroupSigmaEstimator } from './xbar-r-chart.js';
import { xbarSChart } from './xbar-s-chart.js';

/** Data for a baseline or for monitoring, by chart family. Indices refer to the points in this order. */
export type ChartData =
  | { readonly chart: 'imr'; readonly values: ArrayLike<number>; readonly span?: number }
  | { readonly chart: 'xbar-r' | 'xbar-s'; readonly subgroups: SubgroupInput; readonly estimator?: SubgroupSigmaEstimator }
  | { readonly chart: 'p'; readonly defectives: ArrayLike<number>; readonly sizes: number | ArrayLike<number> }
  | { readonly chart: 'np'; readonly defectives: ArrayLike<number>; readonly size: number }
  | { readonly chart: 'u'; readonly counts: ArrayLike<number>; readonly units: number | ArrayLike<number> }
  | { readonly chart: 'c'; readonly counts: ArrayLike<number> };

export interface AssignableCause {
  /** Index of the point (observation, subgroup or sample) in the Phase I data. */
  readonly index: number;
  readonly reason: string;
}

/** A point that takes part in at least one signal. */
export interface OutOfControlPoint {
  readonly index: number;
  readonly signals: Signal[];
}

/** Decides which signalled points have an assignable cause (return [] to stop). */
export type CauseDecider = (points: readonly OutOfControlPoint[], iteration: number) => readonly AssignableCause[];

export interface PhaseOneOptions {
  readonly causes?: readonly AssignableCause[] | CauseDecider;
  /** L. @defaultValue 3 */
  readonly sigmaMultiplier?: number;
  /** Rules on the main chart. @defaultValue `{ set: 'nelson', rules: [1] }` */
  readonly rules?: RuleSelection | readonly RuleSelection[];
  /** @defaultValue 20 */
  readonly maxIterations?: number;
}

/** The main chart (I, X̄, p, np, u, c) and its dispersion companion (MR, R, S; null for attributes). */
export interface ChartPair {
  readonly primary: ControlChart;
  readonly secondary: ControlChart | null;
}

export interface PhaseOneResult {
  readonly frozen: FrozenLimits;
  /** Charts of the final, kept baseline. Their point indices are positions in `kept`. */
  readonly charts: ChartPair;
  /** Original indices of the points kept in the baseline, ascending. */
  readonly kept: number[];
  readonly removed: RemovedPoint[];
  /** Number of times the charts were computed. */
  readonly iterations: number;
  /** Points of the final baseline that still signal (no assignable cause), original indices. */
  readonly outOfControl: OutOfControlPoint[];
  /** Listed causes whose points never signalled (kept in the baseline). */
  readonly unmatchedCauses: AssignableCause[];
}

function pointCount(data: ChartData): number {
  switch (data.chart) {
    case 'imr':
      return data.values.length;
    case 'xbar-r':
    case 'xbar-s':
      return toGroups(data.subgroups).length;
    case 'p':
    case 'np':
      return data.defectives.length;
    case 'u':
    case 'c':
      return data.counts.length;
  }
}

function toGroups(input: SubgroupInput): ArrayLike<number>[] {
  if (Array.isArray(input)) return input as ArrayLike<number>[];
  const flat = input as { readonly values: ArrayLike<number>; readonly sizes: number | ArrayLike<number> };
  const values = Float64Array.from(flat.values);
  const groups: Float64Array[] = [];
  if (typeof flat.sizes === 'number') {
    for (let o = 0; o < values.length; o += flat.sizes) groups.push(values.subarray(o, o + flat.sizes));
  } else {
    let o = 0;
    for (let i = 0; i < flat.sizes.length; i++) {
      const s = flat.sizes[i] as number;
      groups.push(values.subarray(o, o + s));
      o += s;
    }
  }
  return groups;
}

const pick = (a: ArrayLike<number>, idx: readonly number[]): Float64Array => Float64Array.from(idx, (i) => a[i] as number);
const pickSizes = (s: number | ArrayLike<number>, idx: readonly number[]): number | Float64Array =>
  typeof s === 'number' ? s : pick(s, idx);

/** Charts a subset (idx = original indices, ascending) of the data. */
function chartSubset(
  data: ChartData,
  idx: readonly number[],
  L: number,
  rules: RuleSelection | readonly RuleSelection[],
  frozen?: FrozenLimits,
): ChartPair {
  const common = { sigmaMultiplier: L, rules };
  switch (data.chart) {
    case 'imr': {
      const r = imrChart(pick(data.values, idx), { ...common, span: data.span ?? 2, ...(frozen ? { frozen } : {}) });
      return { primary: r.individuals, secondary: r.movingRange };
    }
    case 'xbar-r': {
      const groups = toGroups(data.subgroups);
      const r = xbarRChart(
        idx.map((i) => groups[i] as ArrayLike<number>),
        { ...common, estimator: data.estimator ?? 'mean-range', ...(frozen ? { frozen } : {}) },
      );
      return { primary: r.xbar, secondary: r.range };
    }
    case 'xbar-s': {
      const groups = toGroups(data.subgroups);
      const r = xbarSChart(
        idx.map((i) => groups[i] as ArrayLike<number>),
        { ...common, estimator: data.estimator ?? 'mean-sd', ...(frozen ? { frozen } : {}) },
      );
      return { primary: r.xbar, secondary: r.stddev };
    }
    case 'p':
      return {
        primary: pChart(pick(data.defectives, idx), pickSizes(data.sizes, idx), { ...common, ...(frozen ? { frozen } : {}) }),
        secondary: null,
      };
    case 'np':
      return { primary: npChart(pick(data.defectives, idx), data.size, { ...common, ...(frozen ? { frozen } : {}) }), secondary: null };
    case 'u':
      return {
        primary: uChart(pick(data.counts, idx), pickSizes(data.units, idx), { ...common, ...(frozen ? { frozen } : {}) }),
        secondary: null,
      };
    case 'c':
      return { primary: cChart(pick(data.counts, idx), { ...common, ...(frozen ? { frozen } : {}) }), secondary: null };
  }
}

/** Points (original indices) that take part in any signal of either chart. */
function outOfControlPoints(pair: ChartPair, idx: readonly number[]): OutOfControlPoint[] {
  const byIndex = new Map<number, Signal[]>();
  const add = (chart: ControlChart): void => {
    for (const s of chart.signals) {
      for (const j of s.indices) {
        const pos = j + chart.pointOffset;
        const orig = idx[pos];
        if (orig === undefined) continue;
        const list = byIndex.get(orig);
        if (list) {
          if (!list.includes(s)) list.push(s);
        } else byIndex.set(orig, [s]);
      }
    }
  };
  add(pair.primary);
  if (pair.secondary) add(pair.secondary);
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([index, signals]) => ({ index, signals }));
}

function freeze(data: ChartData, pair: ChartPair, idx: readonly number[], removed: RemovedPoint[], L: number): FrozenLimits {
  const p = pair.primary;
  const sizeOf = (line: number | Float64Array): number | null => (typeof line === 'number' ? line : null);
  let centre = typeof p.limits.centre === 'number' ? p.limits.centre : (p.limits.centre[0] as number);
  let sigma: number | null = p.sigma;
  let subgroupSize: number | null = sizeOf(p.sizes);
  switch (data.chart) {
    case 'np':
      centre = centre / data.size;
      sigma = null;
      break;
    case 'p':
    case 'u':
    case 'c':
      sigma = null;
      break;
    case 'imr':
      subgroupSize = 1;
      break;
    default:
      break;
  }
  return {
    version: 1,
    chart: data.chart,
    centre,
    sigma,
    estimator: p.estimator,
    subgroupSize,
    span: data.chart === 'imr' ? (data.span ?? 2) : null,
    sigmaMultiplier: L,
    baselineCount: idx.length,
    removed: removed.map((r) => ({ index: r.index, reason: r.reason, iteration: r.iteration })),
  };
}

/**
 * Builds a Phase I baseline.
 *
 * @example
 * // Montgomery's orange-juice cans: samples 15 and 23 have assignable causes
 * const base = phaseOne({ chart: 'p', defectives: D, sizes: 50 }, {
 *   causes: [{ index: 14, reason: 'new batch of cardboard' }, { index: 22, reason: 'inexperienced operator' }],
 * });
 * await store.saveBaseline(JSON.stringify(base.frozen));
 */
export function phaseOne(data: ChartData, options: PhaseOneOptions = {}): PhaseOneResult {
  const L = options.sigmaMultiplier ?? 3;
  const rules = options.rules ?? { set: 'nelson', rules: [1] };
  const maxIterations = options.maxIterations ?? 20;
  const total = pointCount(data);
  const causes = options.causes;
  const listed = new Map<number, string>();
  if (Array.isArray(causes)) {
    for (const c of causes as readonly AssignableCause[]) {
      if (!Number.isInteger(c.index) || c.index < 0 || c.index >= total) {
        throw new SpcInputError(
          `assignable cause for index ${String(c.index)} is outside the ${total} Phase I points (indices start at 0)`,
          { value: c.index },
        );
      }
      listed.set(c.index, c.reason);
    }
  }
  let idx = Array.from({ length: total }, (_, i) => i);
  const removed: RemovedPoint[] = [];
  let pair = chartSubset(data, idx, L, rules);
  let ooc = outOfControlPoints(pair, idx);
  let iterations = 1;
  while (causes && ooc.length > 0 && iterations <= maxIterations) {
    let chosen: readonly AssignableCause[];
    if (typeof causes === 'function') {
      chosen = causes(ooc, iterations);
      const signalled = new Set(ooc.map((p) => p.index));
      for (const c of chosen) {
        if (!signalled.has(c.index)) {
          throw new SpcInputError(
            `cause decider returned index ${c.index}, which is not among the signalled points (${[...signalled].join(', ')})`,
            { value: c.index },
          );
        }
      }
    } else {
      chosen = ooc.filter((p) => listed.has(p.index)).map((p) => ({ index: p.index, reason: listed.get(p.index) as string }));
    }
    if (chosen.length === 0) break;
    const drop = new Set<number>();
    for (const c of chosen) {
      if (drop.has(c.index)) continue;
      drop.add(c.index);
      removed.push({ index: c.index, reason: c.reason, iteration: iterations });
      listed.delete(c.index);
    }
    idx = idx.filter((i) => !drop.has(i));
    pair = chartSubset(data, idx, L, rules);
    ooc = outOfControlPoints(pair, idx);
    iterations++;
  }
  const unmatchedCauses = [...listed.entries()].map(([index, reason]) => ({ index, reason }));
  return { frozen: freeze(data, pair, idx, removed, L), charts: pair, kept: idx, removed, iterations, outOfControl: ooc, unmatchedCauses };
}

export interface PhaseTwoOptions {
  /** Rules on the main chart. @defaultValue `{ set: 'nelson', rules: [1] }` */
  readonly rules?: RuleSelection | readonly RuleSelection[];
  /** I-MR only: last baseline value(s), so the first new point gets a moving range. */
  readonly previous?: ArrayLike<number>;
}

/** Evaluates new data against a frozen baseline (nothing is re-estimated). */
export function phaseTwo(frozen: FrozenLimits, data: ChartData, options: PhaseTwoOptions = {}): ChartPair {
  if (frozen.version !== 1)
    throw new SpcInputError(`baseline version ${String(frozen.version)} is not supported; rebuild it with phaseOne`);
  if (frozen.chart !== data.chart)
    throw new SpcInputError(
      `the baseline is for a ${frozen.chart} chart but the new data are for ${data.chart}; chart them with the same family`,
    );
  const rules = options.rules ?? { set: 'nelson', rules: [1] };
  const L = frozen.sigmaMultiplier;
  if (data.chart === 'imr') {
    const r = imrChart(data.values, {
      frozen,
      span: frozen.span ?? 2,
      sigmaMultiplier: L,
      rules,
      ...(options.previous ? { previous: options.previous } : {}),
    });
    return { primary: r.individuals, secondary: r.movingRange };
  }
  if (data.chart === 'np') {
    const r = npChart(data.defectives, data.size, { frozen, sigmaMultiplier: L, rules });
    return { primary: r, secondary: null };
  }
  const n = pointCount(data);
  return chartSubset(
    data,
    Array.from({ length: n }, (_, i) => i),
    L,
    rules,
    frozen,
  );
}

/** Checks that a value read back from storage is a usable {@link FrozenLimits}. */
export function parseFrozenLimits(value: unknown): FrozenLimits {
  const v = value as Partial<FrozenLimits> | null;
  const charts: readonly string[] = ['imr', 'xbar-r', 'xbar-s', 'p', 'np', 'u', 'c'];
  if (
    v === null ||
    typeof v !== 'object' ||
    v.version !== 1 ||
    typeof v.chart !== 'string' ||
    !charts.includes(v.chart) ||
    typeof v.centre !== 'number' ||
    !(v.sigma === null || typeof v.sigma === 'number') ||
    typeof v.sigmaMultiplier !== 'number' ||
    !Array.isArray(v.removed)
  ) {
    throw new SpcInputError(
      'stored baseline is not a version-1 FrozenLimits object (chart, centre, sigma, sigmaMultiplier, removed…); rebuild it with phaseOne',
    );
  }
  return v as FrozenLimits;
}
