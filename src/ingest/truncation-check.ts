/**
 * @module Was the last record of a file cut off? A file copied while the station was still writing it,
 * or cut by a full disk, ends inside its last record: without a final line break, with too few fields,
 * or inside its last field (`-6.132` written as `-6.1`). Only the last field of the last record can be
 * cut (the cut is at the end of the file), so that field is compared with the same column of the rows
 * before it: a station writes a column in one form (`%.3f`, a fixed-width time, PASS/FAIL), and a value
 * shorter than that form is a cut, not a reading. A value that reads as a number but ends in a way no
 * number does (`-6.`, `1.5e`) is cut too.
 */

/** Values kept per column to recognise a cut word (PASS → PAS); beyond this the column is free text. */
const MAX_DISTINCT = 16;
const NUMERIC = /^[<>≤≥=]*\s*[+-]?(?:\d+[.,]?\d*|[.,]\d+)(?:[eE][+-]?\d+)?$/;
const INCOMPLETE_NUMBER = /^[<>≤≥=]*\s*(?:[+-]?(?:\d+[.,]?\d*|[.,]\d+)[eE][+-]?|[+-]?\d+[.,]|[+-])$/;

function fractionDigits(value: string): number {
  const mark = value.search(/[.,]/);
  if (mark < 0) return 0;
  const exp = value.search(/[eE]/);
  return (exp < 0 ? value.length : exp) - mark - 1;
}

/** The form of one column's values over the rows seen so far (its last column only). */
export class LastFieldForm {
  #rows = 0;
  /** Fraction digits every numeric value had; -1 before the first, NaN once they differ or a value was not numeric. */
  #digits = -1;
  /** Length every value had; -1 before the first, NaN once they differ. */
  #length = -1;
  #distinct: Set<string> | null = new Set();
  #sawEmpty = false;

  /** Records the last field of a complete row. */
  observe(value: string): void {
    this.#rows++;
    const v = value.trim();
    if (this.#distinct !== null) {
      this.#distinct.add(v);
      if (this.#distinct.size > MAX_DISTINCT) this.#distinct = null;
    }
    if (v === '') {
      this.#sawEmpty = true; // a column may be empty on some rows (a module value on one lane row)
      return;
    }
    if (this.#length === -1) this.#length = v.length;
    else if (this.#length !== v.length) this.#length = NaN;
    if (this.#digits === this.#digits) {
      if (!NUMERIC.test(v)) this.#digits = NaN;
      else {
        const d = fractionDigits(v);
        if (this.#digits === -1) this.#digits = d;
        else if (this.#digits !== d) this.#digits = NaN;
      }
    }
  }

  /**
   * Why `value` (the last field of the last record, in a file without a final line break) looks cut
   * short compared with the rows before it, or null when nothing shows it is.
   */
  cutShort(value: string): string | null {
    const v = value.trim();
    if (v === '') return this.#rows > 0 && !this.#sawEmpty ? 'the field is empty where every earlier row of the column has a value' : null;
    if (this.#distinct?.has(v) === true) return null;
    if (INCOMPLETE_NUMBER.test(v)) return `'${v}' ends where no number ends`;
    if (this.#distinct !== null) {
      for (const seen of this.#distinct) {
        if (seen.length > v.length && seen.startsWith(v)) return `'${v}' is the start of '${seen}', which earlier rows of the column hold`;
      }
    }
    if (this.#rows < 2) return null;
    if (this.#digits === this.#digits && this.#digits > 0 && NUMERIC.test(v) && fractionDigits(v) < this.#digits)
      return `'${v}' has ${fractionDigits(v)} decimal${fractionDigits(v) === 1 ? '' : 's'} where every earlier row of the column has ${this.#digits}`;
    if (this.#length === this.#length && this.#length > 0 && v.length < this.#length)
      return `'${v}' is ${v.length} characters long where every earlier row of the column has ${this.#length}`;
    return null;
  }
}
