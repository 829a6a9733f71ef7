import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valueAt } from '../../../src/spc/chart-types.js';
import { ewmaChart } from '../../../src/spc/ewma-chart.js';
import { imrChart } from '../../../src/spc/imr-chart.js';
import { pChart } from '../../../src/spc/attribute-charts.js';
import { xbarRChart } from '../../../src/spc/xbar-r-chart.js';
import { xbarSChart } from '../../../src/spc/xbar-s-chart.js';

// Values with guaranteed spread (no zero-variance series) on a realistic scale.
const series = fc
  .array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 3, maxLength: 60 })
  .filter((xs) => Math.max(...xs) - Math.min(...xs) > 1e-3 && xs.some((x, i) => i > 0 && x !== xs[i - 1]));
const groups = fc
  .array(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 2, maxLength: 8 }), { minLength: 2, maxLength: 20 })
  .filter((gs) => gs.some((g) => Math.max(...g) - Math.min(...g) > 1e-3));
const shift = fc.double({ min: -1e3, max: 1e3, noNaN: true });
const scale = fc.double({ min: 0.01, max: 100, noNaN: true });

describe('chart properties (fast-check)', () => {
  it('limits contain the centre line on every chart and point', () => {
    fc.assert(
      fc.property(series, groups, (xs, gs) => {
        const charts = [
          imrChart(xs).individuals,
          imrChart(xs).movingRange,
          xbarRChart(gs).xbar,
          xbarRChart(gs).range,
          xbarSChart(gs).stddev,
        ];
        for (const c of charts) {
          for (let i = 0; i < c.points.length; i++) {
            expect(valueAt(c.limits.lcl, i)).toBeLessThanOrEqual(valueAt(c.limits.centre, i));
            expect(valueAt(c.limits.ucl, i)).toBeGreaterThan(valueAt(c.limits.centre, i));
            expect(valueAt(c.limits.lowerTwoSigma, i)).toBeGreaterThanOrEqual(valueAt(c.limits.lcl, i));
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('shifting the data shifts centre and limits and leaves sigma unchanged', () => {
    fc.assert(
      fc.property(series, shift, (xs, a) => {
        const c0 = imrChart(xs).individuals;
        const c1 = imrChart(xs.map((x) => x + a)).individuals;
        const tol = 1e-9 * (1 + Math.abs(a) + 100);
        expect(Math.abs(c1.sigma - c0.sigma)).toBeLessThan(tol);
        expect(Math.abs((c1.limits.centre as number) - (c0.limits.centre as number) - a)).toBeLessThan(tol);
        expect(Math.abs((c1.limits.ucl as number) - (c0.limits.ucl as number) - a)).toBeLessThan(tol);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(groups, shift, (gs, a) => {
        const c0 = xbarSChart(gs).xbar;
        const c1 = xbarSChart(gs.map((g) => g.map((x) => x + a))).xbar;
        expect(Math.abs(c1.sigma - c0.sigma)).toBeLessThan(1e-8 * (1 + Math.abs(a)));
        expect(Math.abs(valueAt(c1.limits.centre, 0) - valueAt(c0.limits.centre, 0) - a)).toBeLessThan(1e-8 * (1 + Math.abs(a)));
      }),
      { numRuns: 100 },
    );
  });

  it('scaling the data scales sigma', () => {
    fc.assert(
      fc.property(series, groups, scale, (xs, gs, b) => {
        expect(imrChart(xs.map((x) => x * b)).individuals.sigma).toBeCloseTo(imrChart(xs).individuals.sigma * b, 6);
        const r0 = xbarRChart(gs).xbar.sigma;
        expect(xbarRChart(gs.map((g) => g.map((x) => x * b))).xbar.sigma / (r0 * b)).toBeCloseTo(1, 10);
      }),
      { numRuns: 100 },
    );
  });

  it('EWMA exact limits widen monotonically toward the asymptote', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1, noNaN: true }), fc.integer({ min: 1, max: 200 }), (lambda, n) => {
        const c = ewmaChart(new Float64Array(n), { lambda, target: 0, sigma: 1 });
        const ucl = c.limits.ucl as Float64Array;
        for (let t = 1; t < n; t++) expect(ucl[t] as number).toBeGreaterThanOrEqual(ucl[t - 1] as number);
        expect(ucl[n - 1] as number).toBeLessThanOrEqual((c.asymptote?.ucl as number) + 1e-15);
      }),
      { numRuns: 200 },
    );
  });

  it('p chart LCL is never negative, for any sizes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 2, maxLength: 30 }),
        (rows) => {
          const sizes = rows.map(([n]) => n);
          const d = rows.map(([n, f]) => Math.floor(n * f));
          const total = d.reduce((a, b) => a + b, 0);
          fc.pre(total > 0 && total < sizes.reduce((a, b) => a + b, 0));
          const c = pChart(d, sizes);
          for (let i = 0; i < rows.length; i++) expect(valueAt(c.limits.lcl, i)).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
