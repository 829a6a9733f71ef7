/**
 * @module Closing a lot and recording its expected quantity: the audit events that make a lot complete.
 * The rule that reads them (`lotCompleteness`) is the read model's (`src/queries/lot-completeness.ts`).
 */
import { LotqaError } from '../errors/lotqa-error.js';
import { LOT_CLOSED, LOT_EXPECTED, lotCompleteness, type LotCompleteness } from '../queries/lot-completeness.js';
import type { Store } from '../store/store.js';

export { LOT_CLOSED, LOT_EXPECTED, lotCompleteness, type LotCompleteness };

export class LotCloseError extends LotqaError {
  override name = 'LotCloseError';
}

/** Records the expected quantity of a lot (from its manifest); a repeat of the latest value adds nothing. */
export async function recordExpectedUnits(
  store: Store,
  lot: string,
  expectedUnits: number,
  actor: string,
  source: string,
): Promise<boolean> {
  if (!Number.isInteger(expectedUnits) || expectedUnits < 1)
    throw new LotCloseError(`expected quantity of lot ${lot} must be a whole number ≥ 1, got ${expectedUnits}`);
  const current = await lotCompleteness(store, lot);
  if (current.expectedUnits === expectedUnits) return false;
  await store.appendAudit({ lot, kind: LOT_EXPECTED, actor, payload: { expectedUnits, source } });
  return true;
}

/**
 * Closes a lot. Without `expectedUnits` it is complete now, with what is stored; with it, it is complete
 * once that many units are stored (files still in the queue may land first).
 */
export async function closeLot(
  store: Store,
  lot: string,
  options: { expectedUnits?: number | undefined; actor: string },
): Promise<LotCompleteness> {
  const expectedUnits = options.expectedUnits ?? null;
  if (expectedUnits !== null && (!Number.isInteger(expectedUnits) || expectedUnits < 1)) {
    throw new LotCloseError(`--expected must be a whole number ≥ 1, got ${expectedUnits}`);
  }
  if (expectedUnits === null && !(await store.lotSummary(lot))) {
    throw new LotCloseError(
      `lot ${lot} has no stored units yet: submit its files first, or give --expected N to close it once N units have arrived`,
    );
  }
  await store.appendAudit({ lot, kind: LOT_CLOSED, actor: options.actor, payload: { expectedUnits } });
  return lotCompleteness(store, lot);
}
