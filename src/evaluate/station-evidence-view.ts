/**
 * @module The stations' verdicts and limits as the LotResult reports them: the comparison of
 * domain/station-evidence.ts over the lot's stored evidence and lotqa's own unit verdicts, with the
 * per-lot counts. Evidence only: nothing here changes a verdict or the lot's disposition.
 */
import type { LotData } from '../domain/lot-data.js';
import type { StationEvidenceView, UnitResult } from '../domain/lot-result.js';
import type { ProductSpec } from '../domain/product-spec.js';
import { compareWithStation } from '../domain/station-evidence.js';

/** `{ stationEvidence }` for the LotResult, or nothing when no station said anything (older results look the same). */
export function stationEvidenceField(
  lot: LotData,
  spec: ProductSpec,
  units: readonly UnitResult[],
): { stationEvidence?: StationEvidenceView } {
  const station = lot.station;
  if (station === undefined || (station.verdicts.length === 0 && station.limits.length === 0)) return {};
  const compared = compareWithStation({ spec, runs: station.verdicts, units, limits: station.limits });
  const disagreeing = (attempt: 'first' | 'final'): number =>
    new Set(compared.verdicts.filter((v) => v.attempt === attempt).map((v) => v.serial)).size;
  // A unit tested once is compared as its final attempt; its first pass is the same verdict.
  const once = new Set(units.filter((u) => u.attempts === 1).map((u) => u.serial));
  const firstPass = new Set(
    compared.verdicts.filter((v) => v.attempt === 'first' || (v.attempt === 'final' && once.has(v.serial))).map((v) => v.serial),
  ).size;
  return {
    stationEvidence: {
      runsWithVerdict: station.verdicts.length,
      disagreeingUnits: { firstPass, final: disagreeing('final') },
      verdicts: compared.verdicts.map((v) => ({ ...v })),
      limits: compared.limits.map((l) => ({ ...l, corners: [...l.corners], lanes: [...l.lanes] })),
      notCompared: [...compared.notCompared],
    },
  };
}
