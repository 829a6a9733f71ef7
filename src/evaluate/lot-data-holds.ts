/**
 * @module What the lot's data itself says must hold it, before any statistics: files that conflict
 * (the same unit's test reported twice with different readings), units beyond the manifest's contract;
 * and what it only warns about (a serial also tested in another lot). Pure: LotData in, reasons out, and the
 * proposal they change.
 */
import type { LotData, LotRun } from '../domain/lot-data.js';
import type { Disposition, Reason } from '../domain/lot-result.js';
import { manifestContractHolds } from './manifest-contract.js';
import { agreeing, counted } from '../domain/counted.js';

/** Codes that hold the lot even when other reasons would reject it: the data to decide on is not settled. */
const UNSETTLED = new Set(['file-conflict', 'simultaneous-attempts']);

/**
 * One HOLD reason per unresolved conflict, naming the serial, the test time and the files with their
 * stations; then simultaneous attempts, the manifest's contract (manifest-contract.ts) and the notes.
 */
export function lotDataHolds(lot: LotData): Reason[] {
  return [
    ...conflictHolds(lot),
    ...simultaneousAttemptHolds(lot),
    ...manifestContractHolds(lot),
    ...serialsElsewhereWarning(lot),
    ...reExportNote(lot),
  ];
}

/**
 * One HOLD reason per serial tested at the same instant on two or more stations: one unit cannot be in
 * two testers at once, so which run was the first pass and which the final is unknown (a wrong serial
 * typed or scanned, or a station clock). The runs stay in the lot, ranked by the documented tie-break
 * (station id, then file SHA-256: attempts.ts), so the verdicts are the same in any arrival order; the
 * hold makes an engineer look. A run one millisecond apart is a retest, not this.
 */
function simultaneousAttemptHolds(lot: LotData): Reason[] {
  const atInstant = new Map<string, LotRun[]>();
  for (const r of lot.runs) {
    const key = `${r.serial}\u0000${Date.parse(r.testTime)}`;
    const same = atInstant.get(key);
    if (same) same.push(r);
    else atInstant.set(key, [r]);
  }
  // Serial then time order, not the order the runs were read in.
  const groups = [...atInstant.values()].sort(
    (a, b) =>
      (a[0]!.serial < b[0]!.serial ? -1 : a[0]!.serial > b[0]!.serial ? 1 : 0) || Date.parse(a[0]!.testTime) - Date.parse(b[0]!.testTime),
  );
  const reasons: Reason[] = [];
  for (const same of groups) {
    const first = same[0]!;
    const stations = [...new Set(same.map((r) => r.station))].sort();
    if (stations.length < 2) continue;
    const files = [...new Set(same.map((r) => r.fileSha256))].sort();
    const stationOf = (file: string): string =>
      [...new Set(same.filter((r) => r.fileSha256 === file).map((r) => r.station))].sort().join('/');
    reasons.push({
      code: 'simultaneous-attempts',
      severity: 'HOLD',
      message:
        `unit ${first.serial} tested at the same instant (${first.testTime}) on ${joinAnd(stations)} ` +
        `(files ${files.map((f) => f.slice(0, 12)).join(', ')}): which attempt came first is unknown; ` +
        `meanwhile its attempts are ranked by station id, then file SHA-256. Check the serial and the stations' clocks`,
      serials: [first.serial],
      files: files.map((f) => ({ sha256: f, station: stationOf(f) })),
    });
  }
  return reasons;
}

function joinAnd(items: readonly string[]): string {
  return items.length <= 2 ? items.join(' and ') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
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
        `${counted(elsewhere.length, 'serial')} of this lot ${agreeing(elsewhere.length, 'was', 'were')} also tested in another lot: ` +
        shown.map((s) => `${s.serial} (${s.lots.join(', ')})`).join(', ') +
        (elsewhere.length > shown.length ? ', …' : ''),
      serials: shown.map((s) => s.serial),
    },
  ];
}

/**
 * One HOLD reason per unresolved conflict, naming the serial, the test time, and each file with the station
 * it names (as the station names itself), so a QE knows which testers disagree — or that one station
 * exported the same test twice with different readings.
 */
function conflictHolds(lot: LotData): Reason[] {
  const reasons: Reason[] = [];
  for (const c of lot.conflicts ?? []) {
    if (c.resolution !== null) continue;
    const stations = [...new Set(c.stations)].sort();
    const who =
      stations.length === 1
        ? `all from station ${stations[0]}: it exported this test ${c.files.length} times with different readings`
        : `the stations ${joinAnd(stations)} disagree`;
    reasons.push({
      code: 'file-conflict',
      severity: 'HOLD',
      message:
        `unit ${c.serial} tested at ${c.testTime} is reported with different readings by ${c.files.length} files ` +
        `(${c.files.map((f, i) => `${f.slice(0, 12)} from ${c.stations[i] ?? 'an unknown station'}`).join(', ')}; ${who}); ` +
        `its runs there are held out until an engineer keeps one ` +
        `(lotqa conflicts resolve ${lot.lot} ${c.serial} --keep <sha256> --reason "…")`,
      serials: [c.serial],
      files: c.files.map((f, i) => ({ sha256: f, station: c.stations[i] ?? '' })),
    });
  }
  return reasons;
}

/** Re-exports named in the note (the count is always whole). */
const MAX_RE_EXPORTS = 20;

/**
 * A note (INFO: it changes nothing) naming the tests a station exported again with the same readings, which
 * count as one attempt each (lot-conflicts.ts): the files not counted are still part of the lot's content.
 */
function reExportNote(lot: LotData): Reason[] {
  const reExports = lot.reExports ?? [];
  if (reExports.length === 0) return [];
  const shown = reExports.slice(0, MAX_RE_EXPORTS);
  return [
    {
      code: 're-exported-test',
      severity: 'INFO',
      value: reExports.length,
      message:
        `${counted(reExports.length, 'test')} ${agreeing(reExports.length, 'was', 'were')} exported again by the same station with the same readings and ${agreeing(reExports.length, 'counts', 'count')} as one attempt${reExports.length === 1 ? '' : ' each'}: ` +
        shown
          .map(
            (r) =>
              `unit ${r.serial} at ${r.testTime} on ${r.station} (file ${r.kept.slice(0, 12)} counted; ${r.repeats.map((f) => f.slice(0, 12)).join(', ')} not)`,
          )
          .join(', ') +
        (reExports.length > shown.length ? ', …' : ''),
      serials: [...new Set(shown.map((r) => r.serial))],
    },
  ];
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
