import { describe, expect, it } from 'vitest';
import { cChart, npChart, pChart, uChart } from '../../../src/spc/attribute-charts.js';
import { valueAt } from '../../../src/spc/chart-types.js';
import { phaseOne, phaseTwo } from '../../../src/spc/phase-one.js';
import { circuit, orangejuice } from './reference-data.js';

describe('p and np charts on the orange-juice cans (Montgomery Example 7.1, qcc orangejuice)', () => {
  const oj = orangejuice();
  const D = oj.D.slice(0, 30);

  it('trial limits p̄ 0.2313, UCL 0.4102, LCL 0.0524; samples 15 and 23 above the UCL', () => {
    // Montgomery Example 7.1; spc-kit montgomery_spec.rb (mean 0.2313, upper 0.4102, lower 0.0524, out at 15 and 23)
    const p = pChart(D, 50);
    expect(p.limits.centre as number).toBeCloseTo(0.2313, 4);
    expect(p.limits.ucl as number).toBeCloseTo(0.4102, 4);
    expect(p.limits.lcl as number).toBeCloseTo(0.0524, 4);
    expect(p.signals.map((s) => s.index + 1)).toEqual([15, 23]);
  });

  it('np chart: centre 11.565, limits 2.620 / 20.510', () => {
    // spc-kit montgomery_spec.rb np rules (Montgomery rounds p̄ to 0.2313 → 11.565; exact n·p̄ = 11.5667)
    const np = npChart(D, 50);
    expect(Math.abs((np.limits.centre as number) - 11.565)).toBeLessThan(2e-3);
    expect(Math.abs((np.limits.ucl as number) - 20.51)).toBeLessThan(3e-3);
    expect(Math.abs((np.limits.lcl as number) - 2.62)).toBeLessThan(3e-3);
    expect(np.signals.map((s) => s.index + 1)).toEqual([15, 23]);
  });

  it('Phase I drops samples 15 and 23 for their causes: revised p̄ 0.2150, UCL 0.3893, LCL 0.0407; sample 21 stays', () => {
    // Montgomery Example 7.1 revised limits; sample 21 exceeds the revised UCL but has no assignable cause
    // and is kept (qcc vignette drops c(15, 23) the same way).
    const base = phaseOne(
      { chart: 'p', defectives: D, sizes: 50 },
      {
        causes: [
          { index: 14, reason: 'new batch of cardboard stock' },
          { index: 22, reason: 'inexperienced operator' },
        ],
      },
    );
    expect(base.removed.map((r) => [r.index, r.iteration])).toEqual([
      [14, 1],
      [22, 1],
    ]);
    expect(base.frozen.centre).toBeCloseTo(0.215, 4);
    expect(base.charts.primary.limits.ucl as number).toBeCloseTo(0.3893, 4);
    expect(base.charts.primary.limits.lcl as number).toBeCloseTo(0.0407, 4);
    expect(base.outOfControl.map((p) => p.index + 1)).toEqual([21]);
    expect(base.kept).toHaveLength(28);
    // Phase II against the frozen p̄ (the 24 samples after the machine adjustment)
    const later = phaseTwo(base.frozen, { chart: 'p', defectives: oj.D.slice(30), sizes: oj.size.slice(30) });
    expect(later.primary.limits.centre).toBe(base.frozen.centre);
    expect(later.primary.points).toHaveLength(24);
  });

  it('per-point limits for varying n, with the LCL floored at 0', () => {
    const p = pChart([1, 2, 0], [10, 40, 5]);
    expect(p.limits.varying).toBe(true);
    const pbar = 3 / 55;
    expect(valueAt(p.limits.ucl, 1)).toBeCloseTo(pbar + 3 * Math.sqrt((pbar * (1 - pbar)) / 40), 14);
    expect(valueAt(p.limits.lcl, 2)).toBe(0);
  });
});

describe('c and u charts on the circuit boards (Montgomery Example 7.3, qcc circuit)', () => {
  const ci = circuit();
  const x = ci.x.slice(0, 26);

  it('c chart: c̄ 19.85, UCL 33.22, LCL 6.48; samples 6 (low) and 20 (high)', () => {
    // Montgomery Example 7.3; spc-kit montgomery_spec.rb c rules (19.85 / 33.22 / 6.48, upper [20], lower [6])
    const c = cChart(x);
    // The book computes the limits from c̄ rounded to 19.85 (exact 19.846), so they agree to ±0.01.
    expect(Math.abs((c.limits.centre as number) - 19.85)).toBeLessThan(0.005);
    expect(Math.abs((c.limits.ucl as number) - 33.22)).toBeLessThan(0.01);
    expect(Math.abs((c.limits.lcl as number) - 6.48)).toBeLessThan(0.01);
    expect(c.signals.map((s) => [s.index + 1, s.direction])).toEqual([
      [6, 'down'],
      [20, 'up'],
    ]);
  });

  it('u chart with 100 boards per sample gives the same chart per board', () => {
    const u = uChart(x, 100);
    expect(u.limits.centre as number).toBeCloseTo(0.1985, 4);
    expect(Math.abs((u.limits.ucl as number) - 0.3322)).toBeLessThan(1e-4);
    expect(u.signals.map((s) => s.index + 1)).toEqual([6, 20]);
  });

  it('Phase I drops samples 6 and 20: revised c̄ 19.67, UCL 32.97, LCL 6.36', () => {
    // Montgomery Example 7.3 revised limits (qcc vignette: inc = setdiff(trial, c(6, 20)))
    const base = phaseOne(
      { chart: 'c', counts: x },
      {
        causes: [
          { index: 5, reason: 'new inspector' },
          { index: 19, reason: 'wave-solder temperature control' },
        ],
      },
    );
    expect(base.frozen.centre).toBeCloseTo(19.67, 2);
    expect(base.charts.primary.limits.ucl as number).toBeCloseTo(32.97, 2);
    expect(base.charts.primary.limits.lcl as number).toBeCloseTo(6.36, 2);
    expect(base.outOfControl).toEqual([]);
    expect(JSON.parse(JSON.stringify(base.frozen))).toEqual(base.frozen);
  });
});
