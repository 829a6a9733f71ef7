/**
 * @module imr-chart — individuals and moving-range (I-MR) charts, spc-reference §1.1–1.2.
 *
 * I chart: CL = x̄, limits x̄ ± L·σ̂ with σ̂ = MR̄/d2(w) (w = moving-range span, 2 by default: 1.128).
 * MR chart: CL = MR̄, UCL = D4(w)·MR̄, LCL = D3(w)·MR̄ (0 for w ≤ 6); in general CL d2σ̂, limits
 * (d2 ± L·d3)σ̂ floored at 0, which is the same thing for L = 3.
 * Phase II: pass `frozen` (centre and σ̂ from a Phase I baseline); nothing is re-estimated.
 */
import type { ControlChart, FrozenLimits } from './chart-types.js';
import { beyondLimitSignals, shewhartLimits } from './chart-types.js';
import { d2, d3 } from './constants.js';
import { evaluateRules, type RuleSelection } from './run-rules.js';
import { movingRangeSigma } from './sigma-estimators.js';
import { SpcInputError, assertFiniteSeries, assertMinLength, assertPositiveSigma, assertSigmaMultiplier } from './spc-error.js';

export interface ImrOptions {
  /** Moving-range span w. @defaultValue 2 */
  readonly span?: number;
  /** L, standard errors to the limits. @defaultValue 3 */
  readonly sigmaMultiplier?: number;
  /** Run rules for the individuals chart. @defaultValue `{ set: 'nelson', rules: [1] }` (beyond limits) */
  readonly rules?: RuleSelection | readonly RuleSelection[];
  /** Phase II: evaluate against these frozen values instead of estimating from `values`. */
  readonly frozen?: Pick<FrozenLimits, 'centre' | 'sigma'> & Partial<Pick<FrozenLimits, 'span' | 'sigmaMultiplier'>>;
  /**
   * Phase II: the last baseline value(s) before `values`, so the first new points get moving ranges
   * (the MR chart then has one point per new value). Ignored without `frozen`.
   */
  readonly previous?: ArrayLike<number>;
}

export interface ImrChart {
  readonly individuals: ControlChart;
  readonly movingRange: ControlChart;
  /** Average moving range of this data (Phase II: of the new data, shown for information). */
  readonly mrBar: number;
}

/**
 * Individuals and moving-range charts.
 *
 * @example
 * const { individuals, movingRange } = imrChart(txPowerDbm, { rules: { set: 'nelson' } });
 */
export function imrChart(values: ArrayLike<number>, options: ImrOptions = {}): ImrChart {
  const frozen = options.frozen;
  const span = options.span ?? frozen?.span ?? 2;
  const L = options.sigmaMultiplier ?? frozen?.sigmaMultiplier ?? 3;
  assertSigmaMultiplier(L);
  assertFiniteSeries(values, 'I-MR chart');
  const n = values.length;

  let centre: number;
  let sigma: number;
  let estimator: ControlChart['estimator'];
  let mrSeries: ArrayLike<number>;
  let mrOffset: number;
  if (frozen) {
    if (n === 0) throw new SpcInputError('I-MR chart: the series is empty; give at least 1 point to evaluate');
    if (frozen.sigma === null)
      throw new SpcInputError('I-MR chart: the frozen baseline has no sigma; it was not built for a variables chart');
    centre = frozen.centre;
    sigma = frozen.sigma;
    estimator = 'known';
    const prev = options.previous ?? [];
    assertFiniteSeries(prev, 'I-MR chart (previous baseline values)');
    const keep = Math.min(prev.length, span - 1);
    const joined = new Float64Array(keep + n);
    for (let i = 0; i < keep; i++) joined[i] = prev[prev.length - keep + i] as number;
    joined.set(values, keep);
    mrSeries = joined.length >= span ? movingRangeSigma(joined, span).movingRanges : new Float64Array(0);
    mrOffset = span - 1 - keep;
  } else {
    assertMinLength(values, Math.max(2, span), 'I-MR chart');
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[i] as number;
    centre = sum / n;
    const est = movingRangeSigma(values, span);
    sigma = est.sigma;
    estimator = 'moving-range';
    mrSeries = est.movingRanges;
    mrOffset = span - 1;
  }
  assertPositiveSigma(sigma, 'I-MR chart');

  const points = values instanceof Float64Array ? values.slice() : Float64Array.from(values);
  const limits = shewhartLimits(centre, sigma, L, false, n);
  const rules = options.rules ?? { set: 'nelson', rules: [1] };
  const individuals: ControlChart = {
    kind: 'individuals',
    estimator,
    sigma,
    sigmaMultiplier: L,
    points,
    pointOffset: 0,
    sizes: 1,
    limits,
    signals: evaluateRules(points, limits, rules),
  };

  const mrPoints = mrSeries instanceof Float64Array ? mrSeries.slice() : Float64Array.from(mrSeries);
  let mrSum = 0;
  for (let i = 0; i < mrPoints.length; i++) mrSum += mrPoints[i] as number;
  const mrLimits = shewhartLimits(d2(span) * sigma, d3(span) * sigma, L, true, mrPoints.length);
  const movingRange: ControlChart = {
    kind: 'moving-range',
    estimator,
    sigma,
    sigmaMultiplier: L,
    points: mrPoints,
    pointOffset: mrOffset,
    sizes: span,
    limits: mrLimits,
    signals: beyondLimitSignals(mrPoints, mrLimits.lcl, mrLimits.ucl, 'limits'),
  };
  return { individuals, movingRange, mrBar: mrPoints.length > 0 ? mrSum / mrPoints.length : NaN };
}
