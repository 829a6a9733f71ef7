/**
 * The allocation-free per-cell paths (plainNumberOrNaN, canonicalValueOrNaN) must agree with the full
 * checks (parseNumericCell, convertToCanonical) wherever they accept a cell, and refuse (NaN) wherever
 * the full checks would quarantine it or read a censoring mark.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNumericCell, plainNumberOrNaN } from '../../src/ingest/numeric-cell.js';
import { canonicalValueOrNaN, convertToCanonical } from '../../src/domain/unit-conversion.js';

const cells = [
  '1.25',
  '-7.195',
  '+3',
  '.5',
  '5.',
  '1.742e-7',
  '0.000001251',
  '1E3',
  '1e999',
  ' 1.0',
  '1.0 ',
  '<-12.0',
  '> 4.5',
  '1,25',
  'NaN',
  'inf',
  '#N/A',
  '',
  '   ',
  'abc',
  '1.2.3',
  '--1',
  '\u22641',
];

describe('plainNumberOrNaN', () => {
  it('gives parseNumericCell’s value for plain numbers and NaN for everything else', () => {
    const check = (raw: string) => {
      const full = parseNumericCell(raw, '.');
      const plain = full.kind === 'number' && full.censoring === 'none' && raw === raw.trim();
      if (plain) expect(plainNumberOrNaN(raw)).toBe(full.value);
      else expect(plainNumberOrNaN(raw)).toBeNaN();
    };
    for (const raw of cells) check(raw);
    fc.assert(fc.property(fc.oneof(fc.double().map(String), fc.string()), check));
  });
});

describe('plainNumberOrNaN with a decimal comma', () => {
  it('gives parseNumericCell’s value for plain decimal-comma numbers and NaN for everything else', () => {
    const check = (raw: string) => {
      const full = parseNumericCell(raw, ',');
      const plain = full.kind === 'number' && full.censoring === 'none' && raw === raw.trim();
      if (plain) expect(plainNumberOrNaN(raw, ',')).toBe(full.value);
      else expect(plainNumberOrNaN(raw, ',')).toBeNaN();
    };
    for (const raw of [...cells, '0,000001465', '1,4527804937', '-3,5e-2', '1,2,3', '1.234,5', ',5', '5,']) check(raw);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double().map((d) => String(d).replace('.', ',')),
          fc.string(),
        ),
        check,
      ),
    );
  });
});

describe('canonicalValueOrNaN', () => {
  it('gives convertToCanonical’s value when it converts and NaN when it refuses', () => {
    const cases = [
      [1, 'mW', 'dBm'],
      [0, 'mW', 'dBm'],
      [-1, 'mW', 'dBm'],
      [2.5, 'dBm', 'dBm'],
      [2.5, 'DBM', 'dBm'],
      [3, 'furlongs', 'dBm'],
      [120, 'mA', 'A'],
      [-300, 'degC', 'degC'],
      [25, '°C', 'degC'],
      [77, 'degF', 'degC'],
      [1, '', 'dBm'],
      [5, 'ppm', 'ratio'],
    ] as const;
    for (const [value, unit, canonical] of cases) {
      const full = convertToCanonical(value, unit, canonical);
      if (full.ok) expect(canonicalValueOrNaN(value, unit, canonical)).toBe(full.value);
      else expect(canonicalValueOrNaN(value, unit, canonical)).toBeNaN();
    }
  });
});
