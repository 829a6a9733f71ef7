/**
 * @module run-rules — Nelson's eight tests and the eight Western Electric rules.
 *
 * Rule definitions and numbering follow spc-reference §2.1 (Nelson 1984; SAS/QC, Minitab, qcc 3.0) and
 * §2.2 (Western Electric zone rules 1–4, then Montgomery's supplementary patterns 5–8):
 *
 * | pattern                                   | Nelson | WE |
 * |-------------------------------------------|--------|----|
 * | 1 point beyond the control limits          | 1      | 1  |
 * | run of points on one side of the CL        | 2 (9)  | 4 (8) |
 * | 6 points steadily increasing/decreasing    | 3      | 5  |
 * | 14 points alternating up and down          | 4      | 7  |
 * | 2 of 3 beyond 2σ, same side                | 5      | 2  |
 * | 4 of 5 beyond 1σ, same side                | 6      | 3  |
 * | 15 in a row within 1σ (stratification)     | 7      | 6  |
 * | 8 in a row beyond 1σ, both sides (mixture) | 8      | 8  |
 *
 * Conventions for the edge cases of §2.3 (chosen so that a signal list reads like an engineer's log):
 * - Zones use d = (x − CL)/σ̂ with σ̂ the standard error of the plotted point, per point when limits
 *   vary. Zone C is |d| ≤ 1; "beyond kσ" is strictly |d| > k. Rule 1 compares with the chart's own
 *   LCL/UCL strictly (x > UCL or x < LCL), so floored attribute limits are respected.
 * - A point exactly on the CL belongs to neither side: it breaks a same-side run.
 * - Equal consecutive values (a zero difference) break trends and alternations.
 * - A window rule is not evaluated until its window is full (no firing in the first L−1 points).
 * - 2-of-3 and 4-of-5 fire only at a point that itself lies beyond the 2σ/1σ line (qcc convention),
 *   on the side of the majority; the mixture rule needs points on both sides inside its window (qcc).
 * - One signal per episode: while a run continues, or while firing windows of the same rule and
 *   direction overlap, the existing signal grows (`indices` = union of the windows, `index` = the
 *   first point at which it fired). Rule 1 gives one signal per point beyond the limits.
 * State is O(1) per rule (a few counters), so a million points take a few tens of ms.
 */
import type { PerPoint, RuleSet, Signal } from './chart-types.js';
import { valueAt } from './chart-types.js';
import { SpcInputError, assertFiniteSeries } from './spc-error.js';

export type RuleSetName = 'nelson' | 'western-electric';

/** Which rules of which set to run; `rules` omitted = all eight. */
export interface RuleSelection {
  readonly set: RuleSetName;
  readonly rules?: readonly number[];
}

/** Centre, standard error and (optionally) the control limits the rules compare against. */
export interface RuleLimits {
  readonly centre: PerPoint;
  readonly standardError: PerPoint;
  /** Defaults to centre ∓ 3·standardError. */
  readonly lcl?: PerPoint;
  readonly ucl?: PerPoint;
}

const enum Kind {
  Beyond,
  Side,
  Trend,
  Alternate,
  KofM,
  Stratification,
  Mixture,
}

interface RuleSpec {
  readonly kind: Kind;
  readonly name: string;
  /** Window length in points (L), or m for k-of-m. */
  readonly length: number;
  /** k for k-of-m. */
  readonly k: number;
  /** σ threshold for k-of-m. */
  readonly threshold: number;
}

const spec = (kind: Kind, name: string, length: number, k = 0, threshold = 0): RuleSpec => ({ kind, name, length, k, threshold });

const BEYOND = spec(Kind.Beyond, '1 point beyond the control limits', 1);
const TREND = spec(Kind.Trend, '6 points in a row steadily increasing or decreasing', 6);
const ALTERNATE = spec(Kind.Alternate, '14 points in a row alternating up and down', 14);
const TWO_OF_THREE = spec(Kind.KofM, '2 of 3 points in a row beyond 2σ on the same side', 3, 2, 2);
const FOUR_OF_FIVE = spec(Kind.KofM, '4 of 5 points in a row beyond 1σ on the same side', 5, 4, 1);
const STRATIFICATION = spec(Kind.Stratification, '15 points in a row within 1σ of the centre line (stratification)', 15);
const MIXTURE = spec(Kind.Mixture, '8 points in a row beyond 1σ on both sides of the centre line (mixture)', 8);

