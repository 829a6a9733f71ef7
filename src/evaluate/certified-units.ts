/**
 * @module Certified units — what a certificate of the lot covers and what it may say about them.
 *
 * A unit is certified when its final attempt passed and, under `pat.outlierAction: exclude-units`, it is
 * not a PAT outlier (domain `isCertifiedUnit`). For every cell this computes, over the certified units
 * only, the summary a customer reads (n, mean, sd, min, max in the raw unit) and the range a conditional
 * (expression) limit took; and (chartLimitPoints, called while a chart is evaluated, when its units are at
 * hand) the expression limit at every chart point so the engineering report can draw it per unit. Pure:
 * no I/O, no clock.
 */
import type { PatOutlierAction } from '../domain/acceptance-policy.js';
import type { CellResult, CertifiedSummary, LimitRange, LotResult, UnitResult } from '../domain/lot-result.js';
import { isCertifiedUnit } from '../domain/lot-result.js';
import type { ResolvedLimit } from '../domain/spec-limits.js';
import { describe } from '../spc/descriptive.js';
import { cellSeries } from './cell-series.js';
import { sevenDigits } from './seven-digits.js';
import { type CellDef, type ChartSource, type LotView } from './lot-view.js';
import { expressionLimitAtRuns } from './limit-at-runs.js';

export interface CertifiedUnits {
  readonly certification: NonNullable<LotResult['certification']>;
  /** The cells given, each with `certified` and the spec's `decimals` added. */
  readonly cells: CellResult[];
}

/** Same rounding as the stored statistics (9 significant digits). */
function r9(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toPrecision(9));
}
/** Same rounding as the chart points (7 significant digits); null where the limit could not be computed. */
function r7(v: number): number | null {
  return Number.isFinite(v) ? sevenDigits(v) : null;
}

/**
 * Certification of a lot: `units` are the lot's unit results in `view.units` order (PAT flags already
 * set), `cells` each cell definition with its evaluated result.
 */
export function certifyUnits(
  view: LotView,
  units: readonly UnitResult[],
  cells: readonly { readonly def: CellDef; readonly result: CellResult }[],
  patAction: PatOutlierAction,
): CertifiedUnits {
  const rule = { certification: { patAction } } as const;
  const certified = units.map((u) => isCertifiedUnit(rule, u));
  const count = certified.filter(Boolean).length;
  const excludedPatOutliers = units.filter((u) => u.final === 'pass' && u.patOutlier && patAction === 'exclude-units').length;
  return {
    certification: { patAction, units: count, excludedPatOutliers },
    cells: cells.map(({ def, result }) => certifyCell(view, def, result, certified)),
  };
}

function certifyCell(view: LotView, def: CellDef, result: CellResult, certified: readonly boolean[]): CellResult {
  const series = cellSeries(view, def, (u) => certified[u] === true);
  // n, mean, sd and the extremes only: no quantile, so the certified readings need no sort.
  const d = series.values.length > 0 ? describe(series.values, series.censoring, { quantiles: false }) : null;
  const lslExpr = !def.limits.informativeLsl ? expressionOf(def.limits.lsl) : null;
  const uslExpr = expressionOf(def.limits.usl);
  const summary: CertifiedSummary = {
    n: d?.n ?? 0,
    censoredBelow: d?.censoredBelow ?? 0,
    censoredAbove: d?.censoredAbove ?? 0,
    mean: r9(d?.mean),
    sd: r9(d?.sd),
    min: r9(d?.min.value),
    max: r9(d?.max.value),
    lslRange: lslExpr ? limitRange(view, def, lslExpr, series.unitIndex) : null,
    uslRange: uslExpr ? limitRange(view, def, uslExpr, series.unitIndex) : null,
  };
  const decimals = def.parameter.decimals;
  return { ...result, certified: summary, ...(decimals !== undefined ? { decimals } : {}) };
}

/**
 * The chart's `limitPoints` when a limit is an expression (nothing otherwise): the limit for each chart
 * point's unit, `exactUnitIndex` being the units of the chart's points (its series' exactUnitIndex).
 */
export function chartLimitPoints(
  view: ChartSource,
  def: CellDef,
  exactUnitIndex: Int32Array,
): { limitPoints?: NonNullable<CellResult['chart']>['limitPoints'] } {
  const lsl = expressionOf(def.limits.lsl);
  const usl = expressionOf(def.limits.usl);
  if (lsl === null && usl === null) return {};
  return {
    limitPoints: {
      lsl: lsl ? limitSeries(view, def, lsl, exactUnitIndex) : null,
      usl: usl ? limitSeries(view, def, usl, exactUnitIndex) : null,
    },
  };
}

type ExpressionLimit = Extract<ResolvedLimit, { kind: 'expression' }>;

function expressionOf(limit: ResolvedLimit | null): ExpressionLimit | null {
  return limit !== null && limit.kind === 'expression' ? limit : null;
}

/** The limit at a unit's final run, read from the cell's limit at every run (limit-at-runs.ts). */
function limitAtUnits(view: ChartSource, def: CellDef, limit: ExpressionLimit): (unit: number) => number {
  const atRun = expressionLimitAtRuns(view, def, limit);
  return (unit) => atRun[view.units[unit]!.finalRun]!;
}

/** Smallest and largest value of the limit over the given units; null when it could not be computed for any. */
function limitRange(view: ChartSource, def: CellDef, expression: ExpressionLimit, unitIndex: Int32Array): LimitRange | null {
  const extremes = new Float64Array(2);
  limitExtremesInto(expressionLimitAtRuns(view, def, expression), view.units, unitIndex, extremes);
  return Number.isFinite(extremes[0]!) ? { min: r9(extremes[0])!, max: r9(extremes[1])! } : null;
}

/**
 * The smallest and largest limit (`atRun` at each unit's final run) into `out`, NaN (no limit) left out:
 * an indexed loop, where for-of over the Int32Array made an iterator result per unit (~19 MB of heap in a
 * 10,000-unit lot); its own function, so nothing after the loop can make its compiled code bail out.
 */
function limitExtremesInto(
  atRun: Float64Array,
  units: readonly { readonly finalRun: number }[],
  unitIndex: Int32Array,
  out: Float64Array,
): void {
  out[0] = Infinity;
  out[1] = -Infinity;
  for (let i = 0; i < unitIndex.length; i++) {
    const v = atRun[units[unitIndex[i]!]!.finalRun]!;
    // NaN compares false both ways: left out.
    if (v < out[0]) out[0] = v;
    if (v > out[1]) out[1] = v;
  }
}

/** The limit at each chart point, on the chart's scale (log10 of the limit for log-scale parameters). */
function limitSeries(view: ChartSource, def: CellDef, expression: ExpressionLimit, unitIndex: Int32Array): (number | null)[] {
  const log = def.parameter.spcScale === 'log10';
  const limitAt = limitAtUnits(view, def, expression);
  // Pushed, not written into `new Array(n)`: a packed array serialises on JSON.stringify's fast path.
  const out: (number | null)[] = [];
  for (let i = 0; i < unitIndex.length; i++) {
    const v = limitAt(unitIndex[i]!);
    out.push(log ? (v > 0 ? r7(Math.log10(v)) : null) : r7(v));
  }
  return out;
}
