/**
 * @module Choosing the station profile from a file's header when the user names none. Each profile
 * is tried with its own delimiter and preamble rule; a profile fits when every required column is
 * there, and the fit with the most expected columns wins. When none fits, the message names, for the
 * closest profiles, exactly which columns were missing — usually one renamed column.
 */
import Papa from 'papaparse';
import type { StationProfile } from '../domain/station-profile.js';
import { fitProfile, headerMayFit, type PlanFit } from './column-plan.js';
import type { FileHead, HeadLine } from './file-head.js';
import { locateTable, type TableLocation } from './file-layout.js';
import { HeaderIndex } from './header-names.js';

/** The header row as one profile reads it. */
export interface ProfileHeader {
  readonly line: HeadLine;
  /** Index of the header line in `FileHead.lines`. */
  readonly lineIndex: number;
  readonly index: HeaderIndex;
  /** The lines before the header as this profile reads them (metadata, comments, markers). */
  readonly location: TableLocation;
}

export type Detection =
  | {
      readonly kind: 'detected';
      readonly profile: StationProfile;
      readonly header: ProfileHeader;
      readonly fit: PlanFit;
      readonly choice: string;
    }
  | { readonly kind: 'none'; readonly message: string; readonly line: number | null };

/** Where the profile finds the table in the head (located while the head was read, else now). */
export function tableLocationOf(head: FileHead, profile: StationProfile): TableLocation | null {
  const known = head.locations.get(profile);
  return known !== undefined ? known : locateTable(head.lines, profile);
}

/** Splits the header row with the profile's delimiter (quoted names allowed); null when the file has none. */
export function readProfileHeader(head: FileHead, profile: StationProfile): ProfileHeader | null {
  const location = tableLocationOf(head, profile);
  if (location === null) return null;
  const lineIndex = location.headerIndex;
  const line = head.lines[lineIndex];
  if (line === undefined) return null;
  return { line, lineIndex, index: new HeaderIndex(splitHeader(line.text, profile)), location };
}

/** The header row's names, split with the profile's delimiter (quoted names allowed). */
export function splitHeader(text: string, profile: StationProfile): string[] {
  const parsed = Papa.parse<string[]>(text, { delimiter: profile.delimiter, header: false, dynamicTyping: false });
  return parsed.data[0] ?? [];
}

interface Fitted {
  readonly profile: StationProfile;
  readonly header: ProfileHeader;
  readonly fit: PlanFit;
}

function fitted(head: FileHead, profile: StationProfile): Fitted[] {
  const header = readProfileHeader(head, profile);
  return header === null ? [] : [{ profile, header, fit: fitProfile(profile, header.index) }];
}

/** Fewest missing required columns, then the most expected columns found, then the fewest unread ones. */
const rank = (tried: Fitted[]): Fitted[] =>
  tried.sort(
    (a, b) =>
      a.fit.missingRequired.length - b.fit.missingRequired.length ||
      b.fit.matched / Math.max(1, b.fit.expected) - a.fit.matched / Math.max(1, a.fit.expected) ||
      a.fit.plan.unusedColumns.length - b.fit.plan.unusedColumns.length,
  );

const pct = (f: PlanFit): number => (f.expected === 0 ? 0 : Math.round((100 * f.matched) / f.expected));

/** Picks the profile whose columns best fit the file's header. */
export function detectProfile(head: FileHead, profiles: readonly StationProfile[]): Detection {
  // Only profiles whose header line may hold their required columns can fit; the choice (and its
  // words) depends on those alone, so a file's data rows never change it (parse-station-file.ts
  // remembers choices by those header lines).
  const plausible = profiles.filter((p) => {
    const loc = tableLocationOf(head, p);
    return loc !== null && headerMayFit(p, head.lines[loc.headerIndex]?.text ?? '');
  });
  const tried = rank(plausible.flatMap((profile) => fitted(head, profile)));
  const best = tried[0];
  if (best !== undefined && best.fit.missingRequired.length === 0) {
    const cols = best.header.index.fields.filter((_, i) => !best.fit.plan.unusedColumns.includes(i));
    const runnerUp = tried[1];
    const others =
      runnerUp === undefined
        ? ''
        : `; next best '${runnerUp.profile.id}' ${runnerUp.fit.missingRequired.length === 0 ? `also fits (${pct(runnerUp.fit)}%)` : `lacks ${runnerUp.fit.missingRequired.join(', ')}`}`;
    const missing = best.fit.missingExpected.length > 0 ? `; optional columns absent: ${best.fit.missingExpected.join(', ')}` : '';
    return {
      kind: 'detected',
      profile: best.profile,
      header: best.header,
      fit: best.fit,
      choice: `auto-detected profile '${best.profile.id}' from header columns ${cols.join(', ')} on line ${best.header.line.number} (${best.fit.matched} of ${best.fit.expected} expected columns${missing})${others}`,
    };
  }
  // No profile fits: name the closest of all of them (a failure is never remembered across files).
  const ranked = rank(profiles.flatMap((profile) => fitted(head, profile)));
  if (ranked.length === 0) return { kind: 'none', message: 'the file has no header row', line: null };
  const closest = ranked
    .slice(0, 3)
    .map((t) => `'${t.profile.id}' is missing ${t.fit.missingRequired.join(', ')}`)
    .join('; ');
  const line = ranked[0]?.header.line.number ?? null;
  return {
    kind: 'none',
    line,
    message: `the header on line ${line} matches no station profile (${profiles.length} tried). Closest: ${closest}. Name the profile explicitly, or add a station profile for this layout.`,
  };
}
