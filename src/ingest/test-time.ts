/**
 * @module Test times → ISO 8601 UTC. Control charts order units by test time, so a time read in the
 * wrong zone silently reorders a lot. Times with an offset (`Z`, `+02:00`) are exact; times without one
 * are read in the profile's `timeZone` (UTC when the profile names none). A profile may also give a
 * `timestampFormat` (Luxon tokens) for stations that write e.g. `02.03.2025 08:14:55`.
 *
 * A local time in the hour the clocks go back names two instants, and one in the hour they skip names
 * none; either is refused (clockChangeOf says which), never resolved by a guess that could put a retest
 * before the test it repeats.
 */
import { DateTime, FixedOffsetZone } from 'luxon';

export interface TestTimeFormat {
  /** Luxon format tokens, tried after ISO 8601. */
  readonly format?: string | undefined;
  /** IANA zone for times written without an offset. */
  readonly zone: string;
}

/** Extended ISO 8601 date-time with `Z` or an offset: exact without any zone rules, so Date can read it. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** ISO instant in UTC (`2025-03-02T08:14:55.000Z`), or null when `raw` is not a valid time. */
export function parseTestTime(raw: string, how: TestTimeFormat): string | null {
  const text = raw.trim();
  if (text === '') return null;
  if (ISO_WITH_OFFSET.test(text)) {
    // Fast path (Luxon costs ~0.2 ms per call); Date.parse rejects impossible dates such as month 13.
    const ms = Date.parse(text);
    const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
    const day = new Date(Date.UTC(y, m - 1, d));
    if (!Number.isFinite(ms) || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return null; // e.g. Feb 30
    return new Date(ms).toISOString();
  }
  if (how.format === 'X' || how.format === 'x') return unixTestTime(text, how.format === 'X' ? 1000 : 1);
  if (how.zone !== 'UTC' && how.zone !== 'utc' && isKnownZone(how.zone)) return zonedTestTime(text, how);
  return parseInZone(text, how.format, how.zone);
}

const UNIX_TIME = /^\d{1,15}(?:\.\d{1,9})?$/;

/**
 * A Unix time (`"timestampFormat": "X"`: seconds since 1970-01-01 UTC, `"x"`: milliseconds), which
 * names an instant whatever the profile's time zone. Luxon's own `X` and `x` tokens refuse ten-digit
 * seconds, so the number is read here.
 */
function unixTestTime(text: string, msPerUnit: number): string | null {
  if (!UNIX_TIME.test(text)) return null;
  const ms = Math.round(Number(text) * msPerUnit);
  const date = new Date(ms);
  return Number.isFinite(date.getTime()) ? date.toISOString() : null;
}

function parseInZone(text: string, format: string | undefined, zone: string): string | null {
  const options = { zone };
  let dt = DateTime.fromISO(text, options);
  if (!dt.isValid) dt = DateTime.fromSQL(text, options);
  if (!dt.isValid && format !== undefined) dt = DateTime.fromFormat(text, format, options);
  if (!dt.isValid) return null;
  return dt.toUTC().toISO();
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** zone → day of wall-clock time (counted as if UTC) → the zone's UTC offset in ms that day, or null when it changes. */
const zoneOffsets = new Map<string, Map<number, number | null>>();

const DIGITS = /[0-9]/g;
/** Shapes of texts (each ASCII digit as 9) that neither Luxon's ISO 8601 nor its SQL pattern matches. */
const neitherIsoNorSql = new Set<string>();

/** Luxon's parser of a profile's `timestampFormat`, built once (building it costs ~4× the parse). */
const formatParsers = new Map<string, ReturnType<typeof DateTime.buildFormatParser>>();

/**
 * The time read in a zone of its own (UTC+00:01) with `setZone`: the DateTime keeps that very zone object
 * when the text names no offset, and a zone of the text's own offset when it does. The same chain as
 * parseInZone (ISO, SQL, then the profile's format).
 */
function parseProbe(text: string, format: string | undefined, probe: FixedOffsetZone): DateTime | null {
  const options = { zone: probe, setZone: true };
  // A profile's format (`dd.MM.yyyy HH:mm:ss`) is tried last, after Luxon's ISO and SQL readings have
  // failed; whether their patterns match depends only on the text's shape (Luxon matches digits as \d),
  // so a shape neither pattern matched ('unparsable', not a value out of range) goes straight to it.
  const shape = format === undefined ? '' : text.replace(DIGITS, '9');
  let dt: DateTime | null = null;
  if (!neitherIsoNorSql.has(shape)) {
    dt = DateTime.fromISO(text, options);
    if (!dt.isValid) {
      const iso = dt.invalidReason;
      dt = DateTime.fromSQL(text, options);
      if (!dt.isValid && iso === 'unparsable' && dt.invalidReason === 'unparsable' && format !== undefined) {
        if (neitherIsoNorSql.size > 1_000) neitherIsoNorSql.clear();
        neitherIsoNorSql.add(shape);
      }
    }
  }
  if ((dt === null || !dt.isValid) && format !== undefined) {
    let parser = formatParsers.get(format);
    if (parser === undefined) formatParsers.set(format, (parser = DateTime.buildFormatParser(format)));
    dt = DateTime.fromFormatParser(text, parser, options);
  }
  return dt !== null && dt.isValid ? dt : null;
}

/** A numeric `timestampFormat` as a regular expression and the order of its fields; null for any other format. */
interface NumericFormat {
  readonly re: RegExp;
  /** Per capture group: 0 year, 1 month, 2 day, 3 hour, 4 minute, 5 second, 6 millisecond. */
  readonly fields: readonly number[];
}

/** Tokens a numeric format may hold, with the field each fills and its digits (as Luxon reads them). */
const NUMERIC_TOKENS: Readonly<Record<string, readonly [field: number, digits: number]>> = {
  yyyy: [0, 4],
  MM: [1, 2],
  dd: [2, 2],
  HH: [3, 2],
  mm: [4, 2],
  ss: [5, 2],
  SSS: [6, 3],
};
const numericFormats = new Map<string, NumericFormat | null>();

/**
 * `dd.MM.yyyy HH:mm:ss` and the like — fixed-width numeric tokens between punctuation — compiled to one
 * regular expression; null for a format with any other token or literal (those keep Luxon's parser).
 */
function numericFormat(format: string): NumericFormat | null {
  let known = numericFormats.get(format);
  if (known !== undefined) return known;
  known = null;
  const parts = format.match(/([A-Za-z])\1*|[^A-Za-z]+/g) ?? [];
  let source = '^';
  const fields: number[] = [];
  let ok = parts.length > 0;
  for (const part of parts) {
    const token = NUMERIC_TOKENS[part];
    if (token !== undefined && !fields.includes(token[0])) {
      source += `([0-9]{${token[1]}})`;
      fields.push(token[0]);
    } else if (/^[.:/\- ,_]+$/.test(part)) source += part.replace(/[.\-/]/g, (c) => `\\${c}`);
    else ok = false;
  }
  // Year, month, day, hour and minute at least: anything less is left to Luxon's defaults.
  if (ok && [0, 1, 2, 3, 4].every((f) => fields.includes(f))) known = { re: new RegExp(`${source}$`), fields };
  if (numericFormats.size < 100) numericFormats.set(format, known);
  return known;
}

/**
 * The wall-clock time (ms, counted as if UTC) of a text in a numeric `timestampFormat`, without Luxon;
 * undefined whenever the answer is not certainly Luxon's: the shape was not yet seen to fail Luxon's
 * ISO 8601 and SQL readings (tried before the format), the format is not numeric, the text does not
 * match it, or a field is out of range (year before 1000, 31 February, hour 24, …). Luxon then reads
 * the text as before, so what it refuses is still refused with its reason. Luxon's own parse of the
 * same text costs ~50 µs, the largest part of reading a per-unit file's one test time.
 */
function numericWall(text: string, format: string | undefined): number | undefined {
  if (format === undefined || !neitherIsoNorSql.has(text.replace(DIGITS, '9'))) return undefined;
  const f = numericFormat(format);
  const m = f === null ? null : f.re.exec(text);
  if (f === null || m === null) return undefined;
  const v = [0, 1, 1, 0, 0, 0, 0];
  f.fields.forEach((field, i) => (v[field] = Number(m[i + 1])));
  const [year, month, day, hour, minute, second, ms] = v as [number, number, number, number, number, number, number];
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return new Date(wall).getUTCDate() === day ? wall : undefined;
}

/**
 * A time without an offset, read in an IANA zone, with Luxon's answer but without asking the zone's rules
 * (Intl, ~0.15 ms) for every file. The text is parsed once in a probe zone: a text naming its own offset
 * is exact; otherwise the probe gives its wall-clock time W. The zone's offset is taken once per
 * wall-clock day, and only when the zone has the same offset 15 hours before and after that day (every
 * UTC offset lies within ±14 h): then the zone does not change its offset near any time of that day, each
 * wall-clock time of it names exactly one instant, and that is the one Luxon finds too. A day on which the
 * offset changes (daylight saving) is read by Luxon itself, whose answer for the skipped or repeated hour
 * is kept as it was.
 */
function zonedTestTime(text: string, how: TestTimeFormat): string | null {
  let wall = numericWall(text, how.format);
  if (wall === undefined) {
    const probe = FixedOffsetZone.instance(1);
    const dt = parseProbe(text, how.format, probe);
    if (dt === null) return null;
    if (dt.zone !== probe) return dt.toUTC().toISO(); // the text names its own offset
    wall = dt.toMillis() + 60_000;
  }
  let offsets = zoneOffsets.get(how.zone);
  if (offsets === undefined) zoneOffsets.set(how.zone, (offsets = new Map<number, number | null>()));
  const day = Math.floor(wall / DAY_MS);
  let offset = offsets.get(day);
  if (offset === undefined) {
    const offsetAt = (instant: number): number => DateTime.fromMillis(instant, { zone: how.zone }).offset * 60_000;
    const before = offsetAt(day * DAY_MS - 15 * HOUR_MS);
    offset = before === offsetAt((day + 1) * DAY_MS + 15 * HOUR_MS) ? before : null;
    if (offsets.size > 10_000) offsets.clear();
    offsets.set(day, offset);
  }
  if (offset === null) {
    // A day the offset changes: the wall time names the instants W − offset that fall in a stretch of that
    // offset; one is the time, none (skipped) or two (repeated) are refused (clockChangeOf says which).
    let instant: number | null = null;
    for (const stretch of offsetStretches(how.zone, day)) {
      const t = wall - stretch.offset;
      if (t < stretch.from || t >= stretch.to) continue;
      if (instant !== null && instant !== t) return null;
      instant = t;
    }
    return instant === null ? null : new Date(instant).toISOString();
  }
  return new Date(wall - offset).toISOString();
}

/** A stretch of instants [from, to) over which a zone keeps one UTC offset (ms). */
interface OffsetStretch {
  readonly from: number;
  readonly to: number;
  readonly offset: number;
}

/** zone → wall-clock day on which its offset changes → the stretches of offset around that day. */
const zoneStretches = new Map<string, Map<number, readonly OffsetStretch[]>>();

/**
 * The zone's offsets over every instant a wall time of `day` can name (the day ±15 h), with the instants
 * of its changes found to the millisecond: sampled hourly, then bisected. Asked once per zone and day,
 * so a file on a clock-change day costs arithmetic rather than Luxon's placing (~7 zone-rule lookups).
 * Assumes no two changes of one zone within an hour (none in the tz database).
 */
function offsetStretches(zone: string, day: number): readonly OffsetStretch[] {
  let days = zoneStretches.get(zone);
  if (days === undefined) zoneStretches.set(zone, (days = new Map<number, readonly OffsetStretch[]>()));
  const known = days.get(day);
  if (known !== undefined) return known;
  const offsetAt = (instant: number): number => DateTime.fromMillis(instant, { zone }).offset * 60_000;
  const start = day * DAY_MS - 15 * HOUR_MS;
  const end = (day + 1) * DAY_MS + 15 * HOUR_MS;
  const stretches: OffsetStretch[] = [];
  let from = start;
  let offset = offsetAt(start);
  let previous = start;
  while (previous < end) {
    const sample = Math.min(previous + HOUR_MS, end);
    if (offsetAt(sample) !== offset) {
      // The first instant after `previous` (which has `offset`) with another offset.
      let lo = previous;
      let hi = sample;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(mid) === offset) lo = mid;
        else hi = mid;
      }
      stretches.push({ from, to: hi, offset });
      from = hi;
      offset = offsetAt(hi);
    }
    previous = sample;
  }
  stretches.push({ from, to: end, offset });
  if (days.size > 1_000) days.clear();
  days.set(day, stretches);
  return stretches;
}

