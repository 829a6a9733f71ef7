import { describe, expect, it } from 'vitest';
import { buildLotResult } from './support/lot-result-fixture.js';
import { SIGNAL_CSV_COLUMNS, signalTable, writeSignalsCsv } from '../../src/report/signal-table.js';
import { chartPointSerials, chartRuleName, type CellResult, type LotResult } from '../../src/domain/lot-result.js';
import { csvText } from '../../src/report/csv-text.js';
import { neutraliseCell } from '../../src/report/unit-results-csv.js';
import { laneName, laneNamingOf } from '../../src/domain/lanes.js';

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

/** The rows signals.csv held before it was written line by line: one array of cells per signal, then csvText. */
function signalsCsvByRows(result: LotResult): string {
  const rows: string[][] = [];
  for (const cell of result.cells) {
    const chart = cell.chart;
    if (chart === null) continue;
    for (const s of chart.signals) {
      const first = s.indices[0] ?? 0;
      const last = s.indices[s.indices.length - 1] ?? 0;
      rows.push([
        neutraliseCell(result.lot),
        String(result.revision),
        neutraliseCell(cell.key.parameter),
        neutraliseCell(cell.key.corner),
        laneName(laneNamingOf(result.product), cell.key.lane),
        chart.ruleSet,
        String(s.rule),
        chartRuleName(chart, s.rule),
        s.direction ?? '',
        String(first + 1),
        String(last + 1),
        String(s.indices.length),
        neutraliseCell(chartPointSerials(result, chart, s.indices).join(' ')),
      ]);
    }
  }
  return csvText(SIGNAL_CSV_COLUMNS, rows);
}

describe('writeSignalsCsv', () => {
  it('writes the text of csvText over one row per signal (fixture lot, and names that need quoting or neutralising)', () => {
    const plain = buildLotResult({ units: 3000 });
    expect(writeSignalsCsv(plain)).toBe(signalsCsvByRows(plain));
    // Hostile names: a formula-like lot, a parameter with a comma and quotes, a corner with spaces around it.
    const hostile = {
      ...plain,
      lot: '=HYPERLINK("x")',
      cells: plain.cells.map((c, i) => ({
        ...c,
        key: { ...c.key, parameter: i % 2 === 0 ? 'tx "power", dBm' : c.key.parameter, corner: i % 3 === 0 ? ' hot ' : c.key.corner },
      })),
    } as LotResult;
    const text = writeSignalsCsv(hostile);
    expect(text).toBe(signalsCsvByRows(hostile));
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(text.split('\r\n').length - 2).toBe(plain.cells.reduce((n, c) => n + (c.chart?.signals.length ?? 0), 0));
  });

  it('writes the header and an empty line for a lot without signals, as before', () => {
    const quiet = buildLotResult({ units: 50 });
    const none = { ...quiet, cells: quiet.cells.map((c) => (c.chart ? { ...c, chart: { ...c.chart, signals: [] } } : c)) } as LotResult;
    expect(writeSignalsCsv(none)).toBe(signalsCsvByRows(none));
    expect(writeSignalsCsv(none).endsWith('\r\n\r\n')).toBe(true);
  });
});
