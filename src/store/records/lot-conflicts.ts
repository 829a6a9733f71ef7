/**
 * @module Conflicts between a lot's files: two or more files report the same serial tested at the same
 * time (so the same attempt) with different readings. Nothing decides which is right by arrival order:
 * the conflict is found every time the lot is read (so it is the same whichever file came first, and
 * whichever worker stored it, with no race between concurrent writers), every run of it is held out of
 * the lot, and the lot holds until an engineer keeps one file (a `conflict-resolved` audit event). The
 * same bytes delivered twice are one file (one SHA-256) and never a conflict; two files with the same
 * readings at the same time are not a conflict either — and when they name the same station they are one
 * attempt exported twice (a re-export), counted once.
 */
import type { LotConflict, LotReExport } from '../../domain/lot-data.js';
import type { AuditPayload } from '../../domain/stored-documents.js';
import type { RunReadingsReader, StoreDb, StoreDialect } from '../dialect/store-dialect.js';
import { unpackRunReadings } from '../run-readings.js';
import { instantFromDb } from '../stored-values.js';
import { toAuditEvent } from './audit-records.js';

export const CONFLICT_RESOLVED = 'conflict-resolved';

/** A recorded resolution, with who made it and when. */
export interface ConflictResolution extends AuditPayload<'conflict-resolved'> {
  readonly by: string;
  readonly at: string;
}

/** The line a resolution adds to the lot's content hash (see lot-content.ts): a resolution is a new revision. */
export function resolutionMark(r: Pick<ConflictResolution, 'serial' | 'testTime' | 'kept'>): string {
  return `conflict-resolved ${r.serial} ${r.testTime} keep ${r.kept}`;
}

/** The lot's conflict resolutions, in the order recorded. */
export async function conflictResolutions(
  db: StoreDb,
  dialect: Pick<StoreDialect, 'jsonFromDb'>,
  lot: string,
): Promise<ConflictResolution[]> {
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('lot', '=', lot)
    .where('kind', '=', CONFLICT_RESOLVED)
    .orderBy('id')
    .execute();
  const out: ConflictResolution[] = [];
  for (const row of rows) {
    const e = toAuditEvent(dialect, row);
    if (e.kind === 'conflict-resolved') out.push({ ...e.payload, by: e.actor, at: e.at });
  }
  return out;
}

/** What conflict and re-export detection needs of a stored run. */
export interface ConflictRun {
  readonly id: number;
  readonly serial: string;
  /** As the file names it. */
  readonly station: string;
  readonly fileSha256: string;
  /** ISO-8601, as the lot's runs report it. */
  readonly testTime: string;
}

export interface FoundConflicts {
  readonly conflicts: LotConflict[];
  /** Runs held out of the lot: every run of an unresolved conflict, the runs not kept of a resolved one. */
  readonly heldOut: ReadonlySet<number>;
  /** Tests a station exported again, in another file, with the same readings (one attempt each). */
  readonly reExports: LotReExport[];
  /** The runs of those repeating files: not counted, the kept file's runs stand for the attempt. */
  readonly repeated: ReadonlySet<number>;
}

/**
 * Finds the lot's conflicts and re-exports. Runs sharing a serial and test time in two or more files are
 * candidates (rare: only their readings are read). The files conflict when their readings differ as sets
 * of (parameter, corner, lane, censoring, value) — line numbers, layout and number formatting do not
 * matter. When they agree, files naming the same station are one attempt exported again (another export
 * timestamp or file name): the file with the smallest SHA-256 is kept, whichever arrived first. Equal
 * readings from two stations stay in the lot (`simultaneous-attempts` in lot-data-holds.ts).
 */
export async function findConflicts(
  runs: readonly ConflictRun[],
  readings: RunReadingsReader,
  resolutions: readonly ConflictResolution[],
): Promise<FoundConflicts> {
  const groups = new Map<string, ConflictRun[]>();
  for (const r of runs) {
    const key = `${r.serial}\u0000${r.testTime}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const candidates = [...groups.values()].filter((g) => new Set(g.map((r) => r.fileSha256)).size > 1);
  if (candidates.length === 0) return { conflicts: [], heldOut: new Set(), reExports: [], repeated: new Set() };

  const fingerprint = new Map<number, string>();
  const ids = candidates.flat().map((r) => r.id);
  await readings(ids, (runId, count, blob) => {
    const tuples: string[] = [];
    unpackRunReadings(blob, count, runId, {
      reading: (p, c, lane, censoring, value) => tuples.push(`${p},${c},${lane},${censoring},${value}`),
    });
    fingerprint.set(runId, tuples.sort().join(';'));
  });

  const conflicts: LotConflict[] = [];
  const heldOut = new Set<number>();
  const reExports: LotReExport[] = [];
  const repeated = new Set<number>();
  for (const group of candidates) {
    // A file's readings of this test: its runs at this time together (a file may split one test in rows).
    const byFile = new Map<string, { readings: string[]; stations: Set<string> }>();
    for (const r of group) {
      const f = byFile.get(r.fileSha256) ?? { readings: [], stations: new Set<string>() };
      f.readings.push(fingerprint.get(r.id) ?? '');
      f.stations.add(r.station);
      byFile.set(r.fileSha256, f);
    }
    const files = [...byFile.keys()].sort(byCodeUnit);
    const stationOf = (file: string): string => [...byFile.get(file)!.stations].sort(byCodeUnit).join('/');
    const { serial, testTime } = group[0]!;
    const distinct = new Set([...byFile.values()].map((f) => f.readings.sort(byCodeUnit).join('|')));
    if (distinct.size < 2) {
      // The same readings: files of one station are one attempt; the smallest SHA-256 stands for it.
      const filesOfStation = new Map<string, string[]>();
      for (const file of files) filesOfStation.set(stationOf(file), [...(filesOfStation.get(stationOf(file)) ?? []), file]);
      for (const [station, same] of filesOfStation) {
        if (same.length < 2) continue;
        const [kept, ...repeats] = same as [string, ...string[]];
        reExports.push({ serial, station, testTime, kept, repeats });
        for (const r of group) if (repeats.includes(r.fileSha256)) repeated.add(r.id);
      }
      continue;
    }
    // The latest resolution that saw every file of the conflict settles it; a file arriving later reopens it.
    const resolution =
      resolutions
        .filter((x) => x.serial === serial && x.testTime === testTime && files.every((f) => x.files.includes(f)) && files.includes(x.kept))
        .at(-1) ?? null;
    for (const r of group) if (resolution === null || r.fileSha256 !== resolution.kept) heldOut.add(r.id);
    conflicts.push({
      serial,
      testTime,
      files,
      stations: files.map(stationOf),
      resolution: resolution && { kept: resolution.kept, reason: resolution.reason, by: resolution.by, at: instantFromDb(resolution.at) },
    });
  }
  const bySerialTime = (a: { serial: string; testTime: string }, b: { serial: string; testTime: string }): number =>
    byCodeUnit(a.serial, b.serial) || byCodeUnit(a.testTime, b.testTime);
  conflicts.sort(bySerialTime);
  reExports.sort((a, b) => bySerialTime(a, b) || byCodeUnit(a.station, b.station));
  return { conflicts, heldOut, reExports, repeated };
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