const knownZones = new Map<string, boolean>();

/** True when Luxon knows the IANA zone (answered once per zone name and process). */
export function isKnownZone(zone: string): boolean {
  let known = knownZones.get(zone);
  if (known === undefined) {
    known = DateTime.now().setZone(zone).isValid;
    if (knownZones.size < 100) knownZones.set(zone, known);
  }
  return known;
}

/**
 * Why a local time without an offset cannot be read in `how.zone`, when it falls where the clocks
 * change: "falls in the hour the clocks went back in Europe/Berlin: it is 2025-10-26T00:30:00.000Z or
 * 2025-10-26T01:30:00.000Z", or that it does not exist there. Null otherwise (also for unreadable text).
 */
export function clockChangeOf(raw: string, how: TestTimeFormat): string | null {
  const text = raw.trim();
  if (how.format === 'X' || how.format === 'x' || ISO_WITH_OFFSET.test(text) || !isKnownZone(how.zone)) return null;
  const probe = FixedOffsetZone.instance(1);
  const wall = parseProbe(text, how.format, probe);
  if (wall === null || wall.zone !== probe) return null; // unreadable, or it names its own offset
  const placed = placeInZone(wall, how.zone);
  return typeof placed === 'string' ? placed : null;
}

/** The instant the wall time of `wall` names in `zone`, or why it names none or two. */
function placeInZone(wall: DateTime, zone: string): DateTime | string {
  const { year, month, day, hour, minute, second, millisecond } = wall;
  const local = DateTime.fromObject({ year, month, day, hour, minute, second, millisecond }, { zone });
  if (local.hour !== hour || local.minute !== minute || local.day !== day)
    return `does not exist in ${zone}: the clocks went forward over it`;
  const instants = local.getPossibleOffsets();
  if (instants.length > 1)
    return `falls in the hour the clocks went back in ${zone}: it is ${instants.map((i) => i.toUTC().toISO()).join(' or ')}`;
  return local;
}
