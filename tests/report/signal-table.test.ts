import { describe, expect, it } from 'vitest';
import { buildLotResult } from './support/lot-result-fixture.js';
import { signalTable } from '../../src/report/signal-table.js';
import type { CellResult } from '../../src/domain/lot-result.js';

/** Independent recomputation: distinct indices of the chart's signals of one rule, with a Set. */
function unitsBySet(cell: CellResult, rule: number): number {
  const points = new Set<number>();
  for (const s of cell.chart!.signals) if (s.rule === rule) for (const i of s.indices) points.add(i);
  return points.size;
}

describe('signalTable', () => {
  it('counts the distinct points of each chart × rule as a Set of their indices does (fixture lot)', () => {
    const result = buildLotResult({ units: 3000 });
    const rows = signalTable(result);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.units).toBe(unitsBySet(r.cell, r.rule));
  });

  it('counts a point shared by signals of one rule once and again for another rule, rules interleaved', () => {
    const base = buildLotResult({ units: 300 });
    const cell = base.cells.find((c) => c.chart !== null)!;
    const signals = [
      { rule: 2, indices: [3, 4, 5], direction: 'up' },
      { rule: 5, indices: [4], direction: 'down' },
      { rule: 2, indices: [5, 6], direction: 'up' },
      { rule: 5, indices: [4, 7], direction: 'down' },
    ];
    const changed = { ...cell, chart: { ...cell.chart!, signals } } as unknown as CellResult;
    const rows = signalTable({ cells: [changed] });
    expect(rows.map((r) => [r.rule, r.count, r.up, r.down, r.units])).toEqual([
      [2, 2, 2, 0, 4],
      [5, 2, 0, 2, 2],
    ]);
  });
});
