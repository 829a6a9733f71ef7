/**
 * @module Correcting a mistake without destroying evidence. `voidLot`: the lot was stored by mistake; it
 * stays with its files, evaluations and decisions, is shown as void and is kept out of baselines.
 * `moveLot`: the lot was stored under the wrong product; it is put under the right one (its readings
 * must fit it) and its next evaluation, under the new product, is a new revision. Both are audited.
 */
import { LotqaError } from '../errors/lotqa-error.js';
import type { ProductSpec } from '../domain/product-spec.js';
import { MODULE_LANE } from '../domain/lot-data.js';
import { voidedLots } from '../queries/lot-voids.js';
import type { Store } from '../store/store.js';

export class LotCorrectionError extends LotqaError {
  override name = 'LotCorrectionError';
}

interface Correction {
  readonly lot: string;
  readonly reason: string;
  readonly by: string;
}

async function checked(store: Store, input: Correction): Promise<string> {
  if (!input.reason.trim()) throw new LotCorrectionError('a correction needs a written reason (--reason "…")');
  if (!input.by.trim()) throw new LotCorrectionError('a correction needs the name of the engineer making it (--by NAME)');
  const summary = await store.lotSummary(input.lot);
  if (!summary) throw new LotCorrectionError(`unknown lot '${input.lot}'`, { hint: 'lotqa lots lists the stored lots' });
  const voided = (await voidedLots(store, [input.lot])).get(input.lot);
  if (voided)
    throw new LotCorrectionError(
      `lot ${input.lot} was voided by ${voided.by} at ${voided.at} (${voided.reason}); a void lot stays as it is`,
    );
  return summary.productId;
}

/** Voids a lot (audited); nothing stored is deleted. */
export async function voidLot(store: Store, input: Correction): Promise<void> {
  await checked(store, input);
  await store.appendAudit({ lot: input.lot, kind: 'lot-voided', actor: input.by, payload: { reason: input.reason.trim() } });
}

/**
 * Puts a lot under another product (audited). Its stored readings must fit that product — every
 * parameter and corner defined there, every lane within its lane count — or the move is refused: readings
 * parsed for the wrong product are not evidence for the right one, and the files must be ingested again.
 */
export async function moveLot(store: Store, input: Correction & { readonly to: ProductSpec }): Promise<{ from: string; to: string }> {
  const from = await checked(store, input);
  const to = input.to.productId;
  if (from === to) throw new LotCorrectionError(`lot ${input.lot} is already product ${to}`);
  const data = await store.loadLot(input.lot);
  const parameters = new Set(input.to.parameters.map((p) => p.id));
  const corners = new Set(input.to.corners.map((c) => c.id));
  const misfits = [
    ...data.parameters.filter((p) => !parameters.has(p)).map((p) => `parameter ${p}`),
    ...data.corners.filter((c) => !corners.has(c)).map((c) => `corner ${c}`),
  ];
  let maxLane = -1;
  for (const lane of data.lane) if (lane !== MODULE_LANE && lane > maxLane) maxLane = lane;
  if (maxLane >= input.to.laneCount) misfits.push(`lane ${maxLane + 1} (product ${to} has ${input.to.laneCount})`);
  if (misfits.length > 0)
    throw new LotCorrectionError(`lot ${input.lot}'s stored readings do not fit product ${to}: ${misfits.slice(0, 8).join(', ')}`, {
      hint: `the files were read as product ${from}; void this lot (lotqa lot void ${input.lot} --reason …) and ingest its files again under the right product and a new lot id`,
    });
  await store.moveLot(input.lot, to);
  await store.appendAudit({ lot: input.lot, kind: 'lot-moved', actor: input.by, payload: { from, to, reason: input.reason.trim() } });
  return { from, to };
}
