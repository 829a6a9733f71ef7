/**
 * @module Conflicts between a lot's files, for an engineer: list them, and settle one by keeping one
 * file (audited; nothing is deleted — the files not kept stay stored, their runs at that time stay out
 * of the lot). A resolution is part of the lot's content, so the next evaluation is a new revision.
 */
import { LotqaError } from '../errors/lotqa-error.js';
import type { LotConflict } from '../domain/lot-data.js';
import type { Store } from '../store/store.js';

export class ConflictResolutionError extends LotqaError {
  override name = 'ConflictResolutionError';
}

/** The lot's conflicts, resolved or not (the store finds them every time the lot is read). */
export async function lotConflicts(store: Store, lot: string): Promise<readonly LotConflict[]> {
  return (await store.loadLot(lot)).conflicts ?? [];
}

export interface ResolveConflictInput {
  readonly lot: string;
  readonly serial: string;
  /** SHA-256 of the file to keep, or a prefix of it (8 hex digits at least). */
  readonly keep: string;
  readonly reason: string;
  readonly by: string;
}

/** Keeps one file of an open conflict of `serial`; returns the conflict as it was settled. */
export async function resolveConflict(store: Store, input: ResolveConflictInput): Promise<LotConflict> {
  const keep = input.keep.trim().toLowerCase();
  if (!/^[0-9a-f]{8,64}$/.test(keep))
    throw new ConflictResolutionError(`--keep ${JSON.stringify(input.keep)} is not a file's SHA-256 (or 8+ hex digits of one)`, {
      hint: `lotqa conflicts ${input.lot} lists each conflict's files`,
    });
  if (!input.reason.trim()) throw new ConflictResolutionError('a resolution needs a written reason (--reason "…")');
  if (!input.by.trim()) throw new ConflictResolutionError('a resolution needs the name of the engineer making it (--by NAME)');
  const open = (await lotConflicts(store, input.lot)).filter((c) => c.serial === input.serial && c.resolution === null);
  if (open.length === 0)
    throw new ConflictResolutionError(`lot ${input.lot} has no open conflict for unit ${input.serial}`, {
      hint: `lotqa conflicts ${input.lot} lists the lot's conflicts`,
    });
  const matches = open.flatMap((c) => c.files.filter((f) => f.startsWith(keep)).map((f) => ({ conflict: c, file: f })));
  if (matches.length !== 1)
    throw new ConflictResolutionError(
      matches.length === 0
        ? `no file of unit ${input.serial}'s conflict starts with ${keep}; its files: ${open.flatMap((c) => c.files).join(', ')}`
        : `${keep} names more than one file of unit ${input.serial}'s conflicts: give more of the SHA-256`,
    );
  const { conflict, file } = matches[0]!;
  await store.appendAudit({
    lot: input.lot,
    kind: 'conflict-resolved',
    actor: input.by,
    payload: { serial: conflict.serial, testTime: conflict.testTime, files: [...conflict.files], kept: file, reason: input.reason.trim() },
  });
  return (await lotConflicts(store, input.lot)).find((c) => c.serial === conflict.serial && c.testTime === conflict.testTime) ?? conflict;
}
