/**
 * laneNumber reads an all-digit cell of up to 15 characters itself instead of testing /^\d+$/ and calling
 * Number(): it must give what the regular expression and Number() give for every cell (digits of any
 * length, leading zeros, signs, spaces, prefixes, other characters), checked against that reading.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { laneNumber } from '../../src/ingest/lane-cell.js';

const profile = { lanePrefixes: ['Ch', 'Lane'] };

/** The reading before the digit scan: the regular expression, then the prefixes. */
function reference(raw: string): number | null {
  if (/^\d+$/.test(raw)) return Number(raw);
  const lower = raw.toLowerCase();
  for (const prefix of profile.lanePrefixes) {
    if (!lower.startsWith(prefix.toLowerCase())) continue;
    const rest = raw.slice(prefix.length).replace(/^[ _#.-]?/, '');
    if (/^\d+$/.test(rest)) return Number(rest);
  }
  return null;
}

const cell = fc.oneof(
  fc.stringMatching(/^[0-9]{1,25}$/),
  fc.stringMatching(/^[ +\-0-9a-z.#_]{0,6}$/),
  fc.constantFrom(
    '',
    ' 1',
    '1 ',
    '+1',
    '-1',
    '1.0',
    '1e2',
    '٣',
    '１',
    'Ch1',
    'ch 02',
    'Lane_7',
    '0x1',
    '00',
    '999999999999999',
    '9999999999999999',
  ),
  fc.string({ maxLength: 4 }),
);

describe('laneNumber', () => {
  it('reads every cell as the regular expression and Number() do', () => {
    fc.assert(
      fc.property(cell, (raw) => Object.is(laneNumber(raw, profile), reference(raw))),
      { numRuns: 20_000 },
    );
  });

  it('on the cells stations write', () => {
    expect(laneNumber('1', profile)).toBe(1);
    expect(laneNumber('08', profile)).toBe(8);
    expect(laneNumber(' 1', profile)).toBeNull();
    expect(laneNumber('Ch3', profile)).toBe(3);
  });
});
