/**
 * @module The column of each reading, named as a spreadsheet user names it ("column F (Tx Power (dBm))"),
 * derived when asked rather than stored: a reading's column is fixed by its file's header and the
 * station profile it was read with (wide: the parameter's column; long: the value column), so the
 * ingest record stays as it is. The station file is read again from its stored path and used only
 * when its SHA-256 is still the stored one — a column from a changed or missing file would be a guess,
 * so then the reading names its line only and says why.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { StationProfile } from '../domain/station-profile.js';
import { fitProfile, type ColumnPlan } from '../ingest/column-plan.js';
import { readProfileHeader } from '../ingest/detect-profile.js';
import { readFileHead } from '../ingest/file-head.js';
import { unitReadings, type UnitReadings } from '../queries/unit-readings.js';
import type { Store } from '../store/store.js';

/** "A".."Z", "AA"..: the spreadsheet name of a 0-based column index. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Where the readings of one stored file sit, or why that cannot be said. */
export type FileColumns =
  { readonly ok: true; columnOf(this: void, parameter: string): string | null } | { readonly ok: false; readonly why: string };

/** The columns of a stored file: its bytes must still hash to `sha256`. */
export async function fileColumns(file: { sha256: string; path: string }, profile: StationProfile | null): Promise<FileColumns> {
  if (!profile) return { ok: false, why: 'its station profile is not in the catalogs' };
  if (!existsSync(file.path)) return { ok: false, why: `the file is not at ${file.path} on this machine` };
  const bytes = readFileSync(file.path);
  if (createHash('sha256').update(bytes).digest('hex') !== file.sha256)
    return { ok: false, why: `${file.path} has changed since it was stored (its SHA-256 differs)` };
  const text = new TextDecoder(profile.encoding ?? 'utf-8').decode(bytes);
  const once = [text].values();
  const head = await readFileHead({ next: () => Promise.resolve(once.next()) }, file.path, [profile]);
  const header = readProfileHeader(head, profile);
  if (!header) return { ok: false, why: `no header row of profile ${profile.id} found in the file` };
  const plan: ColumnPlan = fitProfile(profile, header.index).plan;
  const named = (index: number): string => `column ${columnLetter(index)} (${header.index.fields[index] ?? ''})`;
  if (plan.long) {
    const value = named(plan.long.value);
    return { ok: true, columnOf: () => value };
  }
  const wide = new Map((plan.wide ?? []).map((c) => [c.parameter, named(c.index)]));
  return { ok: true, columnOf: (parameter) => wide.get(parameter) ?? null };
}

/**
 * The unit's readings ({@link unitReadings}), each with the column it was read from (`column`), and
 * per attempt `columnsUnknown` saying why when its file's columns cannot be named.
 */
export async function unitReadingsWithColumns(
  store: Store,
  lot: string,
  serial: string,
  profileFor: (profileId: string) => StationProfile | null,
): Promise<UnitReadings | null> {
  const u = await unitReadings(store, lot, serial);
  if (!u) return null;
  const profiles = new Map((await store.listFiles(lot)).map((f) => [f.sha256, f.profileId]));
  const byFile = new Map<string, FileColumns>();
  const attempts = [];
  for (const a of u.attempts) {
    let cols = byFile.get(a.file.sha256);
    if (!cols) {
      const profileId = profiles.get(a.file.sha256);
      let profile: StationProfile | null = null;
      try {
        profile = profileId === undefined ? null : profileFor(profileId);
      } catch {
        profile = null;
      }
      cols = await fileColumns(a.file, profile).catch((err: unknown) => ({
        ok: false as const,
        why: `its header could not be read again (${err instanceof Error ? err.message : String(err)})`,
      }));
      byFile.set(a.file.sha256, cols);
    }
    const c = cols;
    attempts.push(
      c.ok
        ? { ...a, readings: a.readings.map((r) => ({ ...r, column: c.columnOf(r.parameter) })) }
        : { ...a, columnsUnknown: `columns not shown: ${c.why}` },
    );
  }
  return { ...u, attempts };
}
