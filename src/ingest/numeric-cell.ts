/**
 * @module Reading one value cell. Stations write plain numbers, censored readings (`<-12.0`, `> 4.5`:
 * the instrument only knows a bound), decimal commas (`1,25` in a `;`-delimited file), and junk for
 * skipped tests (`NaN`, `inf`, `#N/A`). Each outcome is named so the caller can quarantine it with the
 * right reason; nothing is guessed (a `1.234,5` thousands separator is refused, not read as 1.2345), and
 * a number too large or too small for a double (`1e400`, `1e-400`) is refused rather than read as ∞ or 0.
 */
import type { Censoring } from '../domain/measurement.js';

export type NumericCell =
  | { readonly kind: 'number'; readonly value: number; readonly censoring: Censoring }
  | { readonly kind: 'empty' }
  | { readonly kind: 'not-finite'; readonly why: string }
  | { readonly kind: 'underflow'; readonly why: string }
  | { readonly kind: 'non-numeric'; readonly why: string };

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NOT_FINITE_WORDS = /^[+-]?(?:nan|inf|infinity|1\.#inf|1\.#ind|1\.#qnan|-?nan\(ind\))$/i;
const CENSOR = /^(<=|>=|<|>|\u2264|\u2265)\s*/;

/** Exact powers of ten as doubles (10^0 … 10^22 are all exactly representable). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * The value of a cell that is a plain finite number (no blanks, no censoring mark) written with the
 * profile's decimal mark, else NaN: the common case, without the result object of `parseNumericCell`,
 * which then gives the reading or the reason for anything else. A decimal-comma cell holding no '.' is
 * read as parseNumericCell reads it: the same text with its comma made a point.
 *
 * Why a scanner instead of the NUMBER regex and `Number()`: this runs for every one of a lot's millions of
 * cells. It accepts exactly the strings the regex accepts (with the profile's mark), and a number of at
 * most 15 digits whose decimal exponent is within ±22 is computed as digits × 10^e or digits / 10^e,
 * which IEEE-754 rounds once, correctly (Clinger's fast path): the same double `Number()` gives. Anything
 * longer goes through `Number()` as before.
 */
export function plainNumberOrNaN(raw: string, decimal: '.' | ',' = '.'): number {
  return plainNumberInOrNaN(raw, 0, raw.length, decimal);
}

/**
 * plainNumberOrNaN of `text.slice(start, end)`, read in place: the table reader's fast path hands cells
 * as ranges of the file's text, so a cell that is a plain number never becomes a string of its own (a
 * 10,000-file lot has 25 million cells; their strings were most of the parser's garbage).
 */
export function plainNumberInOrNaN(raw: string, start: number, end: number, decimal: '.' | ','): number {
  const n = end;
  const mark = decimal === ',' ? 0x2c : 0x2e;
  let i = start;
  let c = n > start ? raw.charCodeAt(start) : 0;
  const negative = c === 0x2d;
  if (negative || c === 0x2b) i = start + 1;
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let point = false;
  for (; i < n; i++) {
    c = raw.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      if (point) fraction++;
    } else if (c === mark && !point) point = true;
    else break;
  }
  if (digits === 0) return NaN;
  let exponent = 0;
  if (i < n) {
    if (c !== 0x65 && c !== 0x45) return NaN;
    i++;
    let expNegative = false;
    if (i < n && (raw.charCodeAt(i) === 0x2d || raw.charCodeAt(i) === 0x2b)) expNegative = raw.charCodeAt(i++) === 0x2d;
    const expStart = i;
    for (; i < n; i++) {
      c = raw.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return NaN;
      if (exponent < 100_000) exponent = exponent * 10 + (c - 0x30);
    }
    if (i === expStart) return NaN;
    if (expNegative) exponent = -exponent;
  }
  const e10 = exponent - fraction;
  if (digits <= 15 && e10 >= -22 && e10 <= 22) {
    const magnitude = e10 < 0 ? mantissa / POW10[-e10]! : mantissa * POW10[e10]!;
    return negative ? -magnitude : magnitude;
  }
  const cell = start === 0 && end === raw.length ? raw : raw.slice(start, end);
  const text = decimal === ',' ? cell.replace(',', '.') : cell;
  const value = Number(text);
  if (value === 0) return underflows(text) ? NaN : value;
  return Number.isFinite(value) ? value : NaN;
}

/**
 * True when a number written with a non-zero digit before its exponent reads as 0 (`1e-400`): the
 * reading is smaller than the smallest double, not zero. Only asked when the value is 0.
 */
function underflows(text: string): boolean {
  let end = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x65 || c === 0x45) {
      end = i;
      break;
    }
  }
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x31 && c <= 0x39) return true;
  }
  return false;
}

/** Parses a number cell; `decimal` is the profile's decimal mark. */
export function parseNumericCell(raw: string, decimal: '.' | ','): NumericCell {
  let text = raw.trim();
  if (text === '') return { kind: 'empty' };
  let censoring: Censoring = 'none';
  // Most cells are plain numbers: only run the censoring regex when the cell starts with a mark.
  const c0 = text.charCodeAt(0);
  const censor = c0 === 0x3c || c0 === 0x3e || c0 === 0x2264 || c0 === 0x2265 ? CENSOR.exec(text) : null;
  if (censor !== null) {
    const mark = censor[1];
    censoring = mark === '<' || mark === '<=' || mark === '\u2264' ? 'below' : 'above';
    text = text.slice(censor[0].length);
  }
  if (decimal === ',') {
    if (text.includes('.')) return { kind: 'non-numeric', why: "contains '.' but this profile uses a decimal comma" };
    text = text.replace(',', '.');
  }
  if (!NUMBER.test(text)) {
    if (NOT_FINITE_WORDS.test(text)) return { kind: 'not-finite', why: 'is NaN or infinite (skipped or failed test?)' };
    return { kind: 'non-numeric', why: 'is not a number' };
  }
  const value = Number(text);
  if (!Number.isFinite(value)) return { kind: 'not-finite', why: 'overflows to infinity (beyond ±1.8e308)' };
  if (value === 0 && underflows(text))
    return { kind: 'underflow', why: 'underflows to 0 (smaller than 5e-324, the least a double can hold)' };
  return { kind: 'number', value, censoring };
}
