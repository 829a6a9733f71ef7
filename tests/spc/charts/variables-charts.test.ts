import { describe, expect, it } from 'vitest';
import { valueAt } from '../../../src/spc/chart-types.js';
import { c4, d2, d3 } from '../../../src/spc/constants.js';
import { imrChart } from '../../../src/spc/imr-chart.js';
import { phaseOne, phaseTwo } from '../../../src/spc/phase-one.js';
import { pooledSdSigma, subgroupStats } from '../../../src/spc/sigma-estimators.js';
import { xbarRChart } from '../../../src/spc/xbar-r-chart.js';
import { xbarSChart } from '../../../src/spc/xbar-s-chart.js';
import { montgomery, pistonrings } from './reference-data.js';

const rel = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want);

describe('X̄-R chart on qcc pistonrings (25 subgroups of 5, Phase I)', () => {
  const { xbar, range } = xbarRChart(pistonrings().phase1);

  it('reproduces qcc: centre 74.00118, σ̂ 0.009785039, LCL 73.98805, UCL 74.0143, R̄ 0.02276, R UCL 0.04812533', () => {
    // qcc 2.7 vignette "A quick tour of qcc", x-bar and R chart summaries (spc-reference §1.5).
    // qcc divides by d2(5) rounded to 2.326; we use the exact 2.325929, so σ̂ differs by 3e-5
    // relative and the limits in the 7th significant digit: tolerances are set to that, no tighter.
    expect(valueAt(xbar.limits.centre, 0)).toBeCloseTo(74.00118, 5);
    expect(rel(xbar.sigma, 0.009785039)).toBeLessThan(5e-5);
    expect(xbar.limits.lcl as number).toBeCloseTo(73.98805, 4);
    expect(xbar.limits.ucl as number).toBeCloseTo(74.0143, 4);
    expect(range.limits.centre as number).toBeCloseTo(0.02276, 10);
    expect(rel(range.limits.ucl as number, 0.04812533)).toBeLessThan(5e-5);
    expect(range.limits.lcl).toBe(0);
    expect(xbar.estimator).toBe('mean-range');
  });

  it('collapses to one limit pair because every subgroup has 5 values', () => {
    expect(xbar.limits.varying).toBe(false);
    expect(typeof xbar.limits.ucl).toBe('number');
    expect(xbar.signals).toEqual([]); // qcc: no Phase I point beyond limits
  });

  it('puts the zone lines at 1σ and 2σ of the subgroup mean', () => {
    const se = xbar.sigma / Math.sqrt(5);
    expect(xbar.limits.upperOneSigma as number).toBeCloseTo((xbar.limits.centre as number) + se, 12);
    expect(xbar.limits.lowerTwoSigma as number).toBeCloseTo((xbar.limits.centre as number) - 2 * se, 12);
  });
});

describe('X̄-S chart on qcc pistonrings', () => {
  const { xbar, stddev } = xbarSChart(pistonrings().phase1);
  it('reproduces qcc: S̄ 0.009240037, σ̂ 0.009829977, S UCL 0.01930242', () => {
    // qcc 2.7 vignette, S chart summary; qcc's c4 is exact, so these agree to the printed digits.
    expect(stddev.limits.centre as number).toBeCloseTo(0.009240037, 9);
    expect(xbar.sigma).toBeCloseTo(0.009829977, 9);
    expect(stddev.limits.ucl as number).toBeCloseTo(0.01930242, 8);
    expect(stddev.limits.lcl).toBe(0);
  });
  it('agrees with Montgomery Example 6.3 (x̄-s on the same data): CL 74.001, limits 73.988 / 74.014, S̄ 0.0094, UCL 0.0196', () => {
    // Montgomery, Introduction to SQC, Example 6.3 (via jchester/spc-kit montgomery_spec.rb), A3 = 1.427, B4 = 2.089.
    expect(valueAt(xbar.limits.centre, 0)).toBeCloseTo(74.001, 3);
    expect(xbar.limits.lcl as number).toBeCloseTo(73.988, 3);
    expect(xbar.limits.ucl as number).toBeCloseTo(74.014, 3);
    // The book sums subgroup SDs printed to 4 decimals (S̄ = 0.0094 vs the unrounded 0.00924), so S-chart
    // values agree to that rounding only.
    expect(Math.abs((stddev.limits.centre as number) - 0.0094)).toBeLessThan(2e-4);
    expect(Math.abs((stddev.limits.ucl as number) - 0.0196)).toBeLessThan(4e-4);
  });
});

