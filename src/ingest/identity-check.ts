/**
 * @module Serial numbers and lot ids a person, a spreadsheet or a customer's system would misread. A
 * serial is printed on the certificate and exported to CSV, so ingest refuses, for every product:
 * - a leading `=`, `+`, `-` or `@`: a spreadsheet runs the cell as a formula (`=HYPERLINK("x")`);
 * - control characters (C0, DEL, C1);
 * - zero-width and other invisible characters (U+200B…U+200D, U+2060…U+2064, U+FEFF, U+00AD, U+034F,
 *   U+180E): two serials that look the same would be different units;
 * - text-direction controls (U+061C, U+200E, U+200F, U+202A…U+202E, U+2066…U+2069): the text shown is
 *   not the text stored;
 * - spaces (any Unicode white space) before or after the value;
 * - a number Excel has rewritten: `1.23457E+11` is what a spreadsheet shows for the serial 123456789012
 *   once it has taken it for a number; the digits it dropped are gone, so two units would become one;
 * - more than MAX_ID_LENGTH characters: no label or barcode holds that many, so it is a cell pasted
 *   into the wrong column, and a certificate could not print it whole;
 * - a character the certificate font cannot draw (CJK, Thai, Devanagari…: DejaVu Sans has no glyph for
 *   them): the certificate would list the unit as empty boxes (certificate-glyphs.ts, generated from the font).
 * Values are NFC-normalised, so `é` written precomposed or as `e` + combining accent is one serial. A
 * product spec may add its own pattern per field (`identity.serial.pattern`). Pure: strings in, verdicts out.
 */
import type { IdentityRule, ProductSpec } from '../domain/product-spec.js';
import { CERTIFICATE_FONT, CERTIFICATE_GLYPH_RANGES } from './certificate-glyphs.js';

export type IdentityField = 'serial' | 'lot';

export type IdentityCheck = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly why: string };

const FORMULA_START = new Set(['=', '+', '-', '@']);
/** Longest serial or lot id accepted, in characters (code points). */
export const MAX_ID_LENGTH = 64;
/** How a spreadsheet shows a long number it has taken a serial for: `1.23E+10`, `1,23457E+11`, `1E+11`. */
const EXCEL_SCIENTIFIC = /^\d(?:[.,]\d+)?E\+\d{1,3}$/i;
/** Excel's way to force text, `="SN0001"`, left in a file exported as values. */
const EXCEL_TEXT_FORMULA = /^="(.*)"$/s;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/u;
const INVISIBLE = /[\u00AD\u034F\u180E\u200B-\u200D\u2060-\u2064\uFEFF]/u;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const NAMES: Readonly<Record<number, string>> = {
  0x00ad: 'SOFT HYPHEN',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x2060: 'WORD JOINER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0x061c: 'ARABIC LETTER MARK',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
};

/** True when the certificate font draws code point `cp` (binary search over the generated ranges). */
export function certificateDraws(cp: number): boolean {
  let lo = 0;
  let hi = CERTIFICATE_GLYPH_RANGES.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < CERTIFICATE_GLYPH_RANGES[2 * mid]!) hi = mid - 1;
    else if (cp > CERTIFICATE_GLYPH_RANGES[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The first character of `value` the certificate font cannot draw, as "U+5E8F '序' at character 1", or null. */
function undrawable(value: string): string | null {
  let i = 0;
  for (const ch of value) {
    i++;
    const cp = ch.codePointAt(0)!;
    if (cp > 0x7e && !certificateDraws(cp)) return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${ch}' at character ${i}`;
  }
  return null;
}

/** "U+200B ZERO WIDTH SPACE at position 3" for the first character of `value` matching `re`. */
function describeAt(value: string, re: RegExp): string {
  const i = value.search(re);
  const code = value.codePointAt(i) ?? 0;
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  const name = NAMES[code];
  return `U+${hex}${name === undefined ? '' : ` ${name}`} at character ${i + 1}`;
}

const compiledRules = new WeakMap<IdentityRule, RegExp>();
function ruleRegExp(rule: IdentityRule): RegExp {
  let re = compiledRules.get(rule);
  if (re === undefined) {
    re = new RegExp(rule.pattern, 'u');
    compiledRules.set(rule, re);
  }
  return re;
}

/**
 * Checks one serial or lot id as the station wrote it (not trimmed); the value to store (NFC) or why
 * it is refused. `what` names the field in the message ("serial", "lot id").
 */
export function checkIdentityValue(raw: string, field: IdentityField, product: ProductSpec): IdentityCheck {
  const what = field === 'serial' ? 'serial' : 'lot id';
  const first = raw[0] ?? '';
  const forced = EXCEL_TEXT_FORMULA.exec(raw);
  if (forced !== null)
    return {
      ok: false,
      why: `the ${what} is wrapped in Excel's text formula ="${forced[1]}" (the file went through a spreadsheet; the ${what} is ${forced[1]})`,
    };
  if (FORMULA_START.has(first)) return { ok: false, why: `the ${what} starts with '${first}', which a spreadsheet runs as a formula` };
  if (CONTROL.test(raw)) return { ok: false, why: `the ${what} holds a control character (${describeAt(raw, CONTROL)})` };
  if (INVISIBLE.test(raw))
    return {
      ok: false,
      why: `the ${what} holds an invisible character (${describeAt(raw, INVISIBLE)}), so two ids that look alike would differ`,
    };
  if (BIDI.test(raw))
    return {
      ok: false,
      why: `the ${what} holds a text-direction control (${describeAt(raw, BIDI)}), so it would show differently from what is stored`,
    };
  if (/^\s|\s$/u.test(raw)) return { ok: false, why: `the ${what} has spaces around it` };
  if (EXCEL_SCIENTIFIC.test(raw))
    return {
      ok: false,
      why: `the ${what} is a number in scientific notation, as a spreadsheet shows a long number it has rounded (its last digits are lost); take the ${what} from the station's own file, not a spreadsheet copy`,
    };
  const length = [...raw].length;
  if (length > MAX_ID_LENGTH)
    return {
      ok: false,
      why: `the ${what} is ${length} characters long (at most ${MAX_ID_LENGTH}): it is not an id (a cell of another column?)`,
    };
  const value = raw.normalize('NFC');
  const missing = /^[\x20-\x7e]*$/.test(value) ? null : undrawable(value);
  if (missing !== null)
    return {
      ok: false,
      why: `the ${what} holds a character the certificate font (${CERTIFICATE_FONT}) cannot draw (${missing}): the certificate would print an empty box for it`,
    };
  const rule = product.identity?.[field];
  if (rule !== undefined && !ruleRegExp(rule).test(value)) {
    return {
      ok: false,
      why: `the ${what} does not match product ${product.productId}'s ${what} rule ${rule.description !== undefined ? `(${rule.description}) ` : ''}/${rule.pattern}/`,
    };
  }
  return { ok: true, value };
}
