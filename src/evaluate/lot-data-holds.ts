/**
 * @module What the lot's data itself says must hold it, before any statistics: files that conflict
 * (the same unit's test reported twice with different readings), units beyond the manifest's contract;
 * and what it only warns about (a serial also tested in another lot). Pure: LotData in, reasons out, and the
 * proposal they change.
 */
import type { LotData } from '../domain/lot-data.js';
import type { Disposition, Reason } from '../domain/lot-result.js';
import { manifestContractHolds } from './manifest-contract.js';

/** Codes that hold the lot even when other reasons would reject it: the data to decide on is not settled. */
const UNSETTLED = new Set(['file-conflict']);

/**
 * One HOLD reason per unresolved conflict, naming the serial, the test time and the files; then the
 * manifest's contract (manifest-contract.ts).
 */
export function lotDataHolds(lot: LotData): Reason[] {
  return [...conflictHolds(lot), ...manifestContractHolds(lot), ...serialsElsewhereWarning(lot)];
}

/** Serials named in the warning (the whole list: `lotqa evaluate --json`, proposal reasons). */
const MAX_SERIALS_ELSEWHERE = 20;

/** A warning (INFO: it does not hold the lot) naming the serials also tested in other lots, and those lots. */
function serialsElsewhereWarning(lot: LotData): Reason[] {
  const elsewhere = lot.serialsElsewhere ?? [];
  if (elsewhere.length === 0) return [];
  const shown = elsewhere.slice(0, MAX_SERIALS_ELSEWHERE);
  return [
    {
      code: 'serial-in-other-lot',
      severity: 'INFO',
      value: elsewhere.length,
      message:
        `${elsewhere.length} serial(s) of this lot were also tested in another lot: ` +
        shown.map((s) => `${s.serial} (${s.lots.join(', ')})`).join(', ') +
        (elsewhere.length > shown.length ? ', …' : ''),
      serials: shown.map((s) => s.serial),
    },
  ];
}

function conflictHolds(lot: LotData): Reason[] {
  const reasons: Reason[] = [];
  for (const c of lot.conflicts ?? []) {
    if (c.resolution !== null) continue;
    reasons.push({
      code: 'file-conflict',
      severity: 'HOLD',
      message:
        `unit ${c.serial} tested at ${c.testTime} is reported with different readings by ${c.files.length} files ` +
        `(${c.files.map((f) => f.slice(0, 12)).join(', ')}); its runs there are held out until an engineer keeps one ` +
        `(lotqa conflicts resolve ${lot.lot} ${c.serial} --keep <sha256> --reason "…")`,
      serials: [c.serial],
    });
  }
  return reasons;
}

/**
 * The proposal with the data's reasons added: a conflict holds the lot whatever else was found (the
 * REJECT reasons stay listed); other HOLD reasons hold an otherwise accepted lot.
 */
export function withLotDataHolds(
  proposal: { disposition: Disposition; reasons: Reason[] },
  holds: readonly Reason[],
): { disposition: Disposition; reasons: Reason[] } {
  if (holds.length === 0) return proposal;
  const unsettled = holds.some((r) => UNSETTLED.has(r.code));
  const disposition: Disposition =
    unsettled || (proposal.disposition === 'ACCEPT' && holds.some((r) => r.severity === 'HOLD')) ? 'HOLD' : proposal.disposition;
  const rank = { REJECT: 0, HOLD: 1, INFO: 2 } as const;
  // Unsettled data first: it is what the engineer must act on before anything else means much.
  const reasons = [...holds, ...proposal.reasons].sort(
    (a, b) => Number(UNSETTLED.has(b.code)) - Number(UNSETTLED.has(a.code)) || rank[a.severity] - rank[b.severity],
  );
  return { disposition, reasons };
}
