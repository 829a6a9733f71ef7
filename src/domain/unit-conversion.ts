/**
 * @module Station units → lotqa's canonical units. Stations write optical power in mW or µW, current
 * in mA, temperature in °F…; everything is stored in the one unit the product spec names, so limits and
 * charts never mix scales. Unit strings are matched case- and space-insensitively ("dBm" = "DBM"); µ
 * (micro sign or Greek mu) and "u" are the same prefix.
 *
 * Every conversion here is strictly increasing, so a censored reading (`<x`, `>x`) keeps its direction.
 */
import type { CanonicalUnit } from './product-spec.js';

export type UnitConversion =
  | { readonly ok: true; readonly value: number }
  | {
      readonly ok: false;
      readonly reason: 'unknown-unit' | 'physically-impossible' | 'not-finite' | 'underflow';
      readonly message: string;
    };

/** One way to get from a station unit to a canonical unit; `impossible` returns why a value cannot be physical. */
interface Rule {
  readonly convert: (x: number) => number;
  readonly impossible?: (x: number) => string | null;
  /** A pure scale factor: a non-zero reading that comes out 0 fell below the smallest double. */
  readonly scales?: true;
}

const positivePower = (unit: string) => (x: number) =>
  x > 0 ? null : `an optical power of ${x} ${unit} is not positive, so it has no value in dBm (log of ≤ 0)`;
const notBelowAbsoluteZero = (kelvinOf: (x: number) => number, unit: string) => (x: number) =>
  kelvinOf(x) >= 0 ? null : `${x} ${unit} is below absolute zero`;

const scale = (k: number): Rule => ({ convert: (x) => x * k, scales: true });
const identity: Rule = { convert: (x) => x };
const log = (mwPerUnit: number, unit: string): Rule => ({
  convert: (x) => 10 * Math.log10(x * mwPerUnit),
  impossible: positivePower(unit),
});

const celsius: Rule = { convert: (x) => x, impossible: notBelowAbsoluteZero((x) => x + 273.15, '°C') };
const fahrenheit: Rule = { convert: (x) => ((x - 32) * 5) / 9, impossible: notBelowAbsoluteZero((x) => ((x - 32) * 5) / 9 + 273.15, '°F') };
const kelvin: Rule = { convert: (x) => x - 273.15, impossible: notBelowAbsoluteZero((x) => x, 'K') };

/** canonical unit → folded station unit → rule. */
const RULES: Readonly<Record<CanonicalUnit, Readonly<Record<string, Rule>>>> = {
  dBm: { dbm: identity, dbw: { convert: (x) => x + 30 }, w: log(1000, 'W'), mw: log(1, 'mW'), uw: log(1e-3, 'µW'), nw: log(1e-6, 'nW') },
  dB: { db: identity },
  'dB/Hz': { 'db/hz': identity, dbhz: identity },
  nm: { nm: identity, um: scale(1000), pm: scale(1e-3) },
  ps: { ps: identity, ns: scale(1000), fs: scale(1e-3) },
  W: { w: identity, mw: scale(1e-3), uw: scale(1e-6) },
  A: { a: identity, ma: scale(1e-3), ua: scale(1e-6) },
  V: { v: identity, mv: scale(1e-3), uv: scale(1e-6) },
  degC: { degc: celsius, c: celsius, celsius: celsius, degf: fahrenheit, f: fahrenheit, fahrenheit: fahrenheit, k: kelvin, kelvin: kelvin },
  ratio: { ratio: identity, '%': scale(1e-2), percent: scale(1e-2), ppm: scale(1e-6), ppb: scale(1e-9) },
  '%': { '%': identity, percent: identity, ratio: scale(100), ppm: scale(1e-4) },
};

const folded = new Map<string, string>();

/** Folds a unit string: no whitespace, lower case, micro sign/mu → u, degree sign → "deg". */
export function foldUnit(unit: string): string {
  const hit = folded.get(unit);
  if (hit !== undefined) return hit;
  const f = foldUnitUncached(unit);
  if (folded.size < 1000) folded.set(unit, f); // station files use a handful of unit spellings
  return f;
}

