/**
 * @module xbar-s-chart — X̄ and S charts for subgroups, constant or varying sizes (spc-reference §1.2, §1.4).
 *
 * σ̂ = mean of s_i/c4(n_i) by default (qcc "UWAVE-SD"), or the pooled SD s_p/c4(d+1), or mean range.
 * S chart centre c4(n_i)σ̂, limits σ̂(c4(n_i) ± L√(1 − c4(n_i)²)) floored at 0 (= B3 S̄ / B4 S̄ for
 * equal sizes, L = 3).
 */
import type { ControlChart } from './chart-types.js';
import { beyondLimitSignals, shewhartLimits } from './chart-types.js';
import { c4 } from './constants.js';
import { subgroupStats, type SubgroupInput, type SubgroupStats } from './sigma-estimators.js';
import { perSubgroup, resolveCentreSigma, xbarChartFromStats, type SubgroupChartOptions } from './xbar-r-chart.js';

export interface XbarSChart {
  readonly xbar: ControlChart;
  readonly stddev: ControlChart;
  readonly stats: SubgroupStats;
}

/**
 * X̄ and S charts.
 *
 * @example
 * const { xbar, stddev } = xbarSChart({ values: flatValues, sizes: 5 }, { estimator: 'pooled-sd' });
 */
export function xbarSChart(subgroups: SubgroupInput, options: SubgroupChartOptions = {}): XbarSChart {
  const stats = subgroupStats(subgroups);
  const { centre, sigma, estimator, L } = resolveCentreSigma(stats, options, 'mean-sd', 'X̄-S chart');
  const xbar = xbarChartFromStats(stats, centre, sigma, estimator, L, options.rules ?? { set: 'nelson', rules: [1] });
  const sCentre = perSubgroup(stats, (n) => c4(n) * sigma);
  const sSe = perSubgroup(stats, (n) => {
    const c = c4(n);
    return sigma * Math.sqrt(1 - c * c);
  });
  const sLimits = shewhartLimits(sCentre, sSe, L, true, stats.count);
  const sPoints = Float64Array.from(stats.sds);
  const stddev: ControlChart = {
    kind: 'stddev',
    estimator,
    sigma,
    sigmaMultiplier: L,
    points: sPoints,
    pointOffset: 0,
    sizes: xbar.sizes,
    limits: sLimits,
    signals: beyondLimitSignals(sPoints, sLimits.lcl, sLimits.ucl, 'limits'),
  };
  return { xbar, stddev, stats };
}
