/**
 * @module What the console's pages and API show of a lot, shaped from the read model (`src/queries/`)
 * and the lot's stored LotResult (its reasons, yields, Pareto, stations and charts). A 10,000-unit
 * result is tens of megabytes of JSON, so the last few parsed results are kept in memory by their
 * SHA-256 (a result never changes under its hash).
 */
import { laneName, type LaneNaming } from '../domain/lanes.js';
import { chartPointUnit, chartRuleName, type CellResult, type LotResult } from '../domain/lot-result.js';
import { lotResultPart, type LotResultPart } from '../queries/lot-result-part.js';
import type { Store } from '../store/store.js';
import { lotPageSummary, type LotPageSummary } from '../domain/lot-page-summary.js';

/** The last few parsed LotResults by lot and revision, at most `size` of them. */
export class LotResultCache {
  readonly #entries = new Map<string, Promise<{ result: LotResult; resultSha256: string } | null>>();
  constructor(readonly size = 4) {}

  get(store: Store, lot: string, revision: number): Promise<{ result: LotResult; resultSha256: string } | null> {
    const key = `${lot}\u0000${revision}`;
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const loading = store.getEvaluation(lot, revision).then((e) => (e ? { result: e.result, resultSha256: e.resultSha256 } : null));
    loading.catch(() => this.#entries.delete(key));
    this.#entries.set(key, loading);
    while (this.#entries.size > this.size) this.#entries.delete(this.#entries.keys().next().value!);
    return loading;
  }
}

/** A chart cell named in a request: parameter, corner, lane (0-based; null = per module). */
export interface CellRef {
  readonly parameter: string;
  readonly corner: string;
  readonly lane: number | null;
}

export function findCell(result: Pick<LotResult, 'cells'>, ref: CellRef): CellResult | undefined {
  return result.cells.find((c) => c.key.parameter === ref.parameter && c.key.corner === ref.corner && c.key.lane === ref.lane);
}

/** The chart of one cell as compact columnar JSON: one array per field, stations and rules named once. */
export interface ChartData {
  readonly lot: string;
  readonly revision: number;
  readonly parameter: string;
  readonly corner: string;
  readonly lane: number | null;
  readonly laneName: string;
  readonly name: string;
  readonly unit: string;
  readonly scale: 'linear' | 'log10';
  readonly kind: string;
  readonly centre: number;
  readonly sigma: number;
  readonly lcl: number;
  readonly ucl: number;
  readonly mr: { readonly centre: number; readonly ucl: number };
  /** Spec limits on the chart's scale (log10 of the value on a log10 chart); null when absent or per unit. */
  readonly lsl: number | null;
  readonly usl: number | null;
  /** Per point, in test order. */
  readonly y: readonly number[];
  readonly serial: readonly string[];
  readonly station: readonly number[];
  readonly stations: readonly string[];
  /** Test time, seconds since the epoch. */
  readonly time: readonly number[];
  readonly attempt: readonly number[];
  /** The first run rule that flags the point, 0 when none. */
  readonly signal: readonly number[];
  readonly rules: readonly { readonly rule: number; readonly name: string }[];
  readonly signals: number;
}

function onScale(v: number | null, scale: 'linear' | 'log10'): number | null {
  if (v === null) return null;
  if (scale === 'linear') return v;
  return v > 0 ? Math.log10(v) : null;
}

/** The chart of `cell`, or null when the cell has no chart (too few exact readings). */
export function chartData(
  result: Pick<LotResult, 'lot' | 'units'>,
  revision: number,
  cell: CellResult,
  naming: LaneNaming,
): ChartData | null {
  const chart = cell.chart;
  if (!chart) return null;
  const n = chart.points.length;
  const stations: string[] = [];
  const stationIndex = new Map<string, number>();
  const serial = new Array<string>(n);
  const station = new Array<number>(n);
  const time = new Array<number>(n);
  const attempt = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const unit = result.units[chartPointUnit(chart, i)];
    if (!unit) throw new RangeError(`chart point ${i} of ${cell.name} names no unit of lot ${result.lot}`);
    serial[i] = unit.serial;
    let s = stationIndex.get(unit.station);
    if (s === undefined) {
      s = stations.length;
      stations.push(unit.station);
      stationIndex.set(unit.station, s);
    }
    station[i] = s;
    time[i] = Date.parse(unit.finalTestTime) / 1000;
    attempt[i] = unit.attempts;
  }
  const signal = new Array<number>(n).fill(0);
  for (const sig of chart.signals) for (const i of sig.indices) if (signal[i] === 0) signal[i] = sig.rule;
  return {
    lot: result.lot,
    revision,
    parameter: cell.key.parameter,
    corner: cell.key.corner,
    lane: cell.key.lane,
    laneName: laneName(naming, cell.key.lane),
    name: cell.name,
    unit: cell.unit,
    scale: cell.scale,
    kind: chart.kind,
    centre: chart.centre,
    sigma: chart.sigma,
    lcl: chart.lcl,
    ucl: chart.ucl,
    mr: { centre: chart.movingRange.centre, ucl: chart.movingRange.ucl },
    lsl: onScale(cell.lsl.value, cell.scale),
    usl: onScale(cell.usl.value, cell.scale),
    y: chart.points,
    serial,
    station,
    stations,
    time,
    attempt,
    signal,
    rules: chart.rules.map((r) => ({ rule: r.rule, name: chartRuleName(chart, r.rule) })),
    signals: chart.signals.length,
  };
}

/**
 * The lot page's summary of the lot's latest revision: the one stored with its evaluation (migration
 * 0010), else — a result evaluated before 0010 — made once from the result and stored for next time.
 * Null when the lot is not evaluated. A stored summary of another result hash is not used.
 */
export async function lotPageSummaryOf(
  store: Store,
  o: { readonly lot: string; readonly revision: number | null; readonly resultSha256: string | null },
  results: LotResultCache,
): Promise<LotPageSummary | null> {
  if (o.revision === null) return null;
  const stored = await store.pageSummaries.get(o.lot, o.revision);
  if (stored && stored.resultSha256 === o.resultSha256) return stored.summary;
  const r = await results.get(store, o.lot, o.revision);
  if (!r) return null;
  const summary = lotPageSummary(r.result);
  // Only a cache: when it cannot be written (a read-only database user), the next view makes it again.
  await store.pageSummaries.save(r.resultSha256, summary).catch(() => undefined);
  return summary;
}

/**
 * What a chart page of `parameter` × `corner` needs of the lot's latest result — every lane's cell with a
 * chart and the lot-level pieces (src/queries/lot-result-part.ts) — read by the database from the stored
 * result, not the whole result; the last few are kept in memory. Null when the lot is not evaluated.
 */
export class ChartSourceCache {
  readonly #entries = new Map<string, Promise<LotResultPart | null>>();
  constructor(readonly size = 16) {}

  get(
    store: Store,
    o: { readonly lot: string; readonly revision: number | null; readonly resultSha256: string | null },
    parameter: string,
    corner: string,
    results: LotResultCache,
  ): Promise<LotResultPart | null> {
    if (o.revision === null) return Promise.resolve(null);
    const key = [o.lot, o.revision, o.resultSha256, parameter, corner].join('\u0000');
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const revision = o.revision;
    const loading = lotPageSummaryOf(store, o, results).then((summary) => {
      if (!summary) return null;
      const indices = summary.charts.filter((c) => c.key.parameter === parameter && c.key.corner === corner).map((c) => c.index);
      return lotResultPart(store, o.lot, revision, indices);
    });
    loading.catch(() => this.#entries.delete(key));
    this.#entries.set(key, loading);
    while (this.#entries.size > this.size) this.#entries.delete(this.#entries.keys().next().value!);
    return loading;
  }
}
