import { describe, expect, it } from 'vitest';
import { pChart } from '../../../src/spc/attribute-charts.js';
import { imrChart } from '../../../src/spc/imr-chart.js';
import { parseFrozenLimits, phaseOne, phaseTwo } from '../../../src/spc/phase-one.js';
import { SpcInputError } from '../../../src/spc/spc-error.js';
import { xbarRChart } from '../../../src/spc/xbar-r-chart.js';
import { xbarSChart } from '../../../src/spc/xbar-s-chart.js';
import { orangejuice, pistonrings } from './reference-data.js';

describe('Phase I with a cause callback', () => {
  it('asks about signalled points only, removes what it is told, and iterates until clean', () => {
    const D = orangejuice().D.slice(0, 30);
    const asked: number[][] = [];
    const base = phaseOne(
      { chart: 'p', defectives: D, sizes: 50 },
      {
        causes: (points, iteration) => {
          asked.push(points.map((p) => p.index));
          // Montgomery Example 7.1: causes found for 15 and 23, none for 21
          return iteration === 1 ? points.map((p) => ({ index: p.index, reason: `cause for sample ${p.index + 1}` })) : [];
        },
      },
    );
    expect(asked).toEqual([[14, 22], [20]]);
    expect(base.removed.map((r) => r.index)).toEqual([14, 22]);
    expect(base.iterations).toBe(2);
    expect(base.frozen.baselineCount).toBe(28);
  });

  it('keeps listed causes whose points never signal and reports them back', () => {
    const pr = pistonrings();
    const base = phaseOne({ chart: 'xbar-r', subgroups: pr.phase1 }, { causes: [{ index: 3, reason: 'gauge swap' }] });
    expect(base.removed).toEqual([]);
    expect(base.unmatchedCauses).toEqual([{ index: 3, reason: 'gauge swap' }]);
    expect(base.frozen.subgroupSize).toBe(5);
    expect(() => phaseOne({ chart: 'imr', values: [1, 2, 3] }, { causes: [{ index: 7, reason: 'x' }] })).toThrow(
      /outside the 3 Phase I points/,
    );
  });

  it('Phase II refuses data of another chart family and rejects a malformed stored baseline', () => {
    const base = phaseOne({ chart: 'imr', values: [1, 2, 1.5, 2.5, 1.8] });
    expect(() => phaseTwo(base.frozen, { chart: 'c', counts: [1, 2] })).toThrow(/same family/);
    expect(() => parseFrozenLimits({ chart: 'imr' })).toThrow(SpcInputError);
    expect(parseFrozenLimits(JSON.parse(JSON.stringify(base.frozen)))).toEqual(base.frozen);
    const later = phaseTwo(base.frozen, { chart: 'imr', values: [1.7] });
    expect(later.primary.limits.centre).toBe(base.frozen.centre);
    expect(later.secondary?.points.length).toBe(0);
  });
});

describe('input errors say what is wrong', () => {
  it('empty series and one point', () => {
    expect(() => imrChart([])).toThrow(/empty/);
    expect(() => imrChart([5])).toThrow(/at least 2/);
  });
  it('zero variance where sigma is needed', () => {
    expect(() => imrChart([3, 3, 3, 3])).toThrow(/no variation/);
    expect(() =>
      xbarRChart([
        [1, 1],
        [1, 1],
      ]),
    ).toThrow(/no variation/);
  });
  it('NaN / Infinity with the index', () => {
    expect(() => imrChart([1, 2, NaN, 4])).toThrow(/index 2 is NaN/);
    expect(() =>
      xbarSChart([
        [1, 2],
        [3, Infinity],
      ]),
    ).toThrow(/subgroup 1, value 1 \(observation 3\) is Infinity/);
  });
  it('subgroup size 1 for X̄-R and X̄-S', () => {
    expect(() => xbarRChart([[1, 2], [3]])).toThrow(/subgroup 1 has size 1/);
    expect(() => xbarSChart({ values: [1, 2, 3], sizes: 1 })).toThrow(/size 1/);
  });
  it('attribute counts that cannot be', () => {
    expect(() => pChart([3, 60], 50)).toThrow(/60 nonconforming out of 50/);
    expect(() => pChart([0, 0], 50)).toThrow(/zero width/);
  });
});
