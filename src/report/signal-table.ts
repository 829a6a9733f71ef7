/**
 * @module Run-rule signals counted the one way every output uses (CLI, engineering report, signals.csv):
 * a signal is one episode of one run rule on one chart (`cells[].chart.signals[]`); the table groups
 * them per chart × rule with how many episodes, which direction and how many units they touch.
 * (The investigations list holds one entry per chart × rule plus one per PAT cell, so its length is
 * neither count.) Pure.
 */
import { csvText } from './csv-text.js';
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
 */
export function writeSignalsCsv(result: LotResult): string {
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