function foldUnitUncached(unit: string): string {
  return unit
    .replace(/\s+/g, '')
    .replace(/[\u00B5\u03BC]/g, 'u')
    .replace(/\u2103/g, 'degc')
    .replace(/\u2109/g, 'degf')
    .replace(/\u00B0/g, 'deg')
    .toLowerCase();
}

/** True when `unit` can be converted to `canonical`. */
export function canConvert(unit: string, canonical: CanonicalUnit): boolean {
  return RULES[canonical][foldUnit(unit)] !== undefined;
}

/**
 * The canonical unit both `a` and `b` convert to, or null when they measure different things: `mW` and
 * `dBm` are both optical power (dBm); `dB` and `dBm` are not.
 */
export function sharedCanonical(a: string, b: string): CanonicalUnit | null {
  const fa = foldUnit(a);
  const fb = foldUnit(b);
  for (const canonical of Object.keys(RULES) as CanonicalUnit[]) {
    if (RULES[canonical][fa] !== undefined && RULES[canonical][fb] !== undefined) return canonical;
  }
  return null;
}

/** True when `unit` is a unit lotqa converts (to any canonical unit). */
export function isKnownUnit(unit: string): boolean {
  const f = foldUnit(unit);
  return (Object.keys(RULES) as CanonicalUnit[]).some((canonical) => RULES[canonical][f] !== undefined);
}

/** Station units accepted for a canonical unit (folded spelling), for error messages. */
export function acceptedUnits(canonical: CanonicalUnit): readonly string[] {
  return Object.keys(RULES[canonical]);
}

/**
 * The reading converted to `canonical`, or NaN when `convertToCanonical` would refuse it (unknown unit,
 * impossible value): the per-cell hot path, which allocates nothing; call `convertToCanonical` for the
 * reason.
 */
export function canonicalValueOrNaN(value: number, unit: string, canonical: CanonicalUnit): number {
  const rule = RULES[canonical][foldUnit(unit)];
  return rule === undefined ? NaN : convertedOrNaN(rule, value);
}

/** How a unit converts to a canonical unit, looked up once (opaque to callers; see `canonicalConverter`). */
export type CanonicalConverter = Rule;

/**
 * The conversion of `unit` to `canonical`, or undefined when `convertToCanonical` refuses the unit: a wide
 * column's unit is fixed by the profile, so the row mapper looks it up once per column instead of folding
 * and looking up the unit string for every cell.
 */
export function canonicalConverter(unit: string, canonical: CanonicalUnit): CanonicalConverter | undefined {
  return RULES[canonical][foldUnit(unit)];
}

/** canonicalValueOrNaN with the unit already looked up (`canonicalConverter`): the same value, or NaN. */
export function convertedOrNaN(rule: CanonicalConverter, value: number): number {
  if (rule.impossible !== undefined && rule.impossible(value) !== null) return NaN;
  const out = rule.convert(value);
  // A conversion that leaves the doubles (1e-320 µW is 0 W; 1e-320 mW has no dBm) is refused.
  return out - out !== 0 || (out === 0 && value !== 0 && rule.scales === true) ? NaN : out;
}

/**
 * Converts a reading written in `unit` to `canonical`.
 * @example convertToCanonical(0.5, 'mW', 'dBm') // { ok: true, value: -3.0103 }
 */
export function convertToCanonical(value: number, unit: string, canonical: CanonicalUnit): UnitConversion {
  const rule = RULES[canonical][foldUnit(unit)];
  if (rule === undefined) {
    return {
      ok: false,
      reason: 'unknown-unit',
      message: `unit '${unit}' cannot be converted to ${canonical} (accepted: ${acceptedUnits(canonical).join(', ')})`,
    };
  }
  const why = rule.impossible?.(value) ?? null;
  if (why !== null) return { ok: false, reason: 'physically-impossible', message: why };
  const out = rule.convert(value);
  if (!Number.isFinite(out))
    return { ok: false, reason: 'not-finite', message: `${value} ${unit} in ${canonical} overflows to infinity (beyond ±1.8e308)` };
  if (out === 0 && value !== 0 && rule.scales === true)
    return { ok: false, reason: 'underflow', message: `${value} ${unit} in ${canonical} underflows to 0 (smaller than 5e-324)` };
  return { ok: true, value: out };
}