/** Rule tables by set, index = rule number − 1. */
export const RULES: Readonly<Record<RuleSetName, readonly RuleSpec[]>> = Object.freeze({
  nelson: [
    BEYOND,
    spec(Kind.Side, '9 points in a row on the same side of the centre line', 9),
    TREND,
    ALTERNATE,
    TWO_OF_THREE,
    FOUR_OF_FIVE,
    STRATIFICATION,
    MIXTURE,
  ],
  'western-electric': [
    BEYOND,
    TWO_OF_THREE,
    FOUR_OF_FIVE,
    spec(Kind.Side, '8 points in a row on the same side of the centre line', 8),
    TREND,
    STRATIFICATION,
    ALTERNATE,
    MIXTURE,
  ],
});

/** Mutable signal used while building; exposed as readonly {@link Signal}. */
interface OpenSignal {
  ruleSet: RuleSet;
  rule: number;
  name: string;
  direction: 'up' | 'down' | null;
  indices: number[];
  index: number;
}

/** One selected rule: its table entry and the episode it may still extend. */
class Detector {
  open: OpenSignal | null = null;
  openLast = -1;
  readonly kind: Kind;
  readonly length: number;
  readonly k: number;
  readonly threshold: number;
  constructor(
    readonly set: RuleSetName,
    readonly rule: number,
    readonly spec: RuleSpec,
  ) {
    this.kind = spec.kind;
    this.length = spec.length;
    this.k = spec.k;
    this.threshold = spec.threshold;
  }
}

function normaliseSelection(selection: RuleSelection | readonly RuleSelection[]): Detector[] {
  const list: readonly RuleSelection[] = Array.isArray(selection) ? selection : [selection as RuleSelection];
  const out: Detector[] = [];
  for (const sel of list) {
    const table = RULES[sel.set];
    if (!table) throw new SpcInputError(`unknown rule set "${String(sel.set)}"; use "nelson" or "western-electric"`);
    const numbers = sel.rules ?? [1, 2, 3, 4, 5, 6, 7, 8];
    for (const r of numbers) {
      const s = Number.isInteger(r) ? table[r - 1] : undefined;
      if (!s) throw new SpcInputError(`${sel.set} rule ${String(r)} does not exist; rules are numbered 1 to 8`, { value: r });
      out.push(new Detector(sel.set, r, s));
    }
  }
  return out;
}

function checkLine(line: PerPoint | undefined, n: number, what: string): void {
  if (line === undefined || typeof line === 'number') return;
  if (line.length !== n)
    throw new SpcInputError(`${what} has ${line.length} values but there are ${n} points; give one per point or a single number`);
}

/** Records a firing of a windowed rule over [start, i]: extends the open episode or starts a new one. */
function fire(det: Detector, out: OpenSignal[], i: number, start: number, direction: 'up' | 'down' | null): void {
  const open = det.open;
  if (open !== null && open.direction === direction && start <= det.openLast) {
    for (let j = det.openLast + 1; j <= i; j++) open.indices.push(j);
  } else {
    const indices: number[] = [];
    for (let j = Math.max(0, start); j <= i; j++) indices.push(j);
    const s: OpenSignal = { ruleSet: det.set, rule: det.rule, name: det.spec.name, direction, indices, index: i };
    out.push(s);
    det.open = s;
  }
  det.openLast = i;
}

/**
 * Evaluates the selected rules over a series of plotted points.
 * Signals come back ordered by the point at which they first fired (ties: selection order).
 *
 * @example
 * evaluateRules(chart.points, chart.limits, { set: 'nelson' });            // all eight Nelson tests
 * evaluateRules(xs, { centre: 10, standardError: 1 }, { set: 'western-electric', rules: [1, 2, 3, 4] });
 */
