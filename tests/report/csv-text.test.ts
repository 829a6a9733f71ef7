/**
 * lotqa's CSV writer against papaparse's `unparse` (the writer it replaces, an independent implementation
 * of RFC 4180 quoting): the same text, byte for byte, for every awkward cell — and papaparse reads it back
 * to the same cells.
 */
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { csvCell, csvText } from '../../src/report/csv-text.js';

const AWKWARD = [
  '',
  'plain',
  'a,b',
  'say "hi"',
  '"',
  'line\nbreak',
  'cr\rhere',
  'crlf\r\nhere',
  ' leading',
  'trailing ',
  ' ',
  '\ufeffbom',
  "'=1+1",
  '-2.9',
  'tab\tinside',
  'µW 1550 nm',
  'L1 L2; x@85C/L3:high:2.5',
];

function papa(fields: readonly string[], rows: readonly (readonly string[])[]): string {
  return (
    Papa.unparse({ fields: [...fields], data: rows.map((r) => [...r]) }, { newline: '\r\n', quotes: false, escapeFormulae: false }) + '\r\n'
  );
}

describe('CSV text', () => {
  it('quotes a cell exactly when papaparse does, doubling inner quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(' x')).toBe('" x"');
    for (const cell of AWKWARD) expect(csvText(['c'], [[cell]]), JSON.stringify(cell)).toBe(papa(['c'], [[cell]]));
  });

  it('writes the same bytes as papaparse for a table of awkward cells, header with no rows included', () => {
    const fields = ['lot', 'serial', 'note', 'value'];
    const rows = AWKWARD.map((cell, i) => [`L${i}`, AWKWARD[(i * 7) % AWKWARD.length]!, cell, String(i / 3)]);
    const text = csvText(fields, rows);
    expect(text).toBe(papa(fields, rows));
    expect(csvText(fields, [])).toBe(papa(fields, []));
    const back = Papa.parse<string[]>(text.slice(0, -2), { newline: '\r\n' });
    expect(back.errors).toEqual([]);
    expect(back.data).toEqual([fields, ...rows]);
  });
});
