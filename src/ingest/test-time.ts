/**
 * @module Test times → ISO 8601 UTC. Control charts order units by test time, so a time read in the
 * wrong zone silently reorders a lot. Times with an offset (`Z`, `+02:00`) are exact; times without one
 * are read in the profile's `timeZone` (UTC when the profile names none). A profile may also give a
 * `timestampFormat` (Luxon tokens) for stations that write e.g. `02.03.2025 08:14:55`.
 */
import { DateTime } from 'luxon';

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
  const options = { zone: how.zone };
  let dt = DateTime.fromISO(text, options);
  if (!dt.isValid) dt = DateTime.fromSQL(text, options);
  if (!dt.isValid && how.format !== undefined) dt = DateTime.fromFormat(text, how.format, options);
  if (!dt.isValid) return null;
  return dt.toUTC().toISO();
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