export function evaluateRules(
  points: ArrayLike<number>,
  limits: RuleLimits,
  selection: RuleSelection | readonly RuleSelection[],
): Signal[] {
  const dets = normaliseSelection(selection);
  const n = points.length;
  assertFiniteSeries(points, 'run rules');
  checkLine(limits.centre, n, 'centre');
  checkLine(limits.standardError, n, 'standardError');
  checkLine(limits.lcl, n, 'lcl');
  checkLine(limits.ucl, n, 'ucl');
  if (dets.length === 0 || n === 0) return [];

  // What every rule reads of a point, once: its zone position d, its side of the centre line and its
  // direction from the previous point. Bad standard errors are refused here, at the first such point.
  const zone = new Float64Array(n);
  const sides = new Int8Array(n);
  const diffs = new Int8Array(n);
  if (typeof limits.centre === 'number' && typeof limits.standardError === 'number') {
    // Every individuals chart of a lot (phase I and II): one centre and one σ for all points.
    const se = limits.standardError;
    if (!(se > 0) || !Number.isFinite(se)) throw badStandardError(0, se);
    constantZones(points, limits.centre, se, zone, sides, diffs);
  } else pointZones(points, limits.centre, limits.standardError, zone, sides, diffs);

  // Each rule in its own tight loop over the points (one rule kind per loop, its state in locals), then
  // the signals merged in the order one pass over points × rules would have opened them: by the point
  // at which each first fired, ties in selection order (the sort is stable; a rule opens at most one
  // signal per point).
  const out: OpenSignal[] = [];
  for (const det of dets) {
    switch (det.kind) {
      case Kind.Beyond:
        beyond(det, points, limits, zone, out);
        break;
      case Kind.Side:
        runOfSame(det, sides, det.length, out);
        break;
      case Kind.Trend:
        runOfSame(det, diffs, det.length - 1, out);
        break;
      case Kind.Alternate:
        alternate(det, diffs, out);
        break;
      case Kind.KofM:
        kOfM(det, zone, out);
        break;
      case Kind.Stratification:
        stratification(det, zone, out);
        break;
      case Kind.Mixture:
        mixture(det, zone, out);
        break;
    }
  }
  if (dets.length > 1) out.sort((a, b) => a.index - b.index);
  return out;
}

function badStandardError(i: number, se: number): SpcInputError {
  return new SpcInputError(`run rules: standard error at point ${i} is ${String(se)}; zones need a positive finite sigma`, {
    index: i,
    value: se,
  });
}

/*
 * The per-point loops below compute their codes without branches (a comparison as 0 or 1): on a chart's
 * readings, which side of the centre line a point lies and whether it rose or fell are coin flips, and a
 * branch on them was mispredicted about every other point. Measured on 228 charts of 10,000 points
 * (the 10,000-unit lot), all eight Nelson rules: the zones loop ~18 → ~5 ms, the runs ~21 → ~9 ms.
 */

/** Zones, sides and directions against one centre and one standard error (already checked positive). */
function constantZones(points: ArrayLike<number>, c: number, se: number, zone: Float64Array, sides: Int8Array, diffs: Int8Array): void {
  const n = points.length;
  let prev = points[0] as number;
  for (let i = 0; i < n; i++) {
    const x = points[i] as number;
    zone[i] = (x - c) / se;
    sides[i] = Number(x > c) - Number(x < c);
    // Point 0 has no previous point: x > x and x < x are both false, so its direction is 0.
    diffs[i] = Number(x > prev) - Number(x < prev);
    prev = x;
  }
}

/** Zones, sides and directions against a centre and standard error that may vary per point. */
function pointZones(
  points: ArrayLike<number>,
  centre: PerPoint,
  standardError: PerPoint,
  zone: Float64Array,
  sides: Int8Array,
  diffs: Int8Array,
): void {
  const n = points.length;
  let prev = points[0] as number;
  for (let i = 0; i < n; i++) {
    const x = points[i] as number;
    const c = valueAt(centre, i);
    const se = valueAt(standardError, i);
    if (!(se > 0) || !Number.isFinite(se)) throw badStandardError(i, se);
    zone[i] = (x - c) / se;
    sides[i] = Number(x > c) - Number(x < c);
    diffs[i] = Number(x > prev) - Number(x < prev);
    prev = x;
  }
}

/** Rule 1: one signal per point strictly beyond the chart's own limits (default centre ∓ 3·SE). */
function beyond(det: Detector, points: ArrayLike<number>, limits: RuleLimits, zone: Float64Array, out: OpenSignal[]): void {
  const lclLine = limits.lcl;
  const uclLine = limits.ucl;
  const cConst = typeof limits.centre === 'number';
  const sConst = typeof limits.standardError === 'number';
  const c0 = valueAt(limits.centre, 0);
  const s0 = valueAt(limits.standardError, 0);
  for (let i = 0; i < zone.length; i++) {
    const x = points[i] as number;
    const c = cConst ? c0 : (limits.centre[i] as number);
    const se = sConst ? s0 : (limits.standardError[i] as number);
    const ucl = uclLine === undefined ? c + 3 * se : typeof uclLine === 'number' ? uclLine : (uclLine[i] as number);
    const lcl = lclLine === undefined ? c - 3 * se : typeof lclLine === 'number' ? lclLine : (lclLine[i] as number);
    if (x > ucl || x < lcl) {
      out.push({ ruleSet: det.set, rule: det.rule, name: det.spec.name, direction: x > ucl ? 'up' : 'down', indices: [i], index: i });
    }
  }
}

