/**
 * @module Run-rule signals counted the one way every output uses (CLI, engineering report, signals.csv):
 * a signal is one episode of one run rule on one chart (`cells[].chart.signals[]`); the table groups
 * them per chart × rule with how many episodes, which direction and how many units they touch.
 * (The investigations list holds one entry per chart × rule plus one per PAT cell, so its length is
 * neither count.) Pure.
 */
import { csvCell } from './csv-text.js';
import type { CellResult, LotResult } from '../domain/lot-result.js';
import { chartPointSerials, chartRuleName } from '../domain/lot-result.js';
import { laneName, laneNamingOf } from '../domain/lanes.js';
import { neutraliseCell } from './unit-results-csv.js';

export interface SignalCounts {
  /** Run-rule signal episodes over every chart. */
  readonly signals: number;
  /** Chart × rule combinations with at least one signal (rows of the signal table). */
  readonly chartRules: number;
  /** Charts with at least one signal. */
  readonly charts: number;
  /** Units flagged as PAT outliers. */
  readonly patOutlierUnits: number;
}

export function signalCounts(result: Pick<LotResult, 'cells' | 'units'>): SignalCounts {
  let signals = 0;
  let chartRules = 0;
  let charts = 0;
  for (const c of result.cells) {
    const s = c.chart?.signals ?? [];
    if (s.length === 0) continue;
    charts++;
    signals += s.length;
    chartRules += new Set(s.map((x) => x.rule)).size;
  }
  return { signals, chartRules, charts, patOutlierUnits: result.units.filter((u) => u.patOutlier).length };
}

export interface SignalTableRow {
  readonly cell: CellResult;
  readonly ruleSet: string;
  readonly rule: number;
  readonly ruleName: string;
  readonly count: number;
  readonly up: number;
  readonly down: number;
  /** Distinct chart points (units) in the rule's signals. */
  readonly units: number;
}

/** One row per chart × rule, most signals first (ties: result order). */
export function signalTable(result: Pick<LotResult, 'cells'>): SignalTableRow[] {
  const rows: SignalTableRow[] = [];
  for (const cell of result.cells) {
    const chart = cell.chart;
    if (chart === null || chart.signals.length === 0) continue;
    const byRule = new Map<number, (typeof chart.signals)[number][]>();
    for (const s of chart.signals) {
      const list = byRule.get(s.rule);
      if (list) list.push(s);
      else byRule.set(s.rule, [s]);
    }
    // Distinct points per rule, counted with one stamp array per chart rather than a Set per rule: a
    // 10,000-unit lot has tens of thousands of signal points, and the Sets were most of this table's time.
    const seenBy = new Int32Array(chart.points.length).fill(-1);
    let stamp = 0;
    for (const [rule, signals] of [...byRule.entries()].sort(([a], [b]) => a - b)) {
      let up = 0;
      let down = 0;
      let units = 0;
      const outside = new Set<number>(); // indices off the chart, should any be: counted as before
      for (const s of signals) {
        if (s.direction === 'up') up++;
        else if (s.direction === 'down') down++;
        for (const i of s.indices) {
          if (Number.isInteger(i) && i >= 0 && i < seenBy.length) {
            if (seenBy[i] !== stamp) {
              seenBy[i] = stamp;
              units++;
            }
          } else outside.add(i);
        }
      }
      stamp++;
      rows.push({
        cell,
        ruleSet: chart.ruleSet,
        rule,
        ruleName: chartRuleName(chart, rule),
        count: signals.length,
        up,
        down,
        units: units + outside.size,
      });
    }
  }
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.count - a.r.count || a.i - b.i)
    .map(({ r }) => r);
}

export const SIGNAL_CSV_COLUMNS = [
  'lot',
  'revision',
  'parameter',
  'corner',
  'lane',
  'rule_set',
  'rule',
  'rule_name',
  'direction',
  'first_point',
  'last_point',
  'points',
  'serials',
] as const;

/**
 * Every run-rule signal of the lot, one row each (the complete list beside the report's table).
 * Lanes as the station names them; points 1-based in test order; serials space-separated.
 * Written line by line: the cells a chart's signals share (lot, revision, parameter, corner, lane, rule
 * set, and each rule with its name) are quoted once per chart, not once per signal — the same text as
 * csvText of the rows (≈ 31,000 signals on a 10,000-unit lot, whose row arrays and repeated cells were
 * most of this file's time and garbage).
 */
export function writeSignalsCsv(result: LotResult): string {
  const lines: string[] = [SIGNAL_CSV_COLUMNS.map(csvCell).join(',')];
  const lotCells = `${csvCell(neutraliseCell(result.lot))},${csvCell(String(result.revision))}`;
  const naming = laneNamingOf(result.product);
  for (const cell of result.cells) {
    const chart = cell.chart;
    if (chart === null || chart.signals.length === 0) continue;
    const chartCells = [
      lotCells,
      csvCell(neutraliseCell(cell.key.parameter)),
      csvCell(neutraliseCell(cell.key.corner)),
      csvCell(laneName(naming, cell.key.lane)),
      csvCell(chart.ruleSet),
    ].join(',');
    const ruleCells = new Map<number, string>();
    for (const s of chart.signals) {
      let rule = ruleCells.get(s.rule);
      if (rule === undefined)
        ruleCells.set(s.rule, (rule = `${chartCells},${csvCell(String(s.rule))},${csvCell(chartRuleName(chart, s.rule))}`));
      const first = s.indices[0] ?? 0;
      const last = s.indices[s.indices.length - 1] ?? 0;
      lines.push(
        `${rule},${csvCell(s.direction ?? '')},${csvCell(String(first + 1))},${csvCell(String(last + 1))},${csvCell(String(s.indices.length))},${csvCell(neutraliseCell(chartPointSerials(result, chart, s.indices).join(' ')))}`,
      );
    }
  }
  // As csvText ends it: CRLF after every line, and a header alone followed by an empty line.
  return lines.join('\r\n') + (lines.length === 1 ? '\r\n\r\n' : '\r\n');
}
