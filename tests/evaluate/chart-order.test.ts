/**
 * The order evaluateLot evaluates a lot's charts in (chartOrder): one chart of each parameter in turn, so
 * every kind of chart runs early (see its comment). Every chart is still evaluated exactly once, and the
 * charts of one parameter keep their own order.
 */
import { describe, expect, it } from 'vitest';
import { chartOrder } from '../../src/evaluate/evaluate-lot.js';
import { buildLotView } from '../../src/evaluate/lot-view.js';
import { goodUnit, lotData, TINY } from './support/tiny-product.js';

describe('chart order', () => {
  const view = buildLotView(lotData('ORD', [goodUnit('U1'), goodUnit('U2')]), TINY);
  const order = chartOrder(view.cells);

  it('is a permutation of the charts', () => {
    expect([...order].sort((a, b) => a - b)).toEqual(view.cells.map((_, i) => i));
  });

  it('takes the first chart of every parameter first, then the second of each, and keeps each parameter’s order', () => {
    const parameters = [...new Set(view.cells.map((c) => c.parameterIndex))];
    const first = order.slice(0, parameters.length).map((i) => view.cells[i]!);
    expect(first.map((c) => c.parameterIndex)).toEqual(parameters);
    expect(first.every((c) => c === view.cells.find((x) => x.parameterIndex === c.parameterIndex))).toBe(true);
    for (const p of parameters) {
      const mine = order.filter((i) => view.cells[i]!.parameterIndex === p);
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
  });

  it('is empty for no charts', () => {
    expect(chartOrder([])).toEqual([]);
  });
});
