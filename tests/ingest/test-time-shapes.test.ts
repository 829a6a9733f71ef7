/**
 * parseTestTime skips Luxon's ISO 8601 and SQL readings for a text whose shape (each digit as 9) neither
 * matched before, going straight to the profile's `timestampFormat` (src/ingest/test-time.ts). Checked
 * against Luxon's own chain (fromISO, fromSQL, then the format, in the zone), the independent reading,
 * on texts of one shape read in turn: valid and impossible dates in the profile's format, and ISO/SQL
 * shaped texts whose first value is out of range (which must not make the next one of that shape skip).
 */
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { clockChangeOf, parseTestTime } from '../../src/ingest/test-time.js';

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

  it('reads every numeric time of two years as Luxon does (arithmetic instead of Luxon once the shape is known)', () => {
    // Independent reading: Luxon's chain on each text. Times in the hours the clocks change are refused
    // (clockChangeOf says why) rather than given Luxon's guess; every other text must match to the ms.
    const two = (n: number): string => String(n).padStart(2, '0');
    let checked = 0;
    for (const zone of ['Europe/Berlin', 'America/New_York']) {
      const how = { format: FORMAT, zone };
      for (let day = Date.UTC(2024, 0, 1); day < Date.UTC(2026, 0, 1); day += 86_400_000) {
        const d = new Date(day);
        for (const [h, m, sec] of [
          [0, 0, 0],
          [2, 30, 0],
          [3, 0, 1],
          [23, 59, 59],
        ] as const) {
          const text = `${two(d.getUTCDate())}.${two(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${two(h)}:${two(m)}:${two(sec)}`;
          const actual = parseTestTime(text, how);
          // (clockChangeOf is slow: asked only for a refused text, which it must explain or Luxon refuse too.)
          expect(actual, `${text} in ${zone}`).toBe(actual === null && clockChangeOf(text, how) !== null ? null : luxonChain(text, zone));
          checked++;
        }
      }
      // Out of range: Luxon refuses each, and so must the short way.
      for (const text of [
        '29.02.2025 10:00:00',
        '00.03.2025 10:00:00',
        '10.00.2025 10:00:00',
        '10.03.2025 24:00:00',
        '10.03.2025 10:60:00',
        '10.03.2025 10:00:60',
        '10.03.0999 10:00:00',
      ])
        expect(parseTestTime(text, how), `${text} in ${zone}`).toBe(luxonChain(text, zone));
    }
    expect(checked).toBe(2 * 731 * 4);
  });
});