/**
 * A run of equal non-zero codes (sides of the centre line, or directions between points) reaching
 * `need`: fires over the rule's window of `det.length` points ending here.
 */
function runOfSame(det: Detector, codes: Int8Array, need: number, out: OpenSignal[]): void {
  const L = det.length;
  let run = 0;
  let dir = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    // 0 breaks the run, the same code extends it, another starts a new one (then dir = code in every case).
    run = Number(code !== 0) * (Number(code === dir) * run + 1);
    dir = code;
    if (run >= need) fire(det, out, i, i - L + 1, code > 0 ? 'up' : 'down');
  }
}

function alternate(det: Detector, diffs: Int8Array, out: OpenSignal[]): void {
  const L = det.length;
  let run = 0;
  let lastDiff = 0;
  for (let i = 0; i < diffs.length; i++) {
    const diff = diffs[i]!;
    // 0 breaks the run, a reversal extends it, anything else starts one. (A run of 0 follows a 0 or the
    // start, where lastDiff is 0, which a non-zero diff never reverses: no separate run > 0 test.)
    run = Number(diff !== 0) * (Number(diff === -lastDiff) * run + 1);
    lastDiff = diff;
    if (run >= L - 1) fire(det, out, i, i - L + 1, null);
  }
}

/**
 * k of the last m points beyond ±threshold, firing at a point itself beyond it on the majority's side. The
 * window's counts are kept by adding the new point and taking off the one leaving, its side re-read from
 * its zone (no ring of flags, no branch on whether the window is full yet).
 */
function kOfM(det: Detector, zone: Float64Array, out: OpenSignal[]): void {
  const t = det.threshold;
  let countUp = 0;
  let countDown = 0;
  // The first m − 1 points only fill the window: no rule fires before it is full.
  const fill = Math.min(det.length - 1, zone.length);
  for (let i = 0; i < fill; i++) {
    countUp += Number(zone[i]! > t);
    countDown += Number(zone[i]! < -t);
  }
  kOfMWindows(det, zone, countUp, countDown, out);
}

/** kOfM over its full windows, from point m − 1 on, given the counts of the first m − 1 points. */
function kOfMWindows(det: Detector, zone: Float64Array, countUp: number, countDown: number, out: OpenSignal[]): void {
  const L = det.length;
  const t = det.threshold;
  const k = det.k;
  for (let i = L - 1; i < zone.length; i++) {
    const d = zone[i]!;
    const up = Number(d > t);
    const down = Number(d < -t);
    countUp += up;
    countDown += down;
    if ((up & Number(countUp >= k)) | (down & Number(countDown >= k))) fire(det, out, i, i - L + 1, up === 1 ? 'up' : 'down');
    // The window's first point leaves before the next point joins.
    const first = zone[i - L + 1]!;
    countUp -= Number(first > t);
    countDown -= Number(first < -t);
  }
}

function stratification(det: Detector, zone: Float64Array, out: OpenSignal[]): void {
  const L = det.length;
  let run = 0;
  for (let i = 0; i < zone.length; i++) {
    const d = zone[i]!;
    run = (Number(d <= 1) & Number(d >= -1)) * (run + 1);
    if (run >= L) fire(det, out, i, i - L + 1, null);
  }
}

function mixture(det: Detector, zone: Float64Array, out: OpenSignal[]): void {
  const L = det.length;
  let run = 0;
  let lastUp = -1;
  let lastDown = -1;
  for (let i = 0; i < zone.length; i++) {
    const d = zone[i]!;
    const up = Number(d > 1);
    const down = Number(d < -1);
    run = (up | down) * (run + 1);
    lastUp += up * (i - lastUp);
    lastDown += down * (i - lastDown);
    const start = i - L + 1;
    if (run >= L && lastUp >= start && lastDown >= start) fire(det, out, i, start, null);
  }
}

/** The name of a rule, e.g. for report legends. */
export function ruleName(set: RuleSetName, rule: number): string {
  const s = RULES[set][rule - 1];
  if (!s) throw new SpcInputError(`${set} rule ${rule} does not exist; rules are numbered 1 to 8`);
  return s.name;
}
