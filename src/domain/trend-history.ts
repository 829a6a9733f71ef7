/**
 * @module Trend history — what the batch-to-batch trend knows of a product's earlier lots: each lot's own
 * mean and σ per critical chart (kept in `LotResult.trend.lot`) and when it was tested. Read from the
 * store by src/queries/product-trend.ts and passed into the pure evaluation (src/evaluate/lot-trend.ts).
 */

/** One chart's statistics of an earlier (or the current) lot, on the SPC scale. */
export interface TrendCellStat {
  readonly parameter: string;
  readonly corner: string;
  readonly lane: number | null;
  /** Uncensored readings behind the mean. */
  readonly n: number;
  readonly mean: number;
  readonly sd: number | null;
}

/** An earlier lot of the product, in the order it was tested. */
export interface TrendHistoryLot {
  readonly lot: string;
  /** First test time (ISO 8601). */
  readonly at: string;
  readonly cells: readonly TrendCellStat[];
}
