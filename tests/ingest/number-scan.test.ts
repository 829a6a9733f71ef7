/**
 * plainNumberOrNaN reads digits itself (Clinger's fast path: ≤ 15 digits, |decimal exponent| ≤ 22) instead
 * of testing a regex and calling Number(). It must give the very double Number() gives for every
 * number text a station writes — checked against the regex-and-Number() reading (parseNumericCell) on
 * generated decimal texts of every shape: sign, leading zeros, up to 20 digits, the mark anywhere, an
 * exponent of either sign, with a point and with a decimal comma. The properties return whether the two
 * agree (fast-check fails on false and prints the shrunk counterexample) rather than call expect() 20,000
 * times, which took about 3× the checking itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNumericCell, plainNumberOrNaN } from '../../src/ingest/numeric-cell.js';

const numberText = fc
  .record({
    sign: fc.constantFrom('', '-', '+'),
    digits: fc.stringMatching(/^[0-9]{1,20}$/),
    point: fc.nat(21),
    exponent: fc.option(fc.integer({ min: -340, max: 340 }), { nil: undefined }),
    e: fc.constantFrom('e', 'E'),
  })
  .map(({ sign, digits, point, exponent, e }) => {
    const at = Math.min(point, digits.length);
    const body = point > 20 ? digits : `${digits.slice(0, at)}.${digits.slice(at)}`;
    return `${sign}${body}${exponent === undefined ? '' : `${e}${exponent}`}`;
  });

function regexReading(raw: string, decimal: '.' | ','): number {
  const full = parseNumericCell(raw, decimal);
  return full.kind === 'number' && full.censoring === 'none' && raw === raw.trim() ? full.value : NaN;
}

describe('plainNumberOrNaN scans numbers to the same double as Number()', () => {
  it('with a decimal point', () => {
    fc.assert(
      fc.property(numberText, (raw) => Object.is(plainNumberOrNaN(raw), regexReading(raw, '.'))),
      { numRuns: 20_000 },
    );
  });

  it('with a decimal comma', () => {
    fc.assert(
      fc.property(numberText, (dotted) => {
        const raw = dotted.replace('.', ',');
        return Object.is(plainNumberOrNaN(raw, ','), regexReading(raw, ','));
      }),
      { numRuns: 20_000 },
    );
  });

  it('on the values of a real lot: mW readings with 4–10 decimals, exponents, negatives', () => {
    for (const raw of [
      '0.0001465',
      '1.4527804937',
      '-3.5e-2',
      '7.2e+1',
      '123456789012345',
      '1234567890123456',
      '0.1',
      '0.3',
      '-0',
      '5.',
      '.5',
    ])
      expect(Object.is(plainNumberOrNaN(raw), Number(raw))).toBe(true);
  });
});