describe('Montgomery flow-width example (Tables 6.1 / 6.2)', () => {
  const m = montgomery();
  const base = phaseOne({ chart: 'xbar-r', subgroups: m.flowWidthPhase1.subgroups });

  it('Phase I: x̿ 1.5056, R̄ 0.32521, X̄ limits 1.3180 / 1.6932, R UCL 0.68749', () => {
    // Montgomery §6.2.2 (spc-kit montgomery_spec.rb: mean 1.506, upper 1.693, lower 1.318; R 0.32521 / 0.68749).
    // Montgomery uses A2 = 0.577 and D4 = 2.114; exact constants move the 4th decimal at most.
    expect(base.frozen.centre).toBeCloseTo(1.5056, 4);
    // The book's R̄ comes from ranges of its printed table; the transcribed data give 0.325168 (|Δ| = 4e-5).
    expect(Math.abs((base.charts.secondary?.limits.centre as number) - 0.32521)).toBeLessThan(5e-5);
    expect(base.charts.primary.limits.lcl as number).toBeCloseTo(1.318, 3);
    expect(base.charts.primary.limits.ucl as number).toBeCloseTo(1.6932, 3);
    expect(Math.abs((base.charts.secondary?.limits.ucl as number) - 0.68749)).toBeLessThan(2e-4);
    expect(base.removed).toEqual([]);
  });

  it('Phase II signals at subgroups 43 and 45, and only there', () => {
    // Montgomery §6.2.2, Fig. 6.5: points 43 and 45 above the UCL (spc-kit: out_of_control_at upper [43, 45]).
    const later = phaseTwo(base.frozen, { chart: 'xbar-r', subgroups: m.flowWidthPhase2.subgroups });
    expect(later.primary.signals.map((s) => s.index + 26)).toEqual([43, 45]);
    expect(later.primary.signals.every((s) => s.direction === 'up')).toBe(true);
    expect(later.primary.limits.ucl).toBe(base.charts.primary.limits.ucl); // limits frozen, not re-estimated
  });

  it('survives a JSON round trip of the baseline unchanged', () => {
    const stored = JSON.parse(JSON.stringify(base.frozen)) as typeof base.frozen;
    expect(stored).toEqual(base.frozen);
    const later = phaseTwo(stored, { chart: 'xbar-r', subgroups: m.flowWidthPhase2.subgroups });
    expect(later.primary.signals.map((s) => s.index)).toEqual([17, 19]);
  });
});

describe('I-MR chart, Montgomery Example 6.5 (mortgage loan cost, Tables 6.6 / 6.7)', () => {
  const m = montgomery();
  const chart = imrChart(m.mortgageCostPhase1.values);
  it('x̄ 300.5, MR̄ 7.79, limits 279.78 / 321.22, MR UCL 25.45', () => {
    // Montgomery Example 6.5 (spc-kit: mean 300.5, upper 321.22, lower 279.78; MR 7.79 / 25.45);
    // the book uses 1.128 and 3.267, hence a tolerance of 0.02.
    expect(chart.individuals.limits.centre).toBe(300.5);
    expect(chart.mrBar).toBeCloseTo(7.79, 2);
    expect(Math.abs((chart.individuals.limits.lcl as number) - 279.78)).toBeLessThan(0.02);
    expect(Math.abs((chart.individuals.limits.ucl as number) - 321.22)).toBeLessThan(0.02);
    expect(Math.abs((chart.movingRange.limits.ucl as number) - 25.45)).toBeLessThan(0.01);
    expect(chart.movingRange.limits.lcl).toBe(0);
    expect(chart.movingRange.pointOffset).toBe(1);
    expect(chart.individuals.signals).toEqual([]);
  });
  it('Phase II: observations 19 and 20 above the UCL, moving range 19 above its UCL', () => {
    // Montgomery Example 6.5 / Table 6.7 (spc-kit: X out at samples 165, 166 = Phase II 19, 20; MR out at 165).
    const base = phaseOne({ chart: 'imr', values: m.mortgageCostPhase1.values });
    const later = phaseTwo(base.frozen, { chart: 'imr', values: m.mortgageCostPhase2.values }, { previous: m.mortgageCostPhase1.values });
    expect(later.primary.signals.map((s) => s.index + 1)).toEqual([19, 20]);
    expect(later.secondary?.points.length).toBe(20); // first MR uses the last baseline value
    expect(later.secondary?.signals.map((s) => s.index + 1)).toEqual([19]);
  });
  it('uses a span-w moving range with d2(w) when asked', () => {
    const c3 = imrChart(m.mortgageCostPhase1.values, { span: 3 });
    expect(c3.movingRange.points.length).toBe(18);
    expect(c3.individuals.sigma).toBeCloseTo(c3.mrBar / d2(3), 12);
  });
});

