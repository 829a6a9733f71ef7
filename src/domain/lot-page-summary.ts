/**
 * @module What a lot's page shows of its LotResult, and nothing more: the proposal and its reasons, the
 * first investigations, yields, sampling, Pareto, stations, the first failing units and the list of charts
 * with their signal counts. A 10,000-unit LotResult is ~25–50 MB of JSON (seconds to read and check under
 * load); this summary is a few kilobytes, stored beside the result when it is evaluated (migration 0010)
 * so the lot page never reads the result. Derived data: a cache keyed by the result's SHA-256, never
 * evidence (the certificate and `audit --verify` use the result itself).
 */
import type { CellKey, LotResult, Reason, UnitFailure } from './lot-result.js';

/** Investigations and failing units kept (the page lists this many; the counts are whole). */
export const SUMMARY_INVESTIGATIONS = 200;
export const SUMMARY_FAILING_UNITS = 100;

export interface LotPageSummary {
  readonly kind: 'lotqa/lot-page-summary';
  readonly version: 1;
  readonly lot: string;
  readonly revision: number;
  readonly product: { readonly productId: string; readonly specVersion: string; readonly laneCount: number };
  readonly policy: LotResult['policy'];
  readonly baseline: { readonly version: number } | null;
  readonly quantity: { readonly units: number };
  readonly yields: LotResult['yields'];
  readonly sampling: LotResult['sampling'];
  readonly proposal: LotResult['proposal'];
  readonly investigations: readonly Reason[];
  readonly investigationCount: number;
  readonly pareto: LotResult['pareto'];
  readonly stations: LotResult['stations'];
  readonly failingUnits: readonly {
    readonly serial: string;
    readonly station: string;
    readonly attempts: number;
    readonly firstFailure: UnitFailure | null;
  }[];
  readonly failingCount: number;
  /** Every cell with a control chart, in the result's order: its key, index in `cells`, signal count. */
  readonly charts: readonly { readonly key: CellKey; readonly index: number; readonly signals: number }[];
}

/** The lot page's summary of `result` (pure). */
export function lotPageSummary(result: LotResult): LotPageSummary {
  const failing = result.units.filter((u) => u.final !== 'pass');
  return {
    kind: 'lotqa/lot-page-summary',
    version: 1,
    lot: result.lot,
    revision: result.revision,
    product: { productId: result.product.productId, specVersion: result.product.specVersion, laneCount: result.product.laneCount },
    policy: result.policy,
    baseline: result.baseline ? { version: result.baseline.version } : null,
    quantity: { units: result.quantity.units },
    yields: result.yields,
    sampling: result.sampling,
    proposal: result.proposal,
    investigations: result.investigations.slice(0, SUMMARY_INVESTIGATIONS),
    investigationCount: result.investigations.length,
    pareto: result.pareto,
    stations: result.stations,
    failingUnits: failing.slice(0, SUMMARY_FAILING_UNITS).map((u) => ({
      serial: u.serial,
      station: u.station,
      attempts: u.attempts,
      firstFailure: u.failures[0] ?? null,
    })),
    failingCount: failing.length,
    charts: result.cells.flatMap((c, index) => (c.chart ? [{ key: c.key, index, signals: c.chart.signals.length }] : [])),
  };
}
