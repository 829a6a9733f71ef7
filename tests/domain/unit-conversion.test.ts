import { describe, expect, it } from 'vitest';
import { convertToCanonical, foldUnit } from '../../src/domain/unit-conversion.js';
import { parseNumericCell } from '../../src/ingest/numeric-cell.js';
import type { CanonicalUnit } from '../../src/domain/product-spec.js';

// Expected values: dBm is defined as 10·log10(P / 1 mW) (IEC 60050-713 / ITU-T G.100 definition),
// so 1 mW = 0 dBm, 0.5 mW = −3.0103 dBm, 2 mW = +3.0103 dBm. Temperature: NIST SP 811 (2008) B.9,
// t/°C = (t/°F − 32)/1.8 and t/°C = T/K − 273.15. 12 W module power and 3.64 A supply current are the
// QSFP-DD DR4 datasheet figures quoted in shared/domain/transceiver-test.md [S6].
const cases: [number, string, CanonicalUnit, number][] = [
  [1, 'mW', 'dBm', 0],
  [0.5, 'mW', 'dBm', -3.0103],
  [2000, 'µW', 'dBm', 3.0103],
  [2000, 'uW', 'dBm', 3.0103],
  [2000, 'μW', 'dBm', 3.0103], // Greek mu, not the micro sign
  [1e6, 'nW', 'dBm', 0],
  [0.001, 'W', 'dBm', 0],
  [-30, 'dBW', 'dBm', 0],
  [1.84, 'DBM', 'dBm', 1.84],
  [12000, 'mW', 'W', 12],
  [3640, 'mA', 'A', 3.64],
  [3_640_000, 'µA', 'A', 3.64],
  [3300, 'mV', 'V', 3.3],
  [77, '°F', 'degC', 25],
  [32, 'degF', 'degC', 0],
  [298.15, 'K', 'degC', 25],
  [25, '°C', 'degC', 25],
  [25, 'C', 'degC', 25],
  [25, '℃', 'degC', 25],
  [1.3105, 'um', 'nm', 1310.5],
  [0.017, 'ns', 'ps', 17],
  [-136, 'dB / Hz', 'dB/Hz', -136],
  [240, 'ppm', 'ratio', 2.4e-4],
  [0.5, '%', 'ratio', 0.005],
  [5, '%', '%', 5],
];

describe('unit conversion to canonical units', () => {
  it.each(cases)('%d %s → %s = %d', (value, unit, canonical, expected) => {
    const r = convertToCanonical(value, unit, canonical);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toBeCloseTo(expected, 4);
  });

  it('folds case and spaces: " m W " is mW', () => {
    expect(foldUnit(' m W ')).toBe('mw');
  });

  it('refuses a unit that cannot become the canonical one, naming the accepted ones', () => {
    const r = convertToCanonical(1310, 'nm', 'dBm');
    expect(r).toMatchObject({ ok: false, reason: 'unknown-unit' });
    if (!r.ok) expect(r.message).toContain('mw');
  });

  it.each([0, -0.2])('calls %d mW → dBm physically impossible instead of returning -Infinity/NaN', (mw) => {
    expect(convertToCanonical(mw, 'mW', 'dBm')).toMatchObject({ ok: false, reason: 'physically-impossible' });
  });

  it('calls a temperature below absolute zero physically impossible', () => {
    expect(convertToCanonical(-500, '°F', 'degC')).toMatchObject({ ok: false, reason: 'physically-impossible' });
  });
});

describe('value cells', () => {
  it.each([
    ['<-12.0', '.', -12, 'below'],
    ['< -12.0', '.', -12, 'below'],
    ['>4.5', '.', 4.5, 'above'],
    ['1,25', ',', 1.25, 'none'],
    [' 2.5 ', '.', 2.5, 'none'],
    ['1e-3', '.', 0.001, 'none'],
  ] as const)('%s (decimal %s) → %d censoring %s', (raw, decimal, value, censoring) => {
    expect(parseNumericCell(raw, decimal)).toEqual({ kind: 'number', value, censoring });
  });

  it.each([
    ['NaN', 'not-finite'],
    ['inf', 'not-finite'],
    ['-Infinity', 'not-finite'],
    ['1e999', 'not-finite'],
    ['abc', 'non-numeric'],
    ['0x1F', 'non-numeric'],
    ['1.234,5', 'non-numeric'],
  ])('%s is %s', (raw, kind) => {
    expect(parseNumericCell(raw, raw.includes(',') ? ',' : '.').kind).toBe(kind);
  });

  it('decimal comma is only accepted when the profile says so', () => {
    expect(parseNumericCell('1,25', '.').kind).toBe('non-numeric');
  });
});
