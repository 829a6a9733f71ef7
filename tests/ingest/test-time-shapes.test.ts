/**
 * parseTestTime skips Luxon's ISO 8601 and SQL readings for a text whose shape (each digit as 9) neither
 * matched before, going straight to the profile's `timestampFormat` (src/ingest/test-time.ts). Checked
 * against Luxon's own chain (fromISO, fromSQL, then the format, in the zone), the independent reading,
 * on texts of one shape read in turn: valid and impossible dates in the profile's format, and ISO/SQL
 * shaped texts whose first value is out of range (which must not make the next one of that shape skip).
 */
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { parseTestTime } from '../../src/ingest/test-time.js';

const FORMAT = 'dd.MM.yyyy HH:mm:ss';

function luxonChain(text: string, zone: string): string | null {
  const o = { zone };
  let dt = DateTime.fromISO(text, o);
  if (!dt.isValid) dt = DateTime.fromSQL(text, o);
  if (!dt.isValid) dt = DateTime.fromFormat(text, FORMAT, o);
  return dt.isValid ? dt.toUTC().toISO() : null;
}

describe('test times read by shape', () => {
  const texts = [
    // The profile's format: the first one teaches the shape, the others take the short way.
    '04.06.2025 08:00:00',
    '31.02.2025 08:00:00', // 31 February: refused by the format as by Luxon
    '05.06.2025 23:59:59',
    '04.13.2025 08:00:00', // month 13
    // SQL-shaped, first with an impossible month (out of range, not unparsable), then a valid one.
    '2025-13-01 08:00:00',
    '2025-12-01 08:00:00',
    // ISO-shaped, impossible day first, then valid.
    '2025-02-30T08:00',
    '2025-03-30T08:00',
    // Texts no reading accepts, twice with the same shape.
    '04/06/2025 08:00',
    '05/06/2025 09:00',
  ];

  for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York']) {
    it(`reads each text in ${zone} as Luxon's ISO → SQL → format chain does`, () => {
      // Twice over: the second pass reads every shape with what the first pass learned.
      for (let pass = 0; pass < 2; pass++)
        for (const text of texts)
          expect(parseTestTime(text, { format: FORMAT, zone }), `${text} (pass ${pass})`).toBe(luxonChain(text, zone));
    });
  }

  it('reads a valid date after an impossible one of the same shape', () => {
    const how = { format: FORMAT, zone: 'Europe/Berlin' };
    expect(parseTestTime('30.02.2024 10:00:00', how)).toBeNull();
    expect(parseTestTime('29.02.2024 10:00:00', how)).toBe('2024-02-29T09:00:00.000Z');
  });
});
