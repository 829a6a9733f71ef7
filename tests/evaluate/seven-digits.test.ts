/**
 * sevenDigits must round exactly as `Number(v.toPrecision(7))` (the chart points and per-point limits are
 * in the result hash): checked against toPrecision itself on random doubles, station-like readings and
 * the hardest inputs, decimals that lie exactly or nearly on a half at the 7th digit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sevenDigits } from '../../src/evaluate/seven-digits.js';

const reference = (v: number): number => Number(v.toPrecision(7));

describe('sevenDigits rounds to 7 significant digits exactly as toPrecision(7)', () => {
  it('agrees on arbitrary finite doubles', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => Object.is(sevenDigits(v), reference(v)) || v === 0),
      { numRuns: 50_000 },
    );
  });

  it('agrees on readings of instrument magnitude (dBm, mW, BER exponents)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (v) => Object.is(sevenDigits(v), reference(v)) || v === 0),
      { numRuns: 50_000 },
    );
  });

  it('agrees on decimals at and next to a half in the 8th significant digit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000_000, max: 9_999_999 }),
        fc.integer({ min: -20, max: 6 }),
        fc.integer({ min: -3, max: 3 }),
        (m, k, ulps) => {
          let v = Number(`${m}5e${k - 7}`);
          for (let i = 0; i < Math.abs(ulps); i++) v = ulps > 0 ? nextUp(v) : nextDown(v);
          return sevenDigits(v) === reference(v) && sevenDigits(-v) === reference(-v);
        },
      ),
      { numRuns: 30_000 },
    );
  });

  it('passes 0, non-finite values and NaN through', () => {
    expect(sevenDigits(0)).toBe(0);
    expect(sevenDigits(Infinity)).toBe(Infinity);
    expect(Number.isNaN(sevenDigits(Number.NaN))).toBe(true);
    expect(sevenDigits(1.23456749)).toBe(1.234567);
    expect(sevenDigits(-0.000123456751)).toBe(-0.0001234568);
  });
});

function nextUp(v: number): number {
  const b = new Float64Array([v]);
  const u = new BigInt64Array(b.buffer);
  u[0] = u[0]! + 1n;
  return b[0]!;
}
function nextDown(v: number): number {
  const b = new Float64Array([v]);
  const u = new BigInt64Array(b.buffer);
  u[0] = u[0]! - 1n;
  return b[0]!;
}
