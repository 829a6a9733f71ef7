/**
 * @module c0-plans — zero acceptance number plans (Squeglia): accept on 0 nonconforming, reject on 1.
 * The table is NOT verified in lotqa (only publicly quoted cells are shipped); a policy may give the sample
 * size from the purchased book, which then takes precedence.
 */
import { C0TableCellUnavailableError, SamplingPlanError } from './errors.js';
import c0Table from './tables/c0-plans.json' with { type: 'json' };

export interface C0Plan {
  readonly lotSize: number;
  readonly index: number;
  readonly sampleSize: number;
  readonly ac: 0;
  readonly re: 1;
  readonly hundredPercent: boolean;
  /** Where n came from: the shipped table cell or the policy. */
  readonly sampleSizeSource: 'table' | 'policy';
}

/**
 * The c = 0 plan for a lot. `sampleSize` (from the policy) overrides the table.
 * @throws C0TableCellUnavailableError when the table has no confirmed cell and no sample size is given
 */
export function c0Plan(request: { lotSize: number; index: number; sampleSize?: number }): C0Plan {
  const { lotSize, index } = request;
  if (!Number.isInteger(lotSize) || lotSize < 1) throw new SamplingPlanError(`Lot size must be a positive integer; got ${lotSize}`);
  if (!c0Table.indexValues.some((v) => Math.abs(v - index) < 1e-9)) {
    throw new SamplingPlanError(`c = 0 index ${index} is not a table column; use one of ${c0Table.indexValues.join(', ')}`);
  }
  let sampleSize = request.sampleSize;
  let sampleSizeSource: C0Plan['sampleSizeSource'] = 'policy';
  if (sampleSize === undefined) {
    const cell = c0Table.cells.find((c) => lotSize >= c.min && lotSize <= c.max && Math.abs(c.index - index) < 1e-9);
    if (!cell) throw new C0TableCellUnavailableError(lotSize, index);
    sampleSize = cell.sampleSize;
    sampleSizeSource = 'table';
  }
  const hundredPercent = sampleSize >= lotSize;
  return {
    lotSize,
    index,
    sampleSize: Math.min(sampleSize, lotSize),
    ac: 0,
    re: 1,
    hundredPercent,
    sampleSizeSource,
  };
}
