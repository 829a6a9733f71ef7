/**
 * @module The lane cell of a station file. Stations write the lane as a bare number (`0`, `3`) or as a
 * label with a prefix (`Ch1` … `Ch8`, `L0` … `L7`, `Lane 2`); a profile lists the prefixes its station
 * writes (`lanePrefixes`), and the number after the prefix is read with the profile's `laneBase`. A prefix
 * is never guessed: `Ch1` is lane 1 of a 1-based station and lane 2 of a 0-based one, and only the
 * profile knows which.
 */
import type { StationProfile } from '../domain/station-profile.js';

const DIGITS = /^\d+$/;
/** Between a prefix and the number: nothing, a space, `_`, `-`, `#` or `.` (`Ch 1`, `Lane_1`, `CH#1`). */
const JOINER = /^[ _#.-]?/;

/**
 * The number written in a lane cell (before `laneBase` is applied), or null when the cell is no whole
 * number, with or without one of the profile's prefixes (case-insensitive).
 */
export function laneNumber(raw: string, profile: Pick<StationProfile, 'lanePrefixes'>): number | null {
  // Every row has a lane cell, nearly always a digit or two: read here as Number() reads them (up to 15
  // digits are exact), without the regular expression.
  const n = raw.length;
  if (n > 0 && n <= 15) {
    let value = 0;
    let i = 0;
    for (; i < n; i++) {
      const d = raw.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
    }
    if (i === n) return value;
  }
  if (DIGITS.test(raw)) return Number(raw);
  const lower = raw.toLowerCase();
  for (const prefix of profile.lanePrefixes ?? []) {
    if (!lower.startsWith(prefix.toLowerCase())) continue;
    const rest = raw.slice(prefix.length).replace(JOINER, '');
    if (DIGITS.test(rest)) return Number(rest);
  }
  return null;
}

/** A prefix the cell starts with (`Ch` of `Ch3`), for the message that says to list it in the profile. */
export function lanePrefixOf(raw: string): string | null {
  const m = /^([A-Za-z]+)[ _#.-]?\d+$/.exec(raw);
  return m === null ? null : m[1]!;
}
