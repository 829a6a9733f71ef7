/**
 * Test times without an offset are read in the profile's zone. parseTestTime takes the zone's offset
 * once per day instead of asking Luxon for each file (src/ingest/test-time.ts); this checks it against
 * Luxon itself (the independent recomputation: `DateTime.fromISO/fromSQL/fromFormat` in the zone, then
 * UTC) in zones with daylight saving in either hemisphere, half-hour (Lord Howe) and 45-minute (Chatham,
 * Kathmandu) offsets, every 5 minutes of each day on which an offset changes and every ~6 h otherwise.
 * On those days parseTestTime places the time by the zone's offset changes found once per day (bisected
 * to the millisecond), Luxon by its own rules per call: the comparison checks one against the other.
 * Luxon reads each wall time once (the three layouts without an offset write the same wall time; a time
 * with its own offset is the same instant in every zone); every 8th wall time it also reads the other
 * two layouts, so that sharing is itself checked.
 */
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { clockChangeOf, parseTestTime } from '../../src/ingest/test-time.js';

const ZONES = ['Europe/Berlin', 'America/New_York', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kathmandu', 'UTC'];
const FORMAT = 'dd.MM.yyyy HH:mm:ss';
/** Luxon's parser of FORMAT, built once (DateTime.fromFormat builds it on every call, ~4× the parse). */
const FORMAT_PARSER = DateTime.buildFormatParser(FORMAT);

/**
 * Luxon's reading, except a local time the zone's clock change makes ambiguous (Luxon gives two possible
 * offsets) or skips (Luxon moves it to another wall time): lotqa refuses those rather than pick one.
 */
function luxon(text: string, zone: string): string | null {
  const o = { zone };
  let dt = DateTime.fromISO(text, o);
  if (!dt.isValid) dt = DateTime.fromSQL(text, o);
  if (!dt.isValid) dt = DateTime.fromFormatParser(text, FORMAT_PARSER, o);
  if (!dt.isValid) return null;
  const ownOffset = /(?:Z|[+-]\d{2}:\d{2})$/.test(text);
  if (!ownOffset) {
    if (dt.getPossibleOffsets().length > 1) return null;
    // The wall time as written (ISO or dotted layout), against the one Luxon landed on.
    const iso = /^\d{4}-\d{2}-(\d{2})[T ](\d{2}):(\d{2})/.exec(text);
    const dotted = /^(\d{2})\.\d{2}\.\d{4} (\d{2}):(\d{2})/.exec(text);
    const [, day, hour, minute] = (iso ?? dotted ?? []).map(Number);
    if (day !== undefined && (dt.day !== day || dt.hour !== hour || dt.minute !== minute)) return null;
  }
  return dt.toUTC().toISO();
}

function wallTimes(zone: string): number[] {
  const out: number[] = [];
  const start = Date.UTC(2019, 0, 1);
  const end = Date.UTC(2021, 0, 1);
  for (let t = start; t < end; t += 6 * 3_600_000 + 17 * 60_000 + 13_000) out.push(t);
  for (let day = start; day < end; day += 86_400_000) {
    const off = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
    if (off(day - 15 * 3_600_000) !== off(day + 39 * 3_600_000))
      for (let t = day; t < day + 86_400_000; t += 5 * 60_000 + 1_000) out.push(t);
  }
  return out;
}

describe('test times in a zone', () => {
  it('agree with Luxon for every layout of the time, on ordinary days and on daylight-saving days', () => {
    let compared = 0;
    const mismatches: string[] = [];
    const note = (m: string) => mismatches.length < 5 && mismatches.push(m);
    // A time with its own offset is one instant whatever the zone (luxon() ignores the zone for it), and
    // the ordinary-day samples are the same in every zone: Luxon reads each such text once.
    const withOffset = new Map<string, string | null>();
    for (const zone of ZONES) {
      wallTimes(zone).forEach((t, k) => {
        const iso = new Date(t).toISOString().slice(0, 19);
        const spaced = iso.replace('T', ' ');
        const dotted = `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)} ${iso.slice(11)}`;
        const offset = `${spaced}+05:30`;
        // The three layouts without an offset write one wall time: Luxon's reading of it, taken once from
        // the ISO text, is the instant each must give. Every 8th wall time Luxon reads the other two as
        // well, which checks that they are the same wall time to Luxon too.
        const wall = luxon(iso, zone);
        if (k % 8 === 0)
          for (const text of [spaced, dotted]) {
            const own = luxon(text, zone);
            if (own !== wall) note(`${zone}: Luxon reads ${text} as ${own} but ${iso} as ${wall}`);
          }
        let fixed = withOffset.get(offset);
        if (fixed === undefined) {
          fixed = luxon(offset, zone);
          withOffset.set(offset, fixed);
        }
        for (const [text, want] of [
          [iso, wall],
          [spaced, wall],
          [offset, fixed],
          [dotted, wall],
        ] as const) {
          compared++;
          const got = parseTestTime(text, { zone, format: FORMAT });
          if (got !== want) note(`${zone} ${text}: ${got} vs Luxon ${want}`);
        }
      });
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(120_000);
  });

  it('refuses a local time in the hour the clocks go back (two instants) or skip (none), saying which', () => {
    const berlin = { zone: 'Europe/Berlin' };
    // 26 Oct 2025: 03:00 CEST (UTC+2) became 02:00 CET (UTC+1); 30 Mar 2025: 02:00 CET became 03:00 CEST.
    expect(parseTestTime('2025-10-26 02:30:00', berlin)).toBeNull();
    expect(clockChangeOf('2025-10-26 02:30:00', berlin)).toBe(
      'falls in the hour the clocks went back in Europe/Berlin: it is 2025-10-26T00:30:00.000Z or 2025-10-26T01:30:00.000Z',
    );
    expect(parseTestTime('2025-03-30 02:30:00', berlin)).toBeNull();
    expect(clockChangeOf('2025-03-30 02:30:00', berlin)).toBe('does not exist in Europe/Berlin: the clocks went forward over it');
    // Just outside those hours, and the same wall time with its offset, are one instant each.
    expect(parseTestTime('2025-10-26 01:59:59', berlin)).toBe('2025-10-25T23:59:59.000Z');
    expect(parseTestTime('2025-10-26 03:00:00', berlin)).toBe('2025-10-26T02:00:00.000Z');
    expect(parseTestTime('2025-10-26T02:30:00+01:00', berlin)).toBe('2025-10-26T01:30:00.000Z');
    expect(clockChangeOf('2025-10-26T02:30:00+01:00', berlin)).toBeNull();
  });

  it('keeps rejecting what Luxon rejects', () => {
    expect(parseTestTime('2020-02-30 10:00:00', { zone: 'Europe/Berlin' })).toBeNull();
    expect(parseTestTime('31.04.2020 10:00:00', { zone: 'Europe/Berlin', format: FORMAT })).toBeNull();
    expect(parseTestTime('yesterday', { zone: 'Europe/Berlin' })).toBeNull();
  });
});
