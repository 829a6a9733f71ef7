/**
 * @module Conflicts between a lot's files: two or more files report the same serial tested at the same
 * time (so the same attempt) with different readings. Nothing decides which is right by arrival order:
 * the conflict is found every time the lot is read (so it is the same whichever file came first, and
 * whichever worker stored it, with no race between concurrent writers), every run of it is held out of
 * the lot, and the lot holds until an engineer keeps one file (a `conflict-resolved` audit event). The
 * same bytes delivered twice are one file (one SHA-256) and never a conflict; two files with the same
 * readings at the same time are not a conflict either.
 */
import type { LotConflict } from '../../domain/lot-data.js';
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

/** What conflict detection needs of a stored run. */
export interface ConflictRun {
  readonly id: number;
  readonly serial: string;
  readonly fileSha256: string;
  /** ISO-8601, as the lot's runs report it. */
  readonly testTime: string;
}

export interface FoundConflicts {
  readonly conflicts: LotConflict[];
  /** Runs held out of the lot: every run of an unresolved conflict, the runs not kept of a resolved one. */
  readonly heldOut: ReadonlySet<number>;
}

/**
 * Finds the lot's conflicts. Runs sharing a serial and test time in two or more files are candidates
 * (rare: only their readings are read); they conflict when the files' readings differ as sets of
 * (parameter, corner, lane, censoring, value) — line numbers and layout do not matter.
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
  if (candidates.length === 0) return { conflicts: [], heldOut: new Set() };

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
  for (const group of candidates) {
    // A file's readings of this test: its runs at this time together (a file may split one test in rows).
    const byFile = new Map<string, string[]>();
    for (const r of group) byFile.set(r.fileSha256, [...(byFile.get(r.fileSha256) ?? []), fingerprint.get(r.id) ?? '']);
    const distinct = new Set([...byFile.values()].map((f) => f.sort().join('|')));
    if (distinct.size < 2) continue;
    const files = [...byFile.keys()].sort();
    const { serial, testTime } = group[0]!;
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
      resolution: resolution && { kept: resolution.kept, reason: resolution.reason, by: resolution.by, at: instantFromDb(resolution.at) },
    });
  }
  conflicts.sort((a, b) =>
    a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : a.testTime < b.testTime ? -1 : a.testTime > b.testTime ? 1 : 0,
  );
  return { conflicts, heldOut };
}