describe('varying subgroup sizes (qcc behaviour, spc-reference §1.4)', () => {
  // Pistonrings with observations removed as in the qcc vignette "Variable control limits"
  // (out = 9, 10, 30, 35, 45, 64, 65, 74, 75, 85, 99, 100, 1-based over the 125 Phase I values).
  const flat = pistonrings().phase1.flat();
  const out = new Set([9, 10, 30, 35, 45, 64, 65, 74, 75, 85, 99, 100]);
  const groups: number[][] = [];
  flat.forEach((v, i) => {
    if (out.has(i + 1)) return;
    const g = Math.floor(i / 5);
    (groups[g] ??= []).push(v);
  });
  const { xbar, range, stats } = xbarRChart(groups);

  it('centre is the size-weighted mean and σ̂ the mean of R_i/d2(n_i)', () => {
    let sw = 0;
    let s = 0;
    let sig = 0;
    groups.forEach((g) => {
      sw += g.length;
      s += g.reduce((a, b) => a + b, 0);
      sig += (Math.max(...g) - Math.min(...g)) / d2(g.length);
    });
    expect(xbar.limits.centre as Float64Array).toHaveLength(25);
    expect(valueAt(xbar.limits.centre, 0)).toBeCloseTo(s / sw, 12);
    expect(xbar.sigma).toBeCloseTo(sig / groups.length, 14);
  });

  it('gives step limits x̿ ± 3σ̂/√n_i and R limits (d2 ± 3d3)σ̂ per subgroup', () => {
    expect(xbar.limits.varying).toBe(true);
    for (let i = 0; i < stats.count; i++) {
      const n = stats.sizes[i] as number;
      expect(valueAt(xbar.limits.ucl, i) - valueAt(xbar.limits.centre, i)).toBeCloseTo((3 * xbar.sigma) / Math.sqrt(n), 12);
      expect(valueAt(range.limits.centre, i)).toBeCloseTo(d2(n) * xbar.sigma, 12);
      expect(valueAt(range.limits.ucl, i)).toBeCloseTo((d2(n) + 3 * d3(n)) * xbar.sigma, 12);
    }
  });

  it('S chart: centre c4(n_i)σ̂, σ̂ = mean of s_i/c4(n_i)', () => {
    const s = xbarSChart(groups);
    const st = subgroupStats(groups);
    let sig = 0;
    for (let i = 0; i < st.count; i++) sig += (st.sds[i] as number) / c4(st.sizes[i] as number);
    expect(s.xbar.sigma).toBeCloseTo(sig / st.count, 14);
    expect(valueAt(s.stddev.limits.centre, 3)).toBeCloseTo(c4(st.sizes[3] as number) * s.xbar.sigma, 14);
  });

  it('pooled SD: s_p/c4(d+1) with d = Σ(n_i − 1), selectable on both charts', () => {
    const st = subgroupStats(groups);
    const p = pooledSdSigma(st);
    let ss = 0;
    for (let i = 0; i < st.count; i++) ss += ((st.sizes[i] as number) - 1) * (st.sds[i] as number) ** 2;
    expect(p.degreesOfFreedom).toBe(125 - 12 - 25);
    expect(p.pooledSd).toBeCloseTo(Math.sqrt(ss / p.degreesOfFreedom), 14);
    expect(xbarSChart(groups, { estimator: 'pooled-sd' }).xbar.sigma).toBeCloseTo(p.pooledSd / c4(p.degreesOfFreedom + 1), 14);
    expect(xbarRChart(groups, { estimator: 'pooled-sd' }).xbar.estimator).toBe('pooled-sd');
  });

  it('accepts the flat { values, sizes } form with the same result', () => {
    const sizes = groups.map((g) => g.length);
    const flatChart = xbarRChart({ values: Float64Array.from(groups.flat()), sizes });
    expect(flatChart.xbar.sigma).toBe(xbar.sigma);
    expect(Array.from(flatChart.xbar.points)).toEqual(Array.from(xbar.points));
  });
});
