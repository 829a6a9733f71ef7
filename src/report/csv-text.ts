/**
 * @module CSV text of a header and rows of string cells, as lotqa's CSV files are written: RFC 4180
 * quoting, CRLF line ends, a CRLF after the last row. The same bytes as `Papa.unparse` with
 * `{ newline: '\r\n', quotes: false, escapeFormulae: false }` plus a final CRLF (what lotqa wrote before):
 * a cell is quoted when it holds a comma, a quote, CR, LF or a byte-order mark, or begins or ends with a
 * space; quotes inside are doubled. Written directly, as one string: a 10,000-unit lot's signals.csv
 * (≈ 31,000 rows) took papaparse several hundred milliseconds of the report step. Formula-injection
 * neutralisation is the caller's (`neutraliseCell`), on input-derived text only.
 */

/** Needs quoting (Papa.unparse's rule for `quotes: false`). */
const NEEDS_QUOTES = /[",\r\n\ufeff]|^ | $/;

/** One cell, quoted when it must be. */
export function csvCell(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The header and rows as CSV text, every line (the last too) ended by CRLF; no rows: the header and an empty line. */
export function csvText(fields: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines: string[] = new Array<string>(rows.length + 1);
  lines[0] = fields.map(csvCell).join(',');
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    let line = '';
    for (let c = 0; c < fields.length; c++) {
      if (c > 0) line += ',';
      const cell = row[c];
      if (cell !== undefined) line += csvCell(cell);
    }
    lines[r + 1] = line;
  }
  // With no rows papaparse ends the header with CRLF too, so such a file has an empty line after its header:
  // kept, so the file stays the bytes lotqa wrote before.
  return lines.join('\r\n') + (rows.length === 0 ? '\r\n\r\n' : '\r\n');
}
