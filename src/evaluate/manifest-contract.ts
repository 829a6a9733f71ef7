/**
 * @module The manifest is a contract: a lot with more units than the manifest orders, or with a unit
 * whose serial the manifest does not list (when it lists them), is held for an engineer — a certificate
 * must not cover 1,002 units of a 1,000-unit order. Fewer units than ordered is completeness (the
 * read model's `lotCompleteness`), not a contract breach. Pure: LotData in, reasons out.
 */
import type { LotData } from '../domain/lot-data.js';
import type { Reason } from '../domain/lot-result.js';
import { counted } from '../domain/counted.js';

/** Serials named in one reason (the full list is in `lotqa export`). */
const MAX_SERIALS = 20;

export function manifestContractHolds(lot: LotData): Reason[] {
  const manifest = lot.manifest;
  if (!manifest) return [];
  const serials = [...new Set(lot.runs.map((r) => r.serial))].sort();
  const reasons: Reason[] = [];
  if (serials.length > manifest.quantity) {
    reasons.push({
      code: 'manifest-quantity',
      severity: 'HOLD',
      value: serials.length,
      threshold: manifest.quantity,
      message: `${serials.length} units stored, the manifest orders ${manifest.quantity} (${serials.length - manifest.quantity} more than ordered)`,
    });
  }
  if (manifest.serials !== null) {
    const listed = new Set(manifest.serials);
    const outside = serials.filter((s) => !listed.has(s));
    if (outside.length > 0) {
      const shown = outside.slice(0, MAX_SERIALS);
      reasons.push({
        code: 'manifest-serials',
        severity: 'HOLD',
        value: outside.length,
        message: `${counted(outside.length, 'unit')} not on the manifest's serial list: ${shown.join(', ')}${outside.length > shown.length ? ', …' : ''}`,
        serials: shown,
      });
    }
  }
  return reasons;
}
