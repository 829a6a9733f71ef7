/**
 * @module The stations' verdicts and limits of a lot's files, as evidence beside its readings
 * (domain/station-evidence.ts compares them with lotqa's judgement and the spec).
 */
import type { StationLimit, StationRunVerdict } from '../../domain/station-evidence.js';
import type { StoreDb, StoreDialect } from '../dialect/store-dialect.js';
import { checkStationLimitSet, checkStationVerdicts } from '../stored-documents.js';

/** A run of the lot as the reader has it (only runs in the lot's data count: conflicting runs held out do not). */
export interface EvidenceRun {
  readonly fileId: number;
  readonly runOrder: number;
  readonly serial: string;
  readonly lot: string;
  readonly station: string;
  readonly testTime: string;
}

export async function readStationEvidence(
  db: StoreDb,
  dialect: Pick<StoreDialect, 'jsonFromDb'>,
  lotId: number,
  runs: readonly EvidenceRun[],
): Promise<{ verdicts: StationRunVerdict[]; limits: StationLimit[] }> {
  const rows = await db
    .selectFrom('station_evidence')
    .select(['file_id', 'verdicts', 'limit_set'])
    .where('file_id', 'in', db.selectFrom('runs').select('file_id').where('lot_id', '=', lotId))
    .orderBy('file_id')
    .execute();
  if (rows.length === 0) return { verdicts: [], limits: [] };
  const runAt = new Map(runs.map((r) => [`${r.fileId}:${r.runOrder}`, r]));
  const verdicts: StationRunVerdict[] = [];
  for (const row of rows) {
    for (const v of checkStationVerdicts(dialect.jsonFromDb(row.verdicts), `station verdicts of file ${row.file_id}`)) {
      const run = runAt.get(`${row.file_id}:${v.run}`);
      if (run === undefined) continue; // a run held out of the lot, or of another lot in the same file
      verdicts.push({ serial: run.serial, lot: run.lot, station: run.station, testTime: run.testTime, verdict: v.verdict, from: v.from });
    }
  }
  // Files are stored in arrival order; the evidence is listed in the data's own order so it does not depend on it.
  verdicts.sort(
    (a, b) =>
      byCodeUnit(a.serial, b.serial) ||
      byCodeUnit(a.testTime, b.testTime) ||
      byCodeUnit(a.station, b.station) ||
      byCodeUnit(a.from, b.from) ||
      byCodeUnit(a.verdict, b.verdict),
  );
  const shas = [...new Set(rows.map((r) => r.limit_set).filter((s): s is string => s !== null))];
  const limits = new Map<string, StationLimit>();
  if (shas.length > 0) {
    const sets = await db
      .selectFrom('station_limit_sets')
      .select(['sha256', 'limits'])
      .where('sha256', 'in', shas)
      .orderBy('sha256')
      .execute();
    for (const set of sets)
      for (const l of checkStationLimitSet(dialect.jsonFromDb(set.limits), `station limit set ${set.sha256}`))
        limits.set(`${l.station}\u0000${l.parameter}\u0000${l.corner}\u0000${l.lane}\u0000${l.low}\u0000${l.high}`, l);
  }
  return { verdicts, limits: [...limits.values()] };
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
