/**
 * @module What the certificate states per parameter: one row per parameter × test temperature, pooled
 * over the lanes when every lane has the same limits (one row per lane when they differ, e.g. CWDM
 * wavelength windows), with the statistics over the certified units only and each limit as numbers —
 * a conditional limit as the range it took over the certified units plus the rule in words (a footnote).
 * The only arithmetic is pooling per-lane summaries (min of minima, max of maxima, n-weighted mean,
 * worst-lane Cpk — the Cpk the decision judged each lane by, see judgedCapability), which restates stored
 * numbers rather than re-estimating anything. Pure.
 */
import type { CellResult, LimitRange, LimitView, LotResult } from '../domain/lot-result.js';
import { judgedCapability, type CapabilityRoute } from '../domain/judged-capability.js';
import { laneName, type LaneNaming } from '../domain/lanes.js';
import { limitInWords, type ParameterNaming } from './limit-words.js';
import { formatLimitValue, formatReading, NONE } from './number-format.js';

/** One side of a row's limits as the certificate prints it. */
export interface RowLimit {
  /** Constant (exact, padded to the declared decimals), range of a conditional limit, or a dash. */
  readonly text: string;
  readonly informative: boolean;
  /** A conditional limit: its rule in words and the range it took over the certified units. */
  readonly rule: { readonly words: string; readonly range: LimitRange | null } | null;
}

/** One certificate row: a parameter at a test temperature, over all lanes or one lane. */
export interface CertificateRow {
  readonly parameter: string;
  readonly name: string;
  readonly corner: string;
  readonly caseTemperatureC: number | null;
  /** Null: all lanes pooled (or a per-module parameter); else the lane index (0-based). */
  readonly lane: number | null;
  readonly module: boolean;
  readonly unit: string;
  readonly decimals: number | undefined;
  readonly lsl: RowLimit;
  readonly usl: RowLimit;
  /** Readings over the certified units (units × lanes of the row). */
  readonly n: number;
  readonly min: number | null;
  readonly mean: number | null;
  readonly max: number | null;
  /** Worst-lane Cpk as the decision judged it (over every unit tested) and its lower confidence bound. */
  readonly cpk: number | null;
  readonly cpkLower: number | null;
  /** The route that judged the worst lane's Cpk (null without a Cpk). */
  readonly cpkBy: CapabilityRoute | null;
  /** False for results evaluated before certified statistics were recorded (then over every unit tested). */
  readonly certifiedOnly: boolean;
}

/** Parameter names and units of a result, for limit words. */
export function parameterNames(result: Pick<LotResult, 'cells'>): Map<string, ParameterNaming> {
  const names = new Map<string, ParameterNaming>();
  for (const c of result.cells) if (!names.has(c.key.parameter)) names.set(c.key.parameter, { name: c.name, unit: c.unit });
  return names;
}

function limitKey(l: LimitView): string {
  return `${l.value ?? ''}|${l.expr ?? ''}|${l.informative}`;
}

function mergeRange(ranges: readonly (LimitRange | null | undefined)[]): LimitRange | null {
  let min = Infinity;
  let max = -Infinity;
  for (const r of ranges) {
    if (!r) continue;
    min = Math.min(min, r.min);
    max = Math.max(max, r.max);
  }
  return Number.isFinite(min) ? { min, max } : null;
}

function rowLimit(
  limit: LimitView,
  ranges: readonly (LimitRange | null | undefined)[],
  decimals: number | undefined,
  names: ReadonlyMap<string, ParameterNaming>,
): RowLimit {
  if (limit.value !== null) return { text: formatLimitValue(limit.value, decimals), informative: limit.informative, rule: null };
  if (limit.expr !== null) {
    const range = mergeRange(ranges);
    const text =
      range === null
        ? 'conditional'
        : range.min === range.max
          ? formatReading(range.min, decimals)
          : `${formatReading(range.min, decimals)} … ${formatReading(range.max, decimals)}`;
    return { text, informative: limit.informative, rule: { words: limitInWords(limit.expr, names), range } };
  }
  return { text: NONE, informative: false, rule: null };
}

/** Rows in the result's parameter and corner order. */
export function certificateRows(result: LotResult): CertificateRow[] {
  const names = parameterNames(result);
  const groups = new Map<string, CellResult[]>();
  for (const cell of result.cells) {
    const k = `${cell.key.parameter}\u0000${cell.key.corner}`;
    const g = groups.get(k);
    if (g) g.push(cell);
    else groups.set(k, [cell]);
  }
  const rows: CertificateRow[] = [];
  for (const cells of groups.values()) {
    const sameLimits = new Set(cells.map((c) => `${limitKey(c.lsl)}/${limitKey(c.usl)}`)).size === 1;
    const parts = sameLimits ? [cells] : cells.map((c) => [c]);
    for (const part of parts) rows.push(row(result, part, sameLimits || part[0]!.key.lane === null ? null : part[0]!.key.lane, names));
  }
  return rows;
}

function row(
  result: LotResult,
  cells: readonly CellResult[],
  lane: number | null,
  names: ReadonlyMap<string, ParameterNaming>,
): CertificateRow {
  const first = cells[0]!;
  const certifiedOnly = cells.every((c) => c.certified !== undefined);
  let n = 0;
  let sum = 0;
  let min: number | null = null;
  let max: number | null = null;
  let cpk: number | null = null;
  let cpkLower: number | null = null;
  let cpkBy: CapabilityRoute | null = null;
  for (const c of cells) {
    const s = certifiedOnly ? c.certified! : c.summary;
    if (s.mean !== null) {
      n += s.n;
      sum += s.n * s.mean;
    }
    if (s.min !== null) min = min === null ? s.min : Math.min(min, s.min);
    if (s.max !== null) max = max === null ? s.max : Math.max(max, s.max);
    const judged = c.capability ? judgedCapability(c.capability) : null;
    if (judged?.cpk != null && (cpk === null || judged.cpk < cpk)) {
      cpk = judged.cpk;
      cpkLower = judged.cpkLower;
      cpkBy = judged.by;
    }
  }
  const corner = result.product.corners.find((c) => c.id === first.key.corner);
  return {
    parameter: first.key.parameter,
    name: first.name,
    corner: first.key.corner,
    caseTemperatureC: corner?.caseTemperatureC ?? null,
    lane,
    module: first.key.lane === null,
    unit: first.unit,
    decimals: first.decimals,
    lsl: rowLimit(
      first.lsl,
      cells.map((c) => c.certified?.lslRange),
      first.decimals,
      names,
    ),
    usl: rowLimit(
      first.usl,
      cells.map((c) => c.certified?.uslRange),
      first.decimals,
      names,
    ),
    n,
    min,
    mean: n > 0 ? sum / n : null,
    max,
    cpk,
    cpkLower,
    cpkBy,
    certifiedOnly,
  };
}

/** "all", "—" (a per-module parameter), or the lane as the station and the spec name it. */
export function rowLaneText(row: Pick<CertificateRow, 'lane' | 'module'>, naming: LaneNaming = {}): string {
  return row.module ? '—' : row.lane === null ? 'all' : laneName(naming, row.lane);
}
