/**
 * @module Text safety: every string that comes from input files (serials, lot names, customer names) is
 * drawn as plain text, never interpreted, and never allowed to break a layout or escape a folder.
 */
import { sha256Hex } from './result-hash.js';

// C0/C1 controls, and the bidi embedding/override/isolate controls that could make text display
// differently from what it is (a "Trojan source" style spoof of a serial or lot name).
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const LINE_BREAKS = /[\r\n\t\u2028\u2029]+/g;

/**
 * Printable form of an input string: NFC-normalised, control and bidi-override characters removed,
 * line breaks and tabs folded to a space, lone surrogates replaced by U+FFFD.
 */
export function printable(input: string): string {
  return input.replace(LONE_SURROGATE, '\uFFFD').normalize('NFC').replace(LINE_BREAKS, ' ').replace(UNSAFE, '');
}

/** Minimal measuring surface (a PDFKit document satisfies it). */
export interface TextMeasurer {
  widthOfString(text: string): number;
}

interface FontState {
  _font?: { name?: string };
  _fontSize?: number;
}

// Width of each code point at 1 pt, per font. Shaping a new string in fontkit costs ~0.5 ms, so cutting
// a 500-character serial by repeated measurement would be slow; summing cached advances is not.
const advanceCache = new Map<string, Map<string, number>>();
const SAFETY = 1.03; // kerning can only tighten DejaVu text slightly; stay on the safe side

function advances(measurer: TextMeasurer, chars: readonly string[]): number[] | null {
  const state = measurer as TextMeasurer & FontState;
  const font = state._font?.name;
  const size = state._fontSize;
  if (font === undefined || size === undefined || size <= 0) return null;
  let cache = advanceCache.get(font);
  if (!cache) advanceCache.set(font, (cache = new Map<string, number>()));
  return chars.map((ch) => {
    let w = cache.get(ch);
    if (w === undefined) {
      w = measurer.widthOfString(ch) / size;
      cache.set(ch, w);
    }
    return w * size * SAFETY;
  });
}

/**
 * Cut `text` (already printable) so it fits `width` points in the current font, ending with "…" when cut.
 */
export function fitToWidth(measurer: TextMeasurer, text: string, width: number): string {
  const chars = Array.from(text);
  const adv = advances(measurer, chars);
  if (adv === null) {
    if (measurer.widthOfString(text) <= width) return text;
    let n = chars.length;
    while (n > 0 && measurer.widthOfString(chars.slice(0, n).join('') + '…') > width) n = Math.floor(n * 0.9);
    return chars.slice(0, n).join('') + '…';
  }
  let total = 0;
  for (const a of adv) total += a;
  if (total <= width) return text;
  const ell = advances(measurer, ['…'])![0]!;
  let used = ell;
  let n = 0;
  while (n < adv.length && used + adv[n]! <= width) used += adv[n++]!;
  return chars.slice(0, n).join('') + '…';
}

/** Cut to at most `max` code points with an ellipsis (for places where no font is at hand). */
export function truncateChars(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/**
 * A file-name component for a lot or revision: only `[A-Za-z0-9._-]`, no leading dot, at most 80
 * characters. When anything had to change, a short hash of the original is appended, so `a/b` and `a_b`
 * never collide and `../x` can never climb out of the reports folder.
 */
export function safeFileName(input: string): string {
  const cleaned = input
    .normalize('NFKC')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[.\-_]+/, '')
    .replace(/\.{2,}/g, '_')
    .slice(0, 80);
  if (cleaned === input && cleaned.length > 0) return cleaned;
  return `${cleaned.length > 0 ? cleaned : 'lot'}-${sha256Hex(input).slice(0, 8)}`;
}
