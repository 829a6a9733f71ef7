/**
 * @module StationUnits — canonical value → the unit a station writes (the inverse of what ingest
 * does): dBm → mW/µW/W, W → mW, A → mA/µA, V → mV, degC → degF/K, ratio ↔ %/ppm. Unit names are
 * matched case-sensitively after trimming, with the usual spellings (µW/uW, °C/degC/C).
 */
import type { CanonicalUnit } from '../domain/product-spec.js';
import { SimProfileError } from './sim-errors.js';

type Conversion = (canonical: number) => number;

const identity: Conversion = (v) => v;

/** Station unit spelling → canonical spelling it is an alias of, or a conversion from a canonical unit. */
const ALIASES: Readonly<Record<string, string>> = {
  uW: 'µW',
  μW: 'µW', // Greek mu
  '°C': 'degC',
  C: 'degC',
  '°F': 'degF',
  F: 'degF',
  'dB/Hz': 'dB/Hz',
  dBHz: 'dB/Hz',
  uA: 'µA',
  μA: 'µA',
};

const CONVERSIONS: Readonly<Record<CanonicalUnit, Readonly<Record<string, Conversion>>>> = {
  dBm: { dBm: identity, mW: (v) => 10 ** (v / 10), µW: (v) => 1000 * 10 ** (v / 10), W: (v) => 10 ** (v / 10) / 1000 },
  dB: { dB: identity },
  'dB/Hz': { 'dB/Hz': identity },
  nm: { nm: identity, um: (v) => v / 1000, µm: (v) => v / 1000 },
  ps: { ps: identity, fs: (v) => v * 1000 },
  W: { W: identity, mW: (v) => v * 1000 },
  A: { A: identity, mA: (v) => v * 1000, µA: (v) => v * 1e6 },
  V: { V: identity, mV: (v) => v * 1000 },
  degC: { degC: identity, degF: (v) => (v * 9) / 5 + 32, K: (v) => v + 273.15 },
  ratio: { ratio: identity, '%': (v) => v * 100, ppm: (v) => v * 1e6 },
  '%': { '%': identity, ratio: (v) => v / 100 },
};

/** The conversion from a canonical unit to a station unit; throws when the pair makes no sense. */
export function stationConversion(canonical: CanonicalUnit, stationUnit: string): Conversion {
  const trimmed = stationUnit.trim();
  const name = ALIASES[trimmed] ?? trimmed;
  const table = CONVERSIONS[canonical];
  const conversion = table[name];
  if (conversion === undefined) {
    throw new SimProfileError(
      `cannot write a ${canonical} reading in "${stationUnit}"; the station profile's unit for it must be one of: ${Object.keys(table).join(', ')}`,
    );
  }
  return conversion;
}

/** True when writing in this station unit needs no conversion (the canonical value is written as is). */
export function isCanonicalSpelling(canonical: CanonicalUnit, stationUnit: string): boolean {
  const trimmed = stationUnit.trim();
  return (ALIASES[trimmed] ?? trimmed) === canonical;
}
